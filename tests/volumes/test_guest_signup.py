"""A guest who ordered joins the distributor their order belonged to when they sign up."""

import pytest
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_commissions.signup import guest_order_sponsor
from oscar_mlm.apps.mlm_network import services as network
from oscar_mlm.placement import Placement, placing

from .conftest import ANNA_HOST, COMPANY_HOST, go_to_preview, place, place_order, product

pytestmark = pytest.mark.django_db

Member = get_model("mlm_network", "Member")
SponsorChange = get_model("mlm_network", "SponsorChange")

SIGNUP = {
    "first_name": "Gina",
    "last_name": "Gast",
    "password1": "a-Long-pass-123",
    "password2": "a-Long-pass-123",
}


@pytest.fixture(autouse=True)
def resolvers(settings):
    # The installed apps wire their own resolvers: the voucher app's, then this one.
    from oscar_mlm.apps.mlm_network.signup import EMAIL_RESOLVERS, resolver_paths

    assert resolver_paths(EMAIL_RESOLVERS) == [
        "oscar_mlm.apps.mlm_vouchers.signup.guest_signup",
        "oscar_mlm.apps.mlm_commissions.signup.guest_order_sponsor",
    ]
    settings.OSCAR_MLM_COMPANY_SIGNUP = "sponsor_id"
    settings.OSCAR_ALLOW_ANON_CHECKOUT = True


def guest_order(storefront, email="eva@example.com", **kwargs):
    with placing(Placement(storefront=storefront)):
        return place_order(None, (product(), 1), guest_email=email, **kwargs)


def test_a_guest_of_a_storefront_signs_up_later_as_a_customer_of_its_owner(
    client, anna, ben, germany
):
    go_to_preview(client, product(), host=ANNA_HOST, guest_email="Eva@Example.com")
    place(client, ANNA_HOST)
    fresh = type(client)()
    response = fresh.post(
        "/accounts/register/",
        {"email": "eva@example.com", "sponsor_id": "ben", **SIGNUP},
        HTTP_HOST=COMPANY_HOST,
    )
    assert response.status_code == 302, response.content[:3000]
    eva = Member.objects.get(user__email="eva@example.com")
    assert (eva.parent, eva.kind, eva.attribution, eva.attributed_storefront) == (
        anna,
        "customer",
        "storefront",
        anna,
    )
    assert SponsorChange.objects.get(member=eva).new_sponsor == anna


def test_the_first_attributed_guest_order_wins(anna, ben, company):
    guest_order(None)  # company: binds nobody
    first = guest_order(ben)
    guest_order(anna)
    found = guest_order_sponsor("EVA@example.com")
    assert (found.sponsor, found.attribution, found.kind) == (ben, "storefront", "customer")
    assert found.attributed_at == first.date_placed


def test_an_inactive_distributor_is_passed_over(anna, ben):
    guest_order(ben)
    guest_order(anna)
    network.deactivate(member=ben)
    assert guest_order_sponsor("eva@example.com").sponsor == anna


def test_nobody_is_bound_without_an_attributed_guest_order(anna, company):
    guest_order(None)
    assert guest_order_sponsor("eva@example.com") is None
    assert guest_order_sponsor("") is None
    assert guest_order_sponsor(None) is None
    assert guest_order_sponsor("nobody@example.com") is None


def test_a_voucher_binding_comes_first(anna, ben, client, germany):
    from decimal import Decimal as D

    from oscar_mlm.apps.mlm_vouchers import services as vouchers

    vouchers.create_program(name="New customers", value=D("10.00"))
    code = vouchers.issue_voucher(member=ben)
    go_to_preview(client, product(), host=ANNA_HOST, guest_email="eva@example.com", code=code.code)
    place(client, ANNA_HOST)
    type(client)().post(
        "/accounts/register/", {"email": "eva@example.com", **SIGNUP}, HTTP_HOST=ANNA_HOST
    )
    eva = Member.objects.get(user__email="eva@example.com")
    assert (eva.parent, eva.attribution) == (ben, "voucher")
