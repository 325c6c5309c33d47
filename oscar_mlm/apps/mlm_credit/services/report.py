"""The programme report: per month what the loyalty programme booked, and what the company
owes in credit at each month's end.

Read-only. One aggregate over the bookings since the first month of the report (an index
range on ``created``: ``mlm_credit_entry_created``) plus the accounts' cached totals; the
liability at the end of a month is today's total less what was booked after that month, so
no month needs a sum over the whole ledger.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from oscar.core.loading import get_model

from oscar_mlm.money import ZERO

from .amounts import exact, normalise_currency

CreditAccount = get_model("mlm_credit", "CreditAccount")
CreditEntry = get_model("mlm_credit", "CreditEntry")

COLUMNS = ("earned", "released", "spent", "returned", "reversed", "expired", "adjusted")


@dataclass
class MonthRow:
    """One month (``month`` is its first day); amounts positive as the column names say."""

    month: date
    earned: object = ZERO  # credit earned, booked as pending
    released: object = ZERO  # pending credit that became available
    spent: object = ZERO  # credit spent on orders
    returned: object = ZERO  # spent credit given back (failed or cancelled orders)
    reversed: object = ZERO  # earned credit taken back (cancellations, refunds)
    expired: object = ZERO
    adjusted: object = ZERO  # staff bookings, net (may be negative)
    liability: object = ZERO  # available credit at the month's end: what the company owes
    pending: object = ZERO  # pending credit at the month's end


def month_start(value):
    return date(value.year, value.month, 1)


def next_month(value):
    return date(value.year + (value.month == 12), value.month % 12 + 1, 1)


def months_of_year(year, today=None):
    """The first days of ``year``'s months, up to the current month."""
    today = today or timezone.localdate()
    months = [date(year, m, 1) for m in range(1, 13)]
    return [m for m in months if m <= month_start(today)]


def programme_report(*, currency, months):
    """A :class:`MonthRow` for each of ``months`` (first days, ascending), in ``currency``."""
    currency = normalise_currency(currency)
    if not months:
        return []
    tz = timezone.get_current_timezone()
    since = timezone.make_aware(datetime.combine(months[0], time.min), tz)
    sums = (
        CreditEntry.objects.filter(account__currency=currency, created__gte=since)
        .annotate(month=TruncMonth("created", tzinfo=tz))
        .values("month", "kind")
        .annotate(amount=Sum("amount"), pending=Sum("pending_amount"))
        .order_by()
    )
    by_month = {}
    for row in sums:
        key = month_start(row["month"])
        by_month.setdefault(key, {})[row["kind"]] = (exact(row["amount"]), exact(row["pending"]))
    totals = CreditAccount.objects.filter(currency=currency).aggregate(
        balance=Sum("balance"), pending=Sum("pending")
    )
    balance, pending = exact(totals["balance"]), exact(totals["pending"])

    # Walk back from today: the totals at a month's end are today's less what came after.
    after_amount, after_pending = ZERO, ZERO
    later = sorted((m for m in by_month if m > months[-1]), reverse=True)
    for month in later:
        for amount, pend in by_month[month].values():
            after_amount += amount
            after_pending += pend
    rows = []
    for month in reversed(months):
        kinds = by_month.get(month, {})
        row = MonthRow(month=month)
        row.earned = kinds.get(CreditEntry.EARNED, (ZERO, ZERO))[1]
        row.released = kinds.get(CreditEntry.RELEASED, (ZERO, ZERO))[0]
        row.spent = -kinds.get(CreditEntry.SPENT, (ZERO, ZERO))[0]
        row.returned = kinds.get(CreditEntry.RETURNED, (ZERO, ZERO))[0]
        rev_amount, rev_pending = kinds.get(CreditEntry.REVERSED, (ZERO, ZERO))
        row.reversed = -(rev_amount + rev_pending)
        row.expired = -kinds.get(CreditEntry.EXPIRED, (ZERO, ZERO))[0]
        row.adjusted = kinds.get(CreditEntry.ADJUSTED, (ZERO, ZERO))[0]
        row.liability = balance - after_amount
        row.pending = pending - after_pending
        for amount, pend in kinds.values():
            after_amount += amount
            after_pending += pend
        rows.append(row)
    return list(reversed(rows))


def programme_report_naive(*, currency, months):
    """The same figures the obvious way (a sum over the whole ledger per month end):
    the benchmark's baseline and the tests' reference."""
    currency = normalise_currency(currency)
    tz = timezone.get_current_timezone()
    rows = []
    entries = CreditEntry.objects.filter(account__currency=currency)
    for month in months:
        start = timezone.make_aware(datetime.combine(month, time.min), tz)
        end = timezone.make_aware(datetime.combine(next_month(month), time.min), tz)
        row = MonthRow(month=month)
        inside = entries.filter(created__gte=start, created__lt=end)

        def total(kind, column, inside=inside):
            return exact(inside.filter(kind=kind).aggregate(s=Sum(column))["s"])

        row.earned = total(CreditEntry.EARNED, "pending_amount")
        row.released = total(CreditEntry.RELEASED, "amount")
        row.spent = -total(CreditEntry.SPENT, "amount")
        row.returned = total(CreditEntry.RETURNED, "amount")
        row.reversed = -(
            total(CreditEntry.REVERSED, "amount") + total(CreditEntry.REVERSED, "pending_amount")
        )
        row.expired = -total(CreditEntry.EXPIRED, "amount")
        row.adjusted = total(CreditEntry.ADJUSTED, "amount")
        upto = entries.filter(created__lt=end).aggregate(a=Sum("amount"), p=Sum("pending_amount"))
        row.liability, row.pending = exact(upto["a"]), exact(upto["p"])
        rows.append(row)
    return rows
