"""Who may use a distributor's code. Raises :class:`VoucherError` subclasses.

Called at the basket (to explain a refusal), by the offer condition (to apply
the discount) and again inside the order transaction under row locks.
"""

from django.contrib.auth import get_user_model
from django.db import connection
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
User = get_user_model()


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


def buyer_facts(issuer=None, user=None, email=None, exclude_order=None):
    """``(own_code, has_ordered)`` of a buyer, in one query.

    ``own_code``: the buyer's member is ``issuer`` (a pk or member) or in its
    upline. ``has_ordered``: an order other than ``exclude_order`` was placed
    under the user's account, or under the e-mail address (the user's own by
    default) as a guest or by any user with that address, in any case. Each
    part is an index lookup: the upline walk follows primary keys, orders are
    found through ``user_id`` and the ``UPPER(email)`` indexes (migrations
    ``mlm_network`` 0005 and ``mlm_vouchers`` 0002), so the cost does not grow
    with the number of orders or users.
    """
    user_id = None
    if user is not None and getattr(user, "is_authenticated", False):
        user_id = user.pk
        email = email or user.email
    quote = connection.ops.quote_name
    members, orders = quote(Member._meta.db_table), quote(Order._meta.db_table)
    users = quote(User._meta.db_table)
    email_column = quote(User._meta.get_field(User.get_email_field_name()).column)
    params = []
    own = "FALSE"
    if issuer is not None and user_id is not None:
        cte, params = tree.upline_cte(issuer)
        own = f"EXISTS (SELECT 1 FROM up JOIN {members} m ON m.id = up.id WHERE m.user_id = %s)"
        params = [*params, user_id]
    else:
        cte = ""
    # CAST(... AS TEXT) is the ::text of Django's iexact, so PostgreSQL uses the UPPER indexes.
    sql = (
        f"{cte} SELECT {own}, ("
        f" EXISTS (SELECT 1 FROM {orders} o WHERE o.user_id = %s AND o.id <> %s)"
        f" OR EXISTS (SELECT 1 FROM {orders} o"
        "   WHERE UPPER(CAST(o.guest_email AS TEXT)) = UPPER(%s) AND o.id <> %s)"
        f" OR EXISTS (SELECT 1 FROM {orders} o JOIN {users} u ON u.id = o.user_id"
        f"   WHERE UPPER(CAST(u.{email_column} AS TEXT)) = UPPER(%s) AND o.id <> %s))"
    )
    exclude_id = exclude_order.pk if exclude_order is not None else 0
    email = email or None  # no address: nothing matches (NULL)
    params += [user_id, exclude_id, email, exclude_id, email, exclude_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        own_code, ordered = cursor.fetchone()
    return bool(own_code), bool(ordered)


def has_ordered(user=None, email=None, exclude_order=None):
    """Whether an order was placed before under this account or e-mail address."""
    return buyer_facts(user=user, email=email, exclude_order=exclude_order)[1]


def check_buyer(dv, user=None, email=None, exclude_order=None):
    """Raise unless the buyer may use ``dv``, at the basket: one query (:func:`buyer_facts`)."""
    own_code, ordered = buyer_facts(dv.issuer_id, user, email, exclude_order)
    if own_code:
        raise OwnCode()
    if ordered:
        raise NotNewCustomer()


def check_not_own_code(dv, member, issuer_upline):
    """Refuse the issuer's own code and codes from the buyer's downline (``issuer_upline``:
    the pks above the issuer). For the placement, which has read both under locks."""
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
