"""An estimate of a distributor's commission so far in an open period, from the live volumes.

The commission run (:func:`.services.run_period`) is what pays; it runs over the whole
network once a period. During the period a distributor wants to know where they stand,
so the back office shows an *estimate*: the plan valid at the period's start applied to
the live volumes of :mod:`.volumes`, read as orders are placed:

* the own-volume rate on the own volume (rule 6, level 0);
* the rate of level *k* on the group volume of level *k* (the own volume of the
  distributors *k* levels below), down to the plan's level cap;
* nothing of it if the distributor is inactive or their own volume is below the plan's
  minimum so far (rule 5; ``qualified`` and ``missing`` say how far off they are).

It differs from the run where the run knows more: the run takes the structure at the
period's end (moves until then change levels), rounds each order's share to the cent
(the estimate rounds each level's sum), nets refunds booked later, and with compression
pays shares that unqualified distributors below pass up, which the estimate leaves out
(it is then the lower bound of what the levels pay).
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from oscar.core.loading import get_model

from oscar_mlm.money import ZERO, quantize

from . import volumes
from .exceptions import CommissionError

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Period:
    """A date range ``[start, end)``: a commission period, or a calendar month without one."""

    start: dt.date
    end: dt.date
    period: object = None  # the CommissionPeriod, if there is one

    @property
    def label(self):
        if self.start.day == 1 and self.end == _next_month(self.start):
            return self.start.strftime("%Y-%m")
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


@dataclass(frozen=True)
class Share:
    level: int  # 0: the own volume
    volume: Decimal
    rate: Decimal  # percent
    amount: Decimal


@dataclass
class Estimate:
    plan: object
    currency: str
    own_volume: Decimal
    minimum: Decimal
    active: bool
    shares: list = field(default_factory=list)  # own volume first, then level 1, 2, ...
    compression: bool = False

    @property
    def qualified(self):
        return self.active and self.own_volume >= self.minimum

    @property
    def missing(self):
        """Own volume still needed to qualify (0 when qualified by volume)."""
        return max(ZERO, quantize(self.minimum - self.own_volume))

    @property
    def total(self):
        if not self.qualified:
            return ZERO
        return sum((share.amount for share in self.shares), ZERO)

    @property
    def total_if_qualified(self):
        return sum((share.amount for share in self.shares), ZERO)


def _next_month(day):
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _previous_month(day):
    return dt.date(day.year - (day.month == 1), (day.month - 2) % 12 + 1, 1)


def period_containing(day):
    """The commission period that contains ``day``, else the calendar month of ``day``."""
    Period_ = get_model("mlm_commissions", "CommissionPeriod")
    found = Period_.objects.filter(start__lte=day, end__gt=day).first()
    if found is not None:
        return Period(found.start, found.end, found)
    start = day.replace(day=1)
    return Period(start, _next_month(start))


def period_before(period):
    """The period that ends where ``period`` starts (a commission period, else the month)."""
    Period_ = get_model("mlm_commissions", "CommissionPeriod")
    found = Period_.objects.filter(end=period.start).first()
    if found is not None:
        return Period(found.start, found.end, found)
    start = (period.start - dt.timedelta(days=1)).replace(day=1)
    return Period(start, period.start)


def current_period(now=None):
    return period_containing(timezone.localdate(now))


def last_months(count, now=None):
    """The ``count`` calendar months up to this one, oldest first, as :class:`Period`\\ s."""
    start = timezone.localdate(now).replace(day=1)
    months = [start]
    for _i in range(count - 1):
        months.append(_previous_month(months[-1]))
    return [Period(m, _next_month(m)) for m in reversed(months)]


def plan_of(period):
    """The plan that applies to ``period`` (its own, once run; else the one valid at its
    start), or ``None`` when no plan is valid."""
    from . import services

    if period.period is not None and period.period.plan_id:
        return period.period.plan
    try:
        return services.plan_for(period.start)
    except CommissionError:
        return None


def estimate_commission(member, period, *, plan=None, own_volume=None, group=None, currency=None):
    """The :class:`Estimate` of ``member``'s commission in ``period`` so far, or ``None``
    without a plan.

    ``own_volume`` (a Decimal) and ``group`` (a :class:`.volumes.GroupVolume` read with the
    plan's level cap) can be passed when the caller has read them already.
    """
    plan = plan or plan_of(period)
    if plan is None:
        return None
    currency = currency or plan.currency or settings.OSCAR_DEFAULT_CURRENCY
    if own_volume is None:
        own_volume = volumes.own_volume(member, period.start, period.end, currency=currency)
    if group is None:
        group = volumes.group_volume(
            member, period.start, period.end, currency=currency, max_levels=plan.levels
        )
    own_rate = Decimal(plan.own_volume_rate or 0)
    shares = [Share(0, own_volume, own_rate, quantize(own_volume * own_rate / HUNDRED))]
    for level, rate in enumerate(plan.rates[: plan.levels], start=1):
        volume = group.levels.get(level, ZERO)
        shares.append(Share(level, volume, rate, quantize(volume * rate / HUNDRED)))
    return Estimate(
        plan=plan,
        currency=currency,
        own_volume=own_volume,
        minimum=Decimal(plan.minimum_own_volume or 0),
        active=member.is_active,
        shares=shares,
        compression=plan.compression,
    )
