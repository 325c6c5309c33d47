"""Refunds and cancellations: spent credit given back, earned credit taken back.

Shares of an order (spent credit returned for refunded lines, earned credit
reversed for part of a line) are computed on the *cumulative* refunded part
and what was booked already is subtracted, so the parts always add up to
exactly the whole (10.00 over three equal lines: 3.33 + 3.34 + 3.33).
"""

import dataclasses
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Sum
from oscar.core.loading import get_model

from oscar_mlm.money import ZERO, quantize

from . import ledger
from .amounts import exact
from .earning import LineTotals, line_totals

CreditEntry = get_model("mlm_credit", "CreditEntry")


@dataclasses.dataclass
class RefundResult:
    """What a refund booked: credit given back, earned credit taken back, and what could not be.

    ``shortfall`` is earned credit that had already been spent: the account
    never goes negative, so the shop deducts this amount from the money it
    refunds (see docs/credit.rst).
    """

    returned: Decimal = ZERO
    reversed: Decimal = ZERO
    shortfall: Decimal = ZERO
    entries: list = dataclasses.field(default_factory=list)


class RefundLine(NamedTuple):
    """One line of a refund plan: the units refunded now and the line's books before."""

    line: Any  # order.Line
    quantity: int
    totals: LineTotals


@transaction.atomic
def refund_lines(order, quantities, *, key, reason="", created_by=None):
    """Refund ``{line: quantity}`` of ``order``: give back the spent credit those units
    carried (pro rata of the order total) and take back the credit they earned.

    ``key`` names the refund (e.g. a refund id or ``line:<pk>:refunded``); a key
    seen before books nothing again. Spent credit is given back first, so it
    can cover the reversal; what is still missing is the ``shortfall``.
    """
    return _refund(order, quantities, key=key, reason=reason, created_by=created_by, full=False)


@transaction.atomic
def cancel_order(order, *, reason="", created_by=None):
    """Cancel all credit of an order: all spent credit back, all earned credit reversed."""
    quantities = {line: line.quantity for line in order.lines.all()}
    return _refund(
        order,
        quantities,
        key=f"order:{order.number}:cancel",
        reason=reason,
        created_by=created_by,
        full=True,
    )


def _refund(order, quantities, *, key, reason, created_by, full):
    result = RefundResult()
    account = ledger.get_account(order.user, order.currency) if order.user_id else None
    if account is None:
        return result
    account = ledger.lock(account)
    if (
        ledger.existing(f"refund:{key}") is not None
        or CreditEntry.objects.filter(idempotency_key__startswith=f"refund:{key}:").exists()
    ):
        return result
    spent = _spent_on(account, order)
    plan = _plan(account, quantities, full=full)
    if spent == 0 and not any(part.totals.earned for part in plan):
        return result  # this order neither spent nor earned credit
    booking = {
        "order": order,
        "order_number": order.number,
        "reason": reason,
        "created_by": created_by,
    }
    # Spent credit first, so that it can cover the reversal of earned credit.
    _give_back_spent(account, order, plan, spent, key=key, full=full, booking=booking, into=result)
    _take_back_earned(account, plan, spent, key=key, booking=booking, into=result)
    return result


def _spent_on(account, order):
    """Credit of ``account`` spent on ``order`` and not compensated."""
    return -exact(
        CreditEntry.objects.filter(
            account=account, order_number=order.number, kind=CreditEntry.SPENT
        )
        .filter(reversals__isnull=True)
        .aggregate(s=Sum("amount"))["s"]
    )


def _plan(account, quantities, *, full):
    """The lines to refund, in pk order, each with at most the units not refunded yet."""
    plan = []
    for line, quantity in sorted(quantities.items(), key=lambda item: item[0].pk):
        totals = line_totals(account, line)
        quantity = max(0, min(int(quantity), line.quantity - totals.refunded_quantity))
        if quantity or full:
            plan.append(RefundLine(line, quantity, totals))
    return plan


def _give_back_spent(account, order, plan, spent, *, key, full, booking, into):
    """Return the spent credit the refunded units carried (cumulative pro rata share)."""
    returned_before = exact(
        CreditEntry.objects.filter(
            account=account,
            order_number=order.number,
            kind=CreditEntry.RETURNED,
            reverses__isnull=True,
        ).aggregate(s=Sum("amount"))["s"]
    )
    order_total = order.total_incl_tax or ZERO
    refunded = _refunded_value(account, order, {part.line.pk: part.quantity for part in plan})
    if full:
        target = spent
    elif order_total > 0:
        target = min(spent, quantize(spent * refunded / order_total))
    else:
        target = ZERO
    give_back = target - returned_before
    if give_back <= 0:
        return
    entry, _created = ledger.book(
        account,
        kind=CreditEntry.RETURNED,
        key=f"refund:{key}:return",
        amount=give_back,
        line=plan[0].line if len(plan) == 1 else None,
        **booking,
    )
    into.entries.append(entry)
    into.returned += give_back


def _take_back_earned(account, plan, spent, *, key, booking, into):
    """Reverse the credit the refunded units earned; available credit at most the balance."""
    for line, quantity, totals in plan:
        cumulative = totals.refunded_quantity + quantity
        take = (
            quantize(totals.earned * cumulative / line.quantity) - totals.reversed
            if totals.earned
            else ZERO
        )
        if quantity == 0 and take <= 0:
            continue
        if totals.earned == 0 and spent == 0:
            continue
        if not totals.released:
            fields = {"pending": -take}
            shortfall = ZERO
        else:
            taken = min(take, account.balance)
            shortfall = take - taken
            fields = {"amount": -taken}
        entry, _created = ledger.book(
            account,
            kind=CreditEntry.REVERSED,
            key=f"refund:{key}:line:{line.pk}",
            line=line,
            quantity=quantity,
            shortfall=shortfall,
            **booking,
            **fields,
        )
        into.entries.append(entry)
        into.reversed += take - shortfall
        into.shortfall += shortfall


def _refunded_value(account, order, extra):
    """Price of all units of ``order`` refunded so far plus ``extra`` ({line pk: qty})."""
    value = ZERO
    for line in order.lines.all():
        refunded = line_totals(account, line).refunded_quantity
        quantity = min(line.quantity, refunded + extra.get(line.pk, 0))
        if quantity:
            value += line.line_price_incl_tax * quantity / line.quantity
    return value
