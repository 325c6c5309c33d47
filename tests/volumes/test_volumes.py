"""Live volumes: the worked example of COMMISSIONS.md, to the cent."""

import datetime
from decimal import Decimal as D

import pytest
from django.utils import timezone

from oscar_mlm.apps.mlm_commissions import services
from oscar_mlm.apps.mlm_commissions.volumes import (
    end_customer_volume,
    group_volume,
    member_volumes,
    monthly_volumes,
    own_volume,
    own_volumes,
    personal_volume,
    personal_volumes,
)
from oscar_mlm.apps.mlm_network import services as network
from oscar_mlm.placement import Placement, placing
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory

from .conftest import place_order, product

pytestmark = pytest.mark.django_db

OCTOBER = (datetime.date(2026, 10, 1), datetime.date(2026, 11, 1))
NOVEMBER = (datetime.date(2026, 11, 1), datetime.date(2026, 12, 1))


def day(month, number):
    return timezone.make_aware(datetime.datetime(2026, month, number, 12))


@pytest.fixture
def example(company):
    """Seed 001's network as in COMMISSIONS.md (D = distributor, C = customer)."""
    net = {"company": company}

    def add(name, parent, kind="distributor"):
        factory = DistributorFactory if kind == "distributor" else CustomerFactory
        extra = {"handle": name.lower()} if kind == "distributor" else {}
        net[name] = factory(parent=net[parent], user__first_name=name, **extra)

    add("B1", "company")
    add("C1", "B1")
    add("B2", "company")
    add("C2", "B2")
    add("D1", "C2")
    add("E1", "D1")
    add("E2", "D1", "customer")
    add("C3", "B2", "customer")
    add("B3", "company")
    return net


def buy(net, who, amount, when, number):
    item = product(amount)
    if who == "guest@B3":
        with placing(Placement(storefront=net["B3"])):
            return place_order(
                None, (item, 1), number=number, guest_email="g@example.com", date_placed=when
            )
    return place_order(net[who].user, (item, 1), number=number, date_placed=when)


@pytest.fixture
def october(example):
    orders = {}
    for number, who, amount in [
        ("1001", "E1", "100.00"),
        ("1002", "E2", "80.00"),
        ("1003", "D1", "30.00"),
        ("1004", "C3", "200.00"),
        ("1005", "C1", "60.00"),
        ("1006", "B1", "40.00"),
        ("1007", "guest@B3", "50.00"),
        ("1008", "B2", "20.00"),
    ]:
        orders[number] = buy(example, who, amount, day(10, 15), number)
    return orders


def test_the_worked_example_in_october(example, october):
    n = example
    own = {name: own_volume(n[name], *OCTOBER) for name in ("E1", "D1", "B2", "C1", "B1", "B3")}
    assert own == {
        "E1": D("100.00"),
        "D1": D("110.00"),
        "B2": D("220.00"),
        "C1": D("60.00"),
        "B1": D("40.00"),
        "B3": D("50.00"),
    }
    assert own_volume(n["C2"], *OCTOBER) == D("0.00")
    assert personal_volume(n["D1"], *OCTOBER) == D("30.00")
    assert personal_volume(n["B3"], *OCTOBER) == D("0.00")
    assert personal_volume(n["E2"], *OCTOBER) == D("80.00")  # a customer's own purchases
    assert own_volume(n["E2"], *OCTOBER) == D("0.00")  # ... count in their sponsor's OV
    assert end_customer_volume(n["D1"], *OCTOBER) == D("80.00")
    assert end_customer_volume(n["B2"], *OCTOBER) == D("200.00")
    assert end_customer_volume(n["B3"], *OCTOBER) == D("50.00")  # the guest
    assert end_customer_volume(n["E1"], *OCTOBER) == D("0.00")
    assert member_volumes(n["D1"], *OCTOBER).__dict__ == {
        "personal": D("30.00"),
        "own": D("110.00"),
        "end_customer": D("80.00"),
    }

    gv = group_volume(n["B2"], *OCTOBER)
    assert gv.levels == {1: D("0.00"), 2: D("110.00"), 3: D("100.00")}
    assert gv.total == D("210.00")
    assert group_volume(n["C2"], *OCTOBER).levels == {1: D("110.00"), 2: D("100.00")}
    assert group_volume(n["D1"], *OCTOBER).levels == {1: D("100.00")}  # E2 is a leaf
    assert group_volume(n["B1"], *OCTOBER).levels == {1: D("60.00")}
    assert group_volume(n["E1"], *OCTOBER).levels == {}
    assert group_volume(n["B2"], *OCTOBER, max_levels=2).levels == {1: D("0.00"), 2: D("110.00")}
    company = group_volume(n["company"], *OCTOBER)
    assert company.total == D("580.00")  # every distributor's OV; the company's own is not in
    assert own_volume(n["company"], *OCTOBER) == D("0.00")


def test_november_and_a_refund_of_an_october_order(example, october):
    n = example
    services.cancel_order(october["1002"], now=day(11, 3))
    for number, who, amount in [("1101", "D1", "20.00"), ("1102", "C3", "100.00")]:
        buy(n, who, amount, day(11, 10), number)
    buy(n, "E1", "60.00", day(11, 20), "1103")
    assert own_volume(n["D1"], *NOVEMBER) == D("20.00")
    assert own_volume(n["B2"], *NOVEMBER) == D("100.00")
    assert own_volume(n["E1"], *NOVEMBER) == D("60.00")
    # Live figures: the orders placed in October, net of their refunds so far.
    assert own_volume(n["D1"], *OCTOBER) == D("30.00")
    assert end_customer_volume(n["D1"], *OCTOBER) == D("0.00")
    assert group_volume(n["B2"], *OCTOBER).levels == {1: D("0.00"), 2: D("30.00"), 3: D("100.00")}


def test_a_sponsor_move_keeps_own_volume_where_it_was(example, october):
    n = example
    network.assign_sponsor(member=n["E2"], new_sponsor=n["E1"])
    assert own_volume(n["D1"], *OCTOBER) == D("110.00")
    assert own_volume(n["E1"], *OCTOBER) == D("100.00")
    # The group volume follows today's structure above the owners (live, not frozen).
    network.assign_sponsor(member=n["D1"], new_sponsor=n["B1"])
    assert group_volume(n["B2"], *OCTOBER).levels == {1: D("0.00")}
    assert group_volume(n["B1"], *OCTOBER).levels == {1: D("170.00"), 2: D("100.00")}


def test_ranges_currencies_and_dates(example, october):
    n = example
    assert own_volume(n["D1"], datetime.date(2026, 10, 16), datetime.date(2026, 11, 1)) == D("0")
    assert own_volume(n["D1"], day(10, 15), day(10, 16)) == D("110.00")
    assert own_volume(n["D1"], *OCTOBER, currency="USD") == D("0.00")
    assert own_volume(n["D1"].pk, *OCTOBER) == D("110.00")
    with pytest.raises(TypeError):
        own_volume(n["D1"], "2026-10-01", "2026-11-01")


def test_many_members_at_once_and_per_month(example, october):
    n = example
    buy(n, "E1", "60.00", day(11, 20), "1103")
    names = ("E1", "D1", "B2", "C2", "E2", "B3")
    own = own_volumes([n[name] for name in names], *OCTOBER)
    # One query for a page of members; those without volume are left out.
    assert own == {n[name].pk: own_volume(n[name], *OCTOBER) for name in names
                   if own_volume(n[name], *OCTOBER)}  # fmt: skip
    assert n["C2"].pk not in own and own[n["D1"].pk] == D("110.00")
    assert personal_volumes([n["D1"].pk, n["E2"].pk, n["B3"].pk], *OCTOBER) == {
        n["D1"].pk: D("30.00"),
        n["E2"].pk: D("80.00"),
    }
    assert own_volumes([], *OCTOBER) == {}
    months = monthly_volumes(n["B2"], OCTOBER[0], NOVEMBER[1])
    assert months == {
        datetime.date(2026, 10, 1): (D("220.00"), D("210.00")),
        datetime.date(2026, 11, 1): (D("0.00"), D("60.00")),
    }
    assert monthly_volumes(n["B2"], *OCTOBER, max_levels=2) == {
        datetime.date(2026, 10, 1): (D("220.00"), D("110.00")),
    }
