"""Read-only figures of the staff reports: growth of the network and top distributors.

Each report is a few aggregated queries on indexes; none reads the whole network row by
row. Breakdowns below a member walk the tree from that member through its distributors
(``tree.downline_via_sponsors_cte``: customers are leaves), down to a given number of
levels only, and take the members they sponsor through the index on ``parent_id``.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Count, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncMonth
from django.utils import timezone
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_network import tree
from oscar_mlm.money import quantize

Member = get_model("mlm_network", "Member")


def month_starts(months, today=None):
    """The first days of the last ``months`` calendar months, oldest first (this one last)."""
    day = (today or timezone.localdate()).replace(day=1)
    starts = [day]
    for _ in range(months - 1):
        day = (day - datetime.timedelta(days=1)).replace(day=1)
        starts.append(day)
    return list(reversed(starts))


def _aware(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _below(queryset, root):
    if root is None or root.is_company:
        return queryset.exclude(kind=Member.COMPANY)
    cte, params = tree.downline_via_sponsors_cte(root)
    return queryset.filter(parent_id__in=RawSQL(f"{cte} SELECT id FROM sponsors", params))


def monthly_growth(months, root=None):
    """``[(month start, new customers, new distributors)]`` of members joined below
    ``root`` (default: the whole network), one grouped query."""
    starts = month_starts(months)
    rows = (
        _below(Member.objects.filter(joined__gte=_aware(starts[0])), root)
        .annotate(month=TruncMonth("joined"))
        .values("month", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        counts[(month.replace(day=1), row["kind"])] = row["n"]
    return [
        (start, counts.get((start, Member.CUSTOMER), 0), counts.get((start, Member.DISTRIBUTOR), 0))
        for start in starts
    ]


def level_growth(since, root, levels):
    """``[(level, new customers, new distributors)]`` of members joined since ``since``
    within ``levels`` levels below ``root`` (level 1: its first line)."""
    cte, params = tree.downline_via_sponsors_cte(root, max_depth=levels)
    table = connection.ops.quote_name(Member._meta.db_table)
    # Everyone whose sponsor is the root or a distributor of the walk, one level below it.
    # The IN lets PostgreSQL probe the parent_id index per sponsor; with the join alone it
    # guessed 40 000 sponsors and merge-joined the whole index (620 ms vs 53 ms, 1 M members).
    sql = (
        f"{cte} SELECT s.level + 1, m.kind, COUNT(*) FROM {table} m"
        " JOIN sponsors s ON s.id = m.parent_id"
        " WHERE m.parent_id IN (SELECT id FROM sponsors) AND m.joined >= %s"
        " GROUP BY s.level, m.kind"
    )
    with connection.cursor() as cursor:
        # Adapted as the ORM would: SQLite stores UTC text, a raw local time compared wrongly.
        cursor.execute(sql, params + [connection.ops.adapt_datetimefield_value(_aware(since))])
        rows = cursor.fetchall()
    counts = {(level, kind): n for level, kind, n in rows}
    return [
        (level, counts.get((level, Member.CUSTOMER), 0), counts.get((level, Member.DISTRIBUTOR), 0))
        for level in range(1, levels + 1)
    ]


def top_by_own_volume(start, end, limit, currency=None):
    """``[(member, own volume)]``: the distributors with the most own volume in the range."""
    VolumeRecord = get_model("mlm_commissions", "VolumeRecord")
    rows = (
        VolumeRecord.objects.filter(
            placed__gte=_aware(start),
            placed__lt=_aware(end),
            currency=currency or settings.OSCAR_DEFAULT_CURRENCY,
            owner__kind=Member.DISTRIBUTOR,
        )
        .values("owner_id")
        .annotate(total=Sum("volume"))
        .order_by("-total", "owner_id")[:limit]
    )
    return _with_members([(row["owner_id"], row["total"]) for row in rows])


def top_by_group_volume(start, end, limit, currency=None):
    """``[(member, group volume)]``: each owner's volume in the range is added to every
    distributor above it (one recursive walk up from the owners that sold), the same
    figure as ``mlm_commissions.volumes.group_volume`` without a level cap."""
    VolumeRecord = get_model("mlm_commissions", "VolumeRecord")
    members = connection.ops.quote_name(Member._meta.db_table)
    records = connection.ops.quote_name(VolumeRecord._meta.db_table)
    sql = (
        "WITH RECURSIVE sums(owner_id, total) AS ("
        f" SELECT owner_id, SUM(volume) FROM {records}"
        " WHERE placed >= %s AND placed < %s AND currency = %s GROUP BY owner_id),"
        " up(id, total) AS ("
        f" SELECT m.parent_id, s.total FROM sums s JOIN {members} m ON m.id = s.owner_id"
        " WHERE m.kind = %s AND m.parent_id IS NOT NULL"
        " UNION ALL"
        f" SELECT m.parent_id, up.total FROM up JOIN {members} m ON m.id = up.id"
        " WHERE m.parent_id IS NOT NULL)"
        f" SELECT up.id, SUM(up.total) FROM up JOIN {members} d ON d.id = up.id"
        " WHERE d.kind = %s GROUP BY up.id ORDER BY 2 DESC, 1 LIMIT %s"
    )
    params = [
        _aware(start),
        _aware(end),
        currency or settings.OSCAR_DEFAULT_CURRENCY,
        Member.DISTRIBUTOR,
        Member.DISTRIBUTOR,
        limit,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _with_members(rows)


def _with_members(rows):
    members = Member.objects.select_related("user").in_bulk([pk for pk, _total in rows])
    # str(): SQLite sums decimals as floats
    return [(members[pk], quantize(Decimal(str(total)))) for pk, total in rows if pk in members]
