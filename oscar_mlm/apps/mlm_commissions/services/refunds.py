"""Refunds and cancellations: negative volume records pointing at the sale they reverse.

A refund takes back units of a line: its record has the negated share of the
sale's quantity, value and volume (proportional by quantity, rounded so the
refunds of all units add up to the sale exactly) and copies the sale's frozen
buyer, owner and storefront. Never more than was recorded; a refund key seen
before books nothing again.
"""

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from oscar_mlm.parsing import has_nul

from ..exceptions import InvalidRefund
from ..ownership import part_of, sale_key

VolumeRecord = get_model("mlm_commissions", "VolumeRecord")

# Fields a refund copies from the sale it reverses: who and what the volume was.
FROZEN = (
    "order_id",
    "line_id",
    "buyer_id",
    "buyer_kind",
    "sponsor_id",
    "owner_id",
    "owned_by",
    "storefront_id",
    "commissionable",
    "currency",
    "placed",
    "guest_email",
)
MAX_KEY_LENGTH = 100


def refund_lines(order, quantities, *, key, now=None):
    """Take back ``{line: quantity}`` of ``order``'s volume; return the new refund records.

    ``key`` names the refund (a refund id, ``line:<pk>:Refunded``...); booking
    the same key again books nothing. A quantity beyond what is left of a
    line is cut to what is left.
    """
    key = _check_key(key)
    wanted = {}
    for line, quantity in quantities.items():
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
            raise InvalidRefund(_("A refunded quantity must be a whole number, zero or more."))
        line_id = getattr(line, "pk", line)
        if quantity:
            wanted[line_id] = wanted.get(line_id, 0) + quantity
    with transaction.atomic():
        return _refund(order, wanted, key=key, now=now)


def cancel_order(order, *, key=None, now=None):
    """Take back all volume of ``order`` that is not refunded yet."""
    key = _check_key(key or f"order:{order.number}:cancel")
    with transaction.atomic():
        return _refund(order, None, key=key, now=now)


def _check_key(key):
    key = str(key or "").strip()
    if not key or len(key) > MAX_KEY_LENGTH or has_nul(key):
        raise InvalidRefund(_("A refund needs a key of at most 100 characters."))
    return key


def _refund(order, wanted, *, key, now):
    # The sales by their keys (the unique index): the records have no index by
    # order or line, which would cost every placement a write.
    lines = wanted if wanted is not None else order.lines.values_list("pk", flat=True)
    sales = VolumeRecord.objects.select_for_update().filter(
        idempotency_key__in=[sale_key(pk) for pk in lines], order=order, kind=VolumeRecord.SALE
    )
    # Locked in ascending pk order, like every lock of the package.
    sales = list(sales.order_by("pk"))
    if not sales:
        return []
    keys = {sale.pk: f"refund:{key}:{sale.pk}" for sale in sales}
    # Read after the lock, in statements of their own (a statement that waited for
    # a row lock on PostgreSQL still reads its old snapshot).
    if VolumeRecord.objects.filter(idempotency_key__in=keys.values()).exists():
        return []
    done = {
        row["refund_of"]: row
        for row in VolumeRecord.objects.filter(refund_of__in=sales)
        .values("refund_of")
        .annotate(quantity=Sum("quantity"), value=Sum("value"), volume=Sum("volume"))
    }
    now = now or timezone.now()
    records = []
    for sale in sales:
        before = done.get(sale.pk, {"quantity": 0, "value": 0, "volume": 0})
        refunded = -before["quantity"]
        left = sale.quantity - refunded
        quantity = left if wanted is None else min(wanted[sale.line_id], left)
        if quantity <= 0:
            continue
        total = refunded + quantity
        record = VolumeRecord(
            kind=VolumeRecord.REFUND,
            refund_of=sale,
            quantity=-quantity,
            value=-(part_of(sale.value, total, sale.quantity) + before["value"]),
            volume=-(part_of(sale.volume, total, sale.quantity) + before["volume"]),
            booked=now,
            idempotency_key=keys[sale.pk],
            **{field: getattr(sale, field) for field in FROZEN},
        )
        records.append(record)
    return VolumeRecord.objects.bulk_create(records)
