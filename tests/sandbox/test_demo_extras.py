from django.core.management import call_command
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_network import services
from oscar_mlm.test.factories import DistributorFactory

Storefront = get_model("mlm_storefront", "Storefront")
VoucherProgram = get_model("mlm_vouchers", "VoucherProgram")
DistributorVoucher = get_model("mlm_vouchers", "DistributorVoucher")


def test_extras_theme_storefronts_and_start_a_voucher_programme(db, client):
    company = services.ensure_company()
    anna = DistributorFactory(parent=company, handle="anna")
    call_command("sandbox_demo_extras", stdout=open("/dev/null", "w"))
    call_command("sandbox_demo_extras", stdout=open("/dev/null", "w"))  # idempotent
    assert Storefront.objects.get(member=anna).accent_color == "#1f7a4d"
    assert VoucherProgram.objects.get().is_default
    assert DistributorVoucher.objects.filter(issuer=anna).count() == 1
    html = client.get("/catalogue/", HTTP_HOST="anna.localhost").content.decode()
    assert "Anna&#x27;s natural care" in html
