"""The volume records of an order, written when it is placed.

:func:`record_order` runs from the ``order_placed`` receiver. Our checkout
fork (and the API) place the order inside ``transaction.atomic()`` and
:func:`oscar_mlm.placement.placing`, so the records commit or roll back with
the order and know its storefront. Orders placed by other code (Oscar's
``create_order``, imports) are recorded too, without a storefront, right
after Oscar's own transaction. Idempotent per line.

The buyer and their sponsor are read at this moment, after a new-customer
voucher moved the buyer to its issuer (that happens earlier in the same
transaction, in the benefit's ``apply_deferred``): the issuer owns the order
that made the buyer their customer.
"""

from decimal import Decimal

from django.apps import apps
from django.db import IntegrityError, connection, transaction
from oscar.core.loading import get_model

from oscar_mlm.money import quantize

from .. import ownership

VolumeRecord = get_model("mlm_commissions", "VolumeRecord")
VolumeRule = get_model("mlm_commissions", "VolumeRule")
Member = get_model("mlm_network", "Member")
Line = get_model("order", "Line")
Product = get_model("catalogue", "Product")

NO_RULE = (None, None)

def record_order(order, placement=None):
    """Write one volume record per line of ``order`` that has none yet; return the new ones.

    ``placement`` (:class:`oscar_mlm.placement.Placement`) names the storefront
    and the attribution cookie's distributor, if the caller knew them.
    """
    with transaction.atomic(savepoint=False):
        rows = _lines_and_buyer(order)
        lines = [row for row in rows if not row[7]]
        if not lines:
            return []
        buyer = _buyer(order, rows[0][8:])
        owner_id, owned_by = _owner(order, buyer, placement)
        storefront = getattr(placement, "storefront", None)
        rules = _rules(lines)
        records = []
        for line_id, quantity, value, *lineage in lines:
            rule_type, points = ownership.effective_rule(
                rules.get(("product", lineage[0]), NO_RULE),
                rules.get(("product", lineage[1]), NO_RULE),
                rules.get(("class", lineage[2]), NO_RULE),
                rules.get(("class", lineage[3]), NO_RULE),
            )
            value = _decimal(value)
            volume, commissionable = ownership.line_volume(
                value=value, quantity=quantity, rule_type=rule_type, points=points
            )
            records.append(
                VolumeRecord(
                    kind=VolumeRecord.SALE,
                    order=order,
                    line_id=line_id,
                    buyer_id=buyer["id"],
                    buyer_kind=buyer["kind"],
                    sponsor_id=buyer["sponsor_id"],
                    owner_id=owner_id,
                    owned_by=owned_by,
                    storefront_id=storefront.pk if storefront is not None else None,
                    quantity=quantity,
                    value=value,
                    volume=volume,
                    commissionable=commissionable,
                    currency=order.currency,
                    booked=order.date_placed,
                    placed=order.date_placed,
                    guest_email=buyer["guest_email"],
                    idempotency_key=ownership.sale_key(line_id),
                )
            )
        return VolumeRecord.objects.bulk_create(records)


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _decimal(value):
    # SQLite hands NUMERIC columns back as int or float; PostgreSQL as exact Decimals.
    if value is None:
        return None
    return quantize(value if isinstance(value, Decimal) else Decimal(str(value)))


def _lines_and_buyer(order):
    """Every line of ``order``: ``(id, quantity, value, product, parent, class, parent's class,
    recorded already, buyer member id, kind, sponsor id)``, in one query.

    Plain SQL: this runs in every placement, and the ORM's version (a query per
    part, or one joining the rules four times, which took 6 ms to plan) cost
    more than the rest of the recording (benchmarks/volumes.py).
    """
    sql = (
        "SELECT l.id, l.quantity, l.line_price_excl_tax, l.product_id, p.parent_id,"
        " p.product_class_id, pp.product_class_id,"
        f" EXISTS (SELECT 1 FROM {_table(VolumeRecord)} v WHERE v.line_id = l.id AND v.kind = %s),"
        " m.id, m.kind, m.parent_id"
        f" FROM {_table(Line)} l"
        f" LEFT JOIN {_table(Product)} p ON p.id = l.product_id"
        f" LEFT JOIN {_table(Product)} pp ON pp.id = p.parent_id"
        f" LEFT JOIN {_table(Member)} m ON m.user_id = %s"
        " WHERE l.order_id = %s ORDER BY l.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [VolumeRecord.SALE, order.user_id, order.pk])
        return cursor.fetchall()


def _rules(lines):
    """``{("product" | "class", pk): (type, points)}`` of the lines' products, in one query."""
    products = sorted({pk for line in lines for pk in line[3:5] if pk})
    classes = sorted({pk for line in lines for pk in line[5:7] if pk})
    conditions, params = [], []
    for column, ids in (("product_id", products), ("product_class_id", classes)):
        if ids:
            conditions.append(f"{column} IN ({', '.join(['%s'] * len(ids))})")
            params += ids
    if not conditions:
        return {}
    sql = (
        f"SELECT product_id, product_class_id, type, points FROM {_table(VolumeRule)}"
        f" WHERE {' OR '.join(conditions)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    return {
        ("product", product) if product else ("class", product_class): (rule, _decimal(points))
        for product, product_class, rule, points in found
    }


def _buyer(order, member):
    """The buyer as the record stores them: member id, kind, sponsor id, guest e-mail.

    ``member`` is ``(id, kind, sponsor id)`` of the user's member, all ``None`` if none.
    """
    if order.user_id is None:
        return {
            "id": None,
            "kind": ownership.GUEST,
            "sponsor_id": None,
            "guest_email": (order.guest_email or "").strip().lower(),
        }
    pk, kind, parent_id = member
    if pk is None:
        return {"id": None, "kind": ownership.NOT_MEMBER, "sponsor_id": None, "guest_email": ""}
    return {
        "id": pk,
        "kind": ownership.buyer_kind_of(kind),
        "sponsor_id": parent_id,
        "guest_email": "",
    }


def _owner(order, buyer, placement):
    candidates = {}
    if buyer["kind"] == ownership.GUEST:
        storefront = getattr(placement, "storefront", None)
        attributed = getattr(placement, "attributed", None)
        candidates = {
            ownership.STOREFRONT: storefront.pk if storefront is not None else None,
            ownership.COOKIE: attributed.pk if attributed is not None else None,
        }
        if storefront is None and attributed is None:
            candidates[ownership.VOUCHER] = _voucher_issuer(order)
    owner_id, owned_by = ownership.owner_of(
        buyer_kind=buyer["kind"],
        buyer_id=buyer["id"],
        sponsor_id=buyer["sponsor_id"],
        candidates=candidates,
        company_id=None,
    )
    if owner_id is None:
        owner_id, owned_by = _company_id(), ownership.COMPANY
    return owner_id, owned_by


def _voucher_issuer(order):
    """The issuer of the new-customer voucher this order redeemed (if vouchers are installed)."""
    if not apps.is_installed("oscar_mlm.apps.mlm_vouchers"):
        return None
    Redemption = get_model("mlm_vouchers", "Redemption")
    return (
        Redemption.objects.filter(order=order)
        .values_list("distributor_voucher__issuer_id", flat=True)
        .first()
    )


def _company_id():
    """The company root's id; created on a shop's first order if ``mlm_init`` never ran."""
    found = Member.objects.filter(kind=Member.COMPANY).values_list("pk", flat=True).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Member.objects.create(kind=Member.COMPANY, parent=None).pk
    except IntegrityError:  # created by a simultaneous placement
        return Member.objects.get(kind=Member.COMPANY).pk
