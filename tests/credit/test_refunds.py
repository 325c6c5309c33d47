"""Cancellation, refunds (proportional, to the cent), the never-negative rule, and expiry."""

from datetime import date, datetime, timedelta
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_credit import services
from oscar_mlm.apps.mlm_credit.services import ledger

from .conftest import place_order, product_with_credit

pytestmark = pytest.mark.django_db

CreditEntry = get_model("mlm_credit", "CreditEntry")


def fund(user, amount):
    account = services.open_account(user, "EUR")
    services.adjust(account=account, amount=amount, currency="EUR", reason="gift", created_by=None)
    return account


def spend_on(user, amount, order):
    return services.spend_for_order(
        user=user, currency="EUR", order_number=order.number, up_to=D(amount)
    )


def test_cancelling_reverses_pending_credit_and_returns_spent_credit(customer):
    account = fund(customer, "6.00")
    order = place_order(customer, (product_with_credit("10.00", value="2.00"), 2))
    spend_on(customer, "6.00", order)
    account.refresh_from_db()
    assert (account.balance, account.pending) == (D("0.00"), D("4.00"))
    order.set_status("Cancelled")
    account.refresh_from_db()
    assert (account.balance, account.pending) == (D("6.00"), D("0.00"))
    services.cancel_order(order)  # the same event again books nothing
    account.refresh_from_db()
    assert account.balance == D("6.00")
    assert services.check_books() == []


def test_refunds_return_spent_credit_proportionally_and_to_the_cent(customer):
    account = fund(customer, "10.00")
    a, b, c = (product_with_credit("10.00") for _ in range(3))
    order = place_order(customer, (a, 1), (b, 1), (c, 1))
    spend_on(customer, "10.00", order)
    lines = list(order.lines.order_by("pk"))
    returned = []
    for n, line in enumerate(lines):
        result = services.refund_lines(order, {line: 1}, key=f"refund-{n}")
        returned.append(result.returned)
    # 10.00 over three equal lines: 3.33 + 3.34 + 3.33 (cumulative shares, half up)
    assert returned == [D("3.33"), D("3.34"), D("3.33")]
    assert sum(returned) == D("10.00")
    account.refresh_from_db()
    assert account.balance == D("10.00")
    # A refund processed twice books once.
    assert services.refund_lines(order, {lines[0]: 1}, key="refund-0").returned == D("0.00")
    assert services.check_books() == []


def test_partial_quantity_refund_reverses_that_share_of_earned_credit(customer):
    order = place_order(customer, (product_with_credit("10.00", value="1.00"), 3))
    order.set_status("Complete")
    account = services.get_account(customer, "EUR")
    assert account.balance == D("3.00")
    line = order.lines.get()
    result = services.refund_lines(order, {line: 1}, key="r1")
    assert (result.reversed, result.shortfall) == (D("1.00"), D("0.00"))
    result = services.refund_lines(order, {line: 5}, key="r2")  # only 2 units are left
    assert result.reversed == D("2.00")
    account.refresh_from_db()
    assert account.balance == D("0.00")
    assert services.check_books() == []


def test_refund_of_pending_credit_takes_it_from_pending(customer):
    order = place_order(customer, (product_with_credit("10.00", value="1.50"), 2))
    line = order.lines.get()
    line.set_status("Refunded")
    account = services.get_account(customer, "EUR")
    assert (account.balance, account.pending) == (D("0.00"), D("0.00"))
    order.set_status("Complete")  # nothing left to release
    account.refresh_from_db()
    assert account.balance == D("0.00")
    assert services.check_books() == []


def test_earned_credit_already_spent_never_makes_the_balance_negative(customer):
    """The rule: the reversal is capped at the balance; the rest is the shortfall,
    recorded on the booking and deducted from the money refunded."""
    first = place_order(customer, (product_with_credit("50.00", value="5.00"), 1))
    first.set_status("Complete")
    second = place_order(customer, (product_with_credit("20.00"), 1))
    spend_on(customer, "4.00", second)  # 1.00 of the earned 5.00 is left
    result = services.refund_lines(first, {first.lines.get(): 1}, key="refund-first")
    assert (result.reversed, result.shortfall) == (D("1.00"), D("4.00"))
    account = services.get_account(customer, "EUR")
    assert account.balance == D("0.00")
    entry = CreditEntry.objects.get(kind="reversed")
    assert (entry.amount, entry.shortfall) == (D("-1.00"), D("4.00"))
    assert services.check_books() == []


def test_spent_credit_returned_first_can_cover_the_reversal(customer):
    account = services.open_account(customer, "EUR")
    order = place_order(customer, (product_with_credit("10.00", value="3.00"), 1))
    order.set_status("Complete")
    other = place_order(customer, (product_with_credit("10.00"), 1))
    spend_on(customer, "3.00", other)
    services.adjust(account=account, amount="2.00", currency="EUR", reason="x", created_by=None)
    # Refunding the order that earned 3.00 (balance 2.00): reversal 2.00, shortfall 1.00.
    result = services.cancel_order(order)
    assert (result.reversed, result.shortfall) == (D("2.00"), D("1.00"))
    account.refresh_from_db()
    assert account.balance == D("0.00")


# -- expiry ----------------------------------------------------------------------------------


def test_expiry_is_off_by_default(customer):
    fund(customer, "5.00")
    assert services.expire_all(now=timezone.now() + timedelta(days=3650)) == (0, D("0.00"))


def backdated(account, amount, when):
    """A booking made in the past (the services always book at the present)."""
    with transaction.atomic():
        locked = ledger.lock(account)
        ledger.book(
            locked,
            kind="adjusted",
            key=f"test:{when.isoformat()}",
            amount=D(amount),
            reason="back-dated",
            created=when,
        )


def test_expiry_is_fifo_and_books_once_per_day(customer, settings):
    settings.OSCAR_MLM_CREDIT_EXPIRY_MONTHS = 12
    account = services.open_account(customer, "EUR")
    now = timezone.now()
    backdated(account, "5.00", now - timedelta(days=400))
    backdated(account, "3.00", now - timedelta(days=200))
    services.spend_for_order(user=customer, currency="EUR", order_number="S1", up_to=D("2.00"))
    account.refresh_from_db()
    assert account.balance == D("6.00")
    # 40 days ago, 3.00 of the first batch was about to expire (2.00 of it is spent: FIFO).
    soon = services.upcoming_expiry(account, now=now - timedelta(days=40))
    assert [amount for _date, amount in soon] == [D("3.00")]
    entry = services.expire_account(account, now=now)
    assert entry.amount == D("-3.00")
    assert services.expire_account(account, now=now) is None  # the same day: once
    account.refresh_from_db()
    assert account.balance == D("3.00")
    # The second batch expires half a year later.
    assert services.expire_account(account, now=now + timedelta(days=100)) is None
    entry = services.expire_account(account, now=now + timedelta(days=170))
    assert entry.amount == D("-3.00")
    account.refresh_from_db()
    assert account.balance == D("0.00")
    assert services.check_books() == []


@pytest.mark.parametrize(
    "booked, expires",
    [
        ((2024, 1, 31), (2024, 2, 29)),  # a leap year: the last day of February
        ((2023, 1, 31), (2023, 2, 28)),
        ((2023, 3, 31), (2023, 4, 30)),
        ((2023, 12, 15), (2024, 1, 15)),  # into the next year
    ],
)
def test_expiry_counts_calendar_months(customer, settings, booked, expires):
    settings.OSCAR_MLM_CREDIT_EXPIRY_MONTHS = 1
    account = services.open_account(customer, "EUR")
    when = timezone.make_aware(datetime(*booked, 12, 0))
    backdated(account, "5.00", when)
    soon = services.upcoming_expiry(account, now=when + timedelta(days=1), within_days=60)
    assert [(moment.date(), amount) for moment, amount in soon] == [(date(*expires), D("5.00"))]
    # Due once a calendar month has passed since the booking, not before.
    assert services.expire_account(account, now=when + timedelta(days=27)) is None
    later = timezone.make_aware(datetime(*expires, 12, 0)) + timedelta(days=3)
    assert services.expire_account(account, now=later).amount == D("-5.00")


def test_expiry_command_runs_with_a_progress_bar(customer, settings, capsys):
    settings.OSCAR_MLM_CREDIT_EXPIRY_MONTHS = 1
    account = services.open_account(customer, "EUR")
    backdated(account, "5.00", timezone.now() - timedelta(days=40))
    call_command("mlm_credit_expire")
    call_command("mlm_credit_expire")
    out = capsys.readouterr()
    assert "1 expiry bookings" in out.out and "0 expiry bookings" in out.out
    assert "account" in out.err  # tqdm
    account.refresh_from_db()
    assert account.balance == D("0.00")
