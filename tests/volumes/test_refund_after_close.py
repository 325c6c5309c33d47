"""Rule 7 end to end: an order recorded at placement, its period closed, then refunded by
Oscar's line status: correction lines in the open period, nothing counted in its volumes.
And its twin for sales: one placed in a period closed before it was recorded counts in the
next open period.

Runs on SQLite and, in the postgres stage, on PostgreSQL.
"""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone
from oscar.apps.order.signals import order_placed
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_commissions import services
from oscar_mlm.apps.mlm_commissions.receivers import record_volume
from oscar_mlm.apps.mlm_commissions.runs import bounds
from oscar_mlm.apps.mlm_commissions.services import recording

from .conftest import place_order, product
from .test_recording_paths import assert_both_ways_alike

pytestmark = pytest.mark.django_db

Line = get_model("mlm_commissions", "CommissionLine")
Statement = get_model("mlm_commissions", "CommissionStatement")
SettledRefund = get_model("mlm_commissions", "SettledRefund")
VolumeRecord = get_model("mlm_commissions", "VolumeRecord")


@pytest.fixture
def last_month():
    first = timezone.localdate().replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def placed_in(month, user, *items, record=True):
    """An order placed in ``month``, recorded by the service as at placement (if ``record``)."""
    order_placed.disconnect(dispatch_uid="mlm_commissions_record")
    try:
        order = place_order(user, *items)
    finally:
        order_placed.connect(record_volume, dispatch_uid="mlm_commissions_record")
    moment = timezone.make_aware(dt.datetime.combine(month.replace(day=10), dt.time(12)))
    type(order).objects.filter(pk=order.pk).update(date_placed=moment)
    order.refresh_from_db()
    if record:
        services.record_order(order)
    return order


def test_a_refund_of_a_closed_periods_order_becomes_correction_lines_in_the_open_period(
    settings, last_month, anna, ben
):
    settings.OSCAR_MLM_COMMISSION_MAX_TOTAL_RATE = "40"
    services.create_plan(
        valid_from=last_month, levels=1, rates=["10"], own_volume_rate="5", minimum_own_volume="0"
    )
    order = placed_in(last_month, ben.user, (product("30.00"), 2))
    closed = services.month_period(last_month)
    services.run_period(closed)
    services.close_period(closed)
    paid = sorted(
        Line.objects.filter(period=closed, order=order, paid=True).values_list(
            "beneficiary_id", "amount"
        )
    )
    assert (ben.pk, D("3.00")) in paid  # 5 % of Ben's own 60.00

    line = order.lines.get()
    line.set_status("Refunded")  # Oscar's line status: the receiver books the refund now
    (refund,) = VolumeRecord.objects.filter(order=order, kind="refund")
    assert refund.volume == D("-60.00")

    current = services.month_period(timezone.localdate())
    services.run_period(current)
    corrections = sorted(
        Line.objects.filter(period=current, kind=Line.CORRECTION).values_list(
            "beneficiary_id", "amount", "corrects_id"
        )
    )
    assert corrections == [(member, -amount, closed.pk) for member, amount in paid]
    # The refund does not count towards the open period's volumes.
    statement = Statement.objects.get(period=current, member=ben)
    assert (statement.own_volume, statement.corrections) == (D("0.00"), D("-3.00"))
    # The closed period never changed.
    assert services.verify_period(closed).ok
    services.close_period(current, now=timezone.now() + dt.timedelta(days=32))
    assert SettledRefund.objects.get(record=refund).how == SettledRefund.CORRECTED


def test_a_sale_placed_in_a_closed_period_counts_in_the_next_open_one(
    settings, last_month, anna, ben
):
    # A backdated import (or a placement that straddled the close) would otherwise be
    # booked into a period that no run will ever count again.
    settings.OSCAR_MLM_COMMISSION_MAX_TOTAL_RATE = "40"
    services.create_plan(
        valid_from=last_month, levels=1, rates=["10"], own_volume_rate="5", minimum_own_volume="0"
    )
    closed = services.month_period(last_month)
    services.run_period(closed)
    services.close_period(closed)

    order = placed_in(last_month, ben.user, (product("30.00"), 2), record=False)
    assert_both_ways_alike(order)  # the one statement and the Python rules; the latter's stay
    (record,) = VolumeRecord.objects.filter(order=order)
    start, end = bounds(closed)
    assert record.placed == order.date_placed and start <= record.placed < end
    assert record.booked == end  # the first moment after the closed period

    current = services.month_period(timezone.localdate())
    services.run_period(current)
    assert Statement.objects.get(period=current, member=ben).own_volume == D("60.00")
    paid = Line.objects.filter(period=current, order=order, paid=True)
    assert (ben.pk, D("3.00")) in paid.values_list("beneficiary_id", "amount")
    check = services.verify_period(closed)
    assert check.ok and check.late_records == 0


def test_closed_periods_in_a_row_pass_a_late_sale_on_to_the_first_open_time(
    settings, last_month, anna
):
    settings.OSCAR_MLM_COMMISSION_MAX_TOTAL_RATE = "40"
    before_last = (last_month - dt.timedelta(days=1)).replace(day=1)
    services.create_plan(valid_from=before_last, levels=1, rates=["10"], minimum_own_volume="0")
    periods = [services.month_period(month) for month in (before_last, last_month)]
    for period in periods:
        services.run_period(period)
        services.close_period(period)
    moment = bounds(periods[0])[0] + dt.timedelta(days=3)
    assert recording.booked_at(moment) == bounds(periods[1])[1]
    now = timezone.now()
    assert recording.booked_at(now) == now  # today's placements: no period to look up
