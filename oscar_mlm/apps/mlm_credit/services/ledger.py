"""The ledger: accounts, their locks, and the only code that writes entries.

Every booking of the other services modules goes through :func:`book` or
:func:`new_entry` + :func:`book_new` on an account locked with :func:`lock`
or :func:`lock_for`: the entry is appended and the cached totals updated in
the same transaction, so ``balance == Sum(amount)`` and
``pending == Sum(pending_amount)`` always hold (:func:`check_books`).
"""

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from oscar_mlm.money import ZERO

from ..exceptions import InsufficientCredit, NoAccount
from .amounts import exact, normalise_currency

CreditAccount = get_model("mlm_credit", "CreditAccount")
CreditEntry = get_model("mlm_credit", "CreditEntry")


# -- reads --------------------------------------------------------------------------------------


def get_account(user, currency):
    if user is None or not user.is_authenticated:
        return None
    return CreditAccount.objects.filter(user=user, currency=normalise_currency(currency)).first()


def available_credit(user, currency):
    account = get_account(user, currency)
    return account.balance if account else ZERO


def existing(key):
    return CreditEntry.objects.filter(idempotency_key=key).first()


def check_books(accounts=None):
    """Accounts whose cached totals differ from the sum of their entries: ``[(account, sums)]``."""
    accounts = accounts if accounts is not None else CreditAccount.objects.all()
    wrong = []
    sums = {
        row["account"]: row
        for row in CreditEntry.objects.filter(account__in=accounts)
        .values("account")
        .annotate(amount=Sum("amount"), pending=Sum("pending_amount"))
    }
    for account in accounts:
        row = sums.get(account.pk, {"amount": ZERO, "pending": ZERO})
        row = {"amount": exact(row["amount"]), "pending": exact(row["pending"])}
        if row["amount"] != account.balance or row["pending"] != account.pending:
            wrong.append((account, row))
    return wrong


# -- accounts and locks ---------------------------------------------------------------------------


def open_account(user, currency):
    """The user's account in ``currency``, opened on first use (race-safe)."""
    if user is None or not user.is_authenticated:
        raise NoAccount()
    currency = normalise_currency(currency)
    account = CreditAccount.objects.filter(user=user, currency=currency).first()
    return (
        account
        or create_account(user.pk, currency)
        or CreditAccount.objects.get(user=user, currency=currency)
    )


def create_account(user_id, currency):
    """A new account, or None if a concurrent request opened it meanwhile."""
    try:
        with transaction.atomic():
            return CreditAccount.objects.create(user_id=user_id, currency=currency)
    except IntegrityError:
        return None


def lock(account):
    return CreditAccount.objects.select_for_update().get(pk=account.pk)


def lock_for(user_id, currency, *, open_missing=False):
    """The locked account of ``user_id`` in ``currency`` (one query), or None.

    ``open_missing`` opens it first if there is none (race-safe). Read what
    depends on the lock in later statements, not in this one: on PostgreSQL a
    statement that waited for a row lock still reads with the snapshot from
    before the wait.
    """
    accounts = CreditAccount.objects.select_for_update().filter(user_id=user_id, currency=currency)
    account = accounts.first()
    if account is None and open_missing:
        create_account(user_id, currency)
        account = accounts.first()
    return account


# -- the one writer -----------------------------------------------------------------------------


def new_entry(account, *, kind, key, amount=ZERO, pending=ZERO, **fields):
    """An unsaved entry that moves the *locked* ``account``'s totals (updated in memory)."""
    balance = account.balance + amount
    pending_total = account.pending + pending
    if balance < 0:
        raise InsufficientCredit(
            _("Only %(balance)s %(currency)s of credit is available.")
            % {"balance": account.balance, "currency": account.currency}
        )
    if pending_total < 0:  # pragma: no cover - the services never ask for this
        raise InsufficientCredit()
    account.balance, account.pending = balance, pending_total
    entry = CreditEntry(
        account=account,
        kind=kind,
        amount=amount,
        pending_amount=pending,
        balance_after=balance,
        pending_after=pending_total,
        idempotency_key=key,
        **fields,
    )
    entry.was_created = True
    return entry


def save_totals(account):
    CreditAccount.objects.filter(pk=account.pk).update(
        balance=account.balance, pending=account.pending
    )


def book(account, *, kind, key, amount=ZERO, pending=ZERO, **fields):
    """Append one entry to a *locked* account and update its totals. Caller holds the lock.

    Returns ``(entry, created)``; a key booked before returns that entry, uncreated.
    """
    found = existing(key)
    if found is not None:
        found.was_created = False
        return found, False
    before = account.balance, account.pending
    entry = new_entry(account, kind=kind, key=key, amount=amount, pending=pending, **fields)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        account.balance, account.pending = before
        found = existing(key)
        if found is None:
            raise
        found.was_created = False
        return found, False
    save_totals(account)
    return entry, True


def book_new(account, entries):
    """Save entries made by :func:`new_entry` whose keys the caller checked under the lock."""
    CreditEntry.objects.bulk_create(entries)
    save_totals(account)
    return entries


@transaction.atomic
def reverse_entry(entry, *, reason="", created_by=None):
    """Undo one entry completely with a new entry referencing it (at most once).

    Used to compensate a spend whose order was never placed, and by staff.
    Undoing a credit that was spent meanwhile raises ``InsufficientCredit``.
    """
    account = lock(entry.account)
    kind = CreditEntry.RETURNED if entry.kind == CreditEntry.SPENT else CreditEntry.REVERSED
    reversal, _created = book(
        account,
        kind=kind,
        key=f"{entry.idempotency_key}:reversal",
        amount=-entry.amount,
        pending=-entry.pending_amount,
        order_number=entry.order_number,
        order_id=entry.order_id,
        line_id=entry.line_id,
        reverses=entry,
        reason=reason,
        created_by=created_by,
    )
    return reversal
