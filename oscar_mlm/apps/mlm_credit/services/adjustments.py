"""Staff bookings: credit added or deducted by hand, always with a reason."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from ..exceptions import InvalidAmount, KeyReused
from . import ledger
from .amounts import check_currency, clean_reason, parse_amount, shop_currency

CreditEntry = get_model("mlm_credit", "CreditEntry")

CREDIT, DEBIT = "credit", "debit"


@transaction.atomic
def adjust(*, account, amount, currency, reason, created_by, direction=CREDIT, key=None):
    """A staff booking with a mandatory reason: add (``credit``) or deduct (``debit``).

    Only in one of the shop's currencies (:func:`.amounts.shop_currency`); the reason is
    checked by :func:`.amounts.clean_reason`. ``key``: the booking's idempotency key
    (a retried request books once and gets the first booking back); a key already
    used for another booking (account, amount or direction) raises ``KeyReused``.
    """
    reason = clean_reason(reason)
    amount = parse_amount(amount)
    shop_currency(currency)
    check_currency(account, currency)
    if direction not in (CREDIT, DEBIT):
        raise InvalidAmount(_("Choose whether to add or deduct credit."))
    account = ledger.lock(account)
    signed = amount if direction == CREDIT else -amount
    entry, created = ledger.book(
        account,
        kind=CreditEntry.ADJUSTED,
        key=key
        or f"adjust:{account.pk}:{timezone.now().timestamp()}:{created_by and created_by.pk}",
        amount=signed,
        reason=reason,
        created_by=created_by,
    )
    booked = (entry.kind, entry.account_id, entry.amount)
    if not created and booked != (CreditEntry.ADJUSTED, account.pk, signed):
        raise KeyReused()
    return entry


@transaction.atomic
def adjust_user(*, user, amount, currency, reason, created_by, direction=CREDIT, key=None):
    """:func:`adjust` on ``user``'s account in ``currency``, opened on first use.

    The dashboard's adjustment: a refused booking opens no account either.
    """
    account = ledger.open_account(user, shop_currency(currency))
    return adjust(
        account=account,
        amount=amount,
        currency=currency,
        reason=reason,
        created_by=created_by,
        direction=direction,
        key=key,
    )
