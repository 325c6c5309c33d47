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

On PostgreSQL and SQLite (3.35+) one ``INSERT ... SELECT ... ON CONFLICT DO
NOTHING`` writes the records: the database reads the lines, the buyer, the
rules and the owner itself, so a placement pays one statement for them
instead of three (benchmarks/volumes.py). The same rules in Python
(:mod:`..ownership`) are the path of other databases and of the rare cases
the statement leaves alone: an order recorded already, a shop without its
company root yet. tests/volumes/test_recording_paths.py proves both paths
write the same records.
"""

import functools
from decimal import Decimal

from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from oscar.core.loading import get_model

from oscar_mlm.money import quantize

from .. import ownership
from ..runs import bounds

VolumeRecord = get_model("mlm_commissions", "VolumeRecord")
VolumeRule = get_model("mlm_commissions", "VolumeRule")
CommissionPeriod = get_model("mlm_commissions", "CommissionPeriod")
Member = get_model("mlm_network", "Member")
Line = get_model("order", "Line")
Product = get_model("catalogue", "Product")

NO_RULE = (None, None)
# INSERT ... SELECT ... ON CONFLICT ... RETURNING (SQLite 3.35 and later).
IN_ONE_STATEMENT = ("postgresql", "sqlite")


def record_order(order, placement=None):
    """Write one volume record per line of ``order`` that has none yet; return the new ones.

    ``placement`` (:class:`oscar_mlm.placement.Placement`) names the storefront
    and the attribution cookie's distributor, if the caller knew them.
    """
    with transaction.atomic(savepoint=False):
        if (
            connection.vendor in IN_ONE_STATEMENT
            and connection.features.can_return_rows_from_bulk_insert
        ):
            written = _insert_records(order, placement)
            if written:
                return written
        # Nothing written: recorded already, no lines, no company root yet, or
        # another database.
        return _record_in_python(order, placement)


def _record_in_python(order, placement):
    rows = _lines_and_buyer(order)
    lines = [row for row in rows if not row[7]]
    if not lines:
        return []
    buyer = _buyer(order, rows[0][8:])
    owner_id, owned_by = _owner(order, buyer, placement)
    storefront = getattr(placement, "storefront", None)
    rules = _rules(lines)
    booked = booked_at(order.date_placed)
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
                booked=booked,
                placed=order.date_placed,
                guest_email=buyer["guest_email"],
                idempotency_key=ownership.sale_key(line_id),
            )
        )
    return VolumeRecord.objects.bulk_create(records)


def _insert_records(order, placement):
    """Write the records of ``order``'s unrecorded lines in one statement; return them.

    Writes nothing (and returns ``[]``) where the owner would be the company
    and the shop has no company root yet: the Python path creates it.
    """
    guest = order.user_id is None
    storefront = getattr(placement, "storefront", None)
    storefront_id = storefront.pk if storefront is not None else None
    owner, owner_params = _owner_of_order(order, placement)
    if guest:
        guest_email = (order.guest_email or "").strip().lower()
        buyer_params = [ownership.GUEST]
    else:
        guest_email = ""
        buyer_params = [
            Member.DISTRIBUTOR,
            ownership.DISTRIBUTOR,
            Member.CUSTOMER,
            ownership.CUSTOMER,
            ownership.NOT_MEMBER,
        ]
    created = timezone.now()
    booked = booked_at(order.date_placed)
    adapt = connection.ops.adapt_datetimefield_value
    params = [
        VolumeRecord.SALE,
        storefront_id,
        ownership.NONE,
        ownership.POINTS,
        ownership.NONE,
        order.currency,
        adapt(booked),
        adapt(order.date_placed),
        guest_email,
        ownership.sale_key(""),
        adapt(created),
        *buyer_params,
        *owner_params,
        order.user_id,
        order.pk,
    ]
    rows = _execute(_statement(connection.vendor, guest, owner), params)
    # The instances from what we know and what the statement decided (cheaper
    # than a RawQuerySet: this runs in every placement).
    records = []
    for row in sorted(rows, key=lambda row: row[1]):
        record = VolumeRecord(
            kind=VolumeRecord.SALE,
            order=order,
            storefront_id=storefront_id,
            currency=order.currency,
            booked=booked,
            placed=order.date_placed,
            guest_email=guest_email,
            idempotency_key=ownership.sale_key(row[1]),
            created=created,
            **dict(zip(_RETURNED, row, strict=True)),
        )
        record.value, record.volume = _decimal(record.value), _decimal(record.volume)
        record.commissionable = bool(record.commissionable)
        record._state.adding, record._state.db = False, connection.alias
        records.append(record)
    return records


def booked_at(placed):
    """When a sale placed at ``placed`` counts for commissions (its record's ``booked``).

    Its placement, unless that falls into a period closed before the sale was
    recorded (a backdated import): then the end of that period, and of any
    closed period right after it, so that the next open period counts it
    instead of nobody (docs/commissions.rst).
    """
    zone = timezone.get_default_timezone()
    day = timezone.localdate(placed, zone)
    # A period closes only after it has ended: an order placed today is in no
    # closed period, so the shop's own placements need no query here.
    if day >= timezone.localdate(timezone=zone):
        return placed
    booked = placed
    periods = CommissionPeriod.objects.filter(status=CommissionPeriod.CLOSED, end__gt=day)
    for period in periods.order_by("start"):
        start, end = bounds(period)
        if start <= booked < end:
            booked = end
    return booked


def _execute(sql, params):
    """Run the recording statement and fetch what it returns.

    On PostgreSQL with psycopg 3 through a server-side binding cursor, so that
    psycopg can prepare the statement once per connection when the project
    allows prepared statements (Django's ``OPTIONS["prepare_threshold"]``):
    planning it took longer than running it (docs/benchmarks.rst). Django's
    own cursors bind on the client and never prepare; without the option this
    one does not either. Django's query logging and execute wrappers still see it.
    """
    cursor = _server_binding_cursor() if connection.vendor == "postgresql" else None
    if cursor is None:
        cursor = connection.cursor()
    with cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _server_binding_cursor():
    """A Django cursor over a psycopg 3 server-side binding cursor; ``None`` under psycopg 2."""
    # Imported here: a shop on SQLite need not have a PostgreSQL driver.
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    if not is_psycopg3:
        return None
    import psycopg

    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(raw)
    return connection.make_cursor(raw)


@functools.cache
def _statement(vendor, guest, owner):
    """The ``INSERT ... SELECT`` for a member's or a guest's order; ``owner`` is one of
    :data:`_OWNERS`' keys. Built once per process: only its parameters change."""
    if guest:
        buyer_kind = "%s"
    else:
        buyer_kind = "CASE m.kind WHEN %s THEN %s WHEN %s THEN %s ELSE %s END"
    owner_id, owned_by = _owner_sql(owner)
    return (
        f"INSERT INTO {_table(VolumeRecord)} ({_columns(_WRITTEN)})"
        " SELECT %s, s.order_id, s.line_id, s.buyer_id, s.buyer_kind, s.sponsor_id,"
        " s.owner_id, s.owned_by, %s, s.quantity, s.value,"
        # ownership.line_volume: none, points per unit, or the value (never below zero)
        " CASE WHEN r.type = %s THEN 0 WHEN r.type = %s THEN ROUND(r.points * s.quantity, 2)"
        " WHEN s.value > 0 THEN s.value ELSE 0 END,"
        " COALESCE(r.type, '') <> %s,"
        " %s, %s, %s, %s, %s || CAST(s.line_id AS TEXT), %s"
        " FROM (SELECT l.order_id, l.id AS line_id, l.quantity,"
        " l.line_price_excl_tax AS value,"
        f" {_RULE_OF_LINE.format(rule=_table(VolumeRule))} AS rule_id,"
        f" m.id AS buyer_id, {buyer_kind} AS buyer_kind, m.parent_id AS sponsor_id,"
        f" {owner_id} AS owner_id, {owned_by} AS owned_by"
        f" FROM {_table(Line)} l"
        f" LEFT JOIN {_table(Product)} p ON p.id = l.product_id"
        f" LEFT JOIN {_table(Product)} pp ON pp.id = p.parent_id"
        f" LEFT JOIN {_table(Member)} m ON m.user_id = %s"
        " WHERE l.order_id = %s) s"
        f" LEFT JOIN {_table(VolumeRule)} r ON r.id = s.rule_id"
        # The WHERE also keeps SQLite from reading ON CONFLICT as a join's ON.
        " WHERE s.owner_id IS NOT NULL"
        # A line recorded already (its key exists) is left alone, even by a
        # simultaneous recording of the same order.
        f" ON CONFLICT ({_columns(['idempotency_key'])}) DO NOTHING"
        f" RETURNING {_columns(_RETURNED)}"
    )


# The columns the statement writes, and those it returns (what it decided).
_WRITTEN = [
    "kind", "order_id", "line_id", "buyer_id", "buyer_kind", "sponsor_id", "owner_id",
    "owned_by", "storefront_id", "quantity", "value", "volume", "commissionable", "currency",
    "booked", "placed", "guest_email", "idempotency_key", "created",
]  # fmt: skip
_RETURNED = [
    "id", "line_id", "buyer_id", "buyer_kind", "sponsor_id", "owner_id", "owned_by",
    "quantity", "value", "volume", "commissionable",
]  # fmt: skip


def _columns(attnames):
    fields = {field.attname: field for field in VolumeRecord._meta.concrete_fields}
    return ", ".join(connection.ops.quote_name(fields[name].column) for name in attnames)


# Whether line ``l`` has its sale record: by its key (unique index), which, unlike
# the line's index, no skew in the lines' records can make the planner scan past.
_RECORDED = "EXISTS (SELECT 1 FROM {record} v WHERE v.idempotency_key = %s || CAST(l.id AS TEXT))"

# The most specific rule of a line: product › parent product › product class ›
# parent's product class (ownership.effective_rule); each a unique-index lookup.
_RULE_OF_LINE = (
    "COALESCE((SELECT x.id FROM {rule} x WHERE x.product_id = l.product_id),"
    " (SELECT x.id FROM {rule} x WHERE x.product_id = p.parent_id),"
    " (SELECT x.id FROM {rule} x WHERE x.product_class_id = p.product_class_id),"
    " (SELECT x.id FROM {rule} x WHERE x.product_class_id = pp.product_class_id))"
)


def _owner_of_order(order, placement):
    """``(variant, params)``: which owner expression (rule 1) the statement needs, and its values.

    A member's owner follows from their kind; a guest's storefront or cookie is
    known here; the voucher issuer and the company are read by the statement.
    """
    if order.user_id is not None:
        return "member", [
            Member.DISTRIBUTOR,
            Member.CUSTOMER,
            Member.COMPANY,
            Member.DISTRIBUTOR,
            ownership.BUYER,
            Member.CUSTOMER,
            ownership.SPONSOR,
            ownership.COMPANY,
        ]
    storefront = getattr(placement, "storefront", None)
    attributed = getattr(placement, "attributed", None)
    owner_id, owned_by = ownership.owner_of(
        buyer_kind=ownership.GUEST,
        candidates={
            ownership.STOREFRONT: storefront.pk if storefront is not None else None,
            ownership.COOKIE: attributed.pk if attributed is not None else None,
        },
        company_id=None,
    )
    if owner_id is not None:
        return "known", [owner_id, owned_by]
    if not apps.is_installed("oscar_mlm.apps.mlm_vouchers"):
        return "company", [Member.COMPANY, ownership.COMPANY]
    return "voucher", [order.pk, Member.COMPANY, order.pk, ownership.COMPANY, ownership.VOUCHER]


def _owner_sql(variant):
    """``(owner, owned_by)``: SQL expressions of the owner over the buyer ``m`` for
    :func:`_owner_of_order`'s variant; ``NULL`` when the company is the owner and
    there is none yet."""
    company = f"(SELECT c.id FROM {_table(Member)} c WHERE c.kind = %s)"
    if variant == "member":
        return (
            f"COALESCE(CASE m.kind WHEN %s THEN m.id WHEN %s THEN m.parent_id END, {company})",
            "CASE WHEN m.kind = %s THEN %s"
            " WHEN m.kind = %s AND m.parent_id IS NOT NULL THEN %s ELSE %s END",
        )
    if variant == "known":
        return "%s", "%s"
    if variant == "company":
        return company, "%s"
    Redemption = get_model("mlm_vouchers", "Redemption")
    DistributorVoucher = get_model("mlm_vouchers", "DistributorVoucher")
    issuer = (
        f"(SELECT dv.issuer_id FROM {_table(Redemption)} rd"
        f" JOIN {_table(DistributorVoucher)} dv ON dv.id = rd.distributor_voucher_id"
        " WHERE rd.order_id = %s)"
    )
    return f"COALESCE({issuer}, {company})", f"CASE WHEN {issuer} IS NULL THEN %s ELSE %s END"


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
        f" {_RECORDED.format(record=_table(VolumeRecord))},"
        " m.id, m.kind, m.parent_id"
        f" FROM {_table(Line)} l"
        f" LEFT JOIN {_table(Product)} p ON p.id = l.product_id"
        f" LEFT JOIN {_table(Product)} pp ON pp.id = p.parent_id"
        f" LEFT JOIN {_table(Member)} m ON m.user_id = %s"
        " WHERE l.order_id = %s ORDER BY l.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [ownership.sale_key(""), order.user_id, order.pk])
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
