"""Tree reads that start at the member, not at the roots.

django-tree-queries' ``descendants()``/``ancestors()`` build their CTE from
the roots down over the whole table (seconds at a million members). These
recursive CTEs start at the given member and touch only the rows they
return, through the index on ``parent_id``. They run on PostgreSQL and SQLite.

Levels are relative: a member's first line is level 1. Every walk stops at
``MAX_DEPTH`` so even a corrupt table cannot loop forever.
"""

from django.db import connection
from oscar.core.loading import get_model

MAX_DEPTH = 10_000


def _member_model():
    return get_model("mlm_network", "Member")


def _table():
    return connection.ops.quote_name(_member_model()._meta.db_table)


def _pk(member):
    return member if isinstance(member, int) else member.pk


def _depth(max_depth):
    return MAX_DEPTH if max_depth is None else max(1, int(max_depth))


def downline_cte(member, max_depth=None, kind=None):
    """``(sql, params)`` of ``WITH RECURSIVE down(id, level) ...``, no final SELECT.

    ``kind="distributor"`` walks distributors only: customers are leaves, so the
    levels are those of the distributors (COMMISSIONS.md rule 3) and the walk
    skips the customers' rows.
    """
    first, next_, params = "", "", []
    if kind is not None:
        first, next_, params = " AND kind = %s", " AND m.kind = %s", [kind]
    sql = (
        "WITH RECURSIVE down(id, level) AS ("
        f" SELECT id, 1 FROM {_table()} WHERE parent_id = %s{first}"
        " UNION ALL"
        f" SELECT m.id, down.level + 1 FROM {_table()} m"
        # "<>", not "<": with "<" PostgreSQL expects a third of the rows to pass and
        # leaves the parent_id index for a bitmap scan (1.3-1.6x slower, measured).
        f" JOIN down ON m.parent_id = down.id WHERE down.level <> %s{next_})"
    )
    return sql, [_pk(member), *params, _depth(max_depth), *params]


def downline_via_sponsors_cte(member, max_depth=None):
    """``(sql, params)`` of a CTE ``down(id, level, kind, status, user_id)`` holding the
    same members and levels as :func:`downline_cte`, cheaper for a large downline (the
    other columns come with the row the walk reads anyway; filters need no second join).

    Only distributors (and the company) sponsor, so customers are leaves: the walk goes
    down the distributors alone (the index-only ``mlm_member_distributor_parent``, a
    fifth of the rows in a typical network), then takes everyone whose sponsor is the
    member or one of those distributors, through the index on ``parent_id``. The plain
    walk probes the index once per member, customers included.
    """
    depth = _depth(max_depth)
    table = _table()
    sql = (
        "WITH RECURSIVE dist(id, level) AS ("
        f" SELECT id, 1 FROM {table} WHERE parent_id = %s AND kind = %s AND %s > 1"
        " UNION ALL"
        f" SELECT m.id, dist.level + 1 FROM {table} m"
        " JOIN dist ON m.parent_id = dist.id WHERE dist.level <> %s AND m.kind = %s),"
        " sponsors(id, level) AS (SELECT id, level FROM dist UNION ALL SELECT %s, 0),"
        " down(id, level, kind, status, user_id) AS ("
        f" SELECT m.id, sponsors.level + 1, m.kind, m.status, m.user_id FROM sponsors"
        f" JOIN {table} m"
        " ON m.parent_id = sponsors.id)"
    )
    distributor = _member_model().DISTRIBUTOR
    pk = _pk(member)
    return sql, [pk, distributor, depth, depth - 1, distributor, pk]


def upline_cte(member, max_depth=None):
    """``(sql, params)`` of ``WITH RECURSIVE up(id, parent_id, level) ...``."""
    sql = (
        "WITH RECURSIVE up(id, parent_id, level) AS ("
        f" SELECT id, parent_id, 0 FROM {_table()} WHERE id = %s"
        " UNION ALL"
        f" SELECT m.id, m.parent_id, up.level + 1 FROM {_table()} m"
        " JOIN up ON m.id = up.parent_id WHERE up.level < %s)"
    )
    return sql, [_pk(member), _depth(max_depth)]


def _rows(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def upline_ids(member, max_depth=None):
    """Primary keys above ``member``: its sponsor first, the root last."""
    cte, params = upline_cte(member, max_depth)
    return [r[0] for r in _rows(cte + " SELECT id FROM up WHERE level > 0 ORDER BY level", params)]


def upline(member, max_depth=None):
    """Members above ``member``, sponsor first; each has ``.level`` (sponsor = 1)."""
    ids = upline_ids(member, max_depth)
    return _with_levels([(pk, level) for level, pk in enumerate(ids, start=1)])


def downline_ids(member, max_depth=None):
    """Primary keys below ``member``, straight from the CTE (no join back to the table)."""
    cte, params = downline_cte(member, max_depth)
    return [r[0] for r in _rows(cte + " SELECT id FROM down", params)]


def downline(member, max_depth=None, via_sponsors=False):
    """A queryset of everyone below ``member`` (down to ``max_depth`` levels).

    Chainable like any queryset (filter, count, paginate); for levels use
    :func:`downline_with_levels`. ``via_sponsors``: the rows whose sponsor is the member
    or a distributor below it (:func:`downline_via_sponsors_cte`), read through the index
    on ``parent_id`` rather than matched against the whole table by primary key.
    """
    from django.db.models.expressions import RawSQL

    if via_sponsors:
        cte, params = downline_via_sponsors_cte(member, max_depth)
        sponsors = RawSQL(cte + " SELECT id FROM sponsors", params)
        return _member_model().objects.filter(parent_id__in=sponsors)
    cte, params = downline_cte(member, max_depth)
    return _member_model().objects.filter(pk__in=RawSQL(cte + " SELECT id FROM down", params))


def _with_levels(rows):
    """Members (user joined) for ``(pk, level)`` rows, in row order, each with ``.level``."""
    by_pk = _member_model().objects.select_related("user").in_bulk([r[0] for r in rows])
    result = []
    for pk, level in rows:
        node = by_pk[pk]
        node.level = level
        result.append(node)
    return result


def downline_with_levels(member, max_depth=None, limit=None, offset=0):
    """Members below ``member`` ordered by level, then pk; each has ``.level``."""
    cte, params = downline_cte(member, max_depth)
    sql = cte + " SELECT id, level FROM down ORDER BY level, id"
    if limit is not None:
        sql += " LIMIT %s OFFSET %s"
        params = params + [int(limit), int(offset)]
    return _with_levels(_rows(sql, params))


def downline_page(member, *, after=None, limit=50, max_depth=None, level=None):
    """One page of the downline in (level, pk) order, after the key ``after`` = (level, pk).

    Keyset pagination: each page continues where the last one ended, with no
    OFFSET. ``max_depth`` keeps levels 1..n; ``level`` only that level. Each
    member has ``.level``.
    """
    cte, params = downline_cte(member, level if level is not None else max_depth)
    where = []
    if level is not None:
        where.append("level = %s")
        params = [*params, int(level)]
    if after is not None:
        where.append("(level > %s OR (level = %s AND id > %s))")
        params = [*params, int(after[0]), int(after[0]), int(after[1])]
    sql = cte + " SELECT id, level FROM down"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return _with_levels(_rows(sql + " ORDER BY level, id LIMIT %s", [*params, int(limit)]))


def level_counts(member, max_depth=None, via_sponsors=False):
    """``[(level, count), ...]`` of the downline, level 1 first; ``via_sponsors``: the same
    counts through :func:`downline_via_sponsors_cte` (cheaper for a large downline)."""
    walk = downline_via_sponsors_cte if via_sponsors else downline_cte
    cte, params = walk(member, max_depth)
    return [
        (level, count)
        for level, count in _rows(
            cte + " SELECT level, COUNT(*) FROM down GROUP BY level ORDER BY level", params
        )
    ]


def downline_size(member, max_depth=None, via_sponsors=False):
    walk = downline_via_sponsors_cte if via_sponsors else downline_cte
    cte, params = walk(member, max_depth)
    return _rows(cte + " SELECT COUNT(*) FROM down", params)[0][0]


def nearest_active_upline_id(member):
    """The pk of the first active member above ``member`` (its sponsor first), or ``None``."""
    Member = _member_model()
    cte, params = upline_cte(member)
    sql = cte + (
        f" SELECT up.id FROM up JOIN {_table()} m ON m.id = up.id"
        " WHERE up.level > 0 AND m.status = %s ORDER BY up.level LIMIT 1"
    )
    rows = _rows(sql, [*params, Member.ACTIVE])
    return rows[0][0] if rows else None


def level_of(member, descendant):
    """How many levels ``descendant`` sits below ``member``; ``None`` if not below."""
    target = _pk(member)
    for level, pk in enumerate(upline_ids(descendant), start=1):
        if pk == target:
            return level
    return None


def is_below(candidate, member):
    """True if ``candidate`` is in ``member``'s downline.

    Walks up from ``candidate`` (a path of tree depth), not down from ``member``
    (which may be a large branch).
    """
    return _pk(member) in upline_ids(candidate)
