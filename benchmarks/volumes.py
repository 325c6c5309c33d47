#!/usr/bin/env python
"""Benchmark of the volume record and the live volumes (issue 11), on PostgreSQL.

1. What the volume record adds to placing an order: the placement alone
   (``PaymentDetailsView.submit()``, query counts) of our checkout fork and of
   stock Oscar's view, each with and without the volume receiver, in the same
   run and interleaved rounds, median of the rounds. A customer (owner: the
   sponsor) buys two lines. Goal: at most +5 %. The database settings are the
   sandbox's, which let psycopg prepare the recording statement once per
   connection (``OPTIONS["prepare_threshold"]``); our fork also records with
   Django's default (nothing prepared), with the rules in Python (the path
   of databases other than PostgreSQL and SQLite: three statements), as the
   baseline of the one-statement recording, and with a receiver that only
   writes the two rows, computed beforehand (the floor of any recording: the
   rows' indexes, foreign-key checks and WAL).
   The receivers time themselves (wall and CPU, this process + its backend),
   which adds two reads of /proc to each recorded placement.
2. The live volumes of a distributor with a 50 000-member downline (a random
   network, 30 % distributors, four volume records per member over two
   months): own, personal, end-customer and group volume (all levels and five
   levels), against a naive way: django-tree-queries' ``descendants()`` plus
   one grouped sum over their records, levels counted in Python.

Give it a database of its own (it is created and migrated, then filled; the
network tables are emptied first)::

    DATABASE_URL=postgresql://postgres@127.0.0.1:55433/mlm_bench_volumes \\
        .venv/bin/python benchmarks/volumes.py [--orders 40] [--rounds 5] [--downline 50000]
"""

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager, nullcontext
from datetime import datetime, timedelta
from decimal import Decimal as D
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings")
os.environ.setdefault("SANDBOX_WHOOSH_PATH", tempfile.mkdtemp(prefix="bench-whoosh-"))
os.environ.setdefault("SANDBOX_DEBUG", "0")
os.environ.setdefault("SANDBOX_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from benchmarks.credit import ensure_database, median_ms  # noqa: E402

RECEIVER_MS = {}
RECEIVER_CPU_MS = {}


def backend_cpu_ns():
    """CPU time of this connection's PostgreSQL backend (same machine), in ns.

    What the database did for us, unlike wall-clock time unmoved by other
    processes' load.
    """
    from django.db import connection

    pid = connection.connection.info.backend_pid
    with open(f"/proc/{pid}/schedstat") as stat:
        return int(stat.read().split()[0])


@contextmanager
def timed_volume_record(label="receiver"):
    """The volume receiver, timing itself (its own work, without the commit it adds to)."""
    from oscar.apps.order.signals import order_placed

    from oscar_mlm.apps.mlm_commissions.receivers import record_volume

    def timed(sender, order, **kwargs):
        server, client = backend_cpu_ns(), time.thread_time_ns()
        start = time.perf_counter()
        record_volume(sender, order=order, **kwargs)
        RECEIVER_MS.setdefault(label, []).append((time.perf_counter() - start) * 1000)
        cpu = time.thread_time_ns() - client + backend_cpu_ns() - server
        RECEIVER_CPU_MS.setdefault(label, []).append(cpu / 1e6)

    order_placed.disconnect(dispatch_uid="mlm_commissions_record")
    order_placed.connect(timed, dispatch_uid="mlm_commissions_record")
    try:
        yield
    finally:
        order_placed.disconnect(dispatch_uid="mlm_commissions_record")
        order_placed.connect(record_volume, dispatch_uid="mlm_commissions_record")


@contextmanager
def python_rules():
    """The receiver recording with the rules in Python, as on other databases (timed)."""
    from oscar_mlm.apps.mlm_commissions.services import recording

    in_one_statement = recording.IN_ONE_STATEMENT
    recording.IN_ONE_STATEMENT = ()
    try:
        with timed_volume_record("receiver (Python rules)"):
            yield
    finally:
        recording.IN_ONE_STATEMENT = in_one_statement


@contextmanager
def unprepared():
    """The receiver with Django's default: psycopg prepares nothing (timed)."""
    from django.db import connection

    connection.ensure_connection()
    threshold = connection.connection.prepare_threshold
    connection.connection.prepare_threshold = None
    try:
        with timed_volume_record("receiver (not prepared)"):
            yield
    finally:
        connection.connection.prepare_threshold = threshold


@contextmanager
def rows_alone(buyer):
    """The floor: a receiver that only writes the two rows (``INSERT ... VALUES``).

    Everything a record holds is known beforehand (the buyer is a customer of
    a known sponsor, the rules are none; the lines are caught as Oscar saves
    them), so what it costs is only what writing the rows costs: their
    indexes, the deferred foreign-key checks at commit, the WAL.
    """
    from django.db import connection
    from django.db.models.signals import post_save
    from django.utils import timezone
    from oscar.apps.order.signals import order_placed
    from oscar.core.loading import get_model

    from oscar_mlm.apps.mlm_commissions.receivers import record_volume

    Line = get_model("order", "Line")
    VolumeRecord = get_model("mlm_commissions", "VolumeRecord")
    q = connection.ops.quote_name
    names = [
        "kind", "order", "line", "buyer", "buyer_kind", "sponsor", "owner", "owned_by",
        "quantity", "value", "volume", "commissionable", "currency", "booked", "placed",
        "guest_email", "idempotency_key", "created",
    ]  # fmt: skip
    columns = ", ".join(q(VolumeRecord._meta.get_field(name).column) for name in names)
    saved = []

    def caught(sender, instance, created, **kwargs):
        if created:
            saved.append(instance)

    def write(sender, order, **kwargs):
        server, client = backend_cpu_ns(), time.thread_time_ns()
        start = time.perf_counter()
        lines = [line for line in saved if line.order_id == order.pk]
        saved.clear()
        params = []
        for line in lines:
            value = line.line_price_excl_tax
            params += ["sale", order.pk, line.pk, buyer.pk, "customer", buyer.parent_id]
            params += [buyer.parent_id, "sponsor", line.quantity, value, value, True]
            params += [order.currency, order.date_placed, order.date_placed, ""]
            params.append(f"sale:line:{line.pk}")
            params.append(timezone.now())
        row = f"({', '.join(['%s'] * len(names))})"
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {q(VolumeRecord._meta.db_table)} ({columns}) VALUES "
                + ", ".join([row] * len(lines)),
                params,
            )
        RECEIVER_MS.setdefault("rows alone", []).append((time.perf_counter() - start) * 1000)
        cpu = time.thread_time_ns() - client + backend_cpu_ns() - server
        RECEIVER_CPU_MS.setdefault("rows alone", []).append(cpu / 1e6)

    post_save.connect(caught, sender=Line, dispatch_uid="bench_rows_alone")
    order_placed.disconnect(dispatch_uid="mlm_commissions_record")
    order_placed.connect(write, dispatch_uid="mlm_commissions_record")
    try:
        yield
    finally:
        post_save.disconnect(sender=Line, dispatch_uid="bench_rows_alone")
        order_placed.disconnect(dispatch_uid="mlm_commissions_record")
        order_placed.connect(record_volume, dispatch_uid="mlm_commissions_record")


@contextmanager
def without_volume_record():
    """The placement as it was before: our ``order_placed`` volume receiver disconnected."""
    from oscar.apps.order.signals import order_placed

    from oscar_mlm.apps.mlm_commissions.receivers import record_volume

    order_placed.disconnect(dispatch_uid="mlm_commissions_record")
    try:
        yield
    finally:
        order_placed.connect(record_volume, dispatch_uid="mlm_commissions_record")


COMPARED = (
    ("stock Oscar PaymentDetailsView", "stock", "stock+volume"),
    ("our checkout fork (credit, placement)", "ours", "ours+volume"),
    ("  the same, not prepared (Django default)", "ours", "ours+volume (not prepared)"),
    ("  the same, rules in Python (3 stmts)", "ours", "ours+volume (Python rules)"),
    ("  floor: the two rows alone (no reads)", "ours", "ours+rows alone"),
)


# -- 1. placement -------------------------------------------------------------------------------


def placement_benchmark(orders, rounds):
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext
    from oscar.apps.checkout import views as oscar_views
    from oscar.apps.checkout.calculators import OrderTotalCalculator
    from oscar.apps.checkout.utils import CheckoutSessionData
    from oscar.apps.partner.strategy import Selector
    from oscar.apps.shipping.methods import Free
    from oscar.core.loading import get_model
    from oscar.test import factories as oscar_factories
    from oscar.test.basket import add_product

    from oscar_mlm.apps.checkout.views import PaymentDetailsView as OurView
    from oscar_mlm.apps.mlm_network import services as network
    from oscar_mlm.test.factories import CustomerFactory, DistributorFactory

    Basket = get_model("basket", "Basket")
    VolumeRecord = get_model("mlm_commissions", "VolumeRecord")
    company = network.ensure_company()
    run = uuid.uuid4().hex[:8]  # the database may hold users of an earlier run
    anna = DistributorFactory(
        parent=company,
        handle=f"bench-{run}",
        user__username=f"anna-{run}",
        user__email=f"a{run}@x.de",
    )
    buyer_member = CustomerFactory(
        parent=anna, user__username=f"dora-{run}", user__email=f"d{run}@x.de"
    )
    buyer = buyer_member.user
    cream = oscar_factories.create_product(price=D("10.00"), num_in_stock=10**7)
    soap = oscar_factories.create_product(price=D("3.50"), num_in_stock=10**7)

    def place(view_class, queries=None, cpu=None):
        basket = Basket.objects.create(owner=buyer)
        basket.strategy = Selector().strategy()
        add_product(basket, product=cream, quantity=2)
        add_product(basket, product=soap, quantity=1)
        request = RequestFactory().post("/checkout/preview/")
        request.user, request.session, request.basket = buyer, SessionStore(), basket
        request.storefront = None
        view = view_class()
        view.setup(request)
        view.checkout_session = CheckoutSessionData(request)
        method = Free()
        charge = method.calculate(basket)
        total = OrderTotalCalculator().calculate(basket, charge)
        capture = CaptureQueriesContext(connection) if queries is not None else nullcontext()
        connection.ensure_connection()
        server, client = backend_cpu_ns(), time.thread_time_ns()
        start = time.perf_counter()
        with capture:
            response = view.submit(
                user=buyer,
                basket=basket,
                shipping_address=None,
                shipping_method=method,
                shipping_charge=charge,
                billing_address=None,
                order_total=total,
            )
        elapsed = time.perf_counter() - start
        if cpu is not None:
            cpu.append((time.thread_time_ns() - client + backend_cpu_ns() - server) / 1e6)
        if queries is not None:
            queries.extend(capture.captured_queries)
        assert response.status_code == 302, response
        return elapsed

    paths = [
        ("stock", oscar_views.PaymentDetailsView, without_volume_record),
        ("stock+volume", oscar_views.PaymentDetailsView, nullcontext),
        ("ours", OurView, without_volume_record),
        ("ours+volume", OurView, timed_volume_record),
        ("ours+volume (not prepared)", OurView, unprepared),
        ("ours+volume (Python rules)", OurView, python_rules),
        ("ours+rows alone", OurView, lambda: rows_alone(buyer_member)),
    ]
    queries, volume_sql = {}, []
    for name, view, context in paths:
        with context():
            for _ in range(3):
                place(view)
            captured = []
            place(view, captured)
        queries[name] = len(captured)
        if name == "ours+volume":
            volume_sql = [q["sql"] for q in captured if "mlm_commissions" in q["sql"]]
    times = {name: [] for name, *__ in paths}
    cpu = {name: [] for name, *__ in paths}
    RECEIVER_MS.clear()
    RECEIVER_CPU_MS.clear()
    for _ in range(rounds):
        for name, view, context in paths:
            with context():
                elapsed = sum(place(view, cpu=cpu[name]) for _ in range(orders))
                times[name].append(elapsed * 1000 / orders)
    recorded = VolumeRecord.objects.filter(buyer__user=buyer)
    assert recorded.count() == 2 * 5 * (4 + rounds * orders), recorded.count()
    assert set(recorded.values_list("owner_id", flat=True)) == {anna.pk}
    medians = {name: statistics.median(values) for name, values in times.items()}
    medians.update({label: statistics.median(values) for label, values in RECEIVER_MS.items()})
    cpu_medians = {name: statistics.median(values) for name, values in cpu.items()}
    cpu_medians.update(
        {label: statistics.median(values) for label, values in RECEIVER_CPU_MS.items()}
    )
    return medians, cpu_medians, queries, volume_sql


# -- 2. live volumes ----------------------------------------------------------------------------


def copy_rows(cursor, table, columns, rows):
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
    buffer.seek(0)
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        copy.write(buffer.getvalue())


def build_downline(size, others, seed=11):
    """A head below the company with ``size`` members below it, and ``others`` elsewhere.

    Each new member joins a random earlier distributor of its part of the
    network (a random recursive tree: depth grows like log n); 30 % are
    distributors. Four volume records per member: two in the measured month,
    two in the month before, owned by rule 1 (a customer's by their sponsor).
    Returns the head's pk and the measured month.
    """
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone
    from oscar.core.loading import get_model
    from oscar.test import factories as oscar_factories

    from oscar_mlm.apps.mlm_network import services as network

    Member = get_model("mlm_network", "Member")
    VolumeRecord = get_model("mlm_commissions", "VolumeRecord")
    User = get_user_model()
    rng = random.Random(seed)
    with connection.cursor() as cursor:
        # Everything that hangs off members (records, audit, storefronts...) goes with them.
        cursor.execute(f"TRUNCATE {Member._meta.db_table} CASCADE")
    company = network.ensure_company()
    order = oscar_factories.create_order()
    line = order.lines.get()
    start = timezone.make_aware(datetime(2026, 10, 1))
    month = (start, timezone.make_aware(datetime(2026, 11, 1)))
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM auth_user")
        first_user = cursor.fetchone()[0] + 1
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {Member._meta.db_table}")
        first_member = cursor.fetchone()[0] + 1
        total = 1 + size + others
        users = [
            (
                first_user + i,
                "!",
                "f",
                f"bench{first_user + i}",
                "B",
                "M",
                f"bench{first_user + i}@example.com",
                "f",
                "t",
                "2026-01-01 00:00:00+00",
            )
            for i in range(total)
        ]
        copy_rows(
            cursor,
            User._meta.db_table,
            [
                "id",
                "password",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
            ],
            users,
        )
        head = first_member
        members = [(head, company.pk, first_user, "distributor", f"head{head}")]
        kinds = {head: "distributor"}
        parents = {head: company.pk}
        for part, count, root in (("branch", size, head), ("rest", others, company.pk)):
            distributors = [root] if part == "branch" else []
            for _ in range(count):
                pk = first_member + len(members)
                if distributors and (part == "branch" or rng.random() < 0.9):
                    parent = rng.choice(distributors)
                else:
                    parent = company.pk
                kind = "distributor" if rng.random() < 0.3 else "customer"
                members.append(
                    (
                        pk,
                        parent,
                        first_user + len(members),
                        kind,
                        f"m{pk}" if kind == "distributor" else None,
                    )
                )
                kinds[pk], parents[pk] = kind, parent
                if kind == "distributor":
                    distributors.append(pk)
        copy_rows(
            cursor,
            Member._meta.db_table,
            ["id", "parent_id", "user_id", "kind", "handle", "status", "joined", "attribution"],
            [
                (pk, parent, user, kind, handle, "active", "2026-01-01 00:00:00+00", "")
                for pk, parent, user, kind, handle in members
            ],
        )
        records = []
        n = 0
        for pk, parent, _user, kind, _handle in members:
            owner, owned_by = (pk, "buyer") if kind == "distributor" else (parent, "sponsor")
            for placed in (
                start + timedelta(days=3),
                start + timedelta(days=20),
                start - timedelta(days=10),
                start - timedelta(days=25),
            ):
                n += 1
                volume = D(rng.randrange(500, 20000)) / 100
                records.append(
                    (
                        "sale",
                        order.pk,
                        line.pk,
                        pk,
                        kind,
                        parent,
                        owner,
                        owned_by,
                        1,
                        volume,
                        volume,
                        "t",
                        "EUR",
                        placed.isoformat(),
                        placed.isoformat(),
                        "",
                        f"bench:{n}",
                        placed.isoformat(),
                    )
                )
        copy_rows(
            cursor,
            VolumeRecord._meta.db_table,
            [
                "kind",
                "order_id",
                "line_id",
                "buyer_id",
                "buyer_kind",
                "sponsor_id",
                "owner_id",
                "owned_by",
                "quantity",
                "value",
                "volume",
                "commissionable",
                "currency",
                "booked",
                "placed",
                "guest_email",
                "idempotency_key",
                "created",
            ],
            records,
        )
        # What autovacuum does in a running shop: statistics and the visibility map
        # (index-only scans of the covering indexes).
        for model in (Member, VolumeRecord):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{Member._meta.db_table}', 'id'), "
            f"(SELECT MAX(id) FROM {Member._meta.db_table}))"
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('auth_user', 'id'), "
            "(SELECT MAX(id) FROM auth_user))"
        )
    return head, month, len(members), len(records), kinds, parents


def naive_group_volume(member_pk, start, end):
    """The ORM way: django-tree-queries' descendants, one grouped sum, levels in Python."""
    from django.db.models import Sum
    from oscar.core.loading import get_model

    Member = get_model("mlm_network", "Member")
    VolumeRecord = get_model("mlm_commissions", "VolumeRecord")
    member = Member.objects.with_tree_fields().get(pk=member_pk)
    below = {
        m.pk: m.tree_depth - member.tree_depth
        for m in member.descendants().filter(kind="distributor").only("pk")
    }
    sums = (
        VolumeRecord.objects.filter(owner_id__in=list(below), placed__gte=start, placed__lt=end)
        .values("owner_id")
        .annotate(total=Sum("volume"))
    )
    levels = {level: D("0.00") for level in set(below.values())}
    for row in sums:
        levels[below[row["owner_id"]]] += row["total"]
    return dict(sorted(levels.items()))


def volumes_benchmark(size, others, reps):
    from oscar_mlm.apps.mlm_commissions import volumes
    from oscar_mlm.apps.mlm_network import tree

    start = time.perf_counter()
    head, month, members, records, kinds, parents = build_downline(size, others)
    fill = time.perf_counter() - start
    group = volumes.group_volume(head, *month)
    naive = naive_group_volume(head, *month)
    assert group.levels == naive, (group.levels, naive)
    levels = len(group.levels)
    # A distributor in the middle of the branch: the first of level 3.
    middle = next(
        pk
        for pk in tree.downline_ids(head, max_depth=3)
        if kinds[pk] == "distributor" and parents[parents[pk]] != head and parents[pk] != head
    )
    rows = [
        ("own volume (head)", lambda: volumes.own_volume(head, *month)),
        ("personal volume (head)", lambda: volumes.personal_volume(head, *month)),
        ("end-customer volume (head)", lambda: volumes.end_customer_volume(head, *month)),
        ("all three (member_volumes)", lambda: volumes.member_volumes(head, *month)),
        ("group volume, all levels", lambda: volumes.group_volume(head, *month)),
        ("group volume, 5 levels", lambda: volumes.group_volume(head, *month, max_levels=5)),
        ("group volume of a level-3 member", lambda: volumes.group_volume(middle, *month)),
    ]
    results = [(name, median_ms(fn, reps)) for name, fn in rows]
    naive_ms = median_ms(lambda: naive_group_volume(head, *month), max(3, reps // 4))
    facts = {
        "members": members,
        "records": records,
        "fill": fill,
        "levels": levels,
        "downline": tree.downline_size(head),
        "distributors": sum(kinds[pk] == "distributor" for pk in tree.downline_ids(head)),
    }
    return facts, results, naive_ms, group


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=40, help="orders per round and path")
    # Five rounds swung the whole placement's difference by +-3 % from run to run.
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--downline", type=int, default=50_000)
    parser.add_argument("--others", type=int, default=50_000, help="members outside the branch")
    parser.add_argument("--reps", type=int, default=21, help="repetitions per volume query")
    parser.add_argument("--skip-placement", action="store_true")
    parser.add_argument("--skip-live", action="store_true", help="placement figures only")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgresql://... (a database of its own)")
    ensure_database(url)

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)

    print(f"load average at the start: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    if not args.skip_placement:
        times, cpu, queries, volume_sql = placement_benchmark(args.orders, args.rounds)
        print(
            f"Placing an order (submit(), a customer buying 2 lines), ms per order, "
            f"median of {args.rounds} rounds x {args.orders} orders"
        )
        print(f"  {'':40} {'without':>9} {'with':>9} {'':>9}   queries")
        for label, base, ours in COMPARED:
            print(
                f"  {label:40} {times[base]:9.2f} {times[ours]:9.2f} "
                f"{(times[ours] / times[base] - 1) * 100:+8.1f} %   "
                f"{queries[base]} -> {queries[ours]}"
            )
        for label, key in (
            ("one statement", "receiver"),
            ("one statement, not prepared", "receiver (not prepared)"),
            ("Python rules", "receiver (Python rules)"),
            ("floor, rows alone", "rows alone"),
        ):
            print(
                f"  the volume receiver itself (our fork, {label}): {times[key]:.2f} ms "
                f"per order, {times[key] / times['ours'] * 100:.1f} % of the placement without "
                f"it; CPU {cpu[key]:.2f} ms ({cpu[key] / cpu['ours'] * 100:.1f} %)"
            )
        print(
            "  CPU time per order, this process + its PostgreSQL backend (median of all "
            "orders; not moved by other processes' load):"
        )
        for label, base, ours in COMPARED:
            print(
                f"  {label:40} {cpu[base]:9.2f} {cpu[ours]:9.2f} "
                f"{(cpu[ours] / cpu[base] - 1) * 100:+8.1f} %"
            )
        print("  (goal: the volume record adds at most 5 %)")
        print("  the volume record's statements:")
        for sql in volume_sql:
            print(f"    {sql[:150]}{'...' if len(sql) > 150 else ''}")

    if args.skip_live:
        return
    facts, results, naive_ms, group = volumes_benchmark(args.downline, args.others, args.reps)
    print(
        f"\nLive volumes: {facts['members']:,} members, {facts['records']:,} volume records "
        f"(filled in {facts['fill']:.1f} s); the head has {facts['downline']:,} members below, "
        f"{facts['distributors']:,} distributors on {facts['levels']} levels; "
        f"median of {args.reps} runs, ms"
    )
    for name, ms in results:
        print(f"  {name:40} {ms:9.2f}")
    group_ms = dict(results)["group volume, all levels"]
    print(
        f"  {'naive group volume (tree-queries + sum)':40} {naive_ms:9.2f}   "
        f"ours is {naive_ms / group_ms:.1f}x faster"
    )


if __name__ == "__main__":
    main()
