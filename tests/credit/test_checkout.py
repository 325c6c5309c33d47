"""Oscar's checkout through the web views, with the thin checkout fork applying credit."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_class, get_model
from oscar.test import factories as oscar_factories

from oscar_mlm.apps.mlm_credit import services
from oscar_mlm.test.factories import UserFactory

from .conftest import product_with_credit

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
CreditEntry = get_model("mlm_credit", "CreditEntry")
OrderCreator = get_class("order.utils", "OrderCreator")


def test_the_fork_is_the_checkout_app():
    from django.apps import apps

    from oscar_mlm.apps.checkout.views import PaymentDetailsView

    assert apps.get_app_config("checkout").name == "oscar_mlm.apps.checkout"
    assert get_class("checkout.views", "PaymentDetailsView") is PaymentDetailsView
    # Everything else is Oscar's.
    assert get_class("checkout.views", "IndexView").__module__ == "oscar.apps.checkout.views"


def test_the_rest_to_pay_is_rounded_half_up():
    from oscar.core.prices import Price

    from oscar_mlm.apps.checkout.mixins import CreditPaymentMixin

    # 5.00 of a 10.00 order (8.45 net) is left: 4.225 net, half up 4.23 (half even: 4.22).
    total = Price(currency="EUR", excl_tax=D("8.45"), incl_tax=D("10.00"))
    rest = CreditPaymentMixin.remaining_total(total, D("5.00"))
    assert (rest.incl_tax, rest.excl_tax, rest.currency) == (D("5.00"), D("4.23"), "EUR")


@pytest.fixture
def shopper(client):
    user = UserFactory()
    client.force_login(user)
    oscar_factories.CountryFactory(
        iso_3166_1_a2="DE", printable_name="Germany", is_shipping_country=True
    )
    return user


def fund(user, amount):
    staff = UserFactory(is_staff=True)
    account = services.open_account(user, "EUR")
    services.adjust(account=account, amount=amount, currency="EUR", reason="gift", created_by=staff)
    return account


def go_to_preview(client, product, quantity=1, voucher_code=None):
    response = client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity})
    assert response.status_code == 302
    if voucher_code is not None:
        response = client.post(reverse("basket:vouchers-add"), {"code": voucher_code})
        assert response.status_code == 302
    response = client.post(
        reverse("checkout:shipping-address"),
        {
            "first_name": "Eva",
            "last_name": "Muster",
            "line1": "Hauptstr. 1",
            "line4": "Berlin",
            "postcode": "10115",
            "country": "DE",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    response = client.get(reverse("checkout:shipping-method"), follow=True)
    assert response.status_code == 200
    return client.get(reverse("checkout:preview"))


def place(client):
    return client.post(reverse("checkout:preview"), {"action": "place_order"})


def test_credit_pays_part_and_the_rest_is_paid_the_ordinary_way(client, shopper):
    account = fund(shopper, "4.00")
    product = product_with_credit("10.00", value="1.00")

    preview = go_to_preview(client, product, 2)
    assert preview.status_code == 200
    summary = preview.context["mlm_credit"]
    assert (summary["applied"], summary["rest"]) == (D("4.00"), D("16.00"))
    assert b'id="mlm-credit-applied"' in preview.content

    response = place(client)
    assert response.status_code == 302 and response["Location"].endswith("/thank-you/")
    order = Order.objects.get(user=shopper)
    assert order.total_incl_tax == D("20.00")
    source = order.sources.get()
    assert source.source_type.name == "Loyalty credit"
    assert (source.amount_allocated, source.amount_debited) == (D("4.00"), D("4.00"))
    assert source.reference == f"order:{order.number}:spend"
    event = order.payment_events.get()
    assert event.amount == D("4.00")
    account.refresh_from_db()
    assert account.balance == D("0.00")
    assert account.pending == D("2.00")  # earned on this order, pending
    spend = CreditEntry.objects.get(kind="spent")
    assert spend.order_number == order.number and spend.amount == D("-4.00")
    thanks = client.get(response["Location"]).content.decode()
    assert "Paid with loyalty credit: €4.00" in " ".join(thanks.split())
    assert source.reference not in thanks  # an internal key, never shown to the customer
    assert services.check_books() == []


def test_order_fully_covered_by_credit_needs_no_other_payment(client, shopper):
    account = fund(shopper, "50.00")
    product = product_with_credit("10.00")
    preview = go_to_preview(client, product, 1)
    assert preview.context["mlm_credit"]["rest"] == D("0.00")
    response = place(client)
    assert response.status_code == 302
    order = Order.objects.get(user=shopper)
    assert order.sources.get().amount_debited == order.total_incl_tax == D("10.00")
    account.refresh_from_db()
    assert account.balance == D("40.00")


def test_customer_can_keep_the_credit_for_later(client, shopper):
    account = fund(shopper, "5.00")
    product = product_with_credit("10.00")
    go_to_preview(client, product, 1)
    response = client.post(reverse("checkout:preview"), {"action": "mlm_credit", "use_credit": "0"})
    assert response.context["mlm_credit"]["applied"] == D("0.00")
    assert b'id="mlm-credit-use"' in response.content
    place(client)
    order = Order.objects.get(user=shopper)
    assert not order.sources.exists()
    account.refresh_from_db()
    assert account.balance == D("5.00")


def test_without_auto_apply_credit_is_used_only_on_request(client, shopper, settings):
    settings.OSCAR_MLM_CREDIT_AUTO_APPLY = False
    fund(shopper, "5.00")
    preview = go_to_preview(client, product_with_credit("10.00"), 1)
    assert preview.context["mlm_credit"]["applied"] == D("0.00")
    response = client.post(reverse("checkout:preview"), {"action": "mlm_credit", "use_credit": "1"})
    assert response.context["mlm_credit"]["applied"] == D("5.00")
    place(client)
    assert Order.objects.get(user=shopper).sources.get().amount_debited == D("5.00")


def test_failed_placement_returns_the_credit(client, shopper, monkeypatch):
    account = fund(shopper, "5.00")
    go_to_preview(client, product_with_credit("10.00"), 1)

    def broken(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(OrderCreator, "place_order", broken)
    response = place(client)
    assert response.status_code == 200  # the preview again, with Oscar's error message
    assert not Order.objects.exists()
    account.refresh_from_db()
    assert account.balance == D("5.00")
    kinds = list(CreditEntry.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["adjusted", "spent", "returned"]
    monkeypatch.undo()
    # The retry with the same basket (same order number) spends anew and places the order.
    response = place(client)
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.balance == D("0.00")
    assert services.check_books() == []


@pytest.mark.parametrize(
    "target, attribute",
    [
        ("oscar.apps.order.utils.OrderCreator", "place_order"),
        ("oscar_mlm.apps.checkout.views.PaymentDetailsView", "add_payment_source"),
        ("oscar_mlm.apps.checkout.views.PaymentDetailsView", "add_payment_event"),
        ("oscar_mlm.apps.checkout.views.PaymentDetailsView", "handle_remaining_payment"),
        ("oscar_mlm.apps.checkout.views.PaymentDetailsView", "save_payment_details"),
        ("oscar.apps.order.utils.OrderCreator", "create_line_models"),
        ("oscar.apps.basket.abstract_models.AbstractBasket", "submit"),
    ],
)
def test_a_fault_at_each_step_leaves_no_orphan_debit_and_loses_no_credit(
    client, shopper, monkeypatch, target, attribute
):
    import importlib

    module_name, class_name = target.rsplit(".", 1)
    cls = getattr(importlib.import_module(module_name), class_name)
    account = fund(shopper, "5.00")
    go_to_preview(client, product_with_credit("10.00", value="1.00"), 1)

    def fault(*args, **kwargs):
        raise RuntimeError(f"fault in {attribute}")

    monkeypatch.setattr(cls, attribute, fault)
    place(client)
    account.refresh_from_db()
    orders = list(Order.objects.all())
    spends = CreditEntry.objects.filter(kind="spent", reversals__isnull=True)
    if orders:
        # The order committed (the fault came after it): the spend belongs to it.
        assert [s.order_number for s in spends] == [orders[0].number]
        assert orders[0].sources.get().amount_debited == D("5.00")
        assert account.balance == D("0.00")
    else:
        assert not spends.exists()  # no orphan debit
        assert account.balance == D("5.00")  # no lost credit
        assert account.pending == D("0.00")  # no credit earned on an order that does not exist
    assert not services.orphan_spends(now=timezone.now() + timedelta(days=1)).exists()
    assert services.check_books() == []


def test_no_order_if_the_orphan_run_gave_the_credit_back_before_placement(
    client, shopper, monkeypatch
):
    from oscar_mlm.apps.checkout.views import PaymentDetailsView

    account = fund(shopper, "5.00")
    go_to_preview(client, product_with_credit("10.00", value="1.00"), 1)

    def rest_and_an_orphan_run(self, order_number, total, **kwargs):
        # As if this request had stalled past OSCAR_MLM_CREDIT_ORPHAN_MINUTES and the
        # orphan run had given the credit back while the rest was being paid.
        services.return_orphan(self._mlm_credit_entry)

    monkeypatch.setattr(PaymentDetailsView, "handle_remaining_payment", rest_and_an_orphan_run)
    response = place(client)
    assert response.status_code == 200  # the preview again, with the error
    assert "given back meanwhile" in response.content.decode()
    assert not Order.objects.exists()
    assert CreditEntry.objects.filter(kind="returned").count() == 1  # not twice
    account.refresh_from_db()
    assert account.balance == D("5.00")
    assert services.check_books() == []


def test_earning_again_with_the_keys_on_another_account_books_nothing(customer_order):
    from django.db import transaction

    order, first = customer_order
    order.user = UserFactory()
    order.save()
    with transaction.atomic():  # a caller's transaction stays usable
        again = services.earn_for_order(order)
        assert [entry.was_created for entry in again] == [False]
        assert CreditEntry.objects.filter(kind="earned").count() == 1
    assert services.check_books() == []


@pytest.fixture
def customer_order(db):
    from .conftest import place_order

    user = UserFactory()
    order = place_order(user, (product_with_credit("10.00", value="1.00"), 1))
    return order, user
