"""Reads of a distributor's structure for the back office: tree nodes, lists, search, export.

Nothing here loads a whole downline into Python. The tree opens one first line at a
time (:func:`children`, an indexed read of ``parent_id``, a page of it at a time); the
list, the search and the export walk the downline with the recursive CTE of
:mod:`mlm_network.tree` and page through it by key (level, member number), never by
OFFSET. Each page is decorated with a few queries for the whole page (first-line sizes,
period volumes, contact data), whatever its length.

Whom the viewer reaches and how much they see comes from :mod:`mlm_network.privacy`.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.urls import reverse
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_network import privacy, tree
from oscar_mlm.apps.mlm_network.indexes import name_search_expression
from oscar_mlm.conf import get_setting
from oscar_mlm.parsing import clean_text, parse_id

SEARCH_MIN_LENGTH = 2
SEARCH_MAX_LENGTH = 100


@dataclass
class Node:
    """A member as the back office shows it to ``viewer``."""

    member: object
    level: int  # below the viewer
    first_line: int  # members whose sponsor they are
    volume: object = None  # this period's: own volume of a distributor, personal of a customer
    contact: object = None  # a privacy.Contact, or None if the viewer may not see it

    @property
    def pk(self):
        return self.member.pk


@dataclass(frozen=True)
class Key:
    """Where a page of the downline list ends: (level, member number)."""

    level: int
    pk: int

    def __str__(self):
        return f"{self.level}-{self.pk}"

    @classmethod
    def parse(cls, value):
        """A key from ``"3-1234"``; ``None`` for anything else."""
        level, sep, pk = str(value or "").partition("-")
        level, pk = parse_id(level), parse_id(pk)
        if not sep or level is None or pk is None or level > tree.MAX_DEPTH:
            return None
        return cls(level, pk)


@dataclass
class Filters:
    level: int = None
    kind: str = None
    status: str = None
    q: str = ""

    @property
    def active(self):
        return bool(self.level or self.kind or self.status or self.q)


@dataclass(frozen=True)
class TreeLinks:
    """Where the links of a tree's nodes go: the partner's own structure pages, or, with
    ``root``, the staff dashboard's tree around that member (the same nodes and script)."""

    root: object = None

    def children(self, pk):
        """The list items of ``pk``'s first line (what opening the node inserts)."""
        if self.root is None:
            return reverse("mlm_backoffice:mlm-backoffice-node", kwargs={"pk": pk})
        return reverse(
            "mlm_dashboard:mlm-member-tree-node", kwargs={"pk": self.root.pk, "node_pk": pk}
        )

    def member(self, pk):
        if self.root is None:
            return reverse("mlm_backoffice:mlm-backoffice-member", kwargs={"pk": pk})
        return reverse("mlm_dashboard:mlm-member-detail", kwargs={"pk": pk})

    def focus(self, pk, after=None):
        """The tree page from ``pk`` (without JavaScript: also the next page of its first
        line, ``after``)."""
        query = {"after": after} if after else {}
        if self.root is None:
            url = reverse("mlm_backoffice:mlm-backoffice-structure")
            query = {"node": pk, **query}
        else:
            url = reverse("mlm_dashboard:mlm-member-tree", kwargs={"pk": pk})
        return f"{url}?{urlencode(query)}" if query else url


def _member_model():
    return get_model("mlm_network", "Member")


def commissions_installed():
    return "mlm_commissions" in apps.app_configs


def current_period():
    """This period (for the volumes of the nodes), or ``None`` without commissions."""
    if not commissions_installed():
        return None
    from oscar_mlm.apps.mlm_commissions import estimates

    return estimates.current_period()


def page_size():
    return max(1, int(get_setting("OSCAR_MLM_MEMBERS_PER_PAGE")))


def decorate(viewer, members, levels, period=None):
    """:class:`Node`\\ s for ``members`` (with ``user``), in their order; ``levels`` by pk."""
    members = list(members)
    ids = [m.pk for m in members]
    Member = _member_model()
    counts = dict(
        Member.objects.filter(parent_id__in=ids)
        .values_list("parent_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    volumes = _volumes(members, period)
    contacts = privacy.contacts(viewer, members)
    return [
        Node(
            member=m,
            level=levels[m.pk],
            first_line=counts.get(m.pk, 0),
            volume=volumes.get(m.pk) if volumes is not None else None,
            contact=contacts.get(m.pk),
        )
        for m in members
    ]


def _volumes(members, period):
    """This period's volume of each member, or ``None`` without the commissions app."""
    if period is None or not commissions_installed():
        return None
    from oscar_mlm.apps.mlm_commissions import volumes
    from oscar_mlm.money import ZERO

    distributors = [m.pk for m in members if m.is_distributor]
    others = [m.pk for m in members if not m.is_distributor]
    found = {
        **volumes.own_volumes(distributors, period.start, period.end),
        **volumes.personal_volumes(others, period.start, period.end),
    }
    return {m.pk: found.get(m.pk, ZERO) for m in members}


def children(viewer, parent, *, after=None, limit=None, period=None):
    """One page of ``parent``'s first line as :class:`Node`\\ s, oldest first, and the key
    (member number) of the next page or ``None``.

    ``parent`` is the viewer or a member of their downline (from
    :func:`privacy.downline_member`, with ``.level``).
    """
    limit = limit or page_size()
    rows = _member_model().objects.filter(parent_id=parent.pk).select_related("user")
    after = parse_id(after)
    if after is not None:
        rows = rows.filter(pk__gt=after)
    members = list(rows.order_by("pk")[: limit + 1])
    more = len(members) > limit
    members = members[:limit]
    level = parent.level + 1
    nodes = decorate(viewer, members, {m.pk: level for m in members}, period)
    return nodes, (members[-1].pk if more else None)


def _like(term):
    escaped = term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_terms(value):
    """The words of a name search, or ``None`` if the text cannot be searched for."""
    text = clean_text(value, SEARCH_MAX_LENGTH)
    if text is None:
        return None
    return text.split()


def downline_rows(viewer, filters, *, after=None, limit=None):
    """``[(member pk, level), ...]`` of the viewer's downline matching ``filters``, in
    (level, pk) order after the key ``after``: one statement, the CTE and the filters."""
    User = get_user_model()
    q = connection.ops.quote_name
    # The walk brings each member's kind, status and user: no join back to the members.
    cte, params = tree.downline_via_sponsors_cte(viewer, max_depth=filters.level)
    joins, where = [], []
    if filters.kind:
        where.append("down.kind = %s")
        params.append(filters.kind)
    if filters.status:
        where.append("down.status = %s")
        params.append(filters.status)
    if filters.level:
        where.append("down.level = %s")
        params.append(int(filters.level))
    if filters.q:
        user = q(User._meta.db_table)
        # The expression of the trigram index of migration mlm_network 0007.
        name = name_search_expression(
            q, User._meta.get_field("first_name").column,
            User._meta.get_field("last_name").column, alias="u",
        )  # fmt: skip
        joins.append(f"JOIN {user} u ON u.{q(User._meta.pk.column)} = down.user_id")
        for word in filters.q.split():
            where.append(f"{name} LIKE %s ESCAPE '\\'")
            params.append(_like(word))
    if after is not None:
        where.append("(down.level > %s OR (down.level = %s AND down.id > %s))")
        params.extend([after.level, after.level, after.pk])
    sql = cte + " SELECT down.id, down.level FROM down " + " ".join(joins)
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY down.level, down.id"
    if limit is not None:
        sql += " LIMIT %s"
        params.append(int(limit))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _nodes(viewer, rows, period):
    by_pk = _member_model().objects.select_related("user").in_bulk([pk for pk, _l in rows])
    members = [by_pk[pk] for pk, _level in rows if pk in by_pk]
    return decorate(viewer, members, dict(rows), period)


def downline_page(viewer, filters, *, after=None, limit=None, period=None):
    """One page of the list (or search) of the viewer's downline, and the next page's
    :class:`Key` or ``None``."""
    limit = limit or page_size()
    rows = downline_rows(viewer, filters, after=after, limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    next_key = Key(rows[-1][1], rows[-1][0]) if more else None
    return _nodes(viewer, rows, period), next_key


def iter_downline(viewer, filters, *, period=None, batch=2000):
    """Every :class:`Node` of the list, batch by batch by key (for the CSV export)."""
    after = None
    while True:
        rows = downline_rows(viewer, filters, after=after, limit=batch)
        if not rows:
            return
        yield from _nodes(viewer, rows, period)
        if len(rows) < batch:
            return
        after = Key(rows[-1][1], rows[-1][0])


def path_to(viewer, member):
    """The members from ``viewer``'s first line down to ``member`` (its sponsors), for the
    breadcrumb of the tree; ``member`` must be in the viewer's downline."""
    ids = tree.upline_ids(member, max_depth=member.level)
    ids = list(reversed(ids[: max(0, member.level - 1)]))  # below the viewer, top first
    by_pk = _member_model().objects.select_related("user").in_bulk(ids)
    path = [by_pk[pk] for pk in ids if pk in by_pk]
    for level, node in enumerate(path, start=1):
        node.level = level
    return path


def downline_size(viewer):
    return tree.downline_size(viewer, via_sponsors=True)
