"""Live volumes of a member for a date range (COMMISSIONS.md rule 3), read from the volume records.

* :func:`personal_volume`: what the member bought personally;
* :func:`own_volume` (Eigenumsatz): all volume the member owns: their personal volume as
  a distributor plus their customers' and attributed guests' orders;
* :func:`end_customer_volume`: the owned volume the member did not buy themself;
* :func:`group_volume`: the own volume of every distributor below the member, in total
  and per level (level 1 = the first line of distributors; customers are leaves);
* :func:`own_volumes` / :func:`personal_volumes`: those of many members at once (a page of
  the back office's structure), :func:`monthly_volumes`: own and group volume per month.

A range is the orders *placed* in ``[start, end)``, net of all their refunds booked so
far: live figures for the back office during a period. The commission run computes its
own figures in bulk, with the structure frozen for the period and refunds after a
period's close as corrections of the next one; see docs/volumes.rst.

Each function is one query on an index that starts at the member (``owner, placed`` /
``buyer, placed``, covering the volume on PostgreSQL); the group volume walks the
distributors below the member with the recursive CTE of ``mlm_network.tree``.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Q, Sum
from django.utils import timezone
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_network import tree
from oscar_mlm.money import ZERO, quantize

VolumeRecord = get_model("mlm_commissions", "VolumeRecord")


@dataclass
class GroupVolume:
    """``total`` and ``levels``, ``{level: volume}`` for every level that has distributors."""

    total: object = ZERO
    levels: dict = field(default_factory=dict)


@dataclass
class Volumes:
    personal: object = ZERO
    own: object = ZERO
    end_customer: object = ZERO


def _moment(value):
    """A date means its midnight in the current time zone."""
    if isinstance(value, datetime.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, datetime.date):
        return timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))
    raise TypeError("start and end are dates or datetimes")


def _records(start, end, currency):
    return VolumeRecord.objects.filter(
        placed__gte=_moment(start),
        placed__lt=_moment(end),
        currency=currency or settings.OSCAR_DEFAULT_CURRENCY,
    )


def _sum(queryset, **aggregates):
    values = queryset.aggregate(**aggregates)
    return {name: value if value is not None else ZERO for name, value in values.items()}


def _pk(member):
    return member if isinstance(member, int) else member.pk


def personal_volume(member, start, end, *, currency=None):
    """Volume of the orders ``member`` bought themself, placed in ``[start, end)``."""
    rows = _records(start, end, currency).filter(buyer_id=_pk(member))
    return _sum(rows, v=Sum("volume"))["v"]


def own_volume(member, start, end, *, currency=None):
    """Volume of every line ``member`` owns (Eigenumsatz), orders placed in ``[start, end)``."""
    rows = _records(start, end, currency).filter(owner_id=_pk(member))
    return _sum(rows, v=Sum("volume"))["v"]


def end_customer_volume(member, start, end, *, currency=None):
    """The part of the own volume ``member`` did not buy themself: customers and guests."""
    pk = _pk(member)
    rows = _records(start, end, currency).filter(owner_id=pk).exclude(buyer_id=pk)
    return _sum(rows, v=Sum("volume"))["v"]


def member_volumes(member, start, end, *, currency=None):
    """Personal, own and end-customer volume in two queries (the back office's figures)."""
    pk = _pk(member)
    records = _records(start, end, currency)
    owned = _sum(
        records.filter(owner_id=pk),
        own=Sum("volume"),
        end_customer=Sum("volume", filter=~Q(buyer_id=pk) | Q(buyer_id__isnull=True)),
    )
    personal = _sum(records.filter(buyer_id=pk), v=Sum("volume"))["v"]
    return Volumes(personal=personal, own=owned["own"], end_customer=owned["end_customer"])


def _by_member(column, member_ids, start, end, currency):
    ids = [_pk(m) for m in member_ids]
    if not ids:
        return {}
    rows = (
        _records(start, end, currency)
        .filter(**{f"{column}_id__in": ids})
        .values_list(f"{column}_id")
        .annotate(v=Sum("volume"))
        .order_by()
    )
    return {pk: _exact(volume) for pk, volume in rows}


def own_volumes(member_ids, start, end, *, currency=None):
    """``{member pk: own volume}`` of many members in one query (a page of a list);
    members without volume are left out."""
    return _by_member("owner", member_ids, start, end, currency)


def personal_volumes(member_ids, start, end, *, currency=None):
    """``{member pk: personal volume}`` of many members in one query; as :func:`own_volumes`."""
    return _by_member("buyer", member_ids, start, end, currency)


def group_volume(member, start, end, *, currency=None, max_levels=None):
    """Own volume of every distributor below ``member``, total and per level, in one query.

    ``max_levels`` stops the walk (e.g. at the plan's level cap). Levels count
    distributors only; a level whose distributors have no volume shows ``0.00``.
    """
    cte, params = tree.downline_cte(member, max_depth=max_levels, kind="distributor")
    table = connection.ops.quote_name(VolumeRecord._meta.db_table)
    sql = (
        f"{cte} SELECT down.level, SUM(v.volume) FROM down"
        f" LEFT JOIN {table} v ON v.owner_id = down.id"
        " AND v.placed >= %s AND v.placed < %s AND v.currency = %s"
        " GROUP BY down.level ORDER BY down.level"
    )
    params = params + [
        _moment(start),
        _moment(end),
        currency or settings.OSCAR_DEFAULT_CURRENCY,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    levels = {level: ZERO if total is None else _exact(total) for level, total in rows}
    return GroupVolume(total=sum(levels.values(), ZERO), levels=levels)


def monthly_volumes(member, start, end, *, currency=None, max_levels=None):
    """Own and group volume of ``member`` per calendar month of ``[start, end)``, for charts.

    ``{first day of month: (own, group)}`` for the months with volume, in two queries
    (the group's distributors from the same walk as :func:`group_volume`).
    """
    from django.db.models import DateField
    from django.db.models.expressions import RawSQL
    from django.db.models.functions import TruncMonth

    month = TruncMonth("placed", output_field=DateField())
    records = _records(start, end, currency)
    cte, params = tree.downline_cte(member, max_depth=max_levels, kind="distributor")
    below = RawSQL(cte + " SELECT id FROM down", params)
    result = {}
    for index, rows in enumerate(
        [records.filter(owner_id=_pk(member)), records.filter(owner_id__in=below)]
    ):
        for day, volume in (
            rows.annotate(m=month).values_list("m").annotate(v=Sum("volume")).order_by()
        ):
            pair = result.setdefault(day, [ZERO, ZERO])
            pair[index] = _exact(volume)
    return {day: tuple(pair) for day, pair in sorted(result.items())}


def _exact(value):
    # SQLite sums NUMERIC columns as floats; PostgreSQL gives exact Decimals.
    return quantize(value if isinstance(value, Decimal) else Decimal(str(value)))
