"""Run in a shop that has the network app and at most one feature app (see ../base.py).

Whatever is installed: ``check`` passes, no migration is missing, the account
pages render with exactly the installed apps' tabs, and a sign-up works.
"""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from oscar.core.loading import get_model

from oscar_mlm.test.factories import CustomerFactory, DistributorFactory, UserFactory

pytestmark = pytest.mark.django_db

Member = get_model("mlm_network", "Member")

TABS = {  # app label: (its tab's URL, who sees it)
    "mlm_network": ("/accounts/network/", "everyone"),
    "mlm_storefront": ("/accounts/storefront/", "distributors"),
    "mlm_vouchers": ("/accounts/vouchers/", "distributors"),
    "mlm_credit": ("/accounts/credit/", "everyone"),
    "mlm_backoffice": ("/accounts/business/", "distributors"),
    "mlm_commissions": ("/accounts/commissions/", "distributors"),
}
FEATURES = ("mlm_storefront", "mlm_vouchers", "mlm_credit", "mlm_commissions", "mlm_backoffice")
COMPANY_HOST = "www.shop.example"


def installed(label):
    return apps.is_installed(f"oscar_mlm.apps.{label}")


def test_only_the_network_and_at_most_one_feature_app_are_installed():
    assert installed("mlm_network")
    assert len([label for label in FEATURES if installed(label)]) <= 1
    assert not installed("mlm_dashboard")


def test_check_passes_and_no_migration_is_missing():
    call_command("check", fail_level="WARNING")
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def account_tabs(client, path="/accounts/profile/"):
    response = client.get(path, HTTP_HOST=COMPANY_HOST)
    assert response.status_code == 200, (path, response.status_code)
    html = response.content.decode()
    return [url for url, _who in TABS.values() if f'href="{url}"' in html]


@pytest.mark.parametrize("kind", ["distributor", "customer"])
def test_account_pages_show_exactly_the_installed_apps_tabs(company, kind):
    anna = DistributorFactory(parent=company, handle="anna")
    member = anna if kind == "distributor" else CustomerFactory(parent=anna)
    client = Client()
    client.force_login(member.user)
    expected = [
        url
        for label, (url, who) in TABS.items()
        if installed(label) and (who == "everyone" or kind == "distributor")
    ]
    assert account_tabs(client) == expected
    for url in expected:  # every tab's own page renders, with the same menu
        assert account_tabs(client, url) == expected


def test_a_user_outside_the_network_sees_the_account_pages(company):
    client = Client()
    client.force_login(UserFactory())
    assert "/accounts/network/" in account_tabs(client)


def test_sign_up_on_the_company_site_with_a_sponsor_id(company):
    anna = DistributorFactory(parent=company, handle="anna")
    response = Client().post(
        "/accounts/register/",
        {
            "sponsor_id": "anna",
            "email": "dora@example.com",
            "first_name": "Nina",
            "last_name": "Neu",
            "password1": "a-Long-pass-123",
            "password2": "a-Long-pass-123",
        },
        HTTP_HOST=COMPANY_HOST,
    )
    assert response.status_code == 302
    dora = Member.objects.get(user__email="dora@example.com")
    assert (dora.parent, dora.kind, dora.attribution) == (anna, "customer", "sponsor_id")


@pytest.mark.skipif(not installed("mlm_storefront"), reason="needs the storefront app")
def test_sign_up_on_a_storefront_needs_no_sponsor_id(company):
    anna = DistributorFactory(parent=company, handle="anna")
    client = Client()
    page = client.get("/accounts/register/", HTTP_HOST="anna.shop.example")
    assert page.status_code == 200 and b'name="sponsor_id"' not in page.content
    response = client.post(
        "/accounts/register/",
        {
            "email": "eve@example.com",
            "first_name": "Nina",
            "last_name": "Neu",
            "password1": "a-Long-pass-123",
            "password2": "a-Long-pass-123",
        },
        HTTP_HOST="anna.shop.example",
    )
    assert response.status_code == 302
    eve = Member.objects.get(user__email="eve@example.com")
    assert (eve.parent, eve.attribution) == (anna, "storefront")


@pytest.mark.skipif(not installed("mlm_vouchers"), reason="needs the voucher app")
def test_a_guests_voucher_decides_the_sponsor_at_sign_up(company):
    from django.contrib.auth.models import AnonymousUser

    from oscar_mlm.apps.mlm_vouchers import services
    from tests.vouchers.helpers import basket_with, place

    anna = DistributorFactory(parent=company, handle="anna")
    ben = DistributorFactory(parent=company, handle="ben")
    services.create_program(name="New customers")
    code = services.issue_voucher(member=anna)
    guest = AnonymousUser()
    place(basket_with(guest, code), guest, guest_email="gus@example.com")
    Client().post(
        "/accounts/register/",
        {
            "sponsor_id": "ben",
            "email": "gus@example.com",
            "first_name": "Nina",
            "last_name": "Neu",
            "password1": "a-Long-pass-123",
            "password2": "a-Long-pass-123",
        },
        HTTP_HOST=COMPANY_HOST,
    )
    gus = Member.objects.get(user__email="gus@example.com")
    assert (gus.parent, gus.attribution) == (anna, "voucher")
    assert ben.children.count() == 0


@pytest.mark.skipif(not installed("mlm_credit"), reason="needs the credit app")
def test_credit_is_spent_in_the_installed_checkout():
    from oscar.core.loading import get_class

    from oscar_mlm.apps.checkout.mixins import CreditPaymentMixin

    assert issubclass(get_class("checkout.views", "PaymentDetailsView"), CreditPaymentMixin)


@pytest.mark.skipif(not installed("mlm_backoffice"), reason="needs the back office app")
def test_the_back_office_without_volumes_and_credit(company):
    anna = DistributorFactory(parent=company, handle="anna")
    CustomerFactory(parent=anna, user__first_name="Dora", user__last_name="Decker")
    client = Client()
    client.force_login(anna.user)
    overview = client.get("/accounts/business/", HTTP_HOST=COMPANY_HOST)
    assert overview.status_code == 200
    html = overview.content.decode()
    # No volumes, estimate or credit without their apps; the growth chart stays.
    assert 'id="mlm-figure-own"' not in html and 'id="mlm-estimate"' not in html
    assert 'id="mlm-credit-balance"' not in html and 'id="mlm-chart-growth"' in html
    tree = client.get("/accounts/business/structure/", HTTP_HOST=COMPANY_HOST)
    assert tree.status_code == 200 and "Dora Decker" in tree.content.decode()
    assert " · volume " not in tree.content.decode()
