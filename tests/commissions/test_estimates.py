"""The back office's estimate of the commission so far (mlm_commissions.estimates).

Without compression, the estimate of the worked example's October equals what the run
pays, to the cent; with compression it leaves out the shares passed up from
unqualified distributors below (a lower bound); without a plan there is no estimate.
"""

import datetime as dt
from decimal import Decimal as D

import pytest
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_commissions import estimates, services

from .test_worked_example import OCTOBER_TOTALS, PLAN, build_network, october

Statement = get_model("mlm_commissions", "CommissionStatement")
OCTOBER_2025 = estimates.Period(dt.date(2025, 10, 1), dt.date(2025, 11, 1))


@pytest.fixture
def example(book, commission_settings):
    build_network(book)
    october(book)
    return book


def plan(compression):
    return services.create_plan(
        valid_from=dt.date(2025, 1, 1),
        unqualified_share="compression" if compression else "company",
        **PLAN,
    )


def test_without_compression_the_estimate_is_what_the_run_pays(example):
    plan(compression=False)
    estimated = {
        name: estimates.estimate_commission(example[name], OCTOBER_2025).total
        for name in ("B1", "C1", "B2", "C2", "D1", "E1", "B3")
    }
    assert {name: total for name, total in estimated.items() if total} == OCTOBER_TOTALS[False]
    services.run_period(services.month_period("2025-10"))
    paid = {s.member_id: s.commission for s in Statement.objects.all()}
    for name, total in estimated.items():
        assert paid.get(example[name].pk, D("0.00")) == total, name


def test_the_parts_and_the_qualification(example):
    plan(compression=False)
    b2 = estimates.estimate_commission(example["B2"], OCTOBER_2025)
    assert [(s.level, s.volume, s.rate, s.amount) for s in b2.shares] == [
        (0, D("220.00"), D("5"), D("11.00")),
        (1, D("0.00"), D("10"), D("0.00")),
        (2, D("110.00"), D("5"), D("5.50")),
        (3, D("100.00"), D("3"), D("3.00")),
    ]
    assert b2.qualified and b2.missing == D("0.00") and b2.total == D("19.50")
    b1 = estimates.estimate_commission(example["B1"], OCTOBER_2025)
    assert not b1.qualified and b1.missing == D("10.00")
    assert b1.total == D("0.00") and b1.total_if_qualified == D("8.00")  # 2.00 own + 6.00 L1


def test_an_inactive_distributor_earns_nothing(example):
    plan(compression=False)
    e1 = example["E1"]
    e1.status = "inactive"
    e1.save()
    estimate = estimates.estimate_commission(e1, OCTOBER_2025)
    assert not estimate.qualified and estimate.total == D("0.00")


def test_with_compression_it_is_a_lower_bound(example):
    plan(compression=True)
    estimated = estimates.estimate_commission(example["B2"], OCTOBER_2025)
    assert estimated.compression and estimated.total == D("19.50")
    services.run_period(services.month_period("2025-10"))
    paid = Statement.objects.get(member=example["B2"]).commission
    assert paid == D("27.00") > estimated.total


def test_no_plan_no_estimate(example):
    assert estimates.estimate_commission(example["B2"], OCTOBER_2025) is None


def test_periods_are_commission_periods_else_calendar_months(example, settings):
    day = dt.date(2025, 10, 15)
    assert estimates.period_containing(day) == OCTOBER_2025
    period = services.create_period(dt.date(2025, 9, 15), dt.date(2025, 10, 20))
    found = estimates.period_containing(day)
    assert (found.start, found.end, found.period) == (period.start, period.end, period)
    before = estimates.period_before(found)
    assert (before.start, before.end) == (dt.date(2025, 9, 1), dt.date(2025, 9, 15))
    months = estimates.last_months(3, now=dt.datetime(2025, 1, 10, 12, tzinfo=dt.UTC))
    assert [m.label for m in months] == ["2024-11", "2024-12", "2025-01"]
