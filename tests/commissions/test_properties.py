"""The production run against the reference implementation, on random networks and orders."""

import datetime as dt
from decimal import Decimal as D

import numpy as np
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_commissions import engine, services

from . import reference
from .helpers import Book

Statement = get_model("mlm_commissions", "CommissionStatement")
Line = get_model("mlm_commissions", "CommissionLine")


@st.composite
def worlds(draw, max_distributors=14, max_orders=24):
    n = draw(st.integers(1, max_distributors))
    # member 0 is the company; distributors 1..n, each below an earlier one (chains and width)
    parents = [draw(st.integers(0, i - 1)) for i in range(1, n + 1)]
    active = [draw(st.booleans()) or draw(st.booleans()) for _ in range(n)]
    c = draw(st.integers(0, 8))
    customer_parents = [draw(st.integers(1, n)) for _ in range(c)]
    orders = []
    for number in range(draw(st.integers(0, max_orders))):
        who = draw(st.integers(-1, n + c))  # -1: a guest
        owner = draw(st.integers(0, n)) if who == -1 else None
        parts = draw(st.lists(
            st.tuples(st.integers(0, 40_000), st.booleans() | st.just(True)),
            min_size=1, max_size=3))
        orders.append((1000 + number, who, owner, parts))
    levels = draw(st.integers(1, 4))
    rate = st.integers(0, 80_000)  # rate units: 0 .. 8 %, four decimals
    plan = {
        "levels": levels,
        "rates": [draw(rate) for _ in range(levels)],
        "own_rate": draw(rate),
        "minimum": draw(st.integers(0, 30_000)),
        "compression": draw(st.booleans()),
    }
    return parents, active, customer_parents, orders, plan


def as_reference(parents, active, customer_parents, orders, plan):
    """The world in the reference's terms (member ids = positions, 0 = the company)."""
    n = len(parents)
    members = {0: (None, "company", True)}
    for i, (p, a) in enumerate(zip(parents, active, strict=True), start=1):
        members[i] = (p, "distributor", a)
    for j, p in enumerate(customer_parents, start=n + 1):
        members[j] = (p, "customer", True)
    grouped = []
    for number, who, owner, parts in orders:
        if who == -1:
            buyer, own = None, owner
        elif who == 0:
            buyer, own = None, 0
        else:
            buyer = who
            own = who if who <= n else members[who][0]
        grouped.append((number, own, buyer,
                        [(D(v) / 100, c) for v, c in parts]))
    ref_plan = {
        "levels": plan["levels"],
        "rates": [D(r) / 10_000 for r in plan["rates"]],
        "own_rate": D(plan["own_rate"]) / 10_000,
        "minimum": D(plan["minimum"]) / 100,
        "compression": plan["compression"],
    }
    return members, grouped, ref_plan


REASONS = {v: k for k, v in services.REASONS.items()}


def engine_run(members, grouped, ref_plan):
    ids = [m for m, (_, kind, _) in members.items() if kind != "customer"]
    structure = engine.Structure.from_ids(
        ids,
        [-1 if members[m][0] is None else members[m][0] for m in ids],
        [members[m][1] == "distributor" for m in ids],
        [members[m][2] for m in ids],
        company_id=0,
    )
    rows = [(o, owner, buyer or 0, c, int(v * 100)) for o, owner, buyer, parts in grouped
            for v, c in parts]
    a = np.array(rows, dtype=np.int64).reshape(-1, 5)
    sales = engine.Sales.group(a[:, 0], a[:, 1], a[:, 2], a[:, 3] == 1, a[:, 4], a[:, 4])
    plan = engine.Plan(
        ref_plan["levels"], np.array([int(r * 10_000) for r in ref_plan["rates"]]),
        int(ref_plan["own_rate"] * 10_000), int(ref_plan["minimum"] * 100),
        ref_plan["compression"])
    return engine.compute(structure, plan, sales)


def expected_lines(lines):
    return sorted(
        (o, owner, buyer or 0, m, lvl, dist, reference.money(v), reference.money(a), paid, why,
         passed or 0)
        for o, owner, buyer, m, lvl, dist, v, _rate, a, paid, why, passed in lines
    )


@settings(max_examples=300, deadline=None)
@given(worlds())
def test_engine_matches_the_reference(world):
    members, grouped, ref_plan = as_reference(*world)
    statements, lines = reference.compute(members, 0, grouped, ref_plan)
    result = engine_run(members, grouped, ref_plan)
    got = sorted(
        (int(x["order"]), int(x["owner"]), int(x["buyer"]), int(x["beneficiary"]),
         int(x["level"]), int(x["distance"]), D(int(x["volume"])) / 100,
         D(int(x["amount"])) / 100, bool(x["paid"]), services.REASONS[int(x["reason"])],
         int(x["passed_to"]))
        for x in result.lines
    )
    assert got == expected_lines(lines)
    for m, figures in statements.items():
        got = services.RunResult(None, None, result, None, True, False, 0).statement(m)
        assert {k: got[k] for k in figures} == figures


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(world=worlds(max_distributors=8, max_orders=12))
def test_the_run_matches_the_reference(company, world):
    parents, active, customer_parents, orders, plan = world
    members, grouped, ref_plan = as_reference(*world)
    statements, lines = reference.compute(members, 0, grouped, ref_plan)
    with transaction.atomic():
        book = Book(company)
        names = {0: "company"}
        for i, (p, a) in enumerate(zip(parents, active, strict=True), start=1):
            names[i] = f"d{i}"
            book.distributor(f"d{i}", names[p], status="active" if a else "inactive")
        for j, p in enumerate(customer_parents, start=len(parents) + 1):
            names[j] = f"c{j}"
            book.customer(f"c{j}", names[p])
        for number, own, buyer, parts in grouped:
            book.sale(number, None, buyer=names.get(buyer) if buyer else None,
                      owner=names[own],
                      lines=[(str(v), c) for v, c in parts])
        services.create_plan(
            valid_from=dt.date(2025, 10, 1), levels=ref_plan["levels"],
            rates=ref_plan["rates"], own_volume_rate=ref_plan["own_rate"],
            minimum_own_volume=ref_plan["minimum"],
            unqualified_share="compression" if ref_plan["compression"] else "company")
        period = services.month_period("2025-10")
        services.run_period(period)
        pk = {i: book[name].pk for i, name in names.items()}
        order_pk = {n: book.orders[n].pk for n in book.orders}
        want = sorted(
            (order_pk[o], pk[owner], pk[buyer] if buyer else 0, pk[m], lvl, dist,
             v, a, paid, why, pk[passed] if passed else 0)
            for o, owner, buyer, m, lvl, dist, v, a, paid, why, passed in expected_lines(lines)
        )
        got = sorted(
            (x.order_id, x.owner_id, x.buyer_id or 0, x.beneficiary_id, x.level, x.distance,
             x.volume, x.amount, x.paid, services.REASONS[x.reason], x.passed_to_id or 0)
            for x in Line.objects.filter(period=period)
        )
        assert got == want
        stored = {s.member_id: s for s in Statement.objects.filter(period=period)}
        for m, figures in statements.items():
            s = stored[pk[m]]
            assert (s.personal_volume, s.own_volume, s.end_customer_volume, s.group_volume,
                    [D(x) for x in s.group_volume_levels], s.qualified, s.commission) == (
                figures["personal_volume"], figures["own_volume"],
                figures["end_customer_volume"], figures["group_volume"],
                figures["group_volume_levels"], figures["qualified"], figures["commission"])
        assert services.run_period(period).checksum == period.__class__.objects.get(
            pk=period.pk).checksum
        transaction.set_rollback(True)
