"""Credit for referrals (seed 003): a new customer's first order earns their sponsor credit.

``OSCAR_MLM_CREDIT_REFERRAL_AMOUNT`` (None: off) is booked to the sponsor's account, in the
order's currency, as *pending*, like all earned credit: released when the order reaches
``OSCAR_MLM_CREDIT_AVAILABLE_STATUS``, reversed when it is cancelled. Once per customer:
the key ``referral:<customer user id>`` is unique, so two first orders placed at the same
moment (or a signal processed twice) book it once; its release and reversal are keyed on it.
Only a customer (not a distributor) whose sponsor is a distributor earns it for them.
"""

from decimal import Decimal

from django.db import transaction
from oscar.core.loading import get_model

from oscar_mlm.conf import get_setting
from oscar_mlm.money import ZERO, quantize

from . import ledger
from .amounts import normalise_currency
from .earning import is_available_status

CreditEntry = get_model("mlm_credit", "CreditEntry")
Member = get_model("mlm_network", "Member")
Order = get_model("order", "Order")


def referral_amount():
    amount = get_setting("OSCAR_MLM_CREDIT_REFERRAL_AMOUNT")
    return quantize(Decimal(str(amount))) if amount else ZERO


def referral_key(customer_user_id):
    return f"referral:{customer_user_id}"


def _sponsor_of_first_order(order):
    """The sponsor's user id if ``order`` is its customer's first order and earns a referral."""
    if order.user_id is None or referral_amount() <= 0:
        return None
    member = (
        Member.objects.filter(user_id=order.user_id, kind=Member.CUSTOMER)
        .select_related("parent")
        .first()
    )
    sponsor = member.parent if member is not None else None
    if sponsor is None or sponsor.kind != Member.DISTRIBUTOR or sponsor.user_id is None:
        return None
    if Order._default_manager.filter(user_id=order.user_id, pk__lt=order.pk).exists():
        return None
    return sponsor.user_id


def earn_referral(order):
    """Book the referral credit of ``order`` (pending) to the sponsor; the entry or None."""
    sponsor_user_id = _sponsor_of_first_order(order)
    if sponsor_user_id is None:
        return None
    with transaction.atomic():
        account = ledger.lock_for(
            sponsor_user_id, normalise_currency(order.currency), open_missing=True
        )
        entry, _created = ledger.book(
            account,
            kind=CreditEntry.EARNED,
            key=referral_key(order.user_id),
            pending=referral_amount(),
            order=order,
            order_number=order.number,
        )
    if is_available_status(order.status):
        release_referral(order)
    return entry


def _referral_of(order):
    return (
        CreditEntry.objects.filter(idempotency_key=referral_key(order.user_id), order=order)
        .select_related("account")
        .first()
        if order.user_id
        else None
    )


@transaction.atomic
def release_referral(order):
    """The order reached the releasing status: the sponsor's referral credit becomes available."""
    earned = _referral_of(order)
    if earned is None:
        return None
    account = ledger.lock(earned.account)
    key = referral_key(order.user_id)
    if CreditEntry.objects.filter(idempotency_key=f"{key}:reverse").exists():
        return None
    entry, _created = ledger.book(
        account,
        kind=CreditEntry.RELEASED,
        key=f"{key}:release",
        amount=earned.pending_amount,
        pending=-earned.pending_amount,
        order=order,
        order_number=order.number,
    )
    return entry


@transaction.atomic
def reverse_referral(order, *, reason=""):
    """The order was cancelled: take the referral credit back (pending, or what is left of it
    if it was released and spent: the rest is the ``shortfall``)."""
    earned = _referral_of(order)
    if earned is None:
        return None
    account = ledger.lock(earned.account)
    key = referral_key(order.user_id)
    released = CreditEntry.objects.filter(idempotency_key=f"{key}:release").exists()
    value = earned.pending_amount
    if released:
        taken = min(value, account.balance)
        fields = {"amount": -taken, "shortfall": value - taken}
    else:
        fields = {"pending": -value}
    entry, _created = ledger.book(
        account,
        kind=CreditEntry.REVERSED,
        key=f"{key}:reverse",
        order=order,
        order_number=order.number,
        reason=reason,
        **fields,
    )
    return entry
