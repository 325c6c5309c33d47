#!/usr/bin/env python
"""Benchmark of the sponsor tree on PostgreSQL.

Builds skewed networks of the given sizes with the demo generator
(``oscar_mlm.demo``: a plan, written with COPY), then times,
side by side, our tree module and services against a raw recursive CTE (the
reference), a naive ORM walk and django-tree-queries' own methods:

1. downline of a branch of about 10 000 members,
2. upline of the deepest member (depth 65),
3. moving that 10 000-member branch to another sponsor and back,
4. 10 000 sign-ups.

Run it against a database of its own (its name must contain "bench"): it
empties ``auth_user`` and the network tables (``TRUNCATE ... CASCADE``) before
each size, and recreates the schema if the migrations no longer apply::

    DATABASE_URL=postgresql://postgres@127.0.0.1:55432/mlm_bench \\
        python benchmarks/tree.py --sizes 100000 1000000

The database keeps the last network (a valid tree, sequences reset), so the
sandbox can be pointed at it afterwards, and the next run starts afresh.
"""

import argparse
import os
import platform
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings")
# The sandbox defaults to DEBUG=True, which logs every query: not while timing.
os.environ.setdefault("SANDBOX_DEBUG", "0")

# Shape of every network, whatever its size.
BRANCH_SIZE = 10_000  # members below the branch head
BRANCH_FANOUT = 3  # the branch is a complete 3-ary tree: 9 levels below the head
CHAINS = 20  # chains of distributors hanging off the company's first line ...
CHAIN_LENGTH = 64  # ... each 64 deep, so their last member sits at depth 65
WIDE_SPONSORS = 3  # first-line distributors with thousands of direct customers
BULK_DISTRIBUTOR_SHARE = 0.15  # of the grown members; the rest are customers


@dataclass
class Timing:
    ms: float  # median, milliseconds
    n: int  # timed repetitions
    result: object = None

    def cell(self):
        text = f"{self.ms:,.1f}" if self.ms < 1000 else f"{self.ms:,.0f}"
        return text if self.n >= 3 else f"{text} (n={self.n})"


@dataclass
class Row:
    label: str
    ours: Timing = None
    raw: Timing = None
    naive: Timing = None
    tq: Timing = None
    note: str = ""


@dataclass
class SizeResult:
    size: int
    load_seconds: float
    facts: dict = field(default_factory=dict)
    rows: list = field(default_factory=list)
    notes: list = field(default_factory=list)


# -- arguments and Django -----------------------------------------------------------------


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000],
                        help="network sizes in members (default: 100000 1000000)")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: one network of 20 000, fewer repetitions and sign-ups")
    parser.add_argument("--reps", type=int, default=7,
                        help="timed repetitions per variant; the median is shown (default 7)")
    parser.add_argument("--budget", type=float, default=15.0,
                        help="seconds after which a slow variant stops repeating (default 15)")
    parser.add_argument("--signups", type=int, default=10_000,
                        help="sign-ups through register_member and naive create (default 10000)")
    parser.add_argument("--person-signups", type=int, default=200,
                        help="sign-ups through create_person, user included (default 200)")
    parser.add_argument("--orders", type=int, default=200_000,
                        help="orders generated per size for the new-customer rule "
                             "(default 200000; 0 skips it)")
    parser.add_argument("--no-tree-queries", action="store_true",
                        help="skip django-tree-queries' descendants()/ancestors() (seconds at 1M)")
    parser.add_argument("--ordered-ids", action="store_true",
                        help="keep each part of the network (a branch, a chain) in "
                             "consecutive member numbers instead of scattering them over "
                             "the table (flatters every variant: better locality)")
    parser.add_argument("--explain", action="store_true",
                        help="also print EXPLAIN (ANALYZE, BUFFERS) of our queries and the raw CTE")
    parser.add_argument("--rst", action="store_true",
                        help="also print the summary as a reStructuredText table")
    parser.add_argument("--fresh", action="store_true",
                        help="drop the schema of the benchmark database and migrate from scratch")
    parser.add_argument("--force", action="store_true",
                        help="run even if the database name does not contain 'bench'")
    args = parser.parse_args()
    if args.quick:
        if "--sizes" not in sys.argv:
            args.sizes = [20_000]
        args.reps = min(args.reps, 3)
        args.signups = min(args.signups, 1_000)
        args.person_signups = min(args.person_signups, 100)
        args.orders = min(args.orders, 20_000)
        args.budget = min(args.budget, 5.0)
    too_small = [s for s in args.sizes if s < minimum_size()]
    if too_small:
        parser.error(f"sizes must be at least {minimum_size()} members")
    return args


def setup_django(args):
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL=postgresql://user@host:port/dbname (a database of its own).")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("The benchmark needs PostgreSQL.")
    name = settings.DATABASES["default"]["NAME"]
    if "bench" not in name and not args.force:
        sys.exit(
            f"Database {name!r}: the benchmark empties auth_user and the network tables "
            "(TRUNCATE ... CASCADE). Use a database whose name contains 'bench', or --force."
        )


def migrate(fresh=False):
    """Bring the benchmark database up to the current migrations.

    If they do not apply (the database was migrated by another version of the
    code), or with ``--fresh``, drop the schema and migrate from scratch.
    """
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def reset_schema():
        print("Recreating the schema of the benchmark database ...", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")

    if fresh:
        reset_schema()
    executor = MigrationExecutor(connection)
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return
    print("Migrating the benchmark database ...", flush=True)
    try:
        call_command("migrate", interactive=False, verbosity=0)
    except Exception as exc:
        if fresh:
            raise
        print(f"  migrating failed ({exc.__class__.__name__}: {exc})".rstrip(), flush=True)
        reset_schema()
        call_command("migrate", interactive=False, verbosity=0)


# -- building a network -------------------------------------------------------------------


def minimum_size():
    return 1 + 200 + 1 + BRANCH_SIZE + CHAINS * CHAIN_LENGTH + 5_000


def plan_shape(size):
    """The benchmark's network as a plan of the demo generator, and its landmarks.

    The company's first line of ``size // 100`` distributors (200 at least);
    three of them with thousands of direct customers; a branch of
    BRANCH_SIZE members (a complete tree) below another; CHAINS chains of
    CHAIN_LENGTH distributors below further ones; everyone else grown below
    the first line and the chains (never inside the branch), 15 % distributors.
    """
    from oscar_mlm.demo.people import CUSTOMER, DISTRIBUTOR
    from oscar_mlm.demo.plan import NetworkPlan

    plan = NetworkPlan(seed=42, email_domain="bench.example")
    top = plan.add_children(None, max(200, size // 100), DISTRIBUTOR)
    branch_parent = top[WIDE_SPONSORS]  # a first-line distributor that is not wide
    head = plan.add(sponsor=branch_parent, kind=DISTRIBUTOR)
    plan.add_tree(head, BRANCH_SIZE, BRANCH_FANOUT)
    chains = [plan.add_chain(top[WIDE_SPONSORS + 1 + c], CHAIN_LENGTH) for c in range(CHAINS)]
    wide = min(max(1_000, size // 40), (size - len(plan)) // (WIDE_SPONSORS + 1))
    for sponsor in top[:WIDE_SPONSORS]:
        plan.add_children(sponsor, wide, CUSTOMER)
    plan.grow(
        size - len(plan),
        distributor_share=BULK_DISTRIBUTOR_SHARE,
        new_leg_share=0,
        pool=[*top, *(i for chain in chains for i in chain)],
    )
    landmarks = {
        "branch_head": head,
        "branch_parent": branch_parent,
        "deepest": chains[0][-1],
        "move_target": chains[1][-1],
    }
    return plan, landmarks, {"size": size, "top": len(top), "wide": wide}


def build_network(size, args):
    """Empty the tables, load a network of ``size`` members; return its landmarks."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from oscar.core.loading import get_model

    from oscar_mlm.demo.network import write_network

    Member = get_model("mlm_network", "Member")
    SponsorChange = get_model("mlm_network", "SponsorChange")
    User = get_user_model()
    q = connection.ops.quote_name
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"TRUNCATE {q(SponsorChange._meta.db_table)}, {q(Member._meta.db_table)}, "
            f"{q(User._meta.db_table)} RESTART IDENTITY CASCADE"
        )
    print(f"  emptied tables in {time.perf_counter() - started:.1f} s", flush=True)
    step = time.perf_counter()
    plan, landmarks, shape = plan_shape(size)
    print(f"  {'plan':<20} {time.perf_counter() - step:6.1f} s", flush=True)
    step = time.perf_counter()
    # A real branch grows over years, between everybody else's sign-ups: scattered ids.
    written = write_network(plan, scatter=not args.ordered_ids, seed=42)
    print(f"  {'write (COPY, FKs)':<20} {time.perf_counter() - step:6.1f} s", flush=True)
    step = time.perf_counter()
    with connection.cursor() as cursor:
        for model in (User, Member, SponsorChange):
            cursor.execute(f"VACUUM ANALYZE {q(model._meta.db_table)}")
    print(f"  {'VACUUM ANALYZE':<20} {time.perf_counter() - step:6.1f} s", flush=True)
    load_seconds = time.perf_counter() - started
    facts = {name: written.member_ids[index] for name, index in landmarks.items()}
    return load_seconds, {"shape": shape, **facts}


def describe_network(facts):
    from django.db import connection
    from django.db.models import Count
    from oscar.core.loading import get_model

    from oscar_mlm.apps.mlm_network import tree

    Member = get_model("mlm_network", "Member")
    kinds = dict(Member.objects.order_by().values_list("kind").annotate(n=Count("pk")))
    widest = list(
        Member.objects.order_by().values_list("parent_id").annotate(n=Count("pk")).order_by("-n")[:4]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_total_relation_size(%s))", [Member._meta.db_table]
        )
        table_size = cursor.fetchone()[0]
    facts.update(
        members=sum(kinds.values()),
        kinds=kinds,
        widest=widest,
        table_size=table_size,
        branch_size=tree.downline_size(facts["branch_head"]),
        branch_levels=len(tree.level_counts(facts["branch_head"])),
        branch_depth=len(tree.upline_ids(facts["branch_head"])),
        deepest_depth=len(tree.upline_ids(facts["deepest"])),
        target_depth=len(tree.upline_ids(facts["move_target"])),
    )
    return facts


# -- timing -------------------------------------------------------------------------------


def measure(fn, reps, budget, check=None):
    """Median of ``reps`` timed calls of one function; see :func:`measure_all`."""
    return measure_all({"only": fn}, reps, budget, check)["only"]


def measure_all(variants, reps, budget, check=None):
    """Time several variants round-robin; return ``{name: Timing}`` (median, ms).

    Every variant is called once to warm up, then the variants take turns, so
    that load from other processes hits them alike. A variant whose warm-up
    took under 20 ms is repeated five times as often. A call over a second counts
    its warm-up as a sample, and a variant stops repeating once it has spent
    ``budget`` seconds (it keeps at least one sample). A function may return
    ``(result, seconds)`` to report its own time.
    """

    def call(fn):
        t = time.perf_counter()
        out = fn()
        elapsed = time.perf_counter() - t
        if isinstance(out, tuple) and len(out) == 2 and out[0] == "timed":
            out, elapsed = None, out[1]
        return out, elapsed

    state = {}
    for name, fn in variants.items():
        result, elapsed = call(fn)
        state[name] = {"samples": [elapsed] if elapsed > 1.0 else [], "spent": elapsed,
                       "result": result,
                       # a few milliseconds are at the mercy of the scheduler: more samples
                       "target": reps * 5 if elapsed < 0.02 else reps}
    for _ in range(max(st["target"] for st in state.values())):
        for name, fn in variants.items():
            st = state[name]
            if len(st["samples"]) >= st["target"] or (st["samples"] and st["spent"] > budget):
                continue
            st["result"], elapsed = call(fn)
            st["samples"].append(elapsed)
            st["spent"] += elapsed
    timings = {}
    for name, st in state.items():
        if check is not None:
            check(st["result"])
        timings[name] = Timing(statistics.median(st["samples"]) * 1000, len(st["samples"]),
                               st["result"])
    return timings


def expect(expected, what):
    def check(result):
        if result != expected:
            raise AssertionError(f"{what}: expected {short(expected)}, got {short(result)}")

    return check


def short(value):
    text = repr(value)
    return text if len(text) < 120 else text[:117] + "..."


# -- the variants ---------------------------------------------------------------------------


class Variants:
    """Every way to read or change the tree that the benchmark compares."""

    def __init__(self):
        from django.contrib.auth import get_user_model
        from django.db import connection
        from oscar.core.loading import get_model

        self.Member = get_model("mlm_network", "Member")
        self.User = get_user_model()
        q = connection.ops.quote_name
        self.member_table = q(self.Member._meta.db_table)
        self.user_table = q(self.User._meta.db_table)

    # raw reference: the minimal recursive CTEs, started at the member

    def raw_down(self, final):
        return (
            "WITH RECURSIVE down(id, level) AS ("
            f" SELECT id, 1 FROM {self.member_table} WHERE parent_id = %s"
            " UNION ALL"
            f" SELECT m.id, d.level + 1 FROM {self.member_table} m"
            " JOIN down d ON m.parent_id = d.id) " + final
        )

    def raw_up(self, final):
        return (
            "WITH RECURSIVE up(id, parent_id, level) AS ("
            f" SELECT id, parent_id, 0 FROM {self.member_table} WHERE id = %s"
            " UNION ALL"
            f" SELECT m.id, m.parent_id, u.level + 1 FROM {self.member_table} m"
            " JOIN up u ON m.id = u.parent_id) " + final
        )

    def _fetch(self, sql, params):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def raw_downline_ids(self, pk):
        return [r[0] for r in self._fetch(self.raw_down("SELECT id FROM down"), [pk])]

    def raw_downline_count(self, pk):
        return self._fetch(self.raw_down("SELECT count(*) FROM down"), [pk])[0][0]

    def raw_level_counts(self, pk):
        sql = self.raw_down("SELECT level, count(*) FROM down GROUP BY level ORDER BY level")
        return [tuple(r) for r in self._fetch(sql, [pk])]

    def raw_downline_rows(self, pk):
        """Every member below with its user and level, as tuples: one query."""
        return self._fetch(
            self.raw_down(
                f"SELECT d.level, m.*, u.* FROM down d JOIN {self.member_table} m ON m.id = d.id"
                f" LEFT JOIN {self.user_table} u ON u.id = m.user_id ORDER BY d.level, d.id"
            ),
            [pk],
        )

    def raw_upline_ids(self, pk):
        sql = self.raw_up("SELECT id FROM up WHERE level > 0 ORDER BY level")
        return [r[0] for r in self._fetch(sql, [pk])]

    def raw_upline_rows(self, pk):
        return self._fetch(
            self.raw_up(
                f"SELECT u.level, m.*, au.* FROM up u JOIN {self.member_table} m ON m.id = u.id"
                f" LEFT JOIN {self.user_table} au ON au.id = m.user_id"
                " WHERE u.level > 0 ORDER BY u.level"
            ),
            [pk],
        )

    def raw_move(self, pk, new_parent):
        """Cycle check (upline of the new sponsor) and update in one transaction."""
        from django.db import connection, transaction

        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(self.raw_up("SELECT 1 FROM up WHERE id = %s"), [new_parent, pk])
            if cursor.fetchone():
                raise RuntimeError("cycle")
            cursor.execute(
                f"UPDATE {self.member_table} SET parent_id = %s WHERE id = %s", [new_parent, pk]
            )

    # ours

    def ours_downline_ids(self, pk):
        from oscar_mlm.apps.mlm_network import tree

        return list(tree.downline(pk).values_list("pk", flat=True))

    def ours_downline_count(self, pk):
        from oscar_mlm.apps.mlm_network import tree

        return tree.downline(pk).count()

    def ours_downline_size(self, pk):
        from oscar_mlm.apps.mlm_network import tree

        return tree.downline_size(pk)

    def ours_level_counts(self, pk):
        from oscar_mlm.apps.mlm_network import tree

        return [tuple(r) for r in tree.level_counts(pk)]

    def ours_downline_levels(self, pk):
        from oscar_mlm.apps.mlm_network import tree

        return tree.downline_with_levels(pk)

    def ours_upline_ids(self, pk):
        from oscar_mlm.apps.mlm_network import tree

        return tree.upline_ids(pk)

    def ours_upline(self, pk):
        from oscar_mlm.apps.mlm_network import tree

        return tree.upline(pk)

    def ours_move(self, pk, new_parent):
        from oscar_mlm.apps.mlm_network import services

        member = self.Member.objects.get(pk=pk)
        sponsor = self.Member.objects.get(pk=new_parent)
        return services.assign_sponsor(member=member, new_sponsor=sponsor, reason="benchmark")

    # naive: the ORM, one query per level (or per member)

    def naive_downline_ids(self, pk):
        found, level = [], [pk]
        while level:
            level = list(self.Member.objects.filter(parent__in=level).values_list("pk", flat=True))
            found.extend(level)
        return found

    def naive_level_counts(self, pk):
        counts, level = [], [pk]
        while True:
            level = list(self.Member.objects.filter(parent__in=level).values_list("pk", flat=True))
            if not level:
                return counts
            counts.append((len(counts) + 1, len(level)))

    def naive_downline_levels(self, pk):
        found, level, depth = [], [pk], 0
        while level:
            depth += 1
            members = list(self.Member.objects.filter(parent__in=level).select_related("user"))
            for member in members:
                member.level = depth
            found.extend(members)
            level = [m.pk for m in members]
        return found

    def naive_downline_per_member(self, pk):
        found, todo = [], [pk]
        while todo:
            children = list(
                self.Member.objects.filter(parent=todo.pop()).values_list("pk", flat=True)
            )
            found.extend(children)
            todo.extend(children)
        return found

    def naive_upline_ids(self, pk):
        node, found = self.Member.objects.get(pk=pk), []
        while node.parent_id is not None:
            node = node.parent  # one query per level
            found.append(node.pk)
        return found

    def naive_upline(self, pk):
        node, found = self.Member.objects.get(pk=pk), []
        while node.parent_id is not None:
            node = self.Member.objects.select_related("user").get(pk=node.parent_id)
            found.append(node)
        return found

    def naive_move(self, pk, new_parent):
        """Walk the whole downline of the moved member for the cycle check, then update."""
        from django.db import transaction

        with transaction.atomic():
            if new_parent in set(self.naive_downline_ids(pk)):
                raise RuntimeError("cycle")
            self.Member.objects.filter(pk=pk).update(parent_id=new_parent)

    # django-tree-queries, the library defaults

    def tq_downline_ids(self, pk):
        return list(self.Member.objects.descendants(pk).values_list("pk", flat=True))

    def tq_downline_count(self, pk):
        return self.Member.objects.descendants(pk).count()

    def tq_downline_levels(self, pk, depth):
        members = list(self.Member.objects.descendants(pk).select_related("user"))
        for member in members:
            member.level = member.tree_depth - depth
        return members

    def tq_upline_ids(self, pk):
        node = self.Member.objects.get(pk=pk)
        return [m.pk for m in self.Member.objects.ancestors(node)][::-1]

    def tq_upline(self, pk):
        node = self.Member.objects.get(pk=pk)
        return list(self.Member.objects.ancestors(node).select_related("user"))[::-1]

    def tq_move(self, pk, new_parent):
        """``TreeNode.clean()`` (its cycle check) and save."""
        from django.db import transaction

        with transaction.atomic():
            member = self.Member.objects.get(pk=pk)
            member.parent_id = new_parent
            member.clean()
            member.save(update_fields=["parent"])


# -- the benchmark proper ---------------------------------------------------------------------


def bench_downline(v, facts, args, result):
    head = facts["branch_head"]
    reps, budget = args.reps, args.budget
    ids = sorted(v.raw_downline_ids(head))
    n = len(ids)
    same_ids = expect(ids, "downline ids")

    def sorted_ids(fn):
        return lambda: sorted(fn(head))

    def level_pairs(fn, *extra):
        return lambda: sorted((m.level, m.pk) for m in fn(head, *extra))

    levels = sorted((r[0], r[1]) for r in v.raw_downline_rows(head))
    same_levels = expect(levels, "downline levels")

    tq = not args.no_tree_queries

    def run(label, note, check, **variants):
        row = Row(label, note=note)
        timings = measure_all({k: f for k, f in variants.items() if f}, reps, budget, check)
        for name, timing in timings.items():
            setattr(row, name, timing)
        result.rows.append(row)
        return row

    ids_row = run(
        f"downline: ids of {n:,}", "ours: list(tree.downline(m).values_list('pk'))", same_ids,
        ours=sorted_ids(v.ours_downline_ids), raw=sorted_ids(v.raw_downline_ids),
        naive=sorted_ids(v.naive_downline_ids), tq=tq and sorted_ids(v.tq_downline_ids),
    )
    run(
        "downline: count", "ours: tree.downline(m).count()", expect(n, "count"),
        ours=lambda: v.ours_downline_count(head), raw=lambda: v.raw_downline_count(head),
        naive=lambda: len(v.naive_downline_ids(head)),
        tq=tq and (lambda: v.tq_downline_count(head)),
    )
    run(
        "downline: count (downline_size)", "ours: tree.downline_size(m)", expect(n, "count"),
        ours=lambda: v.ours_downline_size(head), raw=lambda: v.raw_downline_count(head),
    )
    per_level = v.raw_level_counts(head)
    run(
        "downline: counts per level", "ours: tree.level_counts(m)",
        expect(per_level, "level counts"),
        ours=lambda: v.ours_level_counts(head), raw=lambda: v.raw_level_counts(head),
        naive=lambda: v.naive_level_counts(head),
    )
    run(
        "downline: members+user, levels",
        "ours: tree.downline_with_levels(m); raw: one joined query, tuples", same_levels,
        ours=level_pairs(v.ours_downline_levels),
        raw=lambda: sorted((r[0], r[1]) for r in v.raw_downline_rows(head)),
        naive=level_pairs(v.naive_downline_levels),
        tq=tq and level_pairs(v.tq_downline_levels, facts["branch_depth"]),
    )
    row = Row(
        "downline: ids, naive per member",
        note="naive: one children query per member (10 001 queries); ours, raw as above",
    )
    row.ours, row.raw = ids_row.ours, ids_row.raw
    row.naive = measure(sorted_ids(v.naive_downline_per_member), min(reps, 3), budget, same_ids)
    result.rows.append(row)


def bench_upline(v, facts, args, result):
    deep = facts["deepest"]
    reps, budget = args.reps, args.budget
    ids = v.raw_upline_ids(deep)
    same = expect(ids, "upline ids")

    def pks(fn):
        return lambda: [m.pk for m in fn(deep)]

    tq = not args.no_tree_queries
    for label, note, variants in (
        (
            f"upline: ids, depth {len(ids)}",
            "ours: tree.upline_ids(m); naive: member.parent per level",
            dict(
                ours=lambda: v.ours_upline_ids(deep), raw=lambda: v.raw_upline_ids(deep),
                naive=lambda: v.naive_upline_ids(deep), tq=tq and (lambda: v.tq_upline_ids(deep)),
            ),
        ),
        (
            "upline: members+user",
            "ours: tree.upline(m); raw: one joined query, tuples",
            dict(
                ours=pks(v.ours_upline), raw=lambda: [r[1] for r in v.raw_upline_rows(deep)],
                naive=pks(v.naive_upline), tq=tq and pks(v.tq_upline),
            ),
        ),
    ):
        row = Row(label, note=note)
        for name, timing in measure_all(
            {k: f for k, f in variants.items() if f}, reps, budget, same
        ).items():
            setattr(row, name, timing)
        result.rows.append(row)


def bench_move(v, facts, args, result):
    """Each sample is a move there and back, halved: the branch is home after each."""
    head, home, target = facts["branch_head"], facts["branch_parent"], facts["move_target"]
    n = facts["branch_size"]

    def round_trip(fn):
        def move():
            t = time.perf_counter()
            fn(head, target)
            fn(head, home)
            return ("timed", (time.perf_counter() - t) / 2)

        return move

    variants = {"ours": v.ours_move, "raw": v.raw_move, "naive": v.naive_move}
    if not args.no_tree_queries:
        variants["tq"] = v.tq_move
    row = Row(f"move {n:,}-member branch")
    for name, timing in measure_all(
        {k: round_trip(f) for k, f in variants.items()}, args.reps, args.budget
    ).items():
        setattr(row, name, timing)
    row.note = (
        "per move (median of there-and-back / 2); ours: services.assign_sponsor (network "
        "lock, row locks, cycle check, audit); raw: upline check + UPDATE; naive: naive "
        "downline walk + update; tree_queries: TreeNode.clean() + save()"
    )
    result.rows.append(row)
    if v.Member.objects.get(pk=head).parent_id != home:
        raise AssertionError("the branch did not come home")


def bench_signups(v, facts, args, result):
    from oscar_mlm.apps.mlm_network import services
    from oscar_mlm.demo import bulk

    Member, User = v.Member, v.User
    count = args.signups
    if count <= 0:
        return
    # users made in bulk, outside the timing: half for ours, half for the naive variant
    ids = bulk.reserve_ids(User, 2 * count)
    bulk.insert(
        User,
        len(ids),
        {
            "id": ids,
            "password": "!",
            "username": [f"signup-{pk}" for pk in ids],
            "email": [f"signup{pk}@bench.example" for pk in ids],
        },
    )
    by_pk = User.objects.in_bulk(ids)
    users = [by_pk[pk] for pk in ids]
    rng = random.Random(42)
    sponsor_ids = list(
        Member.objects.filter(kind=Member.DISTRIBUTOR)
        .order_by("?")
        .values_list("pk", flat=True)[:1000]
    )
    sponsors = Member.objects.in_bulk(sponsor_ids)
    plan = [
        (
            rng.choice(sponsor_ids),
            Member.DISTRIBUTOR if i % 10 == 0 else Member.CUSTOMER,
        )
        for i in range(count)
    ]

    def ours(i, sponsor, kind):
        user = users[i]
        services.register_member(
            user=user,
            sponsor=sponsors[sponsor],
            kind=kind,
            handle=f"new-{user.pk}" if kind == Member.DISTRIBUTOR else None,
        )

    def naive(i, sponsor, kind):
        user = users[count + i]
        Member.objects.create(
            user=user,
            parent_id=sponsor,
            kind=kind,
            handle=f"new-{user.pk}" if kind == Member.DISTRIBUTOR else None,
        )

    size = facts["shape"]["size"]

    def ours_person(i, sponsor, kind):
        services.create_person(
            email=f"person{i}-{size}@bench.example",
            sponsor=sponsors[sponsor],
            kind=kind,
            handle=f"person-{i}" if kind == Member.DISTRIBUTOR else None,
            send_welcome=False,
        )

    def naive_person(i, sponsor, kind):
        user = User.objects.create(
            username=f"naive-person-{i}", email=f"naive{i}-{size}@bench.example"
        )
        Member.objects.create(
            user=user,
            parent_id=sponsor,
            kind=kind,
            handle=f"naive-person-{i}" if kind == Member.DISTRIBUTOR else None,
        )

    def alternate(steps, total, chunk):
        """Run the variants over the plan in alternating chunks; seconds spent by each."""
        spent = dict.fromkeys(steps, 0.0)
        for start in range(0, total, chunk):
            for name, step in steps.items():
                t = time.perf_counter()
                for i in range(start, min(start + chunk, total)):
                    step(i, *plan[i])
                spent[name] += time.perf_counter() - t
        return spent

    row = Row(f"sign-up ({count:,}, per sign-up)")
    spent = alternate({"ours": ours, "naive": naive}, count, 500)
    for name, seconds in spent.items():
        setattr(row, name, Timing(seconds * 1000 / count, count, seconds))
    row.note = (
        f"ours: services.register_member, {spent['ours']:.1f} s in all; naive: "
        f"Member.objects.create, {spent['naive']:.1f} s in all; users made beforehand; "
        "the two alternate in chunks of 500"
    )
    result.rows.append(row)

    persons = min(args.person_signups, count)
    if persons <= 0:
        return
    row = Row(f"sign-up with user ({persons:,}, per sign-up)")
    spent = alternate({"ours": ours_person, "naive": naive_person}, persons, 50)
    for name, seconds in spent.items():
        setattr(row, name, Timing(seconds * 1000 / persons, persons, seconds))
    row.note = (
        f"ours: services.create_person(send_welcome=False), {spent['ours']:.1f} s in all; "
        f"naive: User + Member create, {spent['naive']:.1f} s in all"
    )
    result.rows.append(row)


def bench_orders(v, facts, args, result):
    """Orders from the generator, Oscar's factory as the baseline; then the new-customer rule.

    The rule asks, on every basket with a partner's code, whether the buyer is
    the issuer or above them and whether anyone ordered before under the
    buyer's account or address. Ours is ``rules.buyer_facts`` (one query over
    the upline and the UPPER(email) indexes); naive is the code before it: the
    buyer's member, the issuer's upline, and one ORM query with the three
    order conditions OR-ed over a join to the users.
    """
    from decimal import Decimal

    from django.db import connection
    from django.db.models import Q
    from oscar.core.loading import get_model
    from oscar.test.factories import create_order, create_product

    from oscar_mlm.apps.mlm_network import tree
    from oscar_mlm.apps.mlm_vouchers import rules
    from oscar_mlm.demo.orders import generate_orders

    count = args.orders
    if count <= 0:
        return
    Order = get_model("order", "Order")
    Product = get_model("catalogue", "Product")
    if not Product.objects.filter(stockrecords__price__isnull=False).exists():
        for n in range(12):
            create_product(price=Decimal("4.90") + 3 * n, title=f"Bench product {n}")
    started = time.perf_counter()
    generated = generate_orders(count, months=["2026-10"], seed=7)
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    sample = 50
    factory_buyers = list(v.User.objects.order_by("?")[:sample])
    t = time.perf_counter()
    for user in factory_buyers:
        create_order(user=user)
    factory_seconds = time.perf_counter() - t
    row = Row(f"orders ({count:,}, per order)")
    row.ours = Timing(seconds * 1000 / count, count)
    row.naive = Timing(factory_seconds * 1000 / sample, sample)
    row.note = (
        f"ours: demo.orders.generate_orders, {generated.orders:,} orders, {generated.lines:,} "
        f"lines and {generated.volume_records:,} volume records in {seconds:.1f} s; naive: "
        f"Oscar's create_order factory ({sample} orders, basket and all)"
    )
    result.rows.append(row)

    rng = random.Random(11)
    buyer_ids = list(
        Order.objects.exclude(user=None).order_by("?").values_list("user_id", flat=True)[:200]
    )
    buyers = [u for u in v.User.objects.in_bulk(buyer_ids).values()]
    buyers += list(v.User.objects.filter(orders=None).order_by("?")[:50])  # never ordered
    rng.shuffle(buyers)
    issuer = facts["branch_head"]

    def ours_for(user):
        return rules.buyer_facts(issuer, user=user)

    def naive_for(user):
        member = v.Member.objects.filter(user=user).first()
        own = member is not None and (
            member.pk == issuer or member.pk in tree.upline_ids(issuer)
        )
        email = user.email
        ordered = Order.objects.filter(
            Q(user=user) | Q(guest_email__iexact=email) | Q(user__email__iexact=email)
        ).exists()
        return own, ordered

    for user in buyers[:30]:  # both give the same answers
        if ours_for(user) != naive_for(user):
            raise AssertionError(f"buyer {user.pk}: {ours_for(user)} != {naive_for(user)}")
    turns = {"ours": 0, "naive": 0}

    def cycling(name, check):
        def run():
            turns[name] += 1
            return check(buyers[turns[name] % len(buyers)])

        return run

    ours, naive = cycling("ours", ours_for), cycling("naive", naive_for)
    row = Row(f"new-customer rule ({count:,} orders)")
    for name, timing in measure_all({"ours": ours, "naive": naive}, args.reps, args.budget).items():
        setattr(row, name, timing)
    row.note = (
        "per buyer check; ours: rules.buyer_facts (one query: upline walk + EXISTS over "
        "the UPPER(email) indexes); naive: member, upline_ids, Order OR-query over a join"
    )
    result.rows.append(row)


def explain(v, facts):
    """EXPLAIN (ANALYZE, BUFFERS) of every query our reads send, and of the raw CTE."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    head, deep = facts["branch_head"], facts["deepest"]

    def show(title, sql, params=None):
        print(f"\n--- EXPLAIN ANALYZE: {title}")
        print(sql if len(sql) < 600 else sql[:600] + " ...")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) " + sql, params)
            for (line,) in cursor.fetchall():
                print("   ", line if len(line) < 300 else line[:297] + "...")

    show("raw downline ids", v.raw_down("SELECT id FROM down"), [head])
    for title, fn in (
        ("ours downline ids", lambda: v.ours_downline_ids(head)),
        ("ours downline count", lambda: v.ours_downline_count(head)),
        ("ours downline_with_levels", lambda: v.ours_downline_levels(head)),
        ("ours upline_ids", lambda: v.ours_upline_ids(deep)),
    ):
        with CaptureQueriesContext(connection) as ctx:
            fn()
        for i, query in enumerate(ctx.captured_queries, 1):
            show(f"{title} (query {i} of {len(ctx.captured_queries)})", query["sql"])
    show("raw upline ids", v.raw_up("SELECT id FROM up WHERE level > 0 ORDER BY level"), [deep])


def split_levels_cost(v, facts, args):
    """Where the time of downline_with_levels goes: the CTE, then Django's objects."""
    from oscar_mlm.apps.mlm_network import tree

    head = facts["branch_head"]
    cte, params = tree.downline_cte(head)
    sql = cte + " SELECT id, level FROM down ORDER BY level, id"
    ids = [r[0] for r in v._fetch(sql, params)]
    joined = cte + (
        f" SELECT m.*, d.level FROM down d JOIN {v.member_table} m ON m.id = d.id"
        " ORDER BY d.level, d.id"
    )
    m = v.Member.objects.select_related("user")
    parts = {
        "CTE (id, level)": lambda: v._fetch(sql, params),
        "in_bulk(ids) with user": lambda: m.in_bulk(ids),
        "same rows as tuples": lambda: list(m.filter(pk__in=ids).values_list()),
        "raw joined rows as tuples": lambda: v.raw_downline_rows(head),
        "Member.objects.raw(CTE joined), no user": (
            lambda: list(v.Member.objects.raw(joined, params))
        ),
    }
    return list(measure_all(parts, args.reps, args.budget).items())


# -- output -------------------------------------------------------------------------------


COLUMNS = ("ours", "raw CTE", "naive ORM", "tree_queries", "ours/raw", "naive/ours")


def ratio(a, b):
    if a is None or b is None or not b.ms:
        return ""
    value = a.ms / b.ms
    if value < 0.1:
        return f"{value:.2g}x"
    return f"{value:,.2f}x" if value < 10 else f"{value:,.0f}x"


def cells(row):
    return [
        row.ours.cell() if row.ours else "-",
        row.raw.cell() if row.raw else "-",
        row.naive.cell() if row.naive else "-",
        row.tq.cell() if row.tq else "-",
        ratio(row.ours, row.raw) or "-",
        ratio(row.naive, row.ours) or "-",
    ]


def print_table(header, lines):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines, strict=True)]
    fmt = "  ".join(
        f"{{:<{w}}}" if i < 2 and header[i] in ("operation", "size") else f"{{:>{w}}}"
        for i, w in enumerate(widths)
    )
    print(fmt.format(*header))
    print("  ".join("-" * w for w in widths))
    for line in lines:
        print(fmt.format(*line))


def print_size(result):
    f = result.facts
    print()
    print(f"Results for {f['members']:,} members (times in ms, median; n = repetitions if < 3)")
    print_table(("operation",) + COLUMNS, [[r.label] + cells(r) for r in result.rows])
    print()
    for r in result.rows:
        print(f"  {r.label}: {r.note}")
    for note in result.notes:
        print(note)


def summary_lines(results):
    """One line per operation and size, the sizes of an operation together."""
    lines = []
    for index in range(len(results[0].rows)):
        for res in results:
            if index < len(res.rows):
                r = res.rows[index]
                lines.append([r.label, f"{res.facts['members']:,}"] + cells(r))
    return lines


def print_summary(results):
    print()
    print("=" * 100)
    print("Summary: milliseconds (median), ratios ours/raw CTE and naive/ours")
    print_table(("operation", "size") + COLUMNS, summary_lines(results))
    verdicts = []
    for res in results:
        for r in res.rows:
            if r.ours and r.raw and r.ours.ms > 2 * r.raw.ms:
                verdicts.append(
                    f"  {res.facts['members']:,}: {r.label}: ours {r.ours.ms:.1f} ms is "
                    f"{r.ours.ms / r.raw.ms:.1f}x the raw CTE ({r.raw.ms:.1f} ms)"
                )
    print()
    if verdicts:
        print("Not within 2x of the raw CTE:")
        print("\n".join(verdicts))
    else:
        print("Every operation of ours is within 2x of the raw CTE.")


def print_rst(results):
    header = ("Operation", "Members") + COLUMNS
    lines = summary_lines(results)
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines, strict=True)]
    border = "  ".join("=" * w for w in widths)
    print()
    print(border)
    print("  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)).rstrip())
    print(border)
    for line in lines:
        print("  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
    print(border)


def print_environment():
    import django
    import tree_queries
    from django.conf import settings
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0]
        cursor.execute(
            "SELECT name, current_setting(name) FROM pg_settings WHERE name IN "
            "('shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', "
            "'jit', 'synchronous_commit')"
        )
        pg_settings = ", ".join(f"{n}={s}" for n, s in cursor.fetchall())
    db = settings.DATABASES["default"]
    print(f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}")
    print(f"Django {django.get_version()}, "
          f"django-tree-queries {getattr(tree_queries, '__version__', '?')}")
    print(f"Database: {db['NAME']} at {db['HOST']}:{db['PORT']}: {version}")
    print(f"Server settings: {pg_settings}")
    print("Load average (1, 5, 15 min) at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


def main():
    args = parse_args()
    setup_django(args)
    migrate(fresh=args.fresh)
    print_environment()
    print(f"Sizes: {', '.join(f'{s:,}' for s in args.sizes)}; {args.reps} repetitions; "
          f"{args.signups:,} sign-ups; slow variants stop after {args.budget:.0f} s")
    v = Variants()
    results = []
    for size in args.sizes:
        print()
        print(f"Building a network of {size:,} members ...", flush=True)
        load_seconds, facts = build_network(size, args)
        facts = describe_network(facts)
        result = SizeResult(size, load_seconds, facts)
        kinds = ", ".join(f"{k} {n:,}" for k, n in sorted(facts["kinds"].items()))
        widest = ", ".join(f"#{p}: {n:,}" for p, n in facts["widest"])
        print(f"  loaded in {load_seconds:.1f} s: {kinds}; table {facts['table_size']}")
        print(f"  widest first lines: {widest}")
        print(f"  branch #{facts['branch_head']} at depth {facts['branch_depth']}: "
              f"{facts['branch_size']:,} members on {facts['branch_levels']} levels; "
              f"deepest member #{facts['deepest']} at depth {facts['deepest_depth']}; "
              f"move target #{facts['move_target']} at depth {facts['target_depth']}")
        for section in (bench_downline, bench_upline, bench_move):
            print(f"  {section.__name__} ...", flush=True)
            section(v, facts, args, result)
        parts = split_levels_cost(v, facts, args)
        result.notes.append(
            "  downline_with_levels, by part: "
            + "; ".join(f"{name} {t.ms:.1f} ms" for name, t in parts)
        )
        if args.explain:
            explain(v, facts)
        print("  bench_signups ...", flush=True)
        bench_signups(v, facts, args, result)
        print("  bench_orders ...", flush=True)
        bench_orders(v, facts, args, result)
        result.notes.append(
            "  load average (1, 5, 15 min) after this size: {:.2f} {:.2f} {:.2f}".format(
                *os.getloadavg()
            )
        )
        print_size(result)
        results.append(result)
    print_summary(results)
    if args.rst:
        print_rst(results)


if __name__ == "__main__":
    main()
