from decimal import Decimal

from django.core.management import call_command
from oscar.core.loading import get_model
from oscar.test import factories as oscar_factories

from oscar_mlm.apps.mlm_credit import services as credit
from oscar_mlm.apps.mlm_network import services
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory

CreditRule = get_model("mlm_credit", "CreditRule")
VolumeRule = get_model("mlm_commissions", "VolumeRule")

Storefront = get_model("mlm_storefront", "Storefront")
VoucherProgram = get_model("mlm_vouchers", "VoucherProgram")
DistributorVoucher = get_model("mlm_vouchers", "DistributorVoucher")


def test_extras_theme_storefronts_and_start_a_voucher_programme(db, client):
    company = services.ensure_company()
    anna = DistributorFactory(parent=company, handle="anna")
    dora = CustomerFactory(parent=anna, user__email="dora@example.com")
    cream = oscar_factories.create_product(upc="MLM-SC-001", product_class="Skin care")
    serum = oscar_factories.create_product(upc="MLM-SC-002", product_class="Skin care")
    call_command("sandbox_demo_extras", stdout=open("/dev/null", "w"))
    call_command("sandbox_demo_extras", stdout=open("/dev/null", "w"))  # idempotent
    assert Storefront.objects.get(member=anna).accent_color == "#1f7a4d"
    assert VoucherProgram.objects.get().is_default
    assert DistributorVoucher.objects.filter(issuer=anna).count() == 1
    assert credit.rule_for(cream).value == Decimal("1.00")
    assert CreditRule.objects.get(product_class=cream.product_class).value == Decimal("5.00")
    assert credit.available_credit(dora.user, "EUR") == Decimal("10.00")  # once
    assert VolumeRule.objects.get(product=serum).points == Decimal("30.00")
    html = client.get("/catalogue/", HTTP_HOST="anna.localhost").content.decode()
    assert "Anna&#x27;s natural care" in html
