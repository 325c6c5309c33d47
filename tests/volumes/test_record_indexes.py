"""Each index of the volume records serves a read, and there is no other (PostgreSQL).

Every index costs every placement a write (docs/benchmarks.rst), so the table
keeps exactly those some query uses. The plans are taken with sequential scans
off: on the empty test table that shows which index a read can use.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_commissions import volumes
from oscar_mlm.apps.mlm_commissions.signup import guest_order_sponsor

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

VolumeRecord = get_model("mlm_commissions", "VolumeRecord")
TABLE = VolumeRecord._meta.db_table
START, END = datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)


def indexes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [TABLE])
        return {row[0] for row in cursor.fetchall()}


def plan(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def plans_of(call):
    """The plans of the queries ``call`` runs on the volume records."""
    with CaptureQueriesContext(connection) as queries:
        call()
    return [plan(q["sql"]) for q in queries if TABLE in q["sql"]]


def orm_plan(queryset):
    # Unordered: on an empty table the planner would walk the primary key to skip a sort.
    return plan(*queryset.order_by().query.sql_with_params())


def test_the_records_have_exactly_the_indexes_reads_use():
    assert indexes() == {
        f"{TABLE}_pkey",
        "mlm_volume_idempotency_key",
        "mlm_volume_booked",
        "mlm_volume_owner_placed",
        "mlm_volume_buyer_placed",
        "mlm_volume_guest_email",
        "mlm_volume_refund_of",
    }


def test_no_pattern_ops_twin_of_the_key():
    # unique=True on a CharField would add one (for LIKE); nothing runs LIKE on keys.
    assert not any(name.endswith("_like") for name in indexes())


@pytest.mark.parametrize(
    "function",
    [volumes.own_volume, volumes.end_customer_volume, volumes.member_volumes],
)
def test_a_members_own_volume_reads_the_owner_index(function):
    (found,) = plans_of(lambda: function(1, START, END))[:1]
    assert "mlm_volume_owner_placed" in found, found


def test_group_volume_joins_the_owner_index():
    found = plans_of(lambda: volumes.group_volume(1, START, END))
    assert any("mlm_volume_owner_placed" in p for p in found), found


@pytest.mark.parametrize("function", [volumes.personal_volume, volumes.personal_volumes])
def test_personal_volume_reads_the_buyer_index(function):
    member = [1] if function is volumes.personal_volumes else 1
    (found,) = plans_of(lambda: function(member, START, END))
    assert "mlm_volume_buyer_placed" in found, found


def test_a_guests_sign_up_reads_the_guest_email_index():
    (found,) = plans_of(lambda: guest_order_sponsor("guest@example.com"))
    assert "mlm_volume_guest_email" in found, found


def test_refunds_read_the_key_and_refund_of_indexes():
    # What services/refunds.py asks, in its order: the sales of an order's lines
    # (by their keys), the refund's keys, the refunds of those sales.
    sales = VolumeRecord.objects.filter(
        idempotency_key__in=["sale:line:1", "sale:line:2"], order_id=1, kind=VolumeRecord.SALE
    )
    assert "mlm_volume_idempotency_key" in orm_plan(sales)
    keys = VolumeRecord.objects.filter(idempotency_key__in=["refund:x:1", "refund:x:2"])
    assert "mlm_volume_idempotency_key" in orm_plan(keys)
    refunds = VolumeRecord.objects.filter(refund_of__in=[1, 2])
    assert "mlm_volume_refund_of" in orm_plan(refunds)


def test_the_recording_finds_a_recorded_line_by_its_key():
    from oscar_mlm.apps.mlm_commissions.services import recording

    sql = f"SELECT {recording._RECORDED.format(record=TABLE)} FROM order_line l"
    assert "mlm_volume_idempotency_key" in plan(sql, ["sale:line:"])


def test_a_runs_sales_read_the_booked_index():
    # runs.load_sales: the sales booked in the period.
    found = plan(
        f"SELECT s.id FROM {TABLE} s WHERE s.kind = 'sale' AND s.booked >= %s AND s.booked < %s",
        [START, END],
    )
    assert "mlm_volume_booked" in found, found
