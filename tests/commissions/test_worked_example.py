"""The worked example of COMMISSIONS.md (docs/commissions.rst), to the cent.

Plan: level cap 3, rates 10 / 5 / 3 %, own-volume rate 5 %, minimum own
volume 50.00; seed 001's network; October and November, with 1002 refunded
after October closed. Both tables: without and with compression.
"""

import datetime as dt
from decimal import Decimal as D

import pytest
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_commissions import services

Line = get_model("mlm_commissions", "CommissionLine")
Statement = get_model("mlm_commissions", "CommissionStatement")

PLAN = {"levels": 3, "rates": ["10", "5", "3"], "own_volume_rate": "5",
        "minimum_own_volume": "50"}


def build_network(book):
    book.distributor("B1")
    book.distributor("C1", "B1")
    book.distributor("B2")
    book.distributor("C2", "B2")
    book.distributor("D1", "C2")
    book.distributor("E1", "D1")
    book.customer("E2", "D1")
    book.customer("C3", "B2")
    book.distributor("B3")


def october(book):
    book.sale(1001, "100.00", buyer="E1", day="2025-10-03")
    book.sale(1002, "80.00", buyer="E2", day="2025-10-05")
    book.sale(1003, "30.00", buyer="D1", day="2025-10-09")
    book.sale(1004, "200.00", buyer="C3", day="2025-10-12")
    book.sale(1005, "60.00", buyer="C1", day="2025-10-17")
    book.sale(1006, "40.00", buyer="B1", day="2025-10-20")
    book.sale(1007, "50.00", owner="B3", day="2025-10-24")  # a guest on B3's storefront
    book.sale(1008, "20.00", buyer="B2", day="2025-10-31")


def november(book):
    book.refund(1002, day="2025-11-04")
    book.sale(1101, "20.00", buyer="D1", day="2025-11-06")
    book.sale(1102, "100.00", buyer="C3", day="2025-11-11")
    book.sale(1103, "60.00", buyer="E1", day="2025-11-19")


@pytest.fixture
def example(book):
    build_network(book)
    october(book)
    return book


def table(book, period, kind=Line.COMMISSION):
    """{order number: [(beneficiary, level, amount, paid), ...]} by distance."""
    rows = {}
    for line in Line.objects.filter(period=period, kind=kind).order_by(
        "order_id", "distance", "reason"
    ):
        number = int(line.order.number)
        rows.setdefault(number, []).append(
            (book.name_of(line.beneficiary_id), line.level, line.amount, line.paid)
        )
    return rows


def totals(book, period):
    return {
        book.name_of(s.member_id): s.total
        for s in Statement.objects.filter(period=period)
        if s.total
    }


OCTOBER = {
    False: {
        1001: [("E1", 0, D("5.00"), True), ("D1", 1, D("10.00"), True),
               ("C2", 2, D("5.00"), False), ("B2", 3, D("3.00"), True)],
        1002: [("D1", 0, D("4.00"), True), ("C2", 1, D("8.00"), False),
               ("B2", 2, D("4.00"), True)],
        1003: [("D1", 0, D("1.50"), True), ("C2", 1, D("3.00"), False),
               ("B2", 2, D("1.50"), True)],
        1004: [("B2", 0, D("10.00"), True)],
        1005: [("C1", 0, D("3.00"), True), ("B1", 1, D("6.00"), False)],
        1006: [("B1", 0, D("2.00"), False)],
        1007: [("B3", 0, D("2.50"), True)],
        1008: [("B2", 0, D("1.00"), True)],
    },
    True: {
        # compression: C2 is skipped (its lines say so and to whom the share went)
        1001: [("E1", 0, D("5.00"), True), ("D1", 1, D("10.00"), True),
               ("C2", 2, D("5.00"), False), ("B2", 2, D("5.00"), True)],
        1002: [("D1", 0, D("4.00"), True), ("C2", 1, D("8.00"), False),
               ("B2", 1, D("8.00"), True)],
        1003: [("D1", 0, D("1.50"), True), ("C2", 1, D("3.00"), False),
               ("B2", 1, D("3.00"), True)],
        1004: [("B2", 0, D("10.00"), True)],
        1005: [("C1", 0, D("3.00"), True), ("B1", 1, D("6.00"), False)],
        1006: [("B1", 0, D("2.00"), False)],
        1007: [("B3", 0, D("2.50"), True)],
        1008: [("B2", 0, D("1.00"), True)],
    },
}
OCTOBER_TOTALS = {
    False: {"E1": D("5.00"), "D1": D("15.50"), "B2": D("19.50"), "C1": D("3.00"),
            "B3": D("2.50")},
    True: {"E1": D("5.00"), "D1": D("15.50"), "B2": D("27.00"), "C1": D("3.00"),
           "B3": D("2.50")},
}
NOVEMBER = {
    False: {
        1101: [("D1", 0, D("1.00"), False), ("C2", 1, D("2.00"), False),
               ("B2", 2, D("1.00"), True)],
        1102: [("B2", 0, D("5.00"), True)],
        1103: [("E1", 0, D("3.00"), True), ("D1", 1, D("6.00"), False),
               ("C2", 2, D("3.00"), False), ("B2", 3, D("1.80"), True)],
    },
    True: {
        1101: [("D1", 0, D("1.00"), False), ("C2", 1, D("2.00"), False),
               ("B2", 1, D("2.00"), True)],
        1102: [("B2", 0, D("5.00"), True)],
        1103: [("E1", 0, D("3.00"), True), ("D1", 1, D("6.00"), False),
               ("C2", 1, D("6.00"), False), ("B2", 1, D("6.00"), True)],
    },
}
CORRECTIONS = {
    False: {1002: [("D1", 0, D("-4.00"), True), ("B2", 2, D("-4.00"), True)]},
    True: {1002: [("D1", 0, D("-4.00"), True), ("B2", 1, D("-8.00"), True)]},
}
NOVEMBER_TOTALS = {
    False: {"E1": D("3.00"), "B2": D("3.80"), "D1": D("-4.00")},
    True: {"E1": D("3.00"), "B2": D("5.00"), "D1": D("-4.00")},
}


def make_plan(compression):
    return services.create_plan(
        valid_from=dt.date(2025, 10, 1),
        unqualified_share="compression" if compression else "company",
        **PLAN,
    )


@pytest.mark.parametrize("compression", [False, True], ids=["company", "compression"])
def test_october(example, compression):
    make_plan(compression)
    period = services.month_period("2025-10")
    run = services.run_period(period)
    assert table(example, period) == OCTOBER[compression]
    assert totals(example, period) == OCTOBER_TOTALS[compression]
    assert run.summary["orders"] == 8
    assert run.summary["total"] == str(sum(OCTOBER_TOTALS[compression].values()))


@pytest.mark.parametrize("compression", [False, True], ids=["company", "compression"])
def test_october_volumes(example, compression):
    make_plan(compression)
    period = services.month_period("2025-10")
    services.run_period(period)
    s = {example.name_of(x.member_id): x for x in Statement.objects.filter(period=period)}
    figures = {
        name: (x.personal_volume, x.own_volume, x.end_customer_volume, x.qualified)
        for name, x in s.items()
    }
    assert figures == {
        "B1": (D("40.00"), D("40.00"), D("0.00"), False),
        "C1": (D("60.00"), D("60.00"), D("0.00"), True),
        "B2": (D("20.00"), D("220.00"), D("200.00"), True),
        "C2": (D("0.00"), D("0.00"), D("0.00"), False),
        "D1": (D("30.00"), D("110.00"), D("80.00"), True),
        "E1": (D("100.00"), D("100.00"), D("0.00"), True),
        "B3": (D("0.00"), D("50.00"), D("50.00"), True),
    }
    levels = {name: (x.group_volume, x.group_volume_levels) for name, x in s.items()}
    assert levels["B2"] == (D("210.00"), ["0.00", "110.00", "100.00"])
    assert levels["C2"] == (D("210.00"), ["110.00", "100.00", "0.00"])
    assert levels["D1"] == (D("100.00"), ["100.00", "0.00", "0.00"])
    assert levels["B1"] == (D("60.00"), ["60.00", "0.00", "0.00"])
    assert levels["E1"] == (D("0.00"), ["0.00", "0.00", "0.00"])


def test_compression_says_where_the_share_went(example):
    make_plan(True)
    period = services.month_period("2025-10")
    services.run_period(period)
    skipped = Line.objects.get(period=period, order=example.orders[1001],
                               beneficiary=example["C2"])
    assert skipped.reason == Line.NOT_QUALIFIED
    assert skipped.passed_to_id == example["B2"].pk
    assert "0.00" in services.explain_line(skipped) and "50.00" in services.explain_line(skipped)
    # nobody qualified above B1: the company keeps C1's level-1 share
    kept = Line.objects.get(period=period, order=example.orders[1005], beneficiary=example["B1"])
    assert kept.passed_to_id is None and not kept.paid


@pytest.mark.parametrize("compression", [False, True], ids=["company", "compression"])
def test_november_after_the_refund(example, compression):
    make_plan(compression)
    october_period = services.month_period("2025-10")
    services.run_period(october_period)
    services.close_period(october_period)
    november(example)
    november_period = services.month_period("2025-11")
    services.run_period(november_period)
    assert table(example, november_period) == NOVEMBER[compression]
    assert table(example, november_period, Line.CORRECTION) == CORRECTIONS[compression]
    assert totals(example, november_period) == NOVEMBER_TOTALS[compression]
    d1 = Statement.objects.get(period=november_period, member=example["D1"])
    # the refund does not count towards November's volumes
    assert (d1.own_volume, d1.qualified, d1.corrections) == (D("20.00"), False, D("-4.00"))
    # October did not change
    assert table(example, october_period) == OCTOBER[compression]
    assert totals(example, october_period) == OCTOBER_TOTALS[compression]
    assert services.verify_period(october_period).ok

    # November closes; December carries D1's -4.00
    services.close_period(november_period)
    december = services.month_period("2025-12")
    services.run_period(december)
    d1 = Statement.objects.get(period=december, member=example["D1"])
    assert (d1.opening_balance, d1.total) == (D("-4.00"), D("-4.00"))
    b2 = Statement.objects.get(period=december, member=example["B2"])
    assert (b2.opening_balance, b2.total) == (D("0.00"), D("0.00"))
