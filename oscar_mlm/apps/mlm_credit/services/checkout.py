"""Credit as a payment at checkout: the spend, booked before its order exists, and its hold.

The checkout fork calls :func:`spend_for_order` in ``handle_payment`` and
:func:`hold_spend` first thing in the order's transaction; a spend whose
order never comes is given back by :mod:`.orphans`.
"""

from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency as currency_text

from oscar_mlm.conf import get_setting
from oscar_mlm.money import ZERO, quantize

from ..exceptions import CreditCapExceeded, SpendReturned
from . import ledger
from .amounts import normalise_currency, parse_amount

CreditAccount = get_model("mlm_credit", "CreditAccount")
CreditEntry = get_model("mlm_credit", "CreditEntry")


def max_share():
    """``OSCAR_MLM_CREDIT_MAX_SHARE`` as a Decimal between 0 and 1, or None (no cap)."""
    share = get_setting("OSCAR_MLM_CREDIT_MAX_SHARE")
    return None if share is None else Decimal(str(share))


def credit_cap(order_total):
    """The most credit an order of ``order_total`` may be paid with (rounded half up)."""
    share = max_share()
    if order_total is None or order_total <= 0:
        return ZERO
    return quantize(order_total) if share is None else quantize(order_total * share)


def check_cap(amount, order_total, currency):
    """Refuse (``CreditCapExceeded``, with the cap) to pay more than the cap of an order of
    ``order_total`` with credit: the spend's check, which forms and the API make early."""
    cap = credit_cap(order_total)
    if amount > cap:
        raise CreditCapExceeded(
            _("At most %(cap)s of this order can be paid with credit.")
            % {"cap": currency_text(cap, currency)}
        )


def credit_to_apply(available, total, order_total=None):
    """How much of ``available`` credit pays ``total`` of an order of ``order_total``.

    Never more than the credit, than ``total`` (what the customer asked to pay with
    credit, at most the order total) or than the cap on the order total
    (``OSCAR_MLM_CREDIT_MAX_SHARE``). The one rule for the payment step's and the
    preview's figures and for the spend at placement.
    """
    if total <= 0:
        return ZERO
    order_total = total if order_total is None else order_total
    return max(min(available, quantize(total), credit_cap(order_total)), ZERO)


@transaction.atomic
def spend_for_order(*, user, currency, order_number, up_to, amount=None):
    """Spend the available credit, at most ``up_to`` (the order total), on the order
    ``order_number``.

    The one spend of every checkout (web and API, through
    ``mlm_credit.payment.CreditPlacementMixin``): locks the account, books the
    spend and returns it, or None if there is no credit to spend. The cap
    ``OSCAR_MLM_CREDIT_MAX_SHARE`` is a share of ``up_to`` and is applied here,
    whatever the caller asks for. ``amount`` spends exactly that much (at most
    ``up_to``) or raises ``InsufficientCredit`` with what is available, or
    ``CreditCapExceeded`` with the cap; None spends as much as is available and
    allowed. A spend that already stands for this order is returned with
    ``was_created`` False (a duplicate submit). After a compensating return
    (placement failed), a retry with the same number books anew under the key
    ``order:<number>:spend:<attempt>``.
    """
    currency = normalise_currency(currency)
    if user is None or not user.is_authenticated or up_to <= 0:
        return None
    if amount is not None:
        amount = min(parse_amount(amount), quantize(up_to))
        check_cap(amount, up_to, currency)
    account = ledger.lock_for(user.pk, currency)
    if account is None:
        if amount is None:
            return None
        # No account is an empty one: the same refusal as an account short of credit.
        account = CreditAccount(user_id=user.pk, currency=currency)
    wanted = credit_to_apply(account.balance, up_to) if amount is None else amount
    return _spend(account, wanted, order_number, user)


def _spend(account, amount, order_number, user):
    """Book a spend on the locked ``account``; the order's live spend if there is one.

    The order's spends are read in a statement of their own, after the lock:
    on PostgreSQL a statement that waited for a row lock still reads with the
    snapshot from before the wait, so a spend committed meanwhile by a
    duplicate request would be missed inside the locking statement.
    """
    spends = list(
        CreditEntry.objects.filter(kind=CreditEntry.SPENT, order_number=order_number).annotate(
            reversed=Exists(CreditEntry.objects.filter(reverses=OuterRef("pk")))
        )
    )
    live = next((spend for spend in spends if not spend.reversed), None)
    if live is not None:
        live.was_created = False
        return live
    if amount <= 0:
        return None
    attempt = len(spends)
    key = f"order:{order_number}:spend" + (f":{attempt + 1}" if attempt else "")
    entry = ledger.new_entry(
        account,
        kind=CreditEntry.SPENT,
        key=key,
        amount=-amount,
        order_number=order_number,
        created_by=user,
    )
    # The attempt counts the order's spends on every account and the account is locked:
    # the key is new, no savepoint needed.
    return ledger.book_new(account, [entry])[0]


def hold_spend(entry):
    """Inside the order's transaction: keep the spend locked until the order commits, and
    make sure it still stands (``SpendReturned`` if not).

    Pairs with :func:`.orphans.return_orphan`, which locks the same row and
    then looks for the order: either the order commits first and is found, or
    the spend is returned first and the order is refused. The lock is on the
    spend's own row, not on the account: the order then takes stock rows and,
    when earning, the account, in the same order as every other placement
    does, so two orders of one customer cannot deadlock.
    """
    # Two bare statements: this runs in every checkout that spends credit, and building
    # them with the ORM costs several times what the database needs for them.
    quote = connection.ops.quote_name
    entries = quote(CreditEntry._meta.db_table)
    reverses = quote(CreditEntry._meta.get_field("reverses").column)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {entries} WHERE id = %s{lock}", [entry.pk])
        # A statement of its own, after the lock (see _spend).
        cursor.execute(f"SELECT 1 FROM {entries} WHERE {reverses} = %s", [entry.pk])
        if cursor.fetchone() is not None:
            raise SpendReturned()
