"""Rule 7 end to end: an order recorded at placement, its period closed, then refunded by
Oscar's line status: correction lines in the open period, nothing counted in its volumes.

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

from .conftest import place_order, product

pytestmark = pytest.mark.django_db

Line = get_model("mlm_commissions", "CommissionLine")
Statement = get_model("mlm_commissions", "CommissionStatement")
SettledRefund = get_model("mlm_commissions", "SettledRefund")
VolumeRecord = get_model("mlm_commissions", "VolumeRecord")


@pytest.fixture
def last_month():
    first = timezone.localdate().replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def placed_in(month, user, *items):
    """An order placed in ``month``, recorded by the service as at placement."""
    order_placed.disconnect(dispatch_uid="mlm_commissions_record")
    try:
        order = place_order(user, *items)
    finally:
        order_placed.connect(record_volume, dispatch_uid="mlm_commissions_record")
    moment = timezone.make_aware(dt.datetime.combine(month.replace(day=10), dt.time(12)))
    type(order).objects.filter(pk=order.pk).update(date_placed=moment)
    order.refresh_from_db()
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
