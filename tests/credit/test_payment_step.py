"""The payment step: credit (all, an amount, or none) beside the sandbox's invoice, the cap on
credit per order, and the split on the preview, the confirmation, the order page and the e-mail."""

from decimal import Decimal as D

import pytest
from django.core import mail
from django.urls import reverse
from oscar.core.loading import get_class, get_model
from oscar.test import factories as oscar_factories

from oscar_mlm.apps.mlm_credit import services
from oscar_mlm.apps.mlm_credit.exceptions import CreditCapExceeded
from oscar_mlm.test.factories import UserFactory

from .conftest import product_with_credit
from .test_checkout import fund, go_to_preview, place

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
CreditEntry = get_model("mlm_credit", "CreditEntry")
Basket = get_model("basket", "Basket")
OrderCreator = get_class("order.utils", "OrderCreator")

INVOICE = "oscar_mlm.apps.checkout.methods.Invoice"


@pytest.fixture
def shopper(client):
    user = UserFactory()
    client.force_login(user)
    oscar_factories.CountryFactory(
        iso_3166_1_a2="DE", printable_name="Germany", is_shipping_country=True
    )
    return user


@pytest.fixture
def invoice(settings):
    settings.OSCAR_MLM_PAYMENT_METHODS = (INVOICE,)
    return settings


def text(response):
    return " ".join(response.content.decode().split())


def choose(client, **data):
    return client.post(reverse("checkout:preview"), {"action": "payment_details", **data})


def test_the_payment_step_offers_credit_beside_the_invoice(client, shopper, invoice):
    fund(shopper, "4.00")
    go_to_preview(client, product_with_credit("10.00"))
    page = client.get(reverse("checkout:payment-details"))
    assert page.status_code == 200
    content = text(page)
    assert "This page needs implementing" not in content
    assert 'id="mlm-credit-choice"' in content and 'id="mlm-payment-methods"' in content
    assert "You have <strong" in content and "€4.00" in content
    assert "Invoice" in content and "within 14 days" in content

    preview = client.get(reverse("checkout:preview"))
    assert "Payment details to go here" not in text(preview)


def test_an_amount_of_credit_and_the_rest_by_invoice(client, shopper, invoice):
    account = fund(shopper, "4.00")
    go_to_preview(client, product_with_credit("10.00"))
    response = choose(client, credit_choice="amount", credit_amount="2,50", method="invoice")
    assert response.status_code == 302 and response["Location"] == reverse("checkout:preview")

    preview = client.get(reverse("checkout:preview"))
    summary = preview.context["mlm_credit"]
    assert (summary["applied"], summary["rest"]) == (D("2.50"), D("7.50"))
    assert "Left to pay: €7.50 by Invoice" in text(preview)

    response = place(client)
    assert response.status_code == 302, text(response)
    order = Order.objects.get(user=shopper)
    sources = {s.source_type.name: s for s in order.sources.all()}
    assert sources["Loyalty credit"].amount_debited == D("2.50")
    invoice_source = sources["Invoice"]
    assert (invoice_source.amount_allocated, invoice_source.amount_debited) == (D("7.50"), 0)
    account.refresh_from_db()
    assert account.balance == D("1.50")

    thanks = text(client.get(response["Location"]))
    assert "Paid with loyalty credit: €2.50" in thanks
    assert "Left to pay: €7.50 by Invoice" in thanks
    assert f"quoting your order number {order.number}" in thanks
    assert ":spend" not in thanks

    detail = text(client.get(reverse("customer:order", kwargs={"order_number": order.number})))
    assert "Paid with loyalty credit: €2.50" in detail
    assert "Left to pay: €7.50 by Invoice" in detail
    assert ":spend" not in detail

    (message,) = [m for m in mail.outbox if order.number in m.subject or order.number in m.body]
    body = " ".join(message.body.split())
    assert "Paid with loyalty credit: €2.50" in body and "Left to pay: €7.50 by Invoice" in body
    html = " ".join(message.alternatives[0][0].split()) if message.alternatives else body
    assert "Left to pay: €7.50 by Invoice" in html
    assert ":spend" not in body + html


def test_keeping_the_credit_pays_all_by_invoice(client, shopper, invoice):
    account = fund(shopper, "4.00")
    go_to_preview(client, product_with_credit("10.00"))
    choose(client, credit_choice="none", method="invoice")
    response = place(client)
    order = Order.objects.get(user=shopper)
    assert [s.source_type.name for s in order.sources.all()] == ["Invoice"]
    account.refresh_from_db()
    assert account.balance == D("4.00")
    assert "Left to pay: €10.00 by Invoice" in text(client.get(response["Location"]))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("9.00", "You have €4.00 of credit."),
        ("-1", "The amount must be positive."),
        ("0", "The amount must be more than zero."),
        ("²", "Please enter a valid amount of money"),
        ("١٢", "Please enter a valid amount of money"),
        ("1\x002", "Null characters are not allowed."),
        ("abc", "Please enter a valid amount of money"),
        ("1e999", "Please enter a valid amount of money"),
        ("1.001", "Please enter a valid amount of money"),
        ("", "Please enter a valid amount of money"),
    ],
)
def test_bad_amounts_get_a_message_and_change_nothing(client, shopper, invoice, value, message):
    fund(shopper, "4.00")
    go_to_preview(client, product_with_credit("10.00"))
    before = dict(client.session)
    entries = CreditEntry.objects.count()
    response = choose(client, credit_choice="amount", credit_amount=value, method="invoice")
    assert response.status_code == 200
    assert message in text(response)
    assert 'id="mlm-payment-form"' in text(response)
    assert CreditEntry.objects.count() == entries
    assert dict(client.session).get("checkout_data") == before.get("checkout_data")


def test_an_unknown_method_is_refused(client, shopper, invoice):
    fund(shopper, "4.00")
    go_to_preview(client, product_with_credit("10.00"))
    response = choose(client, credit_choice="all", method="bitcoin")
    assert response.status_code == 200
    assert "Select a valid choice." in text(response)


def test_the_cap_is_shown_refused_on_the_payment_step_and_enforced(client, shopper, invoice):
    invoice.OSCAR_MLM_CREDIT_MAX_SHARE = "0.3"
    account = fund(shopper, "8.00")
    go_to_preview(client, product_with_credit("10.00"))
    page = text(client.get(reverse("checkout:payment-details")))
    assert "Credit can pay up to 30 % of an order: at most €3.00 of this one." in page

    response = choose(client, credit_choice="amount", credit_amount="5.00", method="invoice")
    assert "At most €3.00 of this order can be paid with credit." in text(response)

    choose(client, credit_choice="all", method="invoice")
    preview = client.get(reverse("checkout:preview"))
    assert preview.context["mlm_credit"]["applied"] == D("3.00")
    place(client)
    order = Order.objects.get(user=shopper)
    sources = {s.source_type.name: s.amount_allocated for s in order.sources.all()}
    assert sources == {"Loyalty credit": D("3.00"), "Invoice": D("7.00")}
    account.refresh_from_db()
    assert account.balance == D("5.00")


def test_a_cap_lowered_after_the_payment_step_refuses_the_order_and_books_nothing(
    client, shopper, invoice
):
    """The web checkout spends through the same service as the API: the cap is checked
    again at the spend, under the account lock."""
    invoice.OSCAR_MLM_CREDIT_MAX_SHARE = "0.5"
    account = fund(shopper, "8.00")
    go_to_preview(client, product_with_credit("10.00"))
    response = choose(client, credit_choice="amount", credit_amount="4.00", method="invoice")
    assert response.status_code == 302
    invoice.OSCAR_MLM_CREDIT_MAX_SHARE = "0.2"
    response = place(client)
    assert response.status_code == 200
    assert "At most €2.00 of this order can be paid with credit." in text(response)
    assert not Order.objects.exists()
    assert not CreditEntry.objects.filter(kind=CreditEntry.SPENT).exists()
    account.refresh_from_db()
    assert account.balance == D("8.00")


def test_the_spend_itself_keeps_to_the_cap(shopper, settings):
    settings.OSCAR_MLM_CREDIT_MAX_SHARE = "0.5"
    fund(shopper, "20.00")
    entry = services.spend_for_order(
        user=shopper, currency="EUR", order_number="X1", up_to=D("10.00")
    )
    assert entry.amount == D("-5.00")
    # Asked for less than the cap of the order total: what was asked.
    entry = services.spend_for_order(
        user=shopper, currency="EUR", order_number="X2", up_to=D("9.99"), amount="2.00"
    )
    assert entry.amount == D("-2.00")
    # Asked for more than the cap: refused with the cap, nothing booked.
    with pytest.raises(CreditCapExceeded) as refused:
        services.spend_for_order(
            user=shopper, currency="EUR", order_number="X4", up_to=D("9.99"), amount="5.01"
        )
    assert str(refused.value.message) == "At most €5.00 of this order can be paid with credit."
    assert not CreditEntry.objects.filter(order_number="X4").exists()
    # The cap is half up to the cent: half of 9.99 is 4.995 -> 5.00.
    entry = services.spend_for_order(
        user=shopper, currency="EUR", order_number="X3", up_to=D("9.99")
    )
    assert entry.amount == D("-5.00")
    assert services.credit_to_apply(D("100"), D("9.99"), D("9.99")) == D("5.00")


def test_oscars_bare_value_error_at_placement_is_shown_and_the_credit_given_back(
    client, shopper, monkeypatch
):
    """Oscar refuses a single-use voucher another checkout used first with a plain ValueError
    (tests/vouchers/test_concurrency.py races it on PostgreSQL)."""
    account = fund(shopper, "4.00")
    go_to_preview(client, product_with_credit("10.00"))

    def refuse(self, *args, **kwargs):
        raise ValueError("This voucher has already been used")

    monkeypatch.setattr(OrderCreator, "place_order", refuse)
    response = place(client)
    assert response.status_code == 200
    content = text(response)
    assert "This voucher has already been used" in content
    assert "A problem occurred" not in content
    assert not Order.objects.exists()
    account.refresh_from_db()
    assert account.balance == D("4.00")  # the spend was returned
    assert CreditEntry.objects.filter(kind="returned").count() == 1
    basket = Basket.objects.get(owner=shopper, status=Basket.OPEN)
    assert basket.num_lines == 1  # kept for another try
    assert services.check_books() == []


@pytest.mark.parametrize("share", ["0", "1.5", "half", 0.5, True, "-0.1"])
def test_a_cap_that_is_no_share_is_a_system_check_error(settings, share):
    from oscar_mlm.apps.mlm_credit.checks import check_checkout_settings

    settings.OSCAR_MLM_CREDIT_MAX_SHARE = share
    assert [e.id for e in check_checkout_settings()] == ["oscar_mlm.E103"]


def test_a_payment_method_that_does_not_import_is_a_system_check_error(settings):
    from oscar_mlm.apps.mlm_credit.checks import check_checkout_settings

    settings.OSCAR_MLM_CREDIT_MAX_SHARE = "0.5"
    settings.OSCAR_MLM_PAYMENT_METHODS = (INVOICE, "myshop.nowhere.Card")
    assert [e.id for e in check_checkout_settings()] == ["oscar_mlm.E104"]
