"""Real concurrent transactions on PostgreSQL: the credit is never spent twice."""

import threading
import time
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
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
from oscar_mlm.apps.mlm_credit.exceptions import SpendReturned
from oscar_mlm.apps.mlm_credit.services import ledger
from oscar_mlm.test.factories import UserFactory
from tests.network.test_concurrency import run_at_once

from .conftest import place_order, product_with_credit
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
            lambda n=n, user=user, attempt=attempt: services.spend_for_order(
                user=user, currency="EUR", order_number=f"{attempt}-{n}", up_to=D("1.00")
            )
            for n in range(50)
        ]
        results = run_at_once(*calls)
        assert all(kind == "ok" for kind, _ in results), results
        spends = [value for _, value in results if value is not None]
        assert len(spends) == 10, attempt  # the others found the account empty
        assert {spend.amount for spend in spends} == {D("-1.00")}
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


def submit_one_order_at_once(user, product, times):
    """One browser session at the preview, its place-order button pressed ``times`` at once."""
    from oscar.test import factories as oscar_factories

    oscar_factories.CountryFactory(
        iso_3166_1_a2="DE", printable_name="Germany", is_shipping_country=True
    )
    first = Client()
    first.force_login(user)
    go_to_preview(first, product, 1)
    clients = []
    for _ in range(times):
        c = Client()
        c.cookies = first.cookies
        clients.append(c)
    url = reverse("checkout:preview")
    return run_at_once(*(lambda c=c: c.post(url, {"action": "place_order"}) for c in clients))


def test_the_same_place_order_submitted_ten_times_places_one_order_with_one_debit():
    user = UserFactory()
    account = fund(user, "5.00")
    results = submit_one_order_at_once(user, product_with_credit("10.00", value="1.00"), 10)
    assert all(kind == "ok" for kind, _ in results), results
    assert Order.objects.count() == 1
    order = Order.objects.get()
    assert CreditEntry.objects.filter(kind="spent").count() == 1
    assert order.sources.get().amount_debited == D("5.00")
    assert_books(account, "0.00")
    assert not services.orphan_spends(now=timezone.now() + timedelta(days=1)).exists()


def test_a_duplicate_submit_never_takes_the_remaining_payment_again(monkeypatch):
    """The first request spends all credit (5.00 of 10.00) and pays the rest; duplicates that
    waited for the account lock must see its spend and take no payment at all."""
    user = UserFactory()
    account = fund(user, "5.00")
    taken = []
    monkeypatch.setattr(
        PaymentDetailsView,
        "handle_remaining_payment",
        lambda self, order_number, total, **kwargs: taken.append(total.incl_tax),
    )
    book_new = ledger.book_new

    def slow_book_new(account, entries):
        result = book_new(account, entries)
        time.sleep(0.3)  # hold the lock while the duplicates queue up behind it
        return result

    monkeypatch.setattr(ledger, "book_new", slow_book_new)
    results = submit_one_order_at_once(user, product_with_credit("10.00"), 6)
    assert all(kind == "ok" for kind, _ in results), results
    assert Order.objects.count() == 1
    assert taken == [D("5.00")]  # the rest, once
    assert CreditEntry.objects.filter(kind="spent").count() == 1
    assert_books(account, "0.00")


def spent_on_a_missing_order(number):
    """A customer whose 10.00 of credit is spent on order ``number``, not written yet."""
    user = UserFactory()
    account = fund(user, "10.00")
    spend = services.spend_for_order(
        user=user, currency="EUR", order_number=number, up_to=D("10.00")
    )
    return user, account, spend, product_with_credit("10.00")


def test_returning_orphans_waits_for_an_order_being_placed():
    user, account, spend, product = spent_on_a_missing_order("P1")
    locked = threading.Event()

    def place():
        with transaction.atomic():
            services.hold_spend(spend)  # what the checkout does first in its order transaction
            locked.set()
            time.sleep(0.5)
            return place_order(user, (product, 1), number="P1").number

    def orphan_run():
        locked.wait(timeout=10)
        return services.return_orphan_spends(now=timezone.now() + timedelta(hours=2))

    (kind_a, number), (kind_b, returned) = run_at_once(place, orphan_run)
    assert (kind_a, kind_b) == ("ok", "ok"), (number, returned)
    assert returned == (0, D("0.00"))  # it waited, then found the order
    assert not CreditEntry.objects.filter(kind="returned").exists()
    assert_books(account, "0.00")


def test_an_order_whose_spend_was_returned_meanwhile_is_refused():
    user, account, spend, product = spent_on_a_missing_order("P2")
    returned = threading.Event()

    def orphan_run():
        result = services.return_orphan_spends(now=timezone.now() + timedelta(hours=2))
        returned.set()
        return result

    def place():
        returned.wait(timeout=10)
        with transaction.atomic():
            services.hold_spend(spend)
            return place_order(user, (product, 1), number="P2").number

    (kind_a, result), (kind_b, error) = run_at_once(orphan_run, place)
    assert kind_a == "ok" and result == (1, D("10.00"))
    assert kind_b == "error" and isinstance(error, SpendReturned)
    assert not Order.objects.filter(number="P2").exists()
    assert_books(account, "10.00")


def test_first_checkouts_at_once_create_one_payment_source_type():
    from oscar_mlm.apps.checkout.mixins import credit_source_type

    SourceType = get_model("payment", "SourceType")
    SourceType.objects.all().delete()
    results = run_at_once(*(lambda: credit_source_type("Loyalty credit").pk for _ in range(8)))
    assert all(kind == "ok" for kind, _ in results), results
    assert len({pk for _, pk in results}) == 1
    assert SourceType.objects.filter(name="Loyalty credit").count() == 1


def test_an_order_with_credit_and_one_without_do_not_deadlock():
    """Placing an order that spent credit holds its spend from the start; another order of the
    same customer takes the stock first and the account last (earning). They must not wait
    for each other in a circle."""
    user, account, spend, __ = spent_on_a_missing_order("D1")
    product = product_with_credit("5.00", value="1.00")  # both orders earn, same stock record
    holding, stock_taken = threading.Event(), threading.Event()

    def with_credit():
        with transaction.atomic():
            services.hold_spend(spend)
            holding.set()
            stock_taken.wait(timeout=10)
            time.sleep(0.3)  # the other order now holds the stock and wants the account
            return place_order(user, (product, 1), number="D1").number

    def without_credit():
        holding.wait(timeout=10)
        stock_taken.set()
        with transaction.atomic():  # as the checkout fork places: earning inside
            return place_order(user, (product, 1), number="D2").number

    results = run_at_once(with_credit, without_credit)
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    assert Order.objects.filter(number__in=["D1", "D2"]).count() == 2
    assert_books(account, "0.00")


def test_simultaneous_spends_keep_to_the_cap_and_the_balance(settings):
    """The cap is applied under the account lock, in the one spend: twenty checkouts of
    10.00 orders at once, credit capped at half of each, 12.00 of credit."""
    settings.OSCAR_MLM_CREDIT_MAX_SHARE = "0.5"
    for attempt in range(5):
        user = UserFactory()
        account = fund(user, "12.00")
        calls = [
            lambda n=n, user=user, attempt=attempt: services.spend_for_order(
                user=user,
                currency="EUR",
                order_number=f"cap-{attempt}-{n}",
                up_to=D("10.00"),
            )
            for n in range(20)
        ]
        results = run_at_once(*calls)
        assert all(kind == "ok" for kind, _ in results), results
        amounts = sorted(-value.amount for _, value in results if value is not None)
        assert amounts == [D("2.00"), D("5.00"), D("5.00")], attempt
        assert_books(account, "0.00")
