"""The structure of a period (rule 4) and how it is frozen.

The structure used above an order's owner is the network at the end of the
period. It is read from the member table and set back to that moment with
the audit trail: every sponsor change and status change made after the end
is undone (they are append-only and carry their time). So a run a week
after the month's end still sees the month's last structure, and a rerun
sees the same one however the network moved in between.

Only distributors and the company are kept (customers are leaves: their
volume belongs to an owner). The snapshot of a closed period is stored as
compressed arrays in one row (``CommissionSnapshot.data``), together with
the ids of the sale records the period counted.
"""

import io

import numpy as np
from django.db import connection
from oscar.core.loading import get_model

from . import engine

FORMAT = 1


def _q(name):
    return connection.ops.quote_name(name)


def structure_at(moment, extra_ids=()):
    """The :class:`engine.Structure` of the network at ``moment`` (an aware datetime).

    ``extra_ids`` are members to include whatever their kind (the owners of
    the period's records).
    """
    Member = get_model("mlm_network", "Member")
    SponsorChange = get_model("mlm_network", "SponsorChange")
    StatusChange = get_model("mlm_network", "StatusChange")
    table = _q(Member._meta.db_table)
    sql = (
        f"SELECT CAST(id AS BIGINT), CAST(COALESCE(parent_id, 0) AS BIGINT),"
        f" CASE kind WHEN 'company' THEN 2 WHEN 'distributor' THEN 1 ELSE 0 END,"
        f" CASE WHEN status = 'active' THEN 1 ELSE 0 END"
        f" FROM {table} WHERE kind <> 'customer'"
    )
    rows = _select(sql, [], [("id", "int8"), ("parent", "int8"), ("kind", "int4"),
                              ("active", "int4")])
    ids, parents = rows["id"], rows["parent"]
    kinds, active = rows["kind"], rows["active"]

    # What changed after the moment, per member the earliest change (it holds the old value).
    changes = _earliest_after(SponsorChange, moment, "old_sponsor_id")
    statuses = _earliest_after(
        StatusChange, moment, "event",
        events=[StatusChange.DEACTIVATED, StatusChange.REACTIVATED],
    )
    promoted = _earliest_after(StatusChange, moment, "event", events=[StatusChange.PROMOTED])

    # Members that matter although they are customers now: owners and former sponsors.
    wanted = {int(i) for i in extra_ids}
    wanted.update(int(s) for s in changes["value"] if s)
    missing = sorted(wanted - set(ids.tolist()))
    while missing:
        more = list(
            Member.objects.filter(pk__in=missing).values_list("pk", "parent_id", "kind", "status")
        )
        if not more:
            break
        known = set(ids.tolist()) | {m[0] for m in more}
        ids = np.concatenate([ids, [m[0] for m in more]])
        parents = np.concatenate([parents, [m[1] or 0 for m in more]])
        kinds = np.concatenate(
            [kinds, [{"company": 2, "distributor": 1}.get(m[2], 0) for m in more]]
        )
        active = np.concatenate([active, [int(m[3] == "active") for m in more]])
        missing = sorted({m[1] for m in more if m[1]} - known)

    order = np.argsort(ids, kind="stable")
    ids, parents, kinds, active = ids[order], parents[order], kinds[order], active[order]

    # Undo: the sponsor before the first move after the moment; no sponsor: joined later.
    at = engine.index_of(ids, changes["member"])
    hit = at >= 0
    at, old = at[hit], changes["value"][hit]
    parents[at[old > 0]] = old[old > 0]
    # Joined after the moment (the first audit row has no old sponsor): kept in the
    # structure with the sponsor they have (nobody can have been below them then, and
    # imports and demo data audit old members with today's date), but no statement.
    joined_later = np.zeros(len(ids), dtype=bool)
    joined_later[at[old == 0]] = True
    at = engine.index_of(ids, statuses["member"])
    hit = at >= 0
    active[at[hit]] = np.where(statuses["value"][hit] == 1, 1, 0)  # deactivated: was active
    at = engine.index_of(ids, promoted["member"])
    kinds[at[at >= 0]] = 0  # promoted later: a customer at the moment
    company = ids[kinds == 2]
    return engine.Structure.from_ids(
        ids,
        parents,
        kinds == 1,
        active == 1,
        company_id=int(company[0]) if len(company) else None,
        listed=(kinds == 1) & ~joined_later,
    )


def _earliest_after(model, moment, column, events=None):
    """Per member, ``column`` of the earliest audit row after ``moment``.

    Returns arrays ``member`` and ``value``: for sponsor changes the old sponsor's
    id (0: none), for status changes 1 if the event was a deactivation.
    """
    rows = model.objects.filter(created__gt=moment)
    if events is not None:
        rows = rows.filter(event__in=events)
    seen = {}
    for member_id, value in rows.order_by("-created", "-pk").values_list("member_id", column):
        seen[member_id] = value  # newest first: the earliest one stays
    members = np.fromiter(seen.keys(), dtype=np.int64, count=len(seen))
    if column == "event":
        values = np.array([1 if v == model.DEACTIVATED else 0 for v in seen.values()],
                          dtype=np.int64)
    else:
        values = np.array([v or 0 for v in seen.values()], dtype=np.int64)
    return {"member": members, "value": values}


def _select(sql, params, fields):
    """Rows as a structured array: binary COPY on PostgreSQL, a plain cursor elsewhere."""
    from .pgcopy import copy_out

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            return copy_out(cursor, sql, params, fields)
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    dtype = [(name, {"int8": "<i8", "int4": "<i4", "int2": "<i2", "bool": "u1"}[kind])
             for name, kind in fields]
    out = np.zeros(len(rows), dtype=dtype)
    if rows:
        columns = list(zip(*rows, strict=True))
        for (name, _), values in zip(fields, columns, strict=True):
            out[name] = np.asarray(values, dtype=np.int64)
    return out


def encode(structure, sale_ids):
    """The bytes stored in ``CommissionSnapshot.data``."""
    parent_ids = np.where(structure.parent >= 0, structure.ids[np.maximum(structure.parent, 0)], 0)
    flags = (
        structure.distributor.astype(np.uint8)
        | (structure.active.astype(np.uint8) << 1)
        | ((np.arange(len(structure)) == structure.company).astype(np.uint8) << 2)
        | ((structure.distributor & ~structure.listed).astype(np.uint8) << 3)
    )
    sale_ids = np.sort(np.asarray(sale_ids, dtype=np.int64))
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        format=np.array([FORMAT]),
        ids=np.diff(structure.ids, prepend=0),
        parents=parent_ids,
        flags=flags,
        sales=np.diff(sale_ids, prepend=0),
    )
    return buffer.getvalue()


def decode(data):
    """``(structure, sale record ids)`` from :func:`encode`'s bytes."""
    with np.load(io.BytesIO(bytes(data)), allow_pickle=False) as arrays:
        if int(arrays["format"][0]) != FORMAT:
            raise ValueError("unknown snapshot format")
        ids = np.cumsum(arrays["ids"])
        parents = arrays["parents"]
        flags = arrays["flags"]
        sales = np.cumsum(arrays["sales"])
    company = ids[(flags & 4) != 0]
    structure = engine.Structure.from_ids(
        ids,
        parents,
        (flags & 1) != 0,
        (flags & 2) != 0,
        company_id=int(company[0]) if len(company) else None,
        listed=((flags & 1) != 0) & ((flags & 8) == 0),
    )
    return structure, sales
