"""Every state change of the loyalty credit books.

Each public function takes explicit arguments, runs in one transaction, locks
the account row (``select_for_update``; several accounts in ascending pk
order), appends :class:`CreditEntry` rows and updates the cached totals in
the same transaction, and raises the errors of :mod:`.exceptions` with
nothing booked. Views, the checkout fork, receivers, dashboard forms and
commands only call these.

Every entry has an ``idempotency_key``. Booking a key that exists returns
the existing entry and books nothing, so an event processed twice (a
repeated signal, a retried request, a second expiry run on the same day)
books once.

Rounding: amounts are quantized to the cent once, half up
(:data:`~.abstract_models.ROUNDING`). Shares of an order (spent credit
returned for refunded lines, earned credit reversed for part of a line)
are computed on the *cumulative* refunded part and the amount already
booked is subtracted, so the parts always add up to exactly the whole.
"""

import dataclasses
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from oscar_mlm.conf import get_setting

from .abstract_models import quantize
from .exceptions import (
    CurrencyMismatch,
    InsufficientCredit,
    InvalidAmount,
    NoAccount,
    ReasonRequired,
    SpendReturned,
)

CreditAccount = get_model("mlm_credit", "CreditAccount")
CreditEntry = get_model("mlm_credit", "CreditEntry")
CreditRule = get_model("mlm_credit", "CreditRule")
Order = get_model("order", "Order")

ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("9999999999.99")


# -- input --------------------------------------------------------------------------------------


def parse_amount(value, *, allow_zero=False):
    """A positive amount of money as a Decimal with two places, or ``InvalidAmount``.

    Refuses floats (binary fractions), text that is no number, NaN/infinity,
    negative numbers, more than two decimal places and absurd sizes.
    """
    if isinstance(value, float) or isinstance(value, bool) or value is None:
        raise InvalidAmount()
    try:
        amount = Decimal(str(value).strip().replace(",", ".") if isinstance(value, str) else value)
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidAmount() from None
    if not amount.is_finite():
        raise InvalidAmount()
    if amount < 0:
        raise InvalidAmount(_("The amount must be positive."))
    if amount == 0 and not allow_zero:
        raise InvalidAmount(_("The amount must be more than zero."))
    if amount != amount.quantize(Decimal("0.01")) or amount > MAX_AMOUNT:
        raise InvalidAmount()
    return quantize(amount)


def normalise_currency(currency):
    code = (currency or "").strip().upper()
    if not (3 <= len(code) <= 12) or not code.isalpha():
        raise CurrencyMismatch(_("“%(currency)s” is not a currency.") % {"currency": currency})
    return code


def check_currency(account, currency):
    if normalise_currency(currency) != account.currency:
        raise CurrencyMismatch(
            _(
                "This credit account is kept in %(account)s and cannot book an amount in "
                "%(currency)s."
            )
            % {"account": account.currency, "currency": currency}
        )


def _exact(total):
    """A database sum as an exact amount (SQLite adds decimals as floats; PostgreSQL does not)."""
    return quantize(total) if total is not None else ZERO


# -- reads --------------------------------------------------------------------------------------


def get_account(user, currency):
    if user is None or not user.is_authenticated:
        return None
    return CreditAccount.objects.filter(user=user, currency=normalise_currency(currency)).first()


def available_credit(user, currency):
    account = get_account(user, currency)
    return account.balance if account else ZERO


def credit_to_apply(available, total):
    """How much of ``available`` credit pays for an order of ``total`` (never more than either).

    The one rule for the preview's figure and the spend at placement.
    """
    return min(available, quantize(total)) if total > 0 else ZERO


def entries_for_order(order):
    return CreditEntry.objects.filter(order_number=order.number)


def rule_for(product):
    """The credit rule of a product: its own, its parent's, else its class's (or None)."""
    return rules_for([product])[product.pk]


def rules_for(products):
    """``{product pk: rule or None}`` for many products, in one query.

    A rule on the product beats one on its parent, which beats one on the class.
    Load products with ``select_related("parent")`` to spare a query per child.
    """
    targets = {}
    for product in products:
        parent = product.parent if product.parent_id else None
        targets[product.pk] = _lineage(
            product.pk,
            product.product_class_id,
            parent.pk if parent else None,
            parent.product_class_id if parent else None,
        )
    return _rules_for(targets)


def _lineage(product_id, class_id, parent_id, parent_class_id):
    # A child product has no class of its own (Oscar's rule): its parent's counts.
    return [pk for pk in (product_id, parent_id) if pk], class_id or parent_class_id


def _rules_for(targets):
    """``{key: rule or None}`` for ``{key: (product ids, own first; class id)}``, one query."""
    if not targets:
        return {}
    product_ids = {pk for ids, __ in targets.values() for pk in ids}
    class_ids = {class_id for __, class_id in targets.values() if class_id}
    by_product, by_class = {}, {}
    for rule in CreditRule.objects.filter(
        Q(product_id__in=product_ids) | Q(product_class_id__in=class_ids)
    ):
        if rule.product_id:
            by_product[rule.product_id] = rule
        else:
            by_class[rule.product_class_id] = rule
    result = {}
    for key, (ids, class_id) in targets.items():
        own = next((by_product[i] for i in ids if i in by_product), None)
        result[key] = own or by_class.get(class_id)
    return result


def upcoming_expiry(account, *, now=None, within_days=None):
    """``[(date, amount)]`` of credit that expires within the notice period, oldest first.

    FIFO: outgoing bookings use up the oldest credit first, so a batch (a
    booking that added available credit) is left with what the outflows
    have not consumed yet.
    """
    months = get_setting("OSCAR_MLM_CREDIT_EXPIRY_MONTHS")
    if not months or account is None:
        return []
    now = now or timezone.now()
    days = (
        within_days
        if within_days is not None
        else get_setting("OSCAR_MLM_CREDIT_EXPIRY_NOTICE_DAYS")
    )
    start = _months_before(now, months)
    end = start + timedelta(days=days)
    entries = account.entries.all()
    outflow = -_exact(entries.filter(amount__lt=0).aggregate(s=Sum("amount"))["s"])
    before = entries.filter(amount__gt=0, created__lte=start).aggregate(s=Sum("amount"))["s"]
    cumulative = _exact(before)
    result = []
    batches = entries.filter(amount__gt=0, created__gt=start, created__lte=end).order_by("id")
    for created, amount in batches.values_list("created", "amount"):
        remaining = min(amount, max(ZERO, cumulative + amount - outflow))
        cumulative += amount
        if remaining > 0:
            result.append((_add_months(created, months), remaining))
    return result


def _add_months(moment, months):
    year, month = divmod(moment.month - 1 + months, 12)
    year += moment.year
    month += 1
    day = min(
        moment.day,
        [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1],
    )
    return moment.replace(year=year, month=month, day=day)


def _months_before(moment, months):
    return _add_months(moment, -months)


def _leap(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


# -- the one writer -----------------------------------------------------------------------------


def open_account(user, currency):
    """The user's account in ``currency``, opened on first use (race-safe)."""
    if user is None or not user.is_authenticated:
        raise NoAccount()
    currency = normalise_currency(currency)
    account = CreditAccount.objects.filter(user=user, currency=currency).first()
    return (
        account
        or _create_account(user.pk, currency)
        or CreditAccount.objects.get(user=user, currency=currency)
    )


def _create_account(user_id, currency):
    """A new account, or None if a concurrent request opened it meanwhile."""
    try:
        with transaction.atomic():
            return CreditAccount.objects.create(user_id=user_id, currency=currency)
    except IntegrityError:
        return None


def _lock(account):
    return CreditAccount.objects.select_for_update().get(pk=account.pk)


def _lock_for(user_id, currency, *, open_missing=False):
    """The locked account of ``user_id`` in ``currency`` (one query), or None.

    ``open_missing`` opens it first if there is none (race-safe). Read what
    depends on the lock in later statements, not in this one (see ``_spend``).
    """
    accounts = CreditAccount.objects.select_for_update().filter(user_id=user_id, currency=currency)
    account = accounts.first()
    if account is None and open_missing:
        _create_account(user_id, currency)
        account = accounts.first()
    return account


def _existing(key):
    return CreditEntry.objects.filter(idempotency_key=key).first()


def _new_entry(account, *, kind, key, amount=ZERO, pending=ZERO, **fields):
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


def _save_totals(account):
    CreditAccount.objects.filter(pk=account.pk).update(
        balance=account.balance, pending=account.pending
    )


def _book(account, *, kind, key, amount=ZERO, pending=ZERO, **fields):
    """Append one entry to a *locked* account and update its totals. Caller holds the lock.

    Returns ``(entry, created)``.
    """
    existing = _existing(key)
    if existing is not None:
        existing.was_created = False
        return existing, False
    before = account.balance, account.pending
    entry = _new_entry(account, kind=kind, key=key, amount=amount, pending=pending, **fields)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        account.balance, account.pending = before
        existing = _existing(key)
        if existing is None:
            raise
        existing.was_created = False
        return existing, False
    _save_totals(account)
    return entry, True


def _book_new(account, entries):
    """Save entries made by :func:`_new_entry` whose keys the caller checked under the lock."""
    CreditEntry.objects.bulk_create(entries)
    _save_totals(account)
    return entries


# -- checkout -----------------------------------------------------------------------------------


@transaction.atomic
def debit_for_order(*, user, amount, currency, order_number):
    """Spend exactly ``amount`` of credit on the order ``order_number`` (booked before it exists).

    Idempotent per order: while a spend for this order stands (not reversed),
    it is returned again (``was_created`` False) and nothing more is booked.
    After a compensating reversal (placement failed), a retry with the same
    number books anew under the key ``order:<number>:spend:<attempt>``.
    """
    amount = parse_amount(amount)
    currency = normalise_currency(currency)
    account = _lock_for(user.pk, currency) if user is not None and user.is_authenticated else None
    if account is None:
        if user is not None and user.is_authenticated and user.mlm_credit_accounts.exists():
            other = user.mlm_credit_accounts.first()
            raise CurrencyMismatch(
                _("Your credit is kept in %(account)s and cannot pay for an order in %(currency)s.")
                % {"account": other.currency, "currency": currency}
            )
        raise InsufficientCredit(_("There is no credit in your account."))
    return _spend(account, amount, order_number, user)


@transaction.atomic
def spend_for_order(*, user, currency, order_number, up_to):
    """Spend the available credit, at most ``up_to``, on the order ``order_number``.

    The checkout's one call: locks the account, books the spend and returns
    it, or None if there is no credit to spend. A spend that already stands
    for this order is returned with ``was_created`` False (a duplicate submit).
    """
    currency = normalise_currency(currency)
    if user is None or not user.is_authenticated or up_to <= 0:
        return None
    account = _lock_for(user.pk, currency)
    if account is None:
        return None
    return _spend(account, credit_to_apply(account.balance, up_to), order_number, user)


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
    entry = _new_entry(
        account,
        kind=CreditEntry.SPENT,
        key=key,
        amount=-amount,
        order_number=order_number,
        created_by=user,
    )
    # The attempt counts the order's spends on every account and the account is locked:
    # the key is new, no savepoint needed.
    return _book_new(account, [entry])[0]


@transaction.atomic
def reverse_entry(entry, *, reason="", created_by=None):
    """Undo one entry completely with a new entry referencing it (at most once).

    Used to compensate a spend whose order was never placed, and by staff.
    Undoing a credit that was spent meanwhile raises ``InsufficientCredit``.
    """
    account = _lock(entry.account)
    kind = CreditEntry.RETURNED if entry.kind == CreditEntry.SPENT else CreditEntry.REVERSED
    reversal, _created = _book(
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


def hold_spend(entry):
    """Inside the order's transaction: keep the spend locked until the order commits, and
    make sure it still stands (``SpendReturned`` if not).

    Pairs with :func:`return_orphan`, which locks the same row and then looks
    for the order: either the order commits first and is found, or the spend
    is returned first and the order is refused. The lock is on the spend's
    own row, not on the account: the order then takes stock rows and, when
    earning, the account, in the same order as every other placement does, so
    two orders of one customer cannot deadlock.
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


# -- earning ------------------------------------------------------------------------------------


def _statuses(name):
    value = get_setting(name)
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def is_available_status(status):
    return status in _statuses("OSCAR_MLM_CREDIT_AVAILABLE_STATUS")


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
    rules = _rules_for({pk: _lineage(*row[1:5]) for pk, row in lines.items()})
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
    account = _lock_for(order.user_id, normalise_currency(order.currency), open_missing=True)
    # After the lock, in a statement of its own (see _spend): keys booked by anyone.
    keys = [key for key, *__ in earnings]
    known = {e.idempotency_key: e for e in CreditEntry.objects.filter(idempotency_key__in=keys)}
    entries, new = [], []
    for key, line_id, credit in earnings:
        if key in known:
            known[key].was_created = False
            entries.append(known[key])
            continue
        entry = _new_entry(
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
        _book_new(account, new)
    if is_available_status(order.status):
        entries += _release(account, order)
    return entries


@transaction.atomic
def release_for_order(order):
    """Make the order's pending credit available (the order reached the releasing status)."""
    account = get_account(order.user, order.currency) if order.user_id else None
    if account is None:
        return []
    return _release(_lock(account), order)


def _line_totals(account, line):
    rows = CreditEntry.objects.filter(account=account, line=line)
    earned = _exact(rows.filter(kind=CreditEntry.EARNED).aggregate(s=Sum("pending_amount"))["s"])
    reversed_rows = rows.filter(kind=CreditEntry.REVERSED)
    reversed_total = ZERO
    refunded_qty = 0
    for amount, pending, shortfall, quantity in reversed_rows.values_list(
        "amount", "pending_amount", "shortfall", "quantity"
    ):
        reversed_total += -(amount + pending) + shortfall
        refunded_qty += quantity or 0
    released = rows.filter(kind=CreditEntry.RELEASED).exists()
    return earned, reversed_total, refunded_qty, released


def _release(account, order):
    entries = []
    for line in order.lines.all():
        earned, reversed_total, _qty, released = _line_totals(account, line)
        if earned <= 0 or released:
            continue
        left = earned - reversed_total
        entry, _created = _book(
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


# -- refunds and cancellation -------------------------------------------------------------------


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
    if order.user_id is None:
        return result
    account = get_account(order.user, order.currency)
    if account is None:
        return result
    account = _lock(account)
    if (
        _existing(f"refund:{key}") is not None
        or CreditEntry.objects.filter(idempotency_key__startswith=f"refund:{key}:").exists()
    ):
        return result
    spent_total = -_exact(
        CreditEntry.objects.filter(
            account=account, order_number=order.number, kind=CreditEntry.SPENT
        )
        .filter(reversals__isnull=True)
        .aggregate(s=Sum("amount"))["s"]
    )
    returned_before = _exact(
        CreditEntry.objects.filter(
            account=account,
            order_number=order.number,
            kind=CreditEntry.RETURNED,
            reverses__isnull=True,
        ).aggregate(s=Sum("amount"))["s"]
    )
    order_total = order.total_incl_tax or ZERO
    lines = sorted(quantities.items(), key=lambda item: item[0].pk)
    plan = []
    for line, quantity in lines:
        earned, reversed_total, refunded_qty, released = _line_totals(account, line)
        quantity = max(0, min(int(quantity), line.quantity - refunded_qty))
        if quantity == 0 and not full:
            continue
        plan.append((line, quantity, earned, reversed_total, refunded_qty, released))

    if spent_total == 0 and not any(p[2] for p in plan):
        return result  # this order neither spent nor earned credit

    # 1. Give back the spent credit these units carried (cumulative pro rata share).
    refunded_value = _refunded_value(account, order, extra={p[0].pk: p[1] for p in plan})
    if full:
        target = spent_total
    elif order_total > 0:
        target = min(spent_total, quantize(spent_total * refunded_value / order_total))
    else:
        target = ZERO
    give_back = target - returned_before
    if give_back > 0:
        entry, created = _book(
            account,
            kind=CreditEntry.RETURNED,
            key=f"refund:{key}:return",
            amount=give_back,
            order=order,
            order_number=order.number,
            line=plan[0][0] if len(plan) == 1 else None,
            reason=reason,
            created_by=created_by,
        )
        result.entries.append(entry)
        result.returned += give_back

    # 2. Take back the credit the units earned, capped at the balance.
    for line, quantity, earned, reversed_total, refunded_qty, released in plan:
        cumulative = refunded_qty + quantity
        take = quantize(earned * cumulative / line.quantity) - reversed_total if earned else ZERO
        if quantity == 0 and take <= 0:
            continue
        if earned == 0 and spent_total == 0:
            continue
        if not released:
            fields = {"pending": -take}
            shortfall = ZERO
        else:
            taken = min(take, account.balance)
            shortfall = take - taken
            fields = {"amount": -taken}
        entry, created = _book(
            account,
            kind=CreditEntry.REVERSED,
            key=f"refund:{key}:line:{line.pk}",
            order=order,
            order_number=order.number,
            line=line,
            quantity=quantity,
            shortfall=shortfall,
            reason=reason,
            created_by=created_by,
            **fields,
        )
        result.entries.append(entry)
        result.reversed += take - shortfall
        result.shortfall += shortfall
    return result


def _refunded_value(account, order, extra):
    """Price of all units of ``order`` refunded so far plus ``extra`` ({line pk: qty})."""
    value = ZERO
    for line in order.lines.all():
        _earned, _rev, refunded_qty, _rel = _line_totals(account, line)
        quantity = min(line.quantity, refunded_qty + extra.get(line.pk, 0))
        if quantity:
            value += line.line_price_incl_tax * quantity / line.quantity
    return value


# -- staff --------------------------------------------------------------------------------------

CREDIT, DEBIT = "credit", "debit"


@transaction.atomic
def adjust(*, account, amount, currency, reason, created_by, direction=CREDIT, key=None):
    """A staff booking with a mandatory reason: add (``credit``) or deduct (``debit``)."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired()
    amount = parse_amount(amount)
    check_currency(account, currency)
    if direction not in (CREDIT, DEBIT):
        raise InvalidAmount(_("Choose whether to add or deduct credit."))
    account = _lock(account)
    signed = amount if direction == CREDIT else -amount
    entry, _created = _book(
        account,
        kind=CreditEntry.ADJUSTED,
        key=key
        or f"adjust:{account.pk}:{timezone.now().timestamp()}:{created_by and created_by.pk}",
        amount=signed,
        reason=reason,
        created_by=created_by,
    )
    return entry


# -- expiry -------------------------------------------------------------------------------------


def expiring_amount(account, *, now):
    """FIFO: credit added up to N months ago that later bookings have not used up."""
    months = get_setting("OSCAR_MLM_CREDIT_EXPIRY_MONTHS")
    if not months:
        return ZERO
    cutoff = _months_before(now, months)
    entries = CreditEntry.objects.filter(account=account)
    old_in = entries.filter(amount__gt=0, created__lte=cutoff).aggregate(s=Sum("amount"))["s"]
    outflow = entries.filter(amount__lt=0).aggregate(s=Sum("amount"))["s"]
    due = _exact(old_in) + _exact(outflow)
    return min(max(ZERO, due), account.balance)


@transaction.atomic
def expire_account(account, *, now=None):
    """Book the expiry of ``account`` due at ``now``; at most one booking per account and day."""
    now = now or timezone.now()
    account = _lock(account)
    amount = expiring_amount(account, now=now)
    if amount <= 0:
        return None
    entry, _created = _book(
        account,
        kind=CreditEntry.EXPIRED,
        key=f"expire:{account.pk}:{now.date().isoformat()}",
        amount=-amount,
        reason=_("Expired after %(months)s months")
        % {"months": get_setting("OSCAR_MLM_CREDIT_EXPIRY_MONTHS")},
        created=now,
    )
    return entry


def accounts_to_expire():
    return CreditAccount.objects.filter(balance__gt=0).order_by("pk")


def expire_all(*, now=None, progress=None):
    """Run the expiry over every account with credit; one transaction per account."""
    now = now or timezone.now()
    booked = 0
    total = ZERO
    if not get_setting("OSCAR_MLM_CREDIT_EXPIRY_MONTHS"):
        return booked, total
    for account in accounts_to_expire().iterator(chunk_size=500):
        entry = expire_account(account, now=now)
        if entry is not None:
            booked += 1
            total += -entry.amount
        if progress is not None:
            progress(1)
    return booked, total


# -- the check ----------------------------------------------------------------------------------


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
        row = {"amount": _exact(row["amount"]), "pending": _exact(row["pending"])}
        if row["amount"] != account.balance or row["pending"] != account.pending:
            wrong.append((account, row))
    return wrong


def orphan_spends(*, now=None, lookback_days=None):
    """Spends whose order never came into being and that were never reversed.

    A spend is booked before its order; if the process dies in between
    (killed, out of memory), no compensation ran. Spends younger than
    ``OSCAR_MLM_CREDIT_ORPHAN_MINUTES`` may still be in flight and are left
    alone; older than ``lookback_days`` (default
    ``OSCAR_MLM_CREDIT_ORPHAN_LOOKBACK_DAYS``; 0 = all) are not scanned, so a
    frequent run reads only recent spends. A queryset, oldest first.
    """
    now = now or timezone.now()
    minutes = get_setting("OSCAR_MLM_CREDIT_ORPHAN_MINUTES")
    days = (
        get_setting("OSCAR_MLM_CREDIT_ORPHAN_LOOKBACK_DAYS")
        if lookback_days is None
        else (lookback_days)
    )
    spends = CreditEntry.objects.filter(
        kind=CreditEntry.SPENT, created__lte=now - timedelta(minutes=minutes)
    )
    if days:
        spends = spends.filter(created__gte=now - timedelta(days=days))
    return (
        spends.filter(reversals__isnull=True)
        .exclude(Exists(Order._default_manager.filter(number=OuterRef("order_number"))))
        .select_related("account")
        .order_by("id")
    )


@transaction.atomic
def return_orphan(entry, *, reason=None):
    """Give back one orphan spend: None if, with the spend locked, it turns out to be no
    orphan (its order exists now, or it was returned already)."""
    # The spend's row, as hold_spend locks it; the account is locked by reverse_entry.
    list(CreditEntry.objects.select_for_update().filter(pk=entry.pk).values_list("pk"))
    if (
        Order._default_manager.filter(number=entry.order_number).exists()
        or CreditEntry.objects.filter(reverses=entry).exists()
    ):
        return None
    return reverse_entry(entry, reason=reason or _("Order was never placed"))


def return_orphan_spends(*, now=None, lookback_days=None, progress=None):
    """Give back the credit of every orphan spend (one ``returned`` booking each, at most once).

    Returns ``(count, total)``. Safe to run at any time and as often as wanted,
    also while orders are being placed (see :func:`hold_spend`).
    """
    count, total = 0, ZERO
    for entry in orphan_spends(now=now, lookback_days=lookback_days).iterator(chunk_size=500):
        reversal = return_orphan(entry)
        if reversal is not None and reversal.was_created:
            count += 1
            total += reversal.amount
        if progress is not None:
            progress(1)
    return count, total
