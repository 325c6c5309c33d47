"""Run in a shop that forked our checkout to plug in its payment provider.

The fork keeps our preview (the credit summary), credit pays first and the
shop's provider takes the rest; a declined card gives the credit back.
"""

from decimal import Decimal as D

import pytest
from django.apps import apps

if apps.get_app_config("checkout").name != "tests.standalone.forked_checkout":
    pytest.skip("needs the shop's fork of our checkout", allow_module_level=True)

from django.test import Client  # noqa: E402
from oscar.core.loading import get_class, get_model  # noqa: E402
from oscar.test import factories  # noqa: E402

from oscar_mlm.apps.mlm_credit import services as credit  # noqa: E402
from oscar_mlm.test.factories import UserFactory  # noqa: E402

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
CreditEntry = get_model("mlm_credit", "CreditEntry")


def test_the_fork_is_found_the_oscar_way():
    from tests.standalone.forked_checkout.views import PaymentDetailsView

    assert get_class("checkout.views", "PaymentDetailsView") is PaymentDetailsView


@pytest.fixture
def shopper():
    factories.CountryFactory(iso_3166_1_a2="DE", printable_name="Germany", is_shipping_country=True)
    user = UserFactory()
    staff = UserFactory(is_staff=True)
    account = credit.open_account(user, "EUR")
    credit.adjust(account=account, amount="5.00", currency="EUR", reason="gift", created_by=staff)
    client = Client()
    client.force_login(user)
    return client, user, account


def to_preview(client, price):
    product = factories.create_product(price=D(price), num_in_stock=10)
    assert client.post(f"/basket/add/{product.pk}/", {"quantity": 1}).status_code == 302
    address = {
        "first_name": "Eva",
        "last_name": "Muster",
        "line1": "Hauptstr. 1",
        "line4": "Berlin",
        "postcode": "10115",
        "country": "DE",
    }
    assert client.post("/checkout/shipping-address/", address).status_code == 302
    client.get("/checkout/shipping-method/", follow=True)
    return client.get("/checkout/preview/")


def test_credit_pays_first_and_the_shops_provider_the_rest(shopper):
    client, user, account = shopper
    preview = to_preview(client, "20.00")
    # Our preview template, found although our checkout app is not installed.
    assert 'id="mlm-credit-applied"' in preview.content.decode()
    assert preview.context["mlm_credit"]["applied"] == D("5.00")
    response = client.post("/checkout/preview/", {"action": "place_order"})
    assert response.status_code == 302
    order = Order.objects.get(user=user)
    paid = {s.source_type.name: s.amount_debited for s in order.sources.all()}
    assert paid == {"Loyalty credit": D("5.00"), "Card": order.total_incl_tax - D("5.00")}
    account.refresh_from_db()
    assert account.balance == D("0.00")


def test_a_declined_card_gives_the_credit_back(shopper):
    client, user, account = shopper
    to_preview(client, "18.00")  # 18.00 - 5.00 credit = 13.00, declined
    response = client.post("/checkout/preview/", {"action": "place_order"})
    assert "Your card was declined." in response.content.decode()
    assert not Order.objects.exists()
    account.refresh_from_db()
    assert account.balance == D("5.00")
    kinds = list(CreditEntry.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["adjusted", "spent", "returned"]
