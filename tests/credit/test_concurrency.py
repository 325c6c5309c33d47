"""Real concurrent transactions on PostgreSQL: the credit is never spent twice."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from oscar.apps.checkout.calculators import OrderTotalCalculator
from oscar.apps.checkout.utils import CheckoutSessionData
from oscar.apps.partner.strategy import Selector
from oscar.apps.shipping.methods import Free
from oscar.core.loading import get_model
from oscar.test.basket import add_product

from oscar_mlm.apps.checkout.views import PaymentDetailsView
from oscar_mlm.apps.mlm_credit import services
from oscar_mlm.apps.mlm_credit.exceptions import InsufficientCredit
from oscar_mlm.test.factories import UserFactory
from tests.network.test_concurrency import run_at_once

from .conftest import product_with_credit
from .test_checkout import go_to_preview

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CreditEntry = get_model("mlm_credit", "CreditEntry")
Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")


def fund(user, amount):
    account = services.open_account(user, "EUR")
    services.adjust(account=account, amount=amount, currency="EUR", reason="race", created_by=None)
    return account


def assert_books(account, balance):
    account.refresh_from_db()
    assert account.balance == D(balance)
    assert account.balance >= 0
    assert services.check_books() == []


def test_fifty_simultaneous_spends_spend_exactly_the_balance_twenty_times():
    for attempt in range(20):
        user = UserFactory()
        account = fund(user, "10.00")
        calls = [
            lambda n=n, user=user, attempt=attempt: services.debit_for_order(
                user=user, amount="1.00", currency="EUR", order_number=f"{attempt}-{n}"
            )
            for n in range(50)
        ]
        results = run_at_once(*calls)
        ok = [value for kind, value in results if kind == "ok"]
        errors = [value for kind, value in results if kind == "error"]
        assert len(ok) == 10, attempt
        assert all(isinstance(e, InsufficientCredit) for e in errors), errors
        assert account.entries.filter(kind="spent").count() == 10
        assert_books(account, "0.00")


def submit_basket(user, product):
    """One checkout through the fork's PaymentDetailsView.submit, its own basket and session."""
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy()
    add_product(basket, product=product, quantity=1)
    request = RequestFactory().post("/checkout/preview/", {"action": "place_order"})
    request.user = user
    request.session = SessionStore()
    request.basket = basket
    request._messages = type("M", (), {"add": lambda *a, **k: None})()

    def run():
        view = PaymentDetailsView()
        view.setup(request)
        view.checkout_session = CheckoutSessionData(request)
        method = Free()
        charge = method.calculate(basket)
        total = OrderTotalCalculator().calculate(basket, charge)
        try:
            view.submit(
                user=user,
                basket=basket,
                shipping_address=None,
                shipping_method=method,
                shipping_charge=charge,
                billing_address=None,
                order_total=total,
            )
        except Exception:  # noqa: BLE001 - rendering the error page needs a full request
            pass
        return basket.pk

    return run


def test_simultaneous_real_checkouts_spend_the_credit_once():
    user = UserFactory()
    account = fund(user, "10.00")
    product = product_with_credit("2.00")
    calls = [submit_basket(user, product) for _ in range(12)]
    results = run_at_once(*calls)
    assert all(kind == "ok" for kind, _ in results), results
    orders = Order.objects.filter(user=user)
    credit_paid = sum((s.amount_debited for o in orders for s in o.sources.all()), D("0.00"))
    assert credit_paid == D("10.00")
    live_spends = CreditEntry.objects.filter(kind="spent", reversals__isnull=True)
    assert sorted(live_spends.values_list("order_number", flat=True)) == sorted(
        o.number for o in orders if o.sources.exists()
    )
    assert_books(account, "0.00")


def test_the_same_place_order_submitted_ten_times_places_one_order_with_one_debit():
    user = UserFactory()
    account = fund(user, "5.00")
    from oscar.test import factories as oscar_factories

    oscar_factories.CountryFactory(
        iso_3166_1_a2="DE", printable_name="Germany", is_shipping_country=True
    )
    first = Client()
    first.force_login(user)
    go_to_preview(first, product_with_credit("10.00", value="1.00"), 1)
    clients = []
    for _ in range(10):
        c = Client()
        c.cookies = first.cookies
        clients.append(c)
    url = reverse("checkout:preview")
    results = run_at_once(*(lambda c=c: c.post(url, {"action": "place_order"}) for c in clients))
    assert all(kind == "ok" for kind, _ in results), results
    assert Order.objects.count() == 1
    order = Order.objects.get()
    assert CreditEntry.objects.filter(kind="spent").count() == 1
    assert order.sources.get().amount_debited == D("5.00")
    assert_books(account, "0.00")
    assert not services.orphan_spends(now=timezone.now() + timedelta(days=1)).exists()
