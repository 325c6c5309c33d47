"""Who may use a distributor's code. Raises :class:`VoucherError` subclasses.

Called at the basket (to explain a refusal), by the offer condition (to apply
the discount) and again inside the order transaction under row locks.
"""

from django.db.models import Q
from django.utils import timezone
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_network import tree

from .exceptions import (
    BasketTooSmall,
    CodeExpired,
    CodeUsedUp,
    NotNewCustomer,
    OwnCode,
    UnknownCode,
    VoucherError,
)

__all__ = [
    "VoucherError",
    "check_code",
    "check_buyer",
    "check_not_own_code",
    "check_new_customer",
    "check_basket",
    "check_redeemable",
]

Order = get_model("order", "Order")
Member = get_model("mlm_network", "Member")


def uses_so_far(dv):
    return dv.voucher.applications.count()


def check_code(dv, now=None):
    now = now or timezone.now()
    voucher = dv.voucher
    if not dv.is_active or not dv.issuer.is_active:
        raise UnknownCode()
    if voucher.end_datetime < now:
        raise CodeExpired()
    if voucher.start_datetime > now:
        raise UnknownCode()
    if uses_so_far(dv) >= dv.uses_allowed:
        raise CodeUsedUp()


def has_ordered(user=None, email=None, exclude_order=None):
    """Whether an order was placed before under this account or e-mail address."""
    match = Q(pk__in=[])
    if user is not None and getattr(user, "is_authenticated", False):
        match |= Q(user=user)
        email = email or user.email
    if email:
        match |= Q(guest_email__iexact=email) | Q(user__email__iexact=email)
    orders = Order.objects.filter(match)
    if exclude_order is not None:
        orders = orders.exclude(pk=exclude_order.pk)
    return orders.exists()


def check_buyer(dv, user=None, email=None, exclude_order=None):
    member = None
    if user is not None and getattr(user, "is_authenticated", False):
        member = Member.objects.filter(user=user).first()
    check_not_own_code(dv, member, tree.upline_ids(dv.issuer) if member is not None else ())
    check_new_customer(user=user, email=email, exclude_order=exclude_order)


def check_not_own_code(dv, member, issuer_upline):
    """Refuse the issuer's own code and codes from the buyer's downline (``issuer_upline``:
    the pks above the issuer)."""
    if member is not None and (member.pk == dv.issuer_id or member.pk in issuer_upline):
        raise OwnCode()


def check_new_customer(user=None, email=None, exclude_order=None):
    if has_ordered(user=user, email=email, exclude_order=exclude_order):
        raise NotNewCustomer()


def check_basket(dv, basket):
    if basket.total_incl_tax_excl_discounts < dv.program.min_basket:
        raise BasketTooSmall()


def check_redeemable(dv, user=None, basket=None, email=None):
    check_code(dv)
    check_buyer(dv, user=user, email=email)
    if basket is not None:
        check_basket(dv, basket)
