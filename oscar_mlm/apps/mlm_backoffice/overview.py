"""The figures of the back office's overview page, read live (nothing waits for a run).

This period against the last: personal, own, end-customer and group volume (the live
selectors of ``mlm_commissions.volumes``, fed by the volume record each order line gets
at placement), the estimate of the commission so far (``mlm_commissions.estimates``),
new first-line members; the credit balance (``mlm_credit``), the total of the
statements of periods not closed yet; a chart of own and group volume over the last
twelve months and one of new customers and partners per month in the whole downline.

A figure whose app is not installed is ``None`` and its box is left out.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db.models import Count, DateField, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from oscar_mlm import charts
from oscar_mlm.apps.mlm_network import tree
from oscar_mlm.money import ZERO, quantize

from . import customers

CHART_MONTHS = 12


@dataclass
class PeriodFigures:
    period: object  # mlm_commissions.estimates.Period
    new_first_line: int = 0
    personal: object = None
    own: object = None
    end_customer: object = None
    group: object = None
    group_levels: dict = field(default_factory=dict)


@dataclass
class Overview:
    member: object
    this: PeriodFigures
    last: PeriodFigures
    estimate: object = None
    plan: object = None
    credit: list = None  # [CreditAccount] or None without the credit app
    open_statements: list = None  # [(currency, total)] or None without statements
    first_line: int = 0
    customers: int = 0
    downline: int = 0
    due_follow_ups: int = 0
    volume_chart: object = None
    growth_chart: object = None
    currency: str = ""


def installed(label):
    return label in apps.app_configs


def overview(member, now=None):
    now = now or timezone.now()
    currency = settings.OSCAR_DEFAULT_CURRENCY
    this_period, last_period = _periods(now)
    this, last = PeriodFigures(this_period), PeriodFigures(last_period)
    Member = get_model("mlm_network", "Member")
    first_line = Member.objects.filter(parent_id=member.pk)
    for figures in (this, last):
        figures.new_first_line = first_line.filter(
            joined__gte=_moment(figures.period.start), joined__lt=_moment(figures.period.end)
        ).count()
    result = Overview(
        member=member,
        this=this,
        last=last,
        first_line=first_line.count(),
        customers=customers.own_customers(member).count(),
        downline=tree.downline_size(member, via_sponsors=True),
        due_follow_ups=customers.due_count(member),
        currency=currency,
    )
    months = _months(now)
    if installed("mlm_commissions"):
        _volumes(result, months, currency)
    if installed("mlm_credit"):
        CreditAccount = get_model("mlm_credit", "CreditAccount")
        result.credit = list(
            CreditAccount.objects.filter(user_id=member.user_id).order_by("currency")
        )
    result.growth_chart = _growth_chart(member, months)
    return result


def _periods(now):
    if installed("mlm_commissions"):
        from oscar_mlm.apps.mlm_commissions import estimates

        this = estimates.current_period(now)
        return this, estimates.period_before(this)
    # Without commission periods: calendar months.
    start = timezone.localdate(now).replace(day=1)
    before = (start - dt.timedelta(days=1)).replace(day=1)
    return Month(start, _next_month(start)), Month(before, start)


@dataclass(frozen=True)
class Month:
    start: dt.date
    end: dt.date
    period: object = None

    @property
    def label(self):
        return self.start.strftime("%Y-%m")


def _moment(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _months(now):
    first = timezone.localdate(now).replace(day=1)
    months = [first]
    for _i in range(CHART_MONTHS - 1):
        months.append((months[-1] - dt.timedelta(days=1)).replace(day=1))
    return list(reversed(months))


def _volumes(result, months, currency):
    from oscar_mlm.apps.mlm_commissions import estimates, volumes

    member = result.member
    result.plan = estimates.plan_of(result.this.period)
    cap = result.plan.levels if result.plan is not None else None
    for figures in (result.this, result.last):
        start, end = figures.period.start, figures.period.end
        own = volumes.member_volumes(member, start, end, currency=currency)
        group = volumes.group_volume(member, start, end, currency=currency, max_levels=cap)
        figures.personal, figures.own, figures.end_customer = (
            quantize(own.personal),
            quantize(own.own),
            quantize(own.end_customer),
        )
        figures.group, figures.group_levels = group.total, group.levels
        if figures is result.this and result.plan is not None:
            result.estimate = estimates.estimate_commission(
                member, figures.period, plan=result.plan, own_volume=figures.own, group=group,
                currency=currency,
            )  # fmt: skip
    Statement = get_model("mlm_commissions", "CommissionStatement")
    result.open_statements = list(
        Statement.objects.filter(member=member)
        .exclude(period__status="closed")
        .values_list("currency")
        .annotate(total=Sum("total"))
        .order_by("currency")
    )
    end = _next_month(months[-1])
    by_month = volumes.monthly_volumes(member, months[0], end, currency=currency, max_levels=cap)
    result.volume_chart = charts.bar_chart(
        _("Own and group volume per month (%(currency)s)") % {"currency": currency},
        [m.strftime("%m/%y") for m in months],
        [
            (_("Own volume"), [by_month.get(m, (ZERO, ZERO))[0] for m in months]),
            (_("Group volume"), [by_month.get(m, (ZERO, ZERO))[1] for m in months]),
        ],
    )


def _next_month(day):
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _growth_chart(member, months):
    Member = get_model("mlm_network", "Member")
    counts = {}
    rows = (
        tree.downline(member, via_sponsors=True)
        .filter(joined__gte=_moment(months[0]), kind__in=[Member.CUSTOMER, Member.DISTRIBUTOR])
        .annotate(month=TruncMonth("joined", output_field=DateField()))
        .values_list("month", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    for month, kind, n in rows:
        counts[(month, kind)] = n
    return charts.bar_chart(
        _("New customers and partners per month (whole downline)"),
        [m.strftime("%m/%y") for m in months],
        [
            (_("Customers"), [counts.get((m, Member.CUSTOMER), 0) for m in months]),
            (_("Partners"), [counts.get((m, Member.DISTRIBUTOR), 0) for m in months]),
        ],
    )
