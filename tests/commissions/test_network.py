"""A network computed by hand, every figure asserted (docs/commissions.rst, "A network by hand").

    company
    └── Alma (D)               first line; her customers Ina and Jon
        ├── Bert (D)           a chain: Alma > Bert > Cleo > Dana
        │   └── Cleo (D)       no October volume: unqualified in between
        │       └── Dana (D)   her customer Kai
        ├── Ella (D)           Alma's wide first line: Bert, Ella, Finn, Gus
        ├── Finn (D)           inactive
        └── Gus (D)            below the minimum

Plan: cap 3 levels, 6 / 4 / 2 %, own volume 3 %, minimum own volume 30.00.
"""

import datetime as dt
from decimal import Decimal as D

import pytest
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_commissions import services

from .test_worked_example import table, totals

Line = get_model("mlm_commissions", "CommissionLine")
Statement = get_model("mlm_commissions", "CommissionStatement")


@pytest.fixture
def network(book):
    book.distributor("Alma")
    book.distributor("Bert", "Alma")
    book.distributor("Cleo", "Bert")
    book.distributor("Dana", "Cleo")
    book.customer("Kai", "Dana")
    book.distributor("Ella", "Alma")
    book.distributor("Finn", "Alma", status="inactive")
    book.distributor("Gus", "Alma")
    book.customer("Ina", "Alma")
    book.customer("Jon", "Alma")
    book.sale(2001, "50.00", buyer="Dana", day="2025-10-02")
    book.sale(2002, "120.00", buyer="Kai", day="2025-10-04")
    book.sale(2003, "70.00", buyer="Ina", day="2025-10-08")
    # Jon: 15.00 of products and a starter kit of 25.00 that is not commissionable
    book.sale(2004, None, buyer="Jon", day="2025-10-10",
              lines=[("15.00", True), ("25.00", False)])
    book.sale(2005, "40.00", buyer="Ella", day="2025-10-13")
    book.sale(2006, "80.00", buyer="Finn", day="2025-10-16")
    book.sale(2007, "20.00", buyer="Gus", day="2025-10-21")
    book.sale(2008, "35.00", buyer="Bert", day="2025-10-30")
    return book


def plan(compression):
    services.create_plan(valid_from=dt.date(2025, 10, 1), levels=3, rates=["6", "4", "2"],
                         own_volume_rate="3", minimum_own_volume="30",
                         unqualified_share="compression" if compression else "company")


def volumes(book, period):
    return {
        book.name_of(s.member_id): (
            s.personal_volume, s.own_volume, s.end_customer_volume, s.group_volume,
            [D(x) for x in s.group_volume_levels], s.qualified,
        )
        for s in Statement.objects.filter(period=period)
    }


OCTOBER_VOLUMES = {
    #        PV            OV            end-customer   GV total       GV per level 1, 2, 3
    "Alma": (D("0.00"), D("85.00"), D("85.00"), D("345.00"),
             [D("175.00"), D("0.00"), D("170.00")], True),
    "Bert": (D("35.00"), D("35.00"), D("0.00"), D("170.00"),
             [D("0.00"), D("170.00"), D("0.00")], True),
    "Cleo": (D("0.00"), D("0.00"), D("0.00"), D("170.00"),
             [D("170.00"), D("0.00"), D("0.00")], False),
    "Dana": (D("50.00"), D("170.00"), D("120.00"), D("0.00"), [D("0.00")] * 3, True),
    "Ella": (D("40.00"), D("40.00"), D("0.00"), D("0.00"), [D("0.00")] * 3, True),
    "Finn": (D("80.00"), D("80.00"), D("0.00"), D("0.00"), [D("0.00")] * 3, False),
    "Gus": (D("20.00"), D("20.00"), D("0.00"), D("0.00"), [D("0.00")] * 3, False),
}

OCTOBER = {
    False: {
        2001: [("Dana", 0, D("1.50"), True), ("Cleo", 1, D("3.00"), False),
               ("Bert", 2, D("2.00"), True), ("Alma", 3, D("1.00"), True)],
        2002: [("Dana", 0, D("3.60"), True), ("Cleo", 1, D("7.20"), False),
               ("Bert", 2, D("4.80"), True), ("Alma", 3, D("2.40"), True)],
        2003: [("Alma", 0, D("2.10"), True)],
        2004: [("Alma", 0, D("0.45"), True), ("Alma", 0, D("0.00"), False)],
        2005: [("Ella", 0, D("1.20"), True), ("Alma", 1, D("2.40"), True)],
        2006: [("Finn", 0, D("2.40"), False), ("Alma", 1, D("4.80"), True)],
        2007: [("Gus", 0, D("0.60"), False), ("Alma", 1, D("1.20"), True)],
        2008: [("Bert", 0, D("1.05"), True), ("Alma", 1, D("2.10"), True)],
    },
    True: {
        2001: [("Dana", 0, D("1.50"), True), ("Cleo", 1, D("3.00"), False),
               ("Bert", 1, D("3.00"), True), ("Alma", 2, D("2.00"), True)],
        2002: [("Dana", 0, D("3.60"), True), ("Cleo", 1, D("7.20"), False),
               ("Bert", 1, D("7.20"), True), ("Alma", 2, D("4.80"), True)],
        2003: [("Alma", 0, D("2.10"), True)],
        2004: [("Alma", 0, D("0.45"), True), ("Alma", 0, D("0.00"), False)],
        2005: [("Ella", 0, D("1.20"), True), ("Alma", 1, D("2.40"), True)],
        2006: [("Finn", 0, D("2.40"), False), ("Alma", 1, D("4.80"), True)],
        2007: [("Gus", 0, D("0.60"), False), ("Alma", 1, D("1.20"), True)],
        2008: [("Bert", 0, D("1.05"), True), ("Alma", 1, D("2.10"), True)],
    },
}
OCTOBER_TOTALS = {
    False: {"Alma": D("16.45"), "Bert": D("7.85"), "Dana": D("5.10"), "Ella": D("1.20")},
    True: {"Alma": D("19.85"), "Bert": D("11.25"), "Dana": D("5.10"), "Ella": D("1.20")},
}
NOVEMBER = {
    False: {
        2101: [("Cleo", 0, D("1.35"), True), ("Bert", 1, D("2.70"), False),
               ("Alma", 2, D("1.80"), True)],
        2102: [("Dana", 0, D("0.30"), False), ("Cleo", 1, D("0.60"), True),
               ("Bert", 2, D("0.40"), False), ("Alma", 3, D("0.20"), True)],
        2103: [("Alma", 0, D("0.90"), True)],
    },
    True: {
        2101: [("Cleo", 0, D("1.35"), True), ("Bert", 1, D("2.70"), False),
               ("Alma", 1, D("2.70"), True)],
        2102: [("Dana", 0, D("0.30"), False), ("Cleo", 1, D("0.60"), True),
               ("Bert", 2, D("0.40"), False), ("Alma", 2, D("0.40"), True)],
        2103: [("Alma", 0, D("0.90"), True)],
    },
}
CORRECTIONS = {
    # 40.00 of order 2002 refunded after October closed: the October shares, in proportion
    False: {2002: [("Dana", 0, D("-1.20"), True), ("Bert", 2, D("-1.60"), True),
                   ("Alma", 3, D("-0.80"), True)]},
    True: {2002: [("Dana", 0, D("-1.20"), True), ("Bert", 1, D("-2.40"), True),
                  ("Alma", 2, D("-1.60"), True)]},
}
NOVEMBER_TOTALS = {
    False: {"Cleo": D("1.95"), "Alma": D("2.10"), "Dana": D("-1.20"), "Bert": D("-1.60")},
    True: {"Cleo": D("1.95"), "Alma": D("2.40"), "Dana": D("-1.20"), "Bert": D("-2.40")},
}


@pytest.mark.parametrize("compression", [False, True], ids=["company", "compression"])
def test_two_months_by_hand(network, compression):
    plan(compression)
    october = services.month_period("2025-10")
    services.run_period(october)
    assert volumes(network, october) == OCTOBER_VOLUMES
    assert table(network, october) == OCTOBER[compression]
    assert totals(network, october) == OCTOBER_TOTALS[compression]
    services.close_period(october)

    network.refund(2002, day="2025-11-03", volume="40.00")
    network.sale(2101, "45.00", buyer="Cleo", day="2025-11-05")
    network.sale(2102, "10.00", buyer="Kai", day="2025-11-12")
    network.sale(2103, "30.00", buyer="Ina", day="2025-11-28")
    november = services.month_period("2025-11")
    services.run_period(november)
    figures = volumes(network, november)
    assert {n: f[1] for n, f in figures.items()} == {
        "Alma": D("30.00"), "Bert": D("0.00"), "Cleo": D("45.00"), "Dana": D("10.00"),
        "Ella": D("0.00"), "Finn": D("0.00"), "Gus": D("0.00")}
    assert {n for n, f in figures.items() if f[5]} == {"Alma", "Cleo"}
    assert table(network, november) == NOVEMBER[compression]
    assert table(network, november, Line.CORRECTION) == CORRECTIONS[compression]
    assert totals(network, november) == NOVEMBER_TOTALS[compression]
    # October is untouched by the refund
    assert totals(network, october) == OCTOBER_TOTALS[compression]
    services.close_period(november)

    december = services.month_period("2025-12")
    services.run_period(december)
    carried = {
        network.name_of(s.member_id): s.opening_balance
        for s in Statement.objects.filter(period=december) if s.opening_balance
    }
    assert carried == {"Dana": D("-1.20"),
                       "Bert": NOVEMBER_TOTALS[compression]["Bert"]}
    assert services.verify_period(october).ok and services.verify_period(november).ok


def test_why_not_lines_explain(network):
    plan(False)
    october = services.month_period("2025-10")
    services.run_period(october)
    orders = network.orders
    cleo = Line.objects.get(period=october, order=orders[2001], beneficiary=network["Cleo"])
    assert services.explain_line(cleo) == (
        "Not paid: own volume 0.00 is below the minimum 30.00. "
        "The company keeps the share (3.00).")
    finn = Line.objects.get(period=october, order=orders[2006], beneficiary=network["Finn"])
    assert services.explain_line(finn).startswith("Not paid: inactive")
    kit = Line.objects.get(period=october, order=orders[2004], reason=Line.NOT_COMMISSIONABLE)
    assert (kit.volume, services.explain_line(kit)) == (
        D("25.00"), "Not paid: the product is not commissionable.")
    path = services.order_path(october, orders[2002])
    assert [network.name_of(x.beneficiary_id) for x in path] == ["Dana", "Cleo", "Bert", "Alma"]
    assert [x.distance for x in path] == [0, 1, 2, 3]


def test_beyond_the_cap(book):
    """A chain longer than the cap: the first distributor beyond it gets a why-not line."""
    services.create_plan(valid_from=dt.date(2025, 10, 1), levels=2, rates=["5", "5"])
    names = ["L1", "L2", "L3", "L4"]
    sponsor = "company"
    for name in names:
        book.distributor(name, sponsor)
        sponsor = name
    book.distributor("Leaf", "L4")
    book.sale(1, "10.00", buyer="Leaf")
    period = services.month_period("2025-10")
    services.run_period(period)
    assert table(book, period) == {1: [
        ("Leaf", 0, D("0.00"), False), ("L4", 1, D("0.50"), True), ("L3", 2, D("0.50"), True),
        ("L2", 3, D("0.00"), False)]}
    beyond = Line.objects.get(period=period, beneficiary=book["L2"])
    assert beyond.reason == Line.BEYOND_CAP
    assert services.explain_line(beyond) == "Not paid: beyond the plan's 2 levels."


def test_explanations_in_german(network):
    from django.utils import translation

    plan(True)
    october = services.month_period("2025-10")
    services.run_period(october)
    cleo = Line.objects.get(period=october, order=network.orders[2001],
                            beneficiary=network["Cleo"])
    with translation.override("de"):
        text = services.explain_line(cleo)
    assert text.startswith("Nicht bezahlt: Eigenumsatz 0.00 liegt unter dem Minimum 30.00.")
    assert "Die Kompression hat den Anteil an" in text
