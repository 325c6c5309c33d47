#!/usr/bin/env python
"""Benchmark of the partner back office (issue 14), on PostgreSQL, over HTTP.

Time to first byte, side by side in one run, of

* (a) the structure page (``/accounts/business/structure/``) of a distributor with a
  50 000-member downline in a 1 000 000-member network,
* (b) one node expansion of that tree (``/accounts/business/structure/nodes/<pk>/``,
  the first-line member with the widest first line),
* (d) the overview (``/accounts/business/``: this period's and the last one's volumes,
  the downline's size, the charts of twelve months),
* (e) a name search in the whole downline (``/accounts/business/structure/?q=<name>``,
  the first name of a member three levels down: many hits, the first page of 50),
* (f) the staff member page of that distributor (``/dashboard/mlm/members/<pk>/``: its
  downline by level) and (g) the staff growth report below it (``/dashboard/mlm/reports/
  growth/?member=<pk>&levels=10``: new members per month and per level), both outside the
  goal (staff pages),
* (c) for comparison: stock Oscar's catalogue page listing 50 products
  (``benchmarks/stock_settings.py``: the same settings minus everything of
  django-oscar-mlm, ``OSCAR_PRODUCTS_PER_PAGE = 50``), on the same database.

Goal: (a), (b), (d) and (e) within 1.5x of (c).

The data come from the demo generator (``oscar_mlm.demo``): the distributor's downline
grows the demo way (wide first lines, deep chains) to 50 000 members, the rest of the
network the same way in other legs up to 1 000 000, then orders with their volume
records in this month and the last (so the page's period volumes read real rows).
The data are built once per database (``--rebuild`` builds them again).

Each configuration is served by its own process (the standard library's single-threaded
``wsgiref`` server on 127.0.0.1, DEBUG off); this process is the HTTP client. Each
request is timed from sending it to having read the status line and headers (what a
browser waits for), and the body is read and checked. Rounds take turns (a, b, c, a, b,
c, ...) so load from elsewhere on the machine hits all three alike; the figure is the
median (and the 90th percentile) over the rounds, after a warm-up.

    DATABASE_URL=postgresql://postgres@127.0.0.1:PORT/mlm_bench_backoffice \\
        .venv/bin/python benchmarks/backoffice.py [--size 1000000] [--downline 50000] \\
        [--orders 100000] [--rounds 40] [--port 9040]

(``scripts/throwaway-pg.sh start DIR`` gives a server.) Building the data takes about
10 minutes on 2 cores, the measurement about one.
"""

import argparse
import datetime as dt
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("SANDBOX_WHOOSH_PATH", tempfile.mkdtemp(prefix="bench-whoosh-"))
os.environ.setdefault("SANDBOX_DEBUG", "0")
os.environ.setdefault("SANDBOX_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

PLUGIN_SETTINGS = "benchmarks.backoffice_settings"
STOCK_SETTINGS = "benchmarks.stock_settings"
HEAD_EMAIL = "bench-head@example.com"
STAFF_EMAIL = "bench-staff@example.com"
GOAL_PAGES = ("(a)", "(b)", "(d)", "(e)")
HOST = "localhost"
GOAL = 1.5
PRODUCTS = 50


# -- the servers ------------------------------------------------------------------------------


def serve(port):
    """Serve the settings of ``DJANGO_SETTINGS_MODULE`` on 127.0.0.1:``port`` (a child)."""
    import django

    django.setup()
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    if os.environ.get("MLM_BENCH_STOCK"):  # its own index folder (see backoffice_settings.py)
        from django.core.management import call_command

        call_command("rebuild_index", interactive=False, verbosity=0)

    from django.core.wsgi import get_wsgi_application

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = make_server(
        "127.0.0.1", port, get_wsgi_application(), server_class=WSGIServer,
        handler_class=QuietHandler,
    )  # fmt: skip
    print("ready", flush=True)
    server.serve_forever(poll_interval=0.5)


class Server:
    def __init__(self, settings_module, port):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module}
        if settings_module == STOCK_SETTINGS:
            env.update(MLM_STOCK_BASE=PLUGIN_SETTINGS, MLM_BENCH_STOCK="1")
        self.port = port
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(port)],
            env=env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.proc.stdout.readline()
        if line.strip() != "ready":
            self.stop()
            raise SystemExit(f"the {settings_module} server did not start")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def get(port, path, cookie=None):
    """``(seconds to the first byte, status, body)`` of one GET."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Host": f"{HOST}:{port}"}
    if cookie:
        headers["Cookie"] = cookie
    try:
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        first_byte = time.perf_counter() - started
        body = response.read().decode("utf-8", "replace")
        return first_byte, response.status, body
    finally:
        conn.close()


# -- the data ---------------------------------------------------------------------------------


def setup_django():
    os.environ["DJANGO_SETTINGS_MODULE"] = PLUGIN_SETTINGS
    import django

    django.setup()


def build(args, log):
    """The network, the orders and 50 products, from the demo generator (see the module)."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from oscar.core.loading import get_model
    from oscar.test import factories as oscar_factories

    from oscar_mlm.demo.network import write_network
    from oscar_mlm.demo.orders import generate_orders
    from oscar_mlm.demo.people import DISTRIBUTOR
    from oscar_mlm.demo.plan import NetworkPlan

    Member = get_model("mlm_network", "Member")
    Product = get_model("catalogue", "Product")
    started = time.monotonic()
    call_command("mlm_init", verbosity=0)
    plan = NetworkPlan(seed=14)
    head = plan.add(kind=DISTRIBUTOR, first_name="Bea", last_name="Bench", email=HEAD_EMAIL,
                    handle="bench-head", password="bench")  # fmt: skip
    plan.grow(args.downline, pool=[head], new_leg_share=0)
    others = plan.add(kind=DISTRIBUTOR)
    plan.grow(args.size - len(plan), pool=[others])
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    joined = timezone.make_aware(dt.datetime.combine(last_month, dt.time.min)) - dt.timedelta(
        days=30
    )
    write_network(plan, joined=joined, scatter=True)
    log(f"  network: {len(plan)} members in {time.monotonic() - started:.0f} s")
    for i in range(PRODUCTS - Product.objects.filter(is_public=True).count()):
        oscar_factories.create_product(title=f"Bench product {i + 1}", price="10.00",
                                       num_in_stock=100)  # fmt: skip
    call_command("rebuild_index", interactive=False, verbosity=0)
    mark = time.monotonic()
    orders = generate_orders(args.orders, months=[last_month, this_month], seed=14)
    log(f"  orders: {orders.orders} with {orders.volume_records} volume records in "
        f"{time.monotonic() - mark:.0f} s")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    head_member = Member.objects.get(user__email=HEAD_EMAIL)
    return head_member


def session_cookie(user):
    """A logged-in session of ``user`` in the database, as a Cookie header value."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


# -- the measurement --------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--downline", type=int, default=50_000)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--port", type=int, default=9040, help="first of two ports")
    parser.add_argument("--rebuild", action="store_true", help="build the data again")
    parser.add_argument("--build-only", action="store_true", help="build the data, measure later")
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("DATABASE_URL=postgresql://... of a database of its own, please")

    from benchmarks.credit import ensure_database

    ensure_database(url)
    setup_django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db.models import Count
    from django.urls import reverse
    from oscar.core.loading import get_model

    from oscar_mlm.apps.mlm_network import tree

    def log(text):
        print(text, flush=True)

    call_command("migrate", interactive=False, verbosity=0)
    Member = get_model("mlm_network", "Member")
    head = Member.objects.filter(user__email=HEAD_EMAIL).first()
    if head is None or args.rebuild:
        if head is not None:
            raise SystemExit("--rebuild needs an empty database (drop it first)")
        log(f"Building {args.size} members ({args.downline} below one distributor), "
            f"{args.orders} orders ...")  # fmt: skip
        head = build(args, log)
    if args.build_only:
        return
    members = Member.objects.count()
    downline = tree.downline_size(head)
    node = (
        Member.objects.filter(parent=head)
        .annotate(n=Count("children"))
        .order_by("-n", "pk")
        .first()
    )
    first_line = Member.objects.filter(parent=head).count()
    name = tree.downline_page(head, level=3, limit=1)[0].user.first_name
    cookie = session_cookie(head.user)
    staff, _created = get_user_model().objects.get_or_create(
        email=STAFF_EMAIL,
        defaults={"username": "bench-staff", "is_staff": True, "is_superuser": True},
    )
    staff_cookie = session_cookie(staff)
    member_page = reverse("mlm_dashboard:mlm-member-detail", kwargs={"pk": head.pk})
    growth_page = reverse("mlm_dashboard:mlm-report-growth") + f"?member={head.pk}&levels=10"
    targets = [
        ("(a) structure page", 0, "/accounts/business/structure/", cookie, 'id="mlm-tree"'),
        ("(b) node expansion", 0, f"/accounts/business/structure/nodes/{node.pk}/", cookie,
         'class="mlm-node"'),  # fmt: skip
        ("(d) overview", 0, "/accounts/business/", cookie, 'id="mlm-period-figures"'),
        ("(e) name search", 0, f"/accounts/business/structure/?q={quote(name)}", cookie,
         'id="mlm-search-results"'),  # fmt: skip
        ("(f) staff member page", 0, member_page, staff_cookie, 'id="level-counts"'),
        ("(g) staff growth report", 0, growth_page, staff_cookie, 'id="growth-by-level"'),
        ("(c) stock Oscar, 50 products", 1, "/catalogue/", None, "product_pod"),
    ]
    servers = [Server(PLUGIN_SETTINGS, args.port), Server(STOCK_SETTINGS, args.port + 1)]
    try:
        ports = [s.port for s in servers]
        for label, server, path, cookie_, marker in targets:
            _seconds, status, body = get(ports[server], path, cookie_)
            if status != 200 or marker not in body:
                raise SystemExit(f"{label}: {path} answered {status} without {marker!r}")
            if server == 1 and body.count("product_pod") < PRODUCTS:
                raise SystemExit(f"{label}: fewer than {PRODUCTS} products on the page")
        times = {label: [] for label, *_rest in targets}
        for round_ in range(args.warmup + args.rounds):
            for label, server, path, cookie_, _marker in targets:
                seconds, _status, _body = get(ports[server], path, cookie_)
                if round_ >= args.warmup:
                    times[label].append(seconds * 1000)
    finally:
        for server in servers:
            server.stop()
    report(args, members, downline, first_line, node, name, times, log)


def report(args, members, downline, first_line, node, name, times, log):
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    log("")
    log(f"Back office time to first byte, {time.strftime('%Y-%m-%d %H:%M')}, "
        f"{os.cpu_count()} cores, PostgreSQL {pg}, Django {django.get_version()}, "
        f"Python {sys.version.split()[0]}")  # fmt: skip
    log(f"Network: {members} members; the distributor's downline {downline}, first line "
        f"{first_line}; the node expanded: first line {node.children.count()}; "
        f"the name searched: {name!r}")  # fmt: skip
    log(f"{args.rounds} rounds after {args.warmup} warm-up, interleaved; ms")
    log("")
    stock = statistics.median(times["(c) stock Oscar, 50 products"])
    log(f"{'':32} {'median':>8} {'p90':>8} {'vs (c)':>8}")
    for label, values in times.items():
        median = statistics.median(values)
        p90 = statistics.quantiles(values, n=10)[-1]
        log(f"{label:32} {median:8.1f} {p90:8.1f} {median / stock:7.2f}x")
    worst = max(statistics.median(v) for k, v in times.items() if k.startswith(GOAL_PAGES))
    verdict = "met" if worst / stock <= GOAL else "NOT met"
    log("")
    log(f"Goal: (a), (b), (d), (e) within {GOAL}x of the stock page: {verdict} "
        f"({worst / stock:.2f}x).")  # fmt: skip


if __name__ == "__main__":
    main()
