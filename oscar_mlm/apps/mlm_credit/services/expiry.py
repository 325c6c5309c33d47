"""Expiry: credit runs out N months after it became available, oldest first (FIFO).

Outgoing bookings use up the oldest credit first, so what expires at a
moment is the credit added up to N months before it that later bookings have
not consumed. Months are calendar months (``relativedelta``): credit booked
on 31 January with ``OSCAR_MLM_CREDIT_EXPIRY_MONTHS = 1`` expires on the last
day of February.
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from oscar_mlm.conf import get_setting
from oscar_mlm.money import ZERO

from . import ledger
from .amounts import exact

CreditAccount = get_model("mlm_credit", "CreditAccount")
CreditEntry = get_model("mlm_credit", "CreditEntry")


def _months():
    return get_setting("OSCAR_MLM_CREDIT_EXPIRY_MONTHS")


def upcoming_expiry(account, *, now=None, within_days=None):
    """``[(date, amount)]`` of credit that expires within the notice period, oldest first.

    A batch (a booking that added available credit) is left with what the
    outflows have not consumed yet.
    """
    months = _months()
    if not months or account is None:
        return []
    now = now or timezone.now()
    days = (
        within_days
        if within_days is not None
        else get_setting("OSCAR_MLM_CREDIT_EXPIRY_NOTICE_DAYS")
    )
    start = now - relativedelta(months=months)
    end = start + timedelta(days=days)
    entries = account.entries.all()
    outflow = -exact(entries.filter(amount__lt=0).aggregate(s=Sum("amount"))["s"])
    before = entries.filter(amount__gt=0, created__lte=start).aggregate(s=Sum("amount"))["s"]
    cumulative = exact(before)
    result = []
    batches = entries.filter(amount__gt=0, created__gt=start, created__lte=end).order_by("id")
    for created, amount in batches.values_list("created", "amount"):
        remaining = min(amount, max(ZERO, cumulative + amount - outflow))
        cumulative += amount
        if remaining > 0:
            result.append((created + relativedelta(months=months), remaining))
    return result


def expiring_amount(account, *, now):
    """Credit added up to N months before ``now`` that later bookings have not used up."""
    months = _months()
    if not months:
        return ZERO
    cutoff = now - relativedelta(months=months)
    entries = CreditEntry.objects.filter(account=account)
    old_in = entries.filter(amount__gt=0, created__lte=cutoff).aggregate(s=Sum("amount"))["s"]
    outflow = entries.filter(amount__lt=0).aggregate(s=Sum("amount"))["s"]
    due = exact(old_in) + exact(outflow)
    return min(max(ZERO, due), account.balance)


@transaction.atomic
def expire_account(account, *, now=None):
    """Book the expiry of ``account`` due at ``now``; at most one booking per account and day."""
    now = now or timezone.now()
    account = ledger.lock(account)
    amount = expiring_amount(account, now=now)
    if amount <= 0:
        return None
    entry, _created = ledger.book(
        account,
        kind=CreditEntry.EXPIRED,
        key=f"expire:{account.pk}:{now.date().isoformat()}",
        amount=-amount,
        reason=_("Expired after %(months)s months") % {"months": _months()},
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
    if not _months():
        return booked, total
    for account in accounts_to_expire().iterator(chunk_size=500):
        entry = expire_account(account, now=now)
        if entry is not None:
            booked += 1
            total += -entry.amount
        if progress is not None:
            progress(1)
    return booked, total
