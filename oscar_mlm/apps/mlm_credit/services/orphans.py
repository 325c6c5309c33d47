"""Spends whose order never came into being, and giving their credit back."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from oscar_mlm.conf import get_setting
from oscar_mlm.money import ZERO

from . import ledger

CreditEntry = get_model("mlm_credit", "CreditEntry")
Order = get_model("order", "Order")


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
        else lookback_days
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
    return ledger.reverse_entry(entry, reason=reason or _("Order was never placed"))


def return_orphan_spends(*, now=None, lookback_days=None, progress=None):
    """Give back the credit of every orphan spend (one ``returned`` booking each, at most once).

    Returns ``(count, total)``. Safe to run at any time and as often as wanted,
    also while orders are being placed (see :func:`.checkout.hold_spend`).
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
