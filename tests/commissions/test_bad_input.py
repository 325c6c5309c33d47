"""Bad input answers with a clear message and changes nothing."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_commissions import runs, services
from oscar_mlm.apps.mlm_commissions.exceptions import CommissionError, PeriodClosed

Plan = get_model("mlm_commissions", "CommissionPlan")
Period = get_model("mlm_commissions", "CommissionPeriod")
Statement = get_model("mlm_commissions", "CommissionStatement")
Line = get_model("mlm_commissions", "CommissionLine")

OCT = dt.date(2025, 10, 1)
GOOD = {"levels": 3, "rates": ["10", "5", "3"], "own_volume_rate": "5",
        "minimum_own_volume": "50"}


def plan(**changes):
    return services.create_plan(valid_from=changes.pop("valid_from", OCT), **{**GOOD, **changes})


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"rates": ["10", "-5", "3"]}, "negative"),
        ({"own_volume_rate": "-1"}, "negative"),
        ({"rates": ["41", "5", "3"]}, "above the ceiling"),
        ({"rates": ["20", "10", "10"]}, "add up to 45"),
        ({"levels": 0, "rates": []}, "at least one level"),
        ({"levels": -2, "rates": []}, "at least one level"),
        ({"levels": 11, "rates": ["1"] * 11}, "at most 10 levels"),
        ({"levels": 3, "rates": ["10", "5"]}, "one rate per level"),
        ({"levels": "³", "rates": ["10", "5", "3"]}, "whole number"),
        ({"levels": "x", "rates": ["10", "5", "3"]}, "whole number"),
        ({"rates": ["10", "5", "²"]}, "not a number"),
        ({"rates": ["10", "5", "٣"]}, "not a number"),
        ({"rates": ["10", "5", "3\x00"]}, "not a number"),
        ({"rates": ["10", "5", "NaN"]}, "not a number"),
        ({"rates": ["10", "5", "1e999"]}, "above the ceiling"),
        ({"rates": ["10", "5", "3.00001"]}, "four decimal places"),
        ({"minimum_own_volume": "-10"}, "cannot be negative"),
        ({"minimum_own_volume": "10.001"}, "in cents"),
        ({"minimum_own_volume": "9" * 30}, "too large"),
        ({"unqualified_share": "nobody"}, "compression"),
    ],
)
def test_bad_plans_are_refused(db, commission_settings, changes, message):
    with pytest.raises(CommissionError) as error:
        plan(**changes)
    assert message in str(error.value.message)
    assert not Plan.objects.exists()


def test_ceiling_is_a_setting(db, settings):
    settings.OSCAR_MLM_COMMISSION_MAX_TOTAL_RATE = "20"
    with pytest.raises(CommissionError, match="add up to 23"):
        plan()
    settings.OSCAR_MLM_COMMISSION_MAX_TOTAL_RATE = "23"
    assert plan().total_rate == 23


def test_a_second_version_on_the_same_day_is_refused(db):
    plan()
    with pytest.raises(CommissionError, match="exists already"):
        plan(rates=["1", "1", "1"])
    assert Plan.objects.count() == 1


def test_the_version_valid_at_the_start_is_used(book):
    plan()
    later = plan(valid_from=dt.date(2025, 10, 15), rates=["1", "1", "1"])
    assert services.plan_for(OCT).levels == 3
    assert services.plan_for(OCT).rates[0] == 10
    assert services.plan_for(dt.date(2025, 11, 1)) == later
    with pytest.raises(CommissionError, match="No commission plan"):
        services.plan_for(dt.date(2025, 9, 30))


def test_periods_never_overlap(db):
    services.create_period(OCT)
    with pytest.raises(CommissionError, match="overlap"):
        services.create_period(dt.date(2025, 10, 15), dt.date(2025, 11, 15))
    with pytest.raises(CommissionError, match="overlap"):
        services.create_period(dt.date(2025, 9, 1), dt.date(2025, 10, 2))
    with pytest.raises(CommissionError, match="after it starts"):
        services.create_period(dt.date(2025, 12, 5), dt.date(2025, 12, 5))
    with pytest.raises(CommissionError, match="needs an end date"):
        services.create_period(dt.date(2025, 12, 5))
    assert Period.objects.count() == 1
    services.create_period(dt.date(2025, 11, 1), dt.date(2025, 11, 8))  # a week: fine
    assert Period.objects.count() == 2


@pytest.mark.parametrize("text", ["2025-13", "2025-1", "25-10", "2025-10-01", "²025-10",
                                  "2025-1０", "", "2025-10\x00", "x" * 500])
def test_bad_months(db, text):
    with pytest.raises(CommissionError, match="YYYY-MM"):
        services.parse_month(text)


def test_closing_twice_and_running_a_closed_period(book):
    plan()
    book.distributor("Anna")
    book.sale(1, "100.00", buyer="Anna")
    period = services.month_period("2025-10")
    services.close_period(period)
    before = (Statement.objects.count(), Line.objects.count(), Period.objects.get().checksum)
    with pytest.raises(PeriodClosed):
        services.close_period(period)
    with pytest.raises(PeriodClosed):
        services.run_period(period)
    with pytest.raises(PeriodClosed):
        services.run_period(period, preview=True)
    assert (Statement.objects.count(), Line.objects.count(),
            Period.objects.get().checksum) == before


def test_close_refuses_before_the_end_and_out_of_order(book):
    plan()
    october = services.month_period("2025-10")
    november = services.month_period("2025-11")
    with pytest.raises(CommissionError, match="Close the earlier period 2025-10"):
        services.close_period(november)
    with pytest.raises(CommissionError, match="has not ended yet"):
        services.close_period(october, now=runs.bounds(october)[0])
    assert not Period.objects.filter(status=Period.CLOSED).exists()


def test_run_without_a_plan(book):
    period = services.month_period("2025-10")
    with pytest.raises(CommissionError, match="No commission plan"):
        services.run_period(period)
    assert not Statement.objects.exists()


def test_a_plan_cannot_start_inside_closed_periods(book):
    plan()
    services.close_period(services.month_period("2025-10"))
    with pytest.raises(CommissionError, match="closed"):
        plan(valid_from=dt.date(2025, 10, 20))
    assert Plan.objects.count() == 1


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "either --period"),
        (["--period", "2025-10", "--period-id", "1"], "either --period"),
        (["--period", "2025/10"], "YYYY-MM"),
        (["--period", "２０２５-10"], "YYYY-MM"),
        (["--period-id", "²"], "no period number"),
        (["--period-id", "99999999999999999999999"], "no period number"),
        (["--period-id", "7\x00"], "no period number"),
    ],
)
def test_command_bad_input(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("mlm_commission_run", *args, "--no-progress")
    assert not Period.objects.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--valid-from", "2025-13-01", "--levels", "3", "--rates", "1,1,1"], "date"),
        (["--valid-from", "2025-10-01", "--levels", "3"], "needs --levels and --rates"),
        (["--valid-from", "2025-10-01", "--levels", "0", "--rates", ""], "at least one level"),
        (["--valid-from", "2025-10-01", "--levels", "2", "--rates", "30,20"], "ceiling"),
        (["--valid-from", "2025-10-01", "--levels", "2", "--rates", "3,-2"], "negative"),
        (["--valid-from", "2025-10-01\x00", "--levels", "2", "--rates", "3,2"], "NUL"),
    ],
)
def test_plan_command_bad_input(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("mlm_commission_plan", *args)
    assert not Plan.objects.exists()
