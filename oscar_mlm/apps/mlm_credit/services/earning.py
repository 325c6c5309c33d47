"""Credit earned by an order's lines: booked as pending, released at a status."""

from decimal import Decimal
from typing import NamedTuple

from django.db import transaction
from django.db.models import Sum
from oscar.core.loading import get_model

from oscar_mlm.conf import setting_values
from oscar_mlm.money import ZERO

from . import ledger
from .amounts import exact, normalise_currency
from .rules import lineage, rules_by_key

CreditEntry = get_model("mlm_credit", "CreditEntry")


def is_available_status(status):
    """Does an order at ``status`` make its credit available?"""
    return status in setting_values("OSCAR_MLM_CREDIT_AVAILABLE_STATUS")


def is_cancelled_status(status):
    """Does an order at ``status`` give back all its credit?"""
    return status in setting_values("OSCAR_MLM_CREDIT_CANCELLED_STATUSES")


def is_refunded_line_status(status):
    """Does a line at ``status`` give back the credit of its units?"""
    return status in setting_values("OSCAR_MLM_CREDIT_REFUNDED_LINE_STATUSES")


def earn_for_order(order):
    """Book the credit the order's lines earn, as pending. Idempotent per line.

    If the order already stands at the releasing status, the credit is
    released at once. Runs inside order placement, so it is lean: the lines
    and their rules (two queries) decide whether there is anything to book;
    only then the account is locked, the keys checked and all lines booked
    with one insert.
    """
    if order.user_id is None:
        return []
    # Plain values, no model instances: this runs in every order placement.
    lines = order.lines.filter(product__isnull=False).values_list(
        "pk",
        "product_id",
        "product__product_class_id",
        "product__parent_id",
        "product__parent__product_class_id",
        "quantity",
        "line_price_incl_tax",
        "unit_price_incl_tax",
    )
    lines = {row[0]: row for row in lines}
    rules = rules_by_key({pk: lineage(*row[1:5]) for pk, row in lines.items()})
    earnings = []
    for pk, (*__, quantity, line_price, unit_price) in lines.items():
        rule = rules[pk]
        credit = (
            max(ZERO, rule.credit_for(unit_price or ZERO, quantity, line_price)) if rule else ZERO
        )
        if credit > 0:
            earnings.append((f"order:{order.number}:line:{pk}:earn", pk, credit))
    if not earnings:
        return []
    with transaction.atomic():
        return _book_earnings(order, earnings)


def _book_earnings(order, earnings):
    account = ledger.lock_for(order.user_id, normalise_currency(order.currency), open_missing=True)
    # After the lock, in a statement of its own (see checkout._spend): keys booked by anyone.
    keys = [key for key, *__ in earnings]
    known = {e.idempotency_key: e for e in CreditEntry.objects.filter(idempotency_key__in=keys)}
    entries, new = [], []
    for key, line_id, credit in earnings:
        if key in known:
            known[key].was_created = False
            entries.append(known[key])
            continue
        entry = ledger.new_entry(
            account,
            kind=CreditEntry.EARNED,
            key=key,
            pending=credit,
            order=order,
            order_number=order.number,
            line_id=line_id,
        )
        entries.append(entry)
        new.append(entry)
    if new:
        ledger.book_new(account, new)
    if is_available_status(order.status):
        entries += _release(account, order)
    return entries


@transaction.atomic
def release_for_order(order):
    """Make the order's pending credit available (the order reached the releasing status)."""
    account = ledger.get_account(order.user, order.currency) if order.user_id else None
    if account is None:
        return []
    return _release(ledger.lock(account), order)


class LineTotals(NamedTuple):
    """What the books hold for one order line of one account."""

    earned: Decimal  # credit the line earned
    reversed: Decimal  # taken back so far, including what could not be (shortfall)
    refunded_quantity: int  # units refunded so far
    released: bool  # has its credit become available?


def line_totals(account, line):
    rows = CreditEntry.objects.filter(account=account, line=line)
    earned = exact(rows.filter(kind=CreditEntry.EARNED).aggregate(s=Sum("pending_amount"))["s"])
    reversed_total = ZERO
    refunded_quantity = 0
    for amount, pending, shortfall, quantity in rows.filter(kind=CreditEntry.REVERSED).values_list(
        "amount", "pending_amount", "shortfall", "quantity"
    ):
        reversed_total += -(amount + pending) + shortfall
        refunded_quantity += quantity or 0
    released = rows.filter(kind=CreditEntry.RELEASED).exists()
    return LineTotals(earned, reversed_total, refunded_quantity, released)


def _release(account, order):
    entries = []
    for line in order.lines.all():
        totals = line_totals(account, line)
        if totals.earned <= 0 or totals.released:
            continue
        left = totals.earned - totals.reversed
        entry, _created = ledger.book(
            account,
            kind=CreditEntry.RELEASED,
            key=f"order:{order.number}:line:{line.pk}:release",
            amount=left,
            pending=-left,
            order=order,
            order_number=order.number,
            line=line,
        )
        entries.append(entry)
    return entries
