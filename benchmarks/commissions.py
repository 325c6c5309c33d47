#!/usr/bin/env python
"""Benchmark of the commission run on PostgreSQL: ours, the machine's limit, a naive ORM walk.

For each size it builds the skewed network of ``benchmarks/tree.py`` with the
demo generator (``oscar_mlm.demo``), as many orders as members in one month
(with their volume records), and times in one run, side by side:

ours
    ``services.run_period`` on the month: the structure at the end of the
    period, the records, volumes, qualification, 5-level commissions with the
    why-not lines, statements and lines written, snapshot and checksum, one
    transaction.
limit
    What the machine needs at least for the same results: the members'
    parent ids and the month's order volumes loaded with one query each (binary
    COPY), volumes, qualification and every line accumulated in memory with
    numpy in one straight pass, the lines and statements written with one binary
    COPY each into tables of the same columns and indexes.
naive
    A per-order, per-level walk with the ORM (``member.parent``, an aggregate
    query for each own volume, one ``save()`` per line) and a per-level walk per
    statement, on a sample, extrapolated to the whole month (labelled so).

Totals are compared exactly: every member's commission of ours against the
limit's independent computation, and a sample of lines against ``Decimal``.

Run it against a database of its own (its name must contain "bench"); it
empties the network, order and commission tables before each size::

    MLM_PG_DURABLE=1 scripts/throwaway-pg.sh start /tmp/bench-pg   # prints the URL
    DATABASE_URL=postgresql://postgres@127.0.0.1:PORT/mlm_bench \\
        python benchmarks/commissions.py --sizes 100000 1000000
"""

import argparse
import datetime as dt
import importlib.util
import os
import platform
import random
import sys
import threading
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings")
os.environ.setdefault("SANDBOX_DEBUG", "0")

# The current month: the generated members joined before now, so the structure at the
# period's end (now) is the table as it is.
MONTH = time.strftime("%Y-%m")
PLAN = {"levels": 5, "rates": ["10", "6", "4", "2", "1"], "own_volume_rate": "5",
        "minimum_own_volume": "40"}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--reps", type=int, default=2,
                        help="timed runs of ours and of the limit, taking turns (median)")
    parser.add_argument("--naive-orders", type=int, default=300,
                        help="orders in the naive sample (default 300)")
    parser.add_argument("--naive-statements", type=int, default=100,
                        help="statements in the naive sample (default 100)")
    parser.add_argument("--compression", action="store_true",
                        help="the plan compresses (default: the company keeps unqualified shares)")
    parser.add_argument("--quick", action="store_true", help="one network of 20 000, one rep")
    parser.add_argument("--fresh", action="store_true", help="drop and migrate the schema")
    parser.add_argument("--force", action="store_true",
                        help="run even if the database name does not contain 'bench'")
    args = parser.parse_args()
    if args.quick:
        if "--sizes" not in sys.argv:
            args.sizes = [20_000]
        args.reps = 1
        args.naive_orders = min(args.naive_orders, 50)
        args.naive_statements = min(args.naive_statements, 20)
    return args


def load_tree_module():
    spec = importlib.util.spec_from_file_location("bench_tree", ROOT / "benchmarks" / "tree.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- memory ---------------------------------------------------------------------------------


class PeakMemory:
    """Peak resident memory of this process while the block runs (sampled every 10 ms)."""

    def __enter__(self):
        self.start = self.peak = self._rss()
        self.running = True
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()
        return self

    def _watch(self):
        while self.running:
            self.peak = max(self.peak, self._rss())
            time.sleep(0.01)

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()
        self.peak = max(self.peak, self._rss())

    @property
    def mib(self):
        return (self.peak - self.start) / 2**20

    @staticmethod
    def _rss():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


# -- data -----------------------------------------------------------------------------------


def empty_tables():
    from django.contrib.auth import get_user_model
    from django.db import connection
    from oscar.core.loading import get_model

    q = connection.ops.quote_name
    tables = [
        get_model(app, name)._meta.db_table
        for app, name in [
            ("mlm_commissions", "CommissionLine"), ("mlm_commissions", "CommissionStatement"),
            ("mlm_commissions", "CommissionSnapshot"), ("mlm_commissions", "SettledRefund"),
            ("mlm_commissions", "CommissionPeriod"), ("mlm_commissions", "CommissionPlan"),
            ("mlm_commissions", "VolumeRecord"), ("order", "Line"), ("order", "Order"),
            ("mlm_network", "SponsorChange"), ("mlm_network", "StatusChange"),
            ("mlm_network", "Member"),
        ]
    ] + [get_user_model()._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(q(t) for t in tables)} RESTART IDENTITY CASCADE")
        cursor.execute("DROP TABLE IF EXISTS bench_limit_line, bench_limit_statement")


def ensure_products(count=40):
    from oscar.core.loading import get_model
    from oscar.test.factories import create_product

    Product = get_model("catalogue", "Product")
    rng = random.Random(7)
    have = Product.objects.filter(stockrecords__isnull=False).count()
    for i in range(have, count):
        create_product(title=f"Bench product {i}", price=Decimal(rng.randrange(500, 9000)) / 100,
                       num_in_stock=10**6)


def build(size, tree):
    from django.db import connection
    from oscar.core.loading import get_model

    from oscar_mlm.demo.network import write_network
    from oscar_mlm.demo.orders import generate_orders

    started = time.perf_counter()
    empty_tables()
    plan, _landmarks, shape = tree.plan_shape(size)
    written = write_network(plan, scatter=True, seed=42)
    print(f"  network of {size:,} members: {time.perf_counter() - started:6.1f} s", flush=True)
    step = time.perf_counter()
    ensure_products()
    made = generate_orders(size, months=[MONTH], seed=42, volume_records=True)
    print(f"  {made.orders:,} orders, {made.lines:,} lines, {made.volume_records:,} volume "
          f"records: {time.perf_counter() - step:6.1f} s", flush=True)
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        for app, name in [("mlm_network", "Member"), ("mlm_commissions", "VolumeRecord"),
                          ("order", "Order"), ("order", "Line")]:
            cursor.execute(f"VACUUM ANALYZE {q(get_model(app, name)._meta.db_table)}")
    del written
    return {"shape": shape, "orders": made.orders, "lines": made.lines,
            "records": made.volume_records, "load_seconds": time.perf_counter() - started}


def make_plan(args):
    from oscar_mlm.apps.mlm_commissions import services

    return services.create_plan(
        valid_from=dt.date(2000, 1, 1),
        unqualified_share="compression" if args.compression else "company", **PLAN)


# -- ours -----------------------------------------------------------------------------------


def forget_results():
    """Empty the commission results (untimed), so each timed run of ours is a first run."""
    from django.db import connection
    from oscar.core.loading import get_model

    q = connection.ops.quote_name
    tables = [get_model("mlm_commissions", n)._meta.db_table
              for n in ("CommissionLine", "CommissionStatement", "CommissionSnapshot")]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(q(t) for t in tables)}")
        for t in tables:
            cursor.execute(f"VACUUM ANALYZE {q(t)}")


def run_ours(period, first=True):
    from oscar_mlm.apps.mlm_commissions import services

    if first:
        forget_results()
    with PeakMemory() as memory:
        started = time.perf_counter()
        run = services.run_period(period)
        seconds = time.perf_counter() - started
    return seconds, memory.mib, run


# -- the machine's limit --------------------------------------------------------------------


def run_limit(period, plan_row, compression):
    """One query each for parents and volumes, numpy, one COPY each for lines and statements."""
    import numpy as np
    from django.db import connection, transaction
    from oscar.core.loading import get_model

    from oscar_mlm.apps.mlm_commissions import engine, runs
    from oscar_mlm.apps.mlm_commissions.pgcopy import copy_in, copy_out

    Member = get_model("mlm_network", "Member")
    VolumeRecord = get_model("mlm_commissions", "VolumeRecord")
    Line = get_model("mlm_commissions", "CommissionLine")
    q = connection.ops.quote_name
    start, end = runs.bounds(period)
    plan = runs.plan_for_engine(plan_row)
    with PeakMemory() as memory, transaction.atomic(), connection.cursor() as cursor:
        began = time.perf_counter()
        cursor.execute("TRUNCATE bench_limit_line, bench_limit_statement")
        members = copy_out(
            cursor,
            f"SELECT CAST(id AS BIGINT), CAST(COALESCE(parent_id, 0) AS BIGINT),"
            f" CAST(CASE kind WHEN 'distributor' THEN 1 WHEN 'company' THEN 2 ELSE 0 END AS INT),"
            f" CAST(CASE WHEN status = 'active' THEN 1 ELSE 0 END AS INT)"
            f" FROM {q(Member._meta.db_table)}",
            None, [("id", "int8"), ("parent", "int8"), ("kind", "int4"), ("active", "int4")])
        records = copy_out(
            cursor,
            f"SELECT CAST(order_id AS BIGINT), CAST(owner_id AS BIGINT),"
            f" CAST(COALESCE(buyer_id, 0) AS BIGINT), CAST(ROUND(volume * 100) AS BIGINT)"
            f" FROM {q(VolumeRecord._meta.db_table)}"
            f" WHERE kind = 'sale' AND booked >= %s AND booked < %s",
            [start, end], [("order", "int8"), ("owner", "int8"), ("buyer", "int8"),
                           ("volume", "int8")])
        loaded = time.perf_counter()
        # ids are dense: index arrays by member id directly
        size = int(members["id"].max()) + 1
        parent = np.full(size, -1, dtype=np.int64)
        parent[members["id"]] = np.where(members["parent"] > 0, members["parent"], -1)
        kind = np.zeros(size, dtype=np.int8)
        kind[members["id"]] = members["kind"]
        active = np.zeros(size, dtype=bool)
        active[members["id"]] = members["active"] == 1
        company = int(members["id"][members["kind"] == 2][0])
        parent[company] = -1
        # one row per order (an order has one owner)
        order_ids, first, inverse = np.unique(records["order"], return_index=True,
                                              return_inverse=True)
        volume = np.zeros(len(order_ids), dtype=np.int64)
        np.add.at(volume, inverse, records["volume"])
        owner = records["owner"][first]
        buyer = records["buyer"][first]
        own = np.zeros(size, dtype=np.int64)
        np.add.at(own, owner, volume)
        personal = np.zeros(size, dtype=np.int64)
        mine = buyer == owner
        np.add.at(personal, owner[mine], volume[mine])
        qualified = (kind == 1) & active & (own >= plan.minimum)
        why = np.where(qualified, 0, np.where(~active, 2, np.where(kind != 1, 3, 1)))
        # group volume per level and in total
        has = parent >= 0
        child = np.flatnonzero(has)
        levels = []
        below = own
        for _ in range(plan.levels):
            nxt = np.zeros(size, dtype=np.int64)
            np.add.at(nxt, parent[child], below[child])
            levels.append(nxt)
            below = nxt
        group = np.zeros(size, dtype=np.int64)
        rest = below.copy()
        total_below = sum(levels)
        while rest.any():  # beyond the levels: keep pushing up
            nxt = np.zeros(size, dtype=np.int64)
            np.add.at(nxt, parent[child], rest[child])
            total_below += nxt
            rest = nxt
        group = total_below
        # every line: distance 0 (own rate), then levels 1..cap, then one beyond the cap
        parts = []
        keep = owner != company
        o_order, o_owner, o_buyer, o_volume = (order_ids[keep], owner[keep], buyer[keep],
                                               volume[keep])
        node = o_owner.copy()
        alive = np.ones(len(node), dtype=bool)
        next_level = np.ones(len(node), dtype=np.int64)
        rates = np.concatenate([[plan.own_rate], plan.rates, [0]])
        distance = 0
        while alive.any():
            idx = np.flatnonzero(alive)
            n_ = node[idx]
            q_ = qualified[n_]
            if compression and distance:
                level = next_level[idx]
            else:
                level = np.full(len(idx), distance)
            beyond = level > plan.levels
            rate = rates[np.minimum(level, plan.levels + 1)]
            amount = np.where(beyond, 0, engine.share(o_volume[idx], rate))
            paid = q_ & ~beyond & (rate > 0)
            reason = np.where(beyond, 4, np.where(q_, np.where(rate > 0, 0, 6), why[n_]))
            parts.append((o_order[idx], o_buyer[idx], o_owner[idx], n_,
                          np.minimum(level, plan.levels + 1), np.full(len(idx), distance),
                          o_volume[idx], np.where(beyond, 0, rate), amount, paid, reason))
            if compression and distance:
                next_level[idx] += q_
            alive[idx[beyond]] = False
            up = parent[node]
            node = np.where(alive, up, node)
            alive &= (up >= 0) & (up != company)
            distance += 1
        cols = [np.concatenate(c) for c in zip(*parts, strict=True)]
        paid_amount = np.zeros(size, dtype=np.int64)
        np.add.at(paid_amount, cols[3][cols[9]], cols[8][cols[9]])
        computed = time.perf_counter()
        n = len(cols[0])
        f = Line._meta.get_field
        copy_in(cursor, "bench_limit_line", [
            ("period_id", "int8", np.full(n, period.pk)),
            ("kind", "int2", np.ones(n)),
            ("order_id", runs.column_kind(f("order"), connection), cols[0]),
            ("buyer_id", "int8?", cols[1]),
            ("owner_id", "int8", cols[2]),
            ("beneficiary_id", "int8", cols[3]),
            ("level", "int2", cols[4]),
            ("distance", "int2", cols[5]),
            ("volume", "numeric:2", cols[6]),
            ("rate", "numeric:4", cols[7]),
            ("amount", "numeric:2", cols[8]),
            ("paid", "bool", cols[9]),
            ("reason", "int2", cols[10]),
        ])
        dist = np.flatnonzero(kind == 1)
        m = len(dist)
        copy_in(cursor, "bench_limit_statement", [
            ("period_id", "int8", np.full(m, period.pk)),
            ("member_id", "int8", dist),
            ("personal_volume", "numeric:2", personal[dist]),
            ("own_volume", "numeric:2", own[dist]),
            ("end_customer_volume", "numeric:2", own[dist] - personal[dist]),
            ("group_volume", "numeric:2", group[dist]),
            *[(f"gv{k + 1}", "numeric:2", levels[k][dist]) for k in range(plan.levels)],
            ("active", "bool", active[dist]),
            ("qualified", "bool", qualified[dist]),
            ("commission", "numeric:2", paid_amount[dist]),
            ("total", "numeric:2", paid_amount[dist]),
        ])
        written = time.perf_counter()
    done = time.perf_counter()
    return {
        "seconds": done - began,
        "load": loaded - began,
        "compute": computed - loaded,
        "write": written - computed,
        "commit": done - written,
        "memory": memory.mib,
        "lines": n,
        "statements": m,
        "commission": {int(i): int(paid_amount[i]) for i in np.flatnonzero(paid_amount)},
    }


def create_limit_tables(levels):
    from django.db import connection
    from oscar.core.loading import get_model

    q = connection.ops.quote_name
    line = q(get_model("mlm_commissions", "CommissionLine")._meta.db_table)
    gv = ", ".join(f"gv{k + 1} numeric(14, 2) NOT NULL" for k in range(levels))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_limit_line, bench_limit_statement")
        # the same columns and indexes as ours (lines are found per beneficiary and per order)
        cursor.execute(f"CREATE TABLE bench_limit_line (LIKE {line} INCLUDING DEFAULTS"
                       " INCLUDING IDENTITY INCLUDING INDEXES)")
        cursor.execute(
            "CREATE TABLE bench_limit_statement (id bigserial PRIMARY KEY, period_id bigint"
            " NOT NULL, member_id bigint NOT NULL, personal_volume numeric(14, 2) NOT NULL,"
            " own_volume numeric(14, 2) NOT NULL, end_customer_volume numeric(14, 2) NOT NULL,"
            f" group_volume numeric(14, 2) NOT NULL, {gv}, active boolean NOT NULL,"
            " qualified boolean NOT NULL, commission numeric(12, 2) NOT NULL,"
            " total numeric(12, 2) NOT NULL, UNIQUE (period_id, member_id))")


# -- naive ----------------------------------------------------------------------------------


def run_naive(period, plan_row, args, orders_total, statements_total):
    """The ORM, one order and one level at a time, on a sample; extrapolated."""
    from django.db import connection, transaction
    from django.db.models import Sum
    from oscar.core.loading import get_model

    from oscar_mlm.apps.mlm_commissions import runs

    Member = get_model("mlm_network", "Member")
    VolumeRecord = get_model("mlm_commissions", "VolumeRecord")
    Line = get_model("mlm_commissions", "CommissionLine")
    start, end = runs.bounds(period)
    rates = [Decimal(0) if plan_row.own_volume_rate is None else plan_row.own_volume_rate,
             *plan_row.rates]
    minimum = plan_row.minimum_own_volume
    in_period = VolumeRecord.objects.filter(kind="sale", booked__gte=start, booked__lt=end)
    rng = random.Random(3)
    order_ids = list(in_period.values_list("order_id", flat=True).distinct()[:20_000])
    sample = rng.sample(order_ids, min(args.naive_orders, len(order_ids)))

    def own_volume(member):
        return in_period.filter(owner=member).aggregate(v=Sum("volume"))["v"] or Decimal(0)

    with transaction.atomic():
        started = time.perf_counter()
        queries_before = len(connection.queries)
        for order_id in sample:
            records = list(VolumeRecord.objects.filter(order_id=order_id, kind="sale"))
            volume = sum((r.volume for r in records), Decimal(0))
            member = Member.objects.get(pk=records[0].owner_id)
            level = 0
            while member is not None and member.kind != "company" and level <= plan_row.levels:
                qualified = (member.kind == "distributor" and member.status == "active"
                             and own_volume(member) >= minimum)
                rate = rates[level] if level < len(rates) else Decimal(0)
                amount = (volume * rate / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
                Line(period=period, order_id=order_id, owner_id=records[0].owner_id,
                     buyer_id=records[0].buyer_id, beneficiary=member, level=level,
                     distance=level, volume=volume, rate=rate, amount=amount,
                     paid=qualified and level <= plan_row.levels,
                     reason=0 if qualified else 1).save()
                member = member.parent  # one query per level
                level += 1
        per_order = (time.perf_counter() - started) / max(1, len(sample))
        distributors = list(Member.objects.filter(kind="distributor").values_list("pk", flat=True)
                            [:50_000])
        statement_sample = rng.sample(distributors, min(args.naive_statements, len(distributors)))
        started = time.perf_counter()
        for pk in statement_sample:
            member = Member.objects.get(pk=pk)
            levels, frontier = [own_volume(member)], [member]
            for _ in range(plan_row.levels):  # group volume per level, one level at a time
                frontier = list(Member.objects.filter(parent__in=frontier, kind="distributor"))
                levels.append(sum((own_volume(m) for m in frontier), Decimal(0)))
            Line.objects.filter(period=period, beneficiary=member).aggregate(Sum("amount"))
        per_statement = (time.perf_counter() - started) / max(1, len(statement_sample))
        del queries_before
        transaction.set_rollback(True)
    return {
        "seconds": per_order * orders_total + per_statement * statements_total,
        "per_order_ms": per_order * 1000,
        "per_statement_ms": per_statement * 1000,
        "sample_orders": len(sample),
        "sample_statements": len(statement_sample),
    }


# -- checks ---------------------------------------------------------------------------------


def check_exact(run, limit):
    """Ours against the limit's independent arithmetic, and a sample of lines in Decimal."""
    import numpy as np

    r = run.result
    ours = {int(m): int(c) for m, c in zip(r.member, r.commission, strict=True) if c}
    if ours != limit["commission"]:
        differ = sorted(set(ours.items()) ^ set(limit["commission"].items()))[:5]
        raise SystemExit(f"ours and the limit disagree: {differ}")
    lines = r.lines
    rng = np.random.default_rng(5)
    pick = rng.choice(len(lines), size=min(2000, len(lines)), replace=False) if len(lines) else []
    for x in lines[pick]:
        volume = Decimal(int(x["volume"])) / 100
        rate = Decimal(int(x["rate"])) / 10_000
        want = (volume * rate / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
        if x["reason"] in (0, 1, 2, 3, 6) and Decimal(int(x["amount"])) / 100 != want:
            raise SystemExit(f"a line is not exact: {x}")
    return Decimal(int(r.commission.sum())) / 100


def db_total(period):
    from django.db.models import Sum
    from oscar.core.loading import get_model

    Line = get_model("mlm_commissions", "CommissionLine")
    return Line.objects.filter(period=period, paid=True).aggregate(s=Sum("amount"))["s"]


# -- main -----------------------------------------------------------------------------------


def main():
    args = parse_args()
    tree = load_tree_module()
    tree.setup_django(args)
    tree.migrate(args.fresh)
    from django.db import connection

    from oscar_mlm.apps.mlm_commissions import services

    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        sync = cursor.fetchone()[0]
        cursor.execute("SHOW fsync")
        fsync = cursor.fetchone()[0]
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(",")[0]
    print(f"{version}; fsync={fsync}, synchronous_commit={sync}; {platform.processor() or ''}"
          f" {os.cpu_count()} cores; load {os.getloadavg()[0]:.1f}")
    results = []
    for size in args.sizes:
        print(f"\n== {size:,} members, {size:,} orders in {MONTH}", flush=True)
        facts = build(size, tree)
        plan_row = make_plan(args)
        period = services.month_period(MONTH)
        create_limit_tables(plan_row.levels)
        ours, limits = [], []
        for rep in range(args.reps):
            seconds, mib, run = run_ours(period)
            ours.append((seconds, mib, run))
            print(f"  ours  #{rep + 1}: {seconds:7.2f} s, peak +{mib:,.0f} MiB", flush=True)
            limit = run_limit(period, plan_row, args.compression)
            limits.append(limit)
            print(f"  limit #{rep + 1}: {limit['seconds']:7.2f} s (load {limit['load']:.2f},"
                  f" compute {limit['compute']:.2f}, write {limit['write']:.2f}, commit"
                  f" {limit['commit']:.2f}), peak +{limit['memory']:,.0f} MiB", flush=True)
        rerun_s, _mib, _run = run_ours(period, first=False)
        print(f"  ours, rerun replacing the results: {rerun_s:7.2f} s", flush=True)
        run = ours[-1][2]
        total = check_exact(run, limits[-1])
        stored = db_total(period)
        if stored != total:
            raise SystemExit(f"the database holds {stored}, the run computed {total}")
        naive = run_naive(period, plan_row, args, facts["orders"], run.summary["statements"])
        ours_s = sorted(s for s, _, _ in ours)[len(ours) // 2]
        limit_s = sorted(x["seconds"] for x in limits)[len(limits) // 2]
        results.append({
            "size": size, "facts": facts, "ours": ours_s, "ours_mib": max(m for _, m, _ in ours),
            "limit": limit_s, "limit_mib": max(x["memory"] for x in limits),
            "naive": naive, "summary": run.summary, "total": total, "rerun": rerun_s,
        })
        print(f"  exact: ours = limit for every member; paid total {total} = the database's "
              f"{stored}; {run.summary['lines']:,} lines, {run.summary['statements']:,} "
              f"statements", flush=True)
    print("\nSummary (median of the timed runs; naive extrapolated from a sample)\n")
    header = (f"{'members':>10} {'orders':>10} {'lines':>11} {'ours s':>8} {'rerun s':>8}"
              f" {'limit s':>8}"
              f" {'ours/limit':>10} {'naive s':>10} {'naive/ours':>10} {'ours MiB':>9}"
              f" {'limit MiB':>9}")
    print(header)
    for r in results:
        print(f"{r['size']:>10,} {r['facts']['orders']:>10,} {r['summary']['lines']:>11,}"
              f" {r['ours']:>8.1f} {r['rerun']:>8.1f} {r['limit']:>8.1f}"
              f" {r['ours'] / r['limit']:>9.2f}x"
              f" {r['naive']['seconds']:>10,.0f} {r['naive']['seconds'] / r['ours']:>9,.0f}x"
              f" {r['ours_mib']:>9,.0f} {r['limit_mib']:>9,.0f}")
    for r in results:
        n = r["naive"]
        print(f"  naive at {r['size']:,}: {n['per_order_ms']:.1f} ms per order "
              f"(sample of {n['sample_orders']}), {n['per_statement_ms']:.1f} ms per statement "
              f"(sample of {n['sample_statements']}), extrapolated to the month")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
