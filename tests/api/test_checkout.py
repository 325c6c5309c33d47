"""oscarapi's checkout with loyalty credit, through the same placement as the web checkout."""

from decimal import Decimal as D

import pytest
from django.test import override_settings
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_credit import services as credit
from oscar_mlm.apps.mlm_credit.payment import CreditPlacementMixin

from .conftest import api
from .helpers import checkout, fill_basket, fund, product

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
CreditEntry = get_model("mlm_credit", "CreditEntry")
VolumeRecord = get_model("mlm_commissions", "VolumeRecord")


@pytest.fixture(autouse=True)
def pipeline(settings):
    settings.OSCAR_MLM_CREDIT_AUTO_APPLY = True


def balance(user):
    return credit.available_credit(user, "EUR")


def test_the_api_checkout_is_ours_and_shares_the_web_checkouts_credit_placement():
    from oscarapi.utils.loading import get_api_class

    from oscar_mlm.apps.checkout.mixins import CreditPaymentMixin
    from oscar_mlm.apps.mlm_api.serializers.checkout import CheckoutSerializer

    assert get_api_class("serializers.checkout", "CheckoutSerializer") is CheckoutSerializer
    assert issubclass(CheckoutSerializer, CreditPlacementMixin)
    assert issubclass(CreditPaymentMixin, CreditPlacementMixin)


def test_all_available_credit_pays_first_and_is_recorded_as_payment_source(network):
    user = network.dora.user
    fund(user, "4.00")
    client = api(user)
    response = checkout(client, fill_basket(client, product("10.00")), credit="all")
    assert response.status_code == 200, response.content
    order = Order.objects.get(number=response.json()["number"])
    source = order.sources.get()
    assert source.amount_debited == D("4.00")
    assert source.reference == f"order:{order.number}:spend"
    assert order.payment_events.get().amount == D("4.00")
    assert order.status == "Pending"  # OSCARAPI_INITIAL_ORDER_STATUS, like the web
    assert balance(user) == D("0.00")
    assert credit.check_books() == []


def test_an_amount_spends_exactly_that(network):
    user = network.dora.user
    fund(user, "8.00")
    client = api(user)
    response = checkout(client, fill_basket(client, product("10.00")), credit="2.50")
    assert response.status_code == 200, response.content
    assert Order.objects.get().sources.get().amount_debited == D("2.50")
    assert balance(user) == D("5.50")


def test_credit_never_pays_more_than_the_total(network):
    user = network.dora.user
    fund(user, "50.00")
    client = api(user)
    response = checkout(client, fill_basket(client, product("10.00")), credit="30.00")
    assert response.status_code == 200, response.content
    assert Order.objects.get().sources.get().amount_debited == D("10.00")
    assert balance(user) == D("40.00")


def test_none_keeps_the_credit(network):
    user = network.dora.user
    fund(user, "8.00")
    client = api(user)
    response = checkout(client, fill_basket(client, product("10.00")), credit="none")
    assert response.status_code == 200
    assert not Order.objects.get().sources.exists()
    assert balance(user) == D("8.00")


@override_settings(OSCAR_MLM_CREDIT_AUTO_APPLY=False)
def test_left_out_it_follows_the_auto_apply_setting(network):
    user = network.dora.user
    fund(user, "8.00")
    client = api(user)
    assert checkout(client, fill_basket(client, product("10.00"))).status_code == 200
    assert balance(user) == D("8.00")


@pytest.mark.parametrize(
    "value", ["12.345", "-1", "0", "abc", "1e999", "NaN", "²", "1\x00", "9" * 30]
)
def test_bad_credit_input_is_refused_with_406_and_nothing_changes(network, value):
    user = network.dora.user
    fund(user, "8.00")
    client = api(user)
    response = checkout(client, fill_basket(client, product("10.00")), credit=value)
    assert response.status_code == 406
    assert "credit" in response.json()
    assert not Order.objects.exists()
    assert balance(user) == D("8.00")


def test_more_than_available_is_refused(network):
    user = network.dora.user
    fund(user, "3.00")
    client = api(user)
    response = checkout(client, fill_basket(client, product("10.00")), credit="5.00")
    assert response.status_code == 406
    assert response.json() == {"credit": ["Only 3.00 EUR of credit is available."]}
    assert not Order.objects.exists() and balance(user) == D("3.00")


def test_the_cap_on_credit_per_order_holds_for_the_api_too(network, settings):
    """OSCAR_MLM_CREDIT_MAX_SHARE is applied in the one spend the web checkout uses."""
    settings.OSCAR_MLM_CREDIT_MAX_SHARE = "0.3"
    user = network.dora.user
    fund(user, "8.00")
    client = api(user)
    basket = fill_basket(client, product("10.00"))
    response = checkout(client, basket, credit="5.00")
    assert response.status_code == 406
    assert response.json() == {"credit": ["At most €3.00 of this order can be paid with credit."]}
    assert not Order.objects.exists() and balance(user) == D("8.00")

    response = checkout(client, basket, credit="all")
    assert response.status_code == 200, response.content
    assert Order.objects.get().sources.get().amount_debited == D("3.00")
    assert balance(user) == D("5.00")


def test_the_spend_refuses_over_the_cap_even_if_the_early_check_passed(network, monkeypatch):
    """The cap is read under the account lock at the spend: a cap lowered between the
    serializer's check and the spend still holds (406, nothing booked)."""
    from django.test import override_settings as override

    from oscar_mlm.apps.mlm_api.serializers.checkout import CheckoutSerializer

    user = network.dora.user
    fund(user, "8.00")
    client = api(user)
    choose = CheckoutSerializer.credit_choice

    def then_lowered(self, attrs):
        asked = choose(self, attrs)
        override(OSCAR_MLM_CREDIT_MAX_SHARE="0.1").enable()
        return asked

    monkeypatch.setattr(CheckoutSerializer, "credit_choice", then_lowered)
    try:
        response = checkout(client, fill_basket(client, product("10.00")), credit="5.00")
    finally:
        override(OSCAR_MLM_CREDIT_MAX_SHARE=None).enable()
    assert response.status_code == 406
    assert "At most €1.00 of this order can be paid with credit." in str(response.json())
    assert not Order.objects.exists() and balance(user) == D("8.00")


def test_a_guest_cannot_spend_credit(network, settings):
    settings.OSCAR_ALLOW_ANON_CHECKOUT = True
    client = api()
    basket = fill_basket(client, product("10.00"))
    response = checkout(client, basket, credit="1.00", guest_email="g@example.com")
    assert response.status_code == 406
    assert "credit" in response.json()
    # Left out, a guest's checkout simply spends nothing.
    response = checkout(client, basket, guest_email="g@example.com")
    assert response.status_code == 200, response.content


def test_failed_placement_gives_the_spend_back_and_keeps_the_basket(network, monkeypatch):
    from oscar.apps.order.utils import OrderCreator

    user = network.dora.user
    fund(user, "6.00")
    client = api(user)
    basket = fill_basket(client, product("10.00"))

    def broken(self, *args, **kwargs):
        raise ValueError("The warehouse is on fire")

    monkeypatch.setattr(OrderCreator, "place_order", broken)
    response = checkout(client, basket, credit="all")
    assert response.status_code == 406
    assert "warehouse" in response.json()["detail"]
    assert not Order.objects.exists()
    spend = CreditEntry.objects.get(kind="spent")
    assert CreditEntry.objects.get(kind="returned").reverses == spend
    assert balance(user) == D("6.00")
    monkeypatch.undo()
    # The same basket again: a new spend under the attempt key, one order.
    response = checkout(client, basket, credit="all")
    assert response.status_code == 200, response.content
    order = Order.objects.get()
    assert order.sources.get().reference == f"order:{order.number}:spend:2"
    assert balance(user) == D("0.00")
    assert credit.check_books() == []


def test_a_spend_returned_meanwhile_refuses_the_order(network, monkeypatch):
    from oscar_mlm.apps.mlm_api.serializers.checkout import CheckoutSerializer

    user = network.dora.user
    fund(user, "6.00")
    client = api(user)
    record = CheckoutSerializer.record_credit_payment

    def record_then_orphan_run(self, entry, amount, currency):
        record(self, entry, amount, currency)
        credit.return_orphan(entry)  # as if the orphan run had given it back meanwhile

    monkeypatch.setattr(CheckoutSerializer, "record_credit_payment", record_then_orphan_run)
    response = checkout(client, fill_basket(client, product("10.00")), credit="all")
    assert response.status_code == 406
    assert "given back meanwhile" in response.json()["detail"]
    assert not Order.objects.exists()
    assert CreditEntry.objects.filter(kind="returned").count() == 1
    assert balance(user) == D("6.00")


def test_a_second_submit_of_the_same_order_is_refused(network, monkeypatch):
    """The spend of the first submit stands (its order being placed): the second is refused
    before it touches the credit or the order."""
    user = network.dora.user
    fund(user, "6.00")
    client = api(user)
    basket = fill_basket(client, product("10.00"))
    number = str(100000 + int(basket.rstrip("/").rsplit("/", 1)[1]))
    credit.spend_for_order(user=user, currency="EUR", order_number=number, up_to=D("10.00"))
    response = checkout(client, basket, credit="all")
    assert response.status_code == 406
    assert response.json()["detail"] == "This order is already being placed."
    assert not Order.objects.exists()
    assert CreditEntry.objects.filter(kind="spent").count() == 1


def test_earned_credit_and_volume_of_api_orders_like_web_orders(network):
    user = network.dora.user
    client = api(user)
    response = checkout(client, fill_basket(client, product("10.00", credit_value="1.00")))
    assert response.status_code == 200
    order = Order.objects.get()
    assert credit.get_account(user, "EUR").pending == D("1.00")
    record = VolumeRecord.objects.get(order=order)
    assert record.owner_id == network.anna.pk  # Dora's sponsor
    assert record.storefront_id is None  # the company site


def test_a_headless_storefront_names_itself_in_a_header(network, settings):
    settings.OSCAR_ALLOW_ANON_CHECKOUT = True
    client = api()
    basket = fill_basket(client, product("10.00"))
    response = checkout(
        client, basket, guest_email="g@example.com", headers={"HTTP_X_STOREFRONT": "Ben"}
    )
    assert response.status_code == 200, response.content
    record = VolumeRecord.objects.get()
    assert record.storefront_id == network.ben.pk
    assert record.owner_id == network.ben.pk  # a guest on Ben's storefront is Ben's


def test_or_in_the_storefront_field(network, settings):
    settings.OSCAR_ALLOW_ANON_CHECKOUT = True
    client = api()
    response = checkout(
        client, fill_basket(client, product()), guest_email="g@example.com", storefront="carla"
    )
    assert response.status_code == 200, response.content
    assert VolumeRecord.objects.get().storefront_id == network.carla.pk


@pytest.mark.parametrize("handle", ["nobody", "otto\x00", "²", "x" * 80])
def test_an_unknown_storefront_is_refused(network, handle):
    client = api(network.dora.user)
    response = checkout(client, fill_basket(client, product()), storefront=handle)
    assert response.status_code == 406
    assert "storefront" in response.json()
    assert not Order.objects.exists()


def test_a_hidden_storefront_is_unknown(network):
    from oscar_mlm.apps.mlm_storefront import services as storefronts

    storefronts.update_storefront(member=network.ben, by_staff=True, is_hidden=True)
    client = api(network.dora.user)
    response = checkout(
        client, fill_basket(client, product()), headers={"HTTP_X_STOREFRONT": "ben"}
    )
    assert response.status_code == 406
