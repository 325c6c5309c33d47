"""Real concurrent placements on PostgreSQL: every line recorded exactly once, with its owner."""

from decimal import Decimal as D

import pytest
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_network import services as network
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory
from tests.credit.test_concurrency import submit_one_order_at_once
from tests.network.test_concurrency import run_at_once

from .conftest import place_order, product

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

VolumeRecord = get_model("mlm_commissions", "VolumeRecord")
Order = get_model("order", "Order")


def test_simultaneous_orders_are_each_recorded_once_with_their_owner():
    company = network.ensure_company()
    anna = DistributorFactory(parent=company, handle="anna")
    ben = DistributorFactory(parent=anna, handle="ben")
    customers = [CustomerFactory(parent=anna if i % 2 else ben) for i in range(10)]
    cream, soap = product("10.00"), product("2.50")
    calls = [lambda c=c: place_order(c.user, (cream, 1), (soap, 2)).number for c in customers] + [
        lambda: place_order(ben.user, (cream, 3)).number
    ]
    results = run_at_once(*calls)
    assert all(kind == "ok" for kind, _ in results), results
    assert Order.objects.count() == 11
    assert VolumeRecord.objects.count() == 21
    for c in customers:
        rows = VolumeRecord.objects.filter(buyer=c)
        assert {r.owner_id for r in rows} == {c.parent_id}
        assert sum(r.volume for r in rows) == D("15.00")
    assert VolumeRecord.objects.get(buyer=ben).volume == D("30.00")
    assert sorted(VolumeRecord.objects.values_list("line_id", flat=True)) == sorted(
        get_model("order", "Line").objects.values_list("pk", flat=True)
    )


def test_the_same_place_order_pressed_ten_times_records_one_order_once():
    company = network.ensure_company()
    anna = DistributorFactory(parent=company, handle="anna")
    dora = CustomerFactory(parent=anna)
    results = submit_one_order_at_once(dora.user, product("10.00"), 10)
    assert all(kind == "ok" for kind, _ in results), results
    order = Order.objects.get()
    (row,) = VolumeRecord.objects.all()
    assert (row.order, row.owner, row.volume) == (order, anna, D("10.00"))


def test_a_sponsor_move_during_placements_gives_each_order_one_consistent_owner():
    """Each order sees the sponsor before or after the move, never a mix or nothing."""
    company = network.ensure_company()
    anna = DistributorFactory(parent=company, handle="anna")
    ben = DistributorFactory(parent=company, handle="ben")
    dora = CustomerFactory(parent=anna)
    cream = product("10.00")
    calls = [lambda: place_order(dora.user, (cream, 1), (product("1.00"), 1)).number] * 6
    calls.append(lambda: network.assign_sponsor(member=dora, new_sponsor=ben))
    results = run_at_once(*calls)
    assert all(kind == "ok" for kind, _ in results), results
    for order in Order.objects.all():
        owners = set(VolumeRecord.objects.filter(order=order).values_list("owner_id", "sponsor_id"))
        assert owners in ({(anna.pk, anna.pk)}, {(ben.pk, ben.pk)})
    assert VolumeRecord.objects.count() == 12
