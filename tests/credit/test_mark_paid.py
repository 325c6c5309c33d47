"""Staff mark an invoice order paid: the button on Oscar's order page (payment tab), the
service (``checkout.services.mark_paid``), what the customer then reads, and refusals."""

from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from oscar.core.loading import get_model
from oscar.test import factories as oscar_factories

from oscar_mlm.apps.checkout import services as payments
from oscar_mlm.apps.checkout.exceptions import NothingToMarkPaid
from oscar_mlm.apps.mlm_credit.payment import credit_source_type
from oscar_mlm.test.factories import UserFactory
from tests.network.test_concurrency import run_at_once

from .conftest import product_with_credit
from .test_checkout import fund, go_to_preview, place
from .test_payment_step import choose, invoice, shopper, text  # noqa: F401 - fixtures

Order = get_model("order", "Order")
Source = get_model("payment", "Source")
PaymentEvent = get_model("order", "PaymentEvent")

pytestmark = pytest.mark.django_db


def invoice_order(client):
    """An order of 10.00: 2.50 paid with credit, 7.50 left to pay by invoice."""
    fund(client.shopper, "4.00")
    go_to_preview(client, product_with_credit("10.00"))
    choose(client, credit_choice="amount", credit_amount="2.50", method="invoice")
    assert place(client).status_code == 302
    return Order.objects.get(user=client.shopper)


@pytest.fixture
def order(client, shopper, invoice):  # noqa: F811 - fixtures
    client.shopper = shopper
    return invoice_order(client)


def order_staff(*codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="order", codename__in=codenames)
    )
    return user


@pytest.fixture
def staff(client):
    return order_staff("view_order", "change_order")


def mark_url(order):
    return reverse("mlm_dashboard:mlm-order-mark-paid", kwargs={"number": order.number})


def invoice_source(order):
    return order.sources.get(source_type__name="Invoice")


def test_staff_see_what_is_open_and_mark_it_paid(client, order, staff):
    customer = client.shopper
    client.force_login(staff)
    page = text(client.get(reverse("dashboard:order-detail", kwargs={"number": order.number})))
    assert 'id="mlm-open-payment"' in page
    assert "Waiting for €7.50 by invoice or transfer." in page

    response = client.post(mark_url(order), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "dashboard:order-detail", kwargs={"number": order.number}
    )
    page = text(response)
    assert f"Order #{order.number} is marked paid: €7.50 received." in page
    assert 'id="mlm-open-payment"' not in page

    source = invoice_source(order)
    assert (source.amount_allocated, source.amount_debited) == (D("7.50"), D("7.50"))
    assert source.transactions.get().amount == D("7.50")
    event = order.payment_events.get(event_type__name="Paid")
    assert event.amount == D("7.50")
    assert order.notes.filter(message__contains="7.50").exists()

    client.force_login(customer)
    detail = text(client.get(reverse("customer:order", kwargs={"order_number": order.number})))
    assert "Paid by Invoice: €7.50" in detail
    assert "Left to pay" not in detail and "within 14 days" not in detail
    assert "Paid with loyalty credit: €2.50" in detail


def test_marking_twice_is_refused_and_changes_nothing(client, order, staff):
    client.force_login(staff)
    client.post(mark_url(order))
    response = client.post(mark_url(order), follow=True)
    assert "Nothing of this order is waiting for payment by invoice or transfer." in text(response)
    assert invoice_source(order).amount_debited == D("7.50")
    assert order.payment_events.filter(event_type__name="Paid").count() == 1


def test_an_order_paid_all_with_credit_has_nothing_to_mark(client, shopper, invoice, staff):  # noqa: F811
    fund(shopper, "20.00")
    go_to_preview(client, product_with_credit("10.00"))
    choose(client, credit_choice="all", method="invoice")
    place(client)
    order = Order.objects.get(user=shopper)
    client.force_login(staff)
    page = text(client.get(reverse("dashboard:order-detail", kwargs={"number": order.number})))
    assert 'id="mlm-open-payment"' not in page
    with pytest.raises(NothingToMarkPaid):
        payments.mark_paid(order=order, by=staff)


def test_staff_who_may_only_view_orders_get_no_button_and_a_403(client, order):
    client.force_login(order_staff("view_order"))
    page = text(client.get(reverse("dashboard:order-detail", kwargs={"number": order.number})))
    assert "Waiting for" not in page
    assert client.post(mark_url(order)).status_code == 403
    assert invoice_source(order).amount_debited == 0


def test_only_staff_may_mark_paid(client, order):
    client.force_login(client.shopper)  # the customer
    response = client.post(mark_url(order))
    assert response.status_code in (302, 403)
    assert "mark-paid" not in response.get("Location", "")
    assert invoice_source(order).amount_debited == 0
    client.logout()
    assert client.post(mark_url(order)).status_code == 302
    assert invoice_source(order).amount_debited == 0


@pytest.mark.parametrize("number", ["999999", "abc", "1\x00", "²", "9" * 200])
def test_unknown_or_odd_order_numbers_are_404(client, order, staff, number):
    client.force_login(staff)
    response = client.post(f"/dashboard/mlm/orders/{number}/mark-paid/")
    assert response.status_code == 404
    assert invoice_source(order).amount_debited == 0


def test_only_post(client, order, staff):
    client.force_login(staff)
    assert client.get(mark_url(order)).status_code == 405
    assert invoice_source(order).amount_debited == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_staff_marking_at_once_record_the_payment_once(settings):
    settings.OSCAR_MLM_PAYMENT_METHODS = ("oscar_mlm.apps.checkout.methods.Invoice",)
    for attempt in range(5):
        order = oscar_factories.create_order(user=UserFactory())
        Source.objects.create(
            order=order,
            source_type=credit_source_type("Invoice"),
            currency=order.currency,
            amount_allocated=order.total_incl_tax,
            amount_debited=0,
        )
        staff = [UserFactory(is_staff=True) for _ in range(4)]
        results = run_at_once(
            *(
                lambda s=s, pk=order.pk: payments.mark_paid(order=Order.objects.get(pk=pk), by=s)
                for s in staff
            )
        )
        kinds = sorted(kind for kind, _ in results)
        assert kinds == ["error", "error", "error", "ok"], (attempt, results)
        assert all(
            isinstance(value, NothingToMarkPaid) for kind, value in results if kind == "error"
        )
        source = Source.objects.get(order=order)
        assert source.amount_debited == order.total_incl_tax
        assert source.transactions.count() == 1
        assert PaymentEvent.objects.filter(order=order).count() == 1
