"""Reading a period's inputs and writing its results (the database side of a run).

``services`` calls these inside its transactions; :mod:`engine` does the
arithmetic. Reads use one query per kind of input (binary ``COPY`` on
PostgreSQL), writes one ``COPY`` per table, so a run costs a few passes over
the data whatever the size of the network.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.db import connection
from django.utils import timezone
from oscar.core.loading import get_model

from . import engine, snapshot
from .pgcopy import column_kind, copy_in
from .snapshot import _select


def _q(name):
    return connection.ops.quote_name(name)


def _table(model_name):
    return _q(get_model("mlm_commissions", model_name)._meta.db_table)


def _dt(value):
    return connection.ops.adapt_datetimefield_value(value)


def bounds(period):
    """``(start, end)`` of ``period`` as aware datetimes in the shop's time zone."""
    zone = timezone.get_default_timezone()
    return tuple(
        timezone.make_aware(dt.datetime.combine(day, dt.time.min), zone)
        for day in (period.start, period.end)
    )


def cents(value):
    return int((Decimal(value) * 100).to_integral_value())


def rate_units(value):
    return int((Decimal(value) * engine.RATE_SCALE).to_integral_value())


def plan_for_engine(plan):
    return engine.Plan(
        levels=int(plan.levels),
        rates=np.array([rate_units(r) for r in plan.rates], dtype=np.int64),
        own_rate=rate_units(plan.own_volume_rate or 0),
        minimum=cents(plan.minimum_own_volume or 0),
        compression=plan.compression,
    )


@dataclass
class Inputs:
    """Everything a computation of one period reads."""

    period: object
    plan: object
    structure_at: dt.datetime
    structure: engine.Structure
    sales: engine.Sales
    sale_ids: np.ndarray
    netted: list  # refund record ids netted in the period
    corrected: list  # refund record ids corrected in the period
    corrections: engine.Corrections
    carried: tuple
    other_currencies: dict = field(default_factory=dict)
    records: int = 0
    # Closed period: sale records booked in it that arrived after it closed (not counted).
    late: int = 0


SALE_FIELDS = [
    ("id", "int8"),
    ("order", "int8"),
    ("owner", "int8"),
    ("buyer", "int8"),
    ("commissionable", "int4"),
    ("volume", "int8"),
    ("value", "int8"),
    ("same_currency", "int4"),
]


def _record_columns(alias, record_alias=None):
    """Columns of SALE_FIELDS; ``record_alias`` supplies id and amounts (a refund's)."""
    r = record_alias or alias
    return (
        f"CAST({r}.id AS BIGINT), CAST({alias}.order_id AS BIGINT),"
        f" CAST({alias}.owner_id AS BIGINT), CAST(COALESCE({alias}.buyer_id, 0) AS BIGINT),"
        f" CASE WHEN {alias}.commissionable THEN 1 ELSE 0 END,"
        f" CAST(ROUND({r}.volume * 100) AS BIGINT), CAST(ROUND({r}.value * 100) AS BIGINT),"
        f" CASE WHEN {alias}.currency = %s THEN 1 ELSE 0 END"
    )


def load_sales(period, currency, start, end, frozen_sale_ids=None):
    """Sale records booked in the period, and refunds netted in it (rule 7).

    An open period nets every refund of its sales that is not settled
    elsewhere; a closed one exactly those settled in it at close.
    """
    vr = _table("VolumeRecord")
    settled = _table("SettledRefund")
    sales = _select(
        f"SELECT {_record_columns('s')} FROM {vr} s"
        " WHERE s.kind = 'sale' AND s.booked >= %s AND s.booked < %s",
        [currency, _dt(start), _dt(end)],
        SALE_FIELDS,
    )
    late = 0
    if frozen_sale_ids is not None:
        counted = np.isin(sales["id"], frozen_sale_ids)
        if int(counted.sum()) != len(frozen_sale_ids):
            raise engine.EngineError("sale records of the closed period are missing")
        late = int(len(sales) - counted.sum())
        sales = sales[counted]
    if period.is_closed:
        condition = (
            f"r.id IN (SELECT record_id FROM {settled} WHERE period_id = %s AND how = 'netted')"
        )
        params = [period.pk]
    else:
        condition = (
            "s.booked >= %s AND s.booked < %s"
            f" AND NOT EXISTS (SELECT 1 FROM {settled} x WHERE x.record_id = r.id)"
        )
        params = [_dt(start), _dt(end)]
    refunds = _select(
        f"SELECT {_record_columns('s', 'r')} FROM {vr} r JOIN {vr} s ON s.id = r.refund_of_id"
        f" WHERE r.refund_of_id IS NOT NULL AND {condition}",
        [currency, *params],
        SALE_FIELDS,
    )
    return sales, refunds, late


def load_corrections(period, currency, start, end):
    """Refunds after close to correct in ``period``: ``(refund ids, Corrections)``."""
    Period = get_model("mlm_commissions", "CommissionPeriod")
    vr = _table("VolumeRecord")
    settled = _table("SettledRefund")
    if period.is_closed:
        condition = (
            f"r.id IN (SELECT record_id FROM {settled}"
            " WHERE period_id = %s AND how = 'corrected')"
        )
        params = [period.pk]
    else:
        # Refunds booked up to the period's end that no earlier open period takes.
        earlier_open = (
            Period.objects.filter(status=Period.OPEN, end__lte=period.start)
            .order_by("-end")
            .first()
        )
        condition = (
            f"NOT EXISTS (SELECT 1 FROM {settled} x WHERE x.record_id = r.id) AND r.booked < %s"
        )
        params = [_dt(end)]
        if earlier_open is not None:
            condition += " AND r.booked >= %s"
            params.append(_dt(bounds(earlier_open)[1]))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT r.id, s.booked, s.order_id, s.owner_id, COALESCE(s.buyer_id, 0),"
            f" CAST(ROUND(r.volume * 100) AS BIGINT)"
            f" FROM {vr} r JOIN {vr} s ON s.id = r.refund_of_id"
            f" WHERE r.refund_of_id IS NOT NULL AND s.currency = %s AND {condition}"
            " ORDER BY r.id",
            [currency, *params],
        )
        rows = cursor.fetchall()
    if not rows:
        return [], engine.Corrections.empty()
    closed = [
        (p, *bounds(p))
        for p in Period.objects.filter(status=Period.CLOSED).exclude(pk=period.pk).order_by("start")
    ]
    refunded = {}  # (closed period id, order, owner) -> [buyer, cents]
    ids = []
    for refund_id, booked, order_id, owner_id, buyer_id, volume in rows:
        booked = _aware(booked)
        home = next((p for p, s, e in closed if s <= booked < e), None)
        if home is None:
            continue  # its order's period is open (netted there) or there is none
        if period.is_closed is False and home.start >= period.start:
            continue
        ids.append(refund_id)
        entry = refunded.setdefault((home.pk, order_id, owner_id), [buyer_id, 0])
        entry[1] += int(volume)
    return ids, _corrections_for(refunded)


def _aware(value):
    if isinstance(value, str):  # SQLite without converters
        value = dt.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value


def _corrections_for(refunded):
    """Reverse the paid lines of each refunded order, in proportion (rule 7)."""
    line = _table("CommissionLine")
    by_period = {}
    for (period_id, order_id, owner_id), (buyer_id, volume) in refunded.items():
        if volume:
            by_period.setdefault(period_id, {})[(order_id, owner_id)] = (buyer_id, volume)
    rows = []
    with connection.cursor() as cursor:
        for period_id, orders in sorted(by_period.items()):
            order_ids = sorted({o for o, _ in orders})
            for start in range(0, len(order_ids), 5000):
                chunk = order_ids[start : start + 5000]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"SELECT order_id, owner_id, beneficiary_id, level, distance,"
                    f" CAST(ROUND(rate * {engine.RATE_SCALE}) AS BIGINT) FROM {line}"
                    f" WHERE period_id = %s AND kind = %s AND paid AND order_id IN ({marks})",
                    [period_id, engine.COMMISSION, *chunk],
                )
                for order_id, owner_id, beneficiary, level, distance, rate in cursor.fetchall():
                    found = orders.get((order_id, owner_id))
                    if found is None:
                        continue
                    rows.append(
                        (order_id, owner_id, found[0], beneficiary, level, distance, rate,
                         found[1], period_id)
                    )
    if not rows:
        return engine.Corrections.empty()
    a = np.array(rows, dtype=np.int64)
    return engine.Corrections(*(a[:, i] for i in range(9)))


def load_carried(period):
    """Negative totals of the previous period: ``(member ids, cents)``."""
    Period = get_model("mlm_commissions", "CommissionPeriod")
    Statement = get_model("mlm_commissions", "CommissionStatement")
    previous = Period.objects.filter(end__lte=period.start).order_by("-end").first()
    if previous is None:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    rows = list(
        Statement.objects.filter(period=previous, total__lt=0)
        .order_by("member_id")
        .values_list("member_id", "total")
    )
    return (
        np.array([r[0] for r in rows], dtype=np.int64),
        np.array([cents(r[1]) for r in rows], dtype=np.int64),
    )


def load_inputs(period, plan, moment=None):
    """Read everything the computation of ``period`` needs, frozen or live."""
    Snapshot = get_model("mlm_commissions", "CommissionSnapshot")
    start, end = bounds(period)
    frozen = Snapshot.objects.filter(period=period).first() if period.is_closed else None
    if period.is_closed and frozen is None:
        raise engine.EngineError("the closed period has no snapshot")
    frozen_ids = None
    if frozen is not None:
        structure, frozen_ids = snapshot.decode(frozen.data)
        structure_moment = frozen.structure_at
    sales, refunds, late = load_sales(period, plan.currency, start, end, frozen_ids)
    other = {}
    foreign = sales["same_currency"] == 0
    if foreign.any():
        other = {"records": int(foreign.sum()), "volume_cents": int(sales["volume"][foreign].sum())}
    sales = sales[~foreign]
    refunds = refunds[refunds["same_currency"] == 1]
    if frozen is None:
        structure_moment = min(end, moment or timezone.now())
        owners = np.unique(np.concatenate([sales["owner"], refunds["owner"]]))
        structure = snapshot.structure_at(structure_moment, owners.tolist())
    rows = np.concatenate([sales, refunds])
    grouped = engine.Sales.group(
        rows["order"], rows["owner"], rows["buyer"], rows["commissionable"] == 1,
        rows["volume"], rows["value"],
    )
    corrected, corrections = load_corrections(period, plan.currency, start, end)
    return Inputs(
        period=period,
        plan=plan,
        structure_at=structure_moment,
        structure=structure,
        sales=grouped,
        sale_ids=np.sort(sales["id"]),
        netted=sorted(refunds["id"].tolist()),
        corrected=corrected,
        corrections=corrections,
        carried=load_carried(period),
        other_currencies=other,
        records=int(len(sales)),
        late=late,
    )


# -- writing ------------------------------------------------------------------------------------


def delete_results(period):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_table('CommissionLine')} WHERE period_id = %s", [period.pk])
        cursor.execute(
            f"DELETE FROM {_table('CommissionStatement')} WHERE period_id = %s", [period.pk]
        )


def _money(c):
    c = int(c)
    sign = "-" if c < 0 else ""
    c = abs(c)
    return f"{sign}{c // 100}.{c % 100:02d}"


def _rate(r):
    r = int(r)
    return f"{r // engine.RATE_SCALE}.{r % engine.RATE_SCALE:04d}"


def write_results(period, currency, result):
    """Statements and lines of ``result`` for ``period`` (old ones deleted first)."""
    delete_results(period)
    line_table = get_model("mlm_commissions", "CommissionLine")._meta.db_table
    statement_table = get_model("mlm_commissions", "CommissionStatement")._meta.db_table
    lines = result.lines
    n = len(lines)
    r = result
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            _copy_statements(cursor, statement_table, period, currency, r)
            if n:
                model = get_model("mlm_commissions", "CommissionLine")
                data = {
                    "period": np.full(n, period.pk, dtype=np.int64),
                    "kind": lines["kind"], "order": lines["order"], "buyer": lines["buyer"],
                    "owner": lines["owner"], "beneficiary": lines["beneficiary"],
                    "level": lines["level"], "distance": lines["distance"],
                    "volume": lines["volume"], "rate": lines["rate"], "amount": lines["amount"],
                    "paid": lines["paid"], "reason": lines["reason"],
                    "passed_to": lines["passed_to"], "corrects": lines["corrects"],
                }
                columns = []
                for name, values in data.items():
                    f = model._meta.get_field(name)
                    columns.append((f.column, column_kind(f, connection), values))
                copy_in(cursor, line_table, columns)
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {_q(statement_table)} (period_id, member_id, currency, personal_volume,"
            " own_volume, end_customer_volume, group_volume, group_volume_levels, active,"
            " qualified, commission, corrections, opening_balance, total)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            list(_statement_rows(period, currency, r)),
        )
        cursor.executemany(
            f"INSERT INTO {_q(line_table)} (period_id, kind, order_id, buyer_id, owner_id,"
            " beneficiary_id, level, distance, volume, rate, amount, paid, reason, passed_to_id,"
            " corrects_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                (
                    period.pk, int(x["kind"]), int(x["order"]), int(x["buyer"]) or None,
                    int(x["owner"]), int(x["beneficiary"]), int(x["level"]), int(x["distance"]),
                    _money(x["volume"]), _rate(x["rate"]), _money(x["amount"]), bool(x["paid"]),
                    int(x["reason"]), int(x["passed_to"]) or None, int(x["corrects"]) or None,
                )
                for x in lines
            ],
        )


def _levels_json(row):
    return "[" + ", ".join(f'"{_money(c)}"' for c in row) + "]"


def _statement_rows(period, currency, r):
    for i in range(len(r.member)):
        yield (
            period.pk, int(r.member[i]), currency, _money(r.personal_volume[i]),
            _money(r.own_volume[i]), _money(r.end_customer_volume[i]),
            _money(r.group_volume[i]), _levels_json(r.group_volume_levels[i]),
            bool(r.active[i]), bool(r.qualified[i]), _money(r.commission[i]),
            _money(r.corrections[i]), _money(r.opening_balance[i]), _money(r.total[i]),
        )


def _money_text(cents):
    """Decimal strings ("-12.05") of an int64 array of cents, vectorised."""
    cents = np.asarray(cents, dtype=np.int64)
    whole, frac = np.divmod(np.abs(cents), 100)
    sign = np.where(cents < 0, "-", "")
    two = np.char.zfill(frac.astype("U2"), 2)
    return np.char.add(np.char.add(np.char.add(sign, whole.astype("U20")), "."), two)


def _copy_statements(cursor, table, period, currency, r):
    """The statements with one text ``COPY``, the rows built column-wise."""
    from .pgcopy import _raw

    m = len(r.member)
    if not m:
        return
    levels = r.group_volume_levels
    if levels.shape[1]:
        gv = np.char.add('["', _money_text(levels[:, 0]))
        for k in range(1, levels.shape[1]):
            gv = np.char.add(np.char.add(gv, '", "'), _money_text(levels[:, k]))
        gv = np.char.add(gv, '"]')
    else:
        gv = np.full(m, "[]")
    columns = [
        np.full(m, str(period.pk)), r.member.astype("U20"), np.full(m, currency),
        _money_text(r.personal_volume), _money_text(r.own_volume),
        _money_text(r.end_customer_volume), _money_text(r.group_volume), gv,
        np.where(r.active, "t", "f"), np.where(r.qualified, "t", "f"),
        _money_text(r.commission), _money_text(r.corrections), _money_text(r.opening_balance),
        _money_text(r.total),
    ]
    text = columns[0]
    for column in columns[1:]:
        text = np.char.add(np.char.add(text, "\t"), column)
    names = (
        "period_id, member_id, currency, personal_volume, own_volume, end_customer_volume,"
        " group_volume, group_volume_levels, active, qualified, commission, corrections,"
        " opening_balance, total"
    )
    with _raw(cursor).copy(f"COPY {_q(table)} ({names}) FROM STDIN") as copy:
        for start in range(0, m, 100_000):
            copy.write("\n".join(text[start : start + 100_000].tolist()) + "\n")


def stored_checksum(period, plan):
    """Recompute the checksum from the rows stored for ``period`` (to detect tampering)."""
    line = _table("CommissionLine")
    statement = _table("CommissionStatement")
    fields = [
        ("kind", "int8"), ("order", "int8"), ("buyer", "int8"), ("owner", "int8"),
        ("beneficiary", "int8"), ("level", "int8"), ("distance", "int8"), ("volume", "int8"),
        ("rate", "int8"), ("amount", "int8"), ("paid", "int8"), ("reason", "int8"),
        ("passed_to", "int8"), ("corrects", "int8"),
    ]
    rows = _select(
        "SELECT CAST(kind AS BIGINT), CAST(order_id AS BIGINT),"
        " CAST(COALESCE(buyer_id, 0) AS BIGINT), CAST(owner_id AS BIGINT),"
        " CAST(beneficiary_id AS BIGINT), CAST(level AS BIGINT), CAST(distance AS BIGINT),"
        " CAST(ROUND(volume * 100) AS BIGINT),"
        f" CAST(ROUND(rate * {engine.RATE_SCALE}) AS BIGINT), CAST(ROUND(amount * 100) AS BIGINT),"
        " CAST(CASE WHEN paid THEN 1 ELSE 0 END AS BIGINT), CAST(reason AS BIGINT),"
        " CAST(COALESCE(passed_to_id, 0) AS BIGINT), CAST(COALESCE(corrects_id, 0) AS BIGINT)"
        f" FROM {line} WHERE period_id = %s",
        [period.pk],
        fields,
    )
    lines = np.zeros(len(rows), dtype=engine.LINE_DTYPE)
    for name, _ in fields:
        lines[name] = rows[name]
    lines = lines[engine.line_sort_keys(lines)]
    money = [
        "personal_volume", "own_volume", "end_customer_volume", "group_volume", "commission",
        "corrections", "opening_balance", "total",
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT member_id, {', '.join(f'CAST(ROUND({m} * 100) AS BIGINT)' for m in money)},"
            f" active, qualified, group_volume_levels FROM {statement}"
            " WHERE period_id = %s ORDER BY member_id",
            [period.pk],
        )
        stmts = cursor.fetchall()
    import json

    result = engine.Result(
        plan=plan_for_engine(plan),
        member=np.array([s[0] for s in stmts], dtype=np.int64),
        **{
            m: np.array([s[1 + i] for s in stmts], dtype=np.int64) for i, m in enumerate(money)
        },
        active=np.array([bool(s[9]) for s in stmts]),
        qualified=np.array([bool(s[10]) for s in stmts]),
        group_volume_levels=np.array(
            [
                [cents(v) for v in (json.loads(s[11]) if isinstance(s[11], str) else s[11])]
                for s in stmts
            ],
            dtype=np.int64,
        ).reshape(len(stmts), int(plan.levels)),
        lines=lines,
    )
    return engine.checksum(result)
