#!/usr/bin/env python
"""Load test of the whole shop on the production stack (``bash dev.sh prod``), with Locust.

Visitors arrive on many partners' storefronts (customer and partner links), browse, sign up,
redeem new-customer codes, check out with and without credit; distributors generate codes and
open their pages; staff search members. The load ramps up in stages until the 95th percentile
passes 500 ms or a request fails; each stage prints throughput and p50/p95/p99 per kind of
request. The same visitor flows that stock Oscar has (browsing, sign-up, checkout, staff
searching customers) run against stock Oscar's sandbox pages in the same run, on the same
stack (gunicorn, PostgreSQL, Redis; ``benchmarks/stock_settings.py`` on a copy of the database),
and against ours with the same mix. Then, with the load still on, PostgreSQL restarts, a gunicorn
worker and a task worker are killed (the latter in the middle of a task queued from the
dashboard). Last, the books are checked (``benchmarks/books.py``).

All traffic goes to 127.0.0.1, bounded in time (``--max-minutes``) and count
(``--max-requests``); client addresses in X-Forwarded-For come from 198.18.0.0/15, the range
set aside for benchmarks.

    bash dev.sh load                                   # starts the stack itself; ~30 minutes
    bash dev.sh load --quick                           # smoke run, a few minutes
    bash dev.sh load --stack-env /tmp/x/env            # a stack that runs (MLM_PROD_ENV_FILE)
    bash dev.sh load --output benchmarks/results-load.txt

``--help`` lists the options. Run it when the machine is quiet: the figures are those of this
2-core machine with Locust itself on it (its CPU share is printed).
"""

# Locust patches the standard library for gevent: it comes first.
from locust import HttpUser, between, task  # isort: skip
from locust.env import Environment  # isort: skip
from locust.exception import RescheduleTask  # isort: skip

import argparse
import datetime
import glob
import itertools
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import gevent
import locust.log
import psutil
import psycopg
import requests

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from oscar_mlm.test.stack import (  # noqa: E402
    BehindProxyCookieJar,
    behind_proxy,
    csrf_token,
    find_form,
    host,
    read_env,
)

P95_LIMIT_MS = 500
# Requests that hash a password (Django's PBKDF2, 1 000 000 iterations: half a second of one
# core each, by design). The load is "held" while the other requests' p95 stays under the limit
# and nothing fails; the p95 of all requests is printed beside it.
PASSWORD_HASHING = {"login", "sign-up"}
TRIES = 5
NO_ANSWER = "no answer"  # the connection closed (a killed worker) before a status line
PRODUCT_LINK = re.compile(r'href="(/catalogue/[a-z0-9-]+_\d+/)"')
ORDER_NUMBER = re.compile(r"your order number is\s*<strong>(\d+)</strong>", re.S)
MEMBER_LINK = re.compile(r'href="(/dashboard/mlm/members/\d+/)"')
USER_LINK = re.compile(r'href="(/dashboard/users/\d+/)"')
NAMES = ["Anna", "Ben", "Lena", "Jonas", "Mia", "Paul", "Emma", "Noah", "Lea", "Finn"]


# -- what the visitors saw and met (shared by all simulated users) ----------------------------


class Ledger:
    def __init__(self):
        self.orders = []
        self.signups = []
        self.failures = []  # (time, kind, status, clean, retried_ok)
        self.with_credit = 0
        self.vouchers_applied = 0

    def failure(self, kind, status, body):
        clean = "Traceback" not in body and 'id="summary"' not in body  # Django's debug page
        self.failures.append([time.monotonic(), kind, status, clean, None])
        return self.failures[-1]


LEDGER = Ledger()


def client_ips():
    for n in itertools.count(1):
        yield f"198.{18 + (n >> 16) % 2}.{(n >> 8) % 256}.{n % 256}"


IPS = client_ips()


# -- the visitors -----------------------------------------------------------------------------


class Visitor(HttpUser):
    """One visitor at a time: each run of the task is a new person (new cookies, address)."""

    abstract = True
    wait_time = between(1, 3)
    data = None  # the seed's JSON
    ours = True  # False: stock Oscar (company site only, none of the plugin's pages)

    def on_start(self):
        self.fresh()

    def fresh(self):
        behind_proxy(self.client, next(IPS))
        self.client.cookies = BehindProxyCookieJar()
        self.handle = random.choice(self.data["storefronts"]) if self.ours else None

    # One request. A failure is tried again, as a person would: after the Retry-After the shop
    # asked for (a database away answers 503 with it), else a second; after TRIES failures the
    # visitor gives the flow up.
    def go(self, method, path, kind, data=None, expect=(200,), handle=False):
        handle = self.handle if handle is False else handle
        headers = {"Host": host(handle)}
        if method == "POST":
            headers["Referer"] = f"https://{host(handle)}{path}"
        failed = None
        for attempt in range(TRIES):
            with self.client.request(
                method,
                path,
                name=kind,
                data=data,
                headers=headers,
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code in expect:
                    response.success()
                    if failed is not None:
                        failed[4] = True
                    return response
                if failed is None:
                    failed = LEDGER.failure(kind, response.status_code, response.text or "")
                response.failure(f"{response.status_code} (expected {expect})")
                wait = response.headers.get("Retry-After", "1") if response.headers else "1"
            if attempt < TRIES - 1:
                gevent.sleep(float(wait) if wait.isdigit() else 1)
        failed[4] = False
        raise RescheduleTask()

    def page(self, path, kind, **kwargs):
        return self.go("GET", path, kind, **kwargs)

    def submit(self, path, kind, form_id, changes=None, expect=(302,), page_kind=None):
        page = self.page(path, page_kind or kind)
        action, fields = find_form(page.text, form_id=form_id)
        fields.update(changes or {})
        return self.go("POST", action or path, kind, data=fields, expect=expect)

    # -- pieces of the flows ----------------------------------------------------------------

    def browse(self, products=2):
        self.page("/", "home", expect=(200, 302))
        catalogue = self.page("/catalogue/", "catalogue")
        links = PRODUCT_LINK.findall(catalogue.text) or ["/catalogue/"]
        if random.random() < 0.2:
            self.page(f"/search/?q={random.choice(['cream', 'tea', 'serum'])}", "search")
        chosen = [random.choice(links) for _ in range(products)]
        for link in chosen:
            self.page(link, "product")
        return chosen

    def add_to_basket(self, product):
        self.submit(
            product, "basket add", "add_to_basket_form", {"quantity": "1"}, page_kind="product"
        )
        self.page("/basket/", "basket")

    def login(self, email, handle=None):
        self.handle = handle
        # Staff log in with the demo password, everybody else with the seed's.
        password = "admin" if email == "admin@example.com" else self.data["password"]
        self.submit(
            "/accounts/login/",
            "login",
            "login_form",
            {"login-username": email, "login-password": password, "login_submit": "Log In"},
        )

    def sign_up(self, path="/accounts/register/"):
        email = f"visitor-{uuid.uuid4().hex[:12]}@example.com"
        page = self.page(path, "sign-up page")
        action, fields = find_form(page.text, form_id="register_form")
        for name in list(fields):
            if name.endswith("email"):
                fields[name] = email
            elif name.endswith(("password1", "password2")):
                fields[name] = "Load-test-Pass-99"
            elif name.endswith("first_name"):
                fields[name] = random.choice(NAMES)
            elif name.endswith("last_name"):
                fields[name] = "Muster"
        fields["registration_submit"] = "Register"
        self.go("POST", action or path, "sign-up", data=fields, expect=(302,))
        if self.ours:
            LEDGER.signups.append(email)
        return email

    def checkout(self, credit_expected=False):
        self.page("/checkout/", "checkout", expect=(302,))
        page = self.page("/checkout/shipping-address/", "checkout address")
        action, fields = find_form(page.text, form_id="new_shipping_address")
        fields.update(
            first_name=random.choice(NAMES),
            last_name="Muster",
            line1="Hauptstr. 1",
            line4="Berlin",
            postcode="10115",
            country="DE",
        )
        response = self.go(
            "POST", "/checkout/shipping-address/", "checkout address", data=fields, expect=(302,)
        )
        # Shipping method, payment method, payment details: each redirects to the next.
        location = response.headers.get("Location", "")
        for _ in range(4):
            path = urlparse(location).path
            if not path.startswith("/checkout/") or path.endswith("/preview/"):
                break
            response = self.page(path, "checkout steps", expect=(200, 302))
            if response.status_code != 302:
                break
            location = response.headers.get("Location", "")
        preview = self.page("/checkout/preview/", "checkout preview")
        if self.ours and 'id="mlm-credit-applied"' in preview.text:
            LEDGER.with_credit += 1
        placed = self.go(
            "POST",
            "/checkout/preview/",
            "place order",
            data={"csrfmiddlewaretoken": csrf_token(preview.text), "action": "place_order"},
            expect=(302,),
        )
        if "/thank-you/" not in placed.headers.get("Location", ""):
            raise RescheduleTask()
        thanks = self.page("/checkout/thank-you/", "thank you")
        found = ORDER_NUMBER.search(thanks.text)
        if found and self.ours:
            LEDGER.orders.append(found.group(1))

    def redeem(self):
        if not self.data["codes"]:
            return
        code = self.data["codes"].pop(random.randrange(len(self.data["codes"])))
        basket = self.page("/basket/", "basket")
        self.go(
            "POST",
            "/basket/vouchers/add/",
            "redeem code",
            data={"csrfmiddlewaretoken": csrf_token(basket.text), "code": code},
            expect=(302,),
        )
        if code in self.page("/basket/", "basket").text:
            LEDGER.vouchers_applied += 1


class Browser(Visitor):
    """Arrives on a partner's customer link (or the company site), looks around, may basket."""

    abstract = True

    @task
    def visit(self):
        self.fresh()
        products = self.browse(products=random.randint(1, 4))
        if random.random() < 0.3:
            self.add_to_basket(products[0])


class PartnerLinkVisitor(Visitor):
    """Arrives on a partner link (/join/), reads about the opportunity, some sign up."""

    abstract = True

    @task
    def visit(self):
        self.fresh()
        self.page("/join/", "partner link")
        self.browse(products=1)
        if random.random() < 0.25:
            self.sign_up()


class NewCustomer(Visitor):
    """Signs up on a storefront, redeems the partner's new-customer code, buys."""

    abstract = True
    redeems = True

    @task
    def visit(self):
        self.fresh()
        products = self.browse(products=2)
        self.sign_up()
        self.add_to_basket(products[0])
        if self.ours and self.redeems:
            self.redeem()
        self.checkout()


class ReturningCustomer(Visitor):
    """Logs in (storefront or company site) and buys; with credit if they have some."""

    abstract = True
    pool = "plain_customers"

    @task
    def visit(self):
        self.fresh()
        handle = self.handle if random.random() < 0.5 else None
        self.login(random.choice(self.data[self.pool]), handle=handle)
        products = self.browse(products=random.randint(1, 3))
        self.add_to_basket(products[-1])
        self.checkout()


class Distributor(Visitor):
    """A partner: generates a code, looks at network, storefront and credit pages."""

    abstract = True

    @task
    def visit(self):
        self.fresh()
        self.login(random.choice(self.data["distributors"]), handle=None)
        self.submit(
            "/accounts/vouchers/",
            "generate code",
            "mlm-voucher-generate",
            page_kind="partner pages",
        )
        self.page("/accounts/vouchers/", "partner pages")
        self.page("/accounts/network/", "partner pages")
        self.page("/accounts/storefront/", "partner pages")
        self.page("/accounts/credit/", "partner pages")


class Staff(Visitor):
    """Staff search members (ours: the Network section; stock: Oscar's customer search)."""

    abstract = True

    @task
    def visit(self):
        self.fresh()
        self.login("admin@example.com", handle=None)
        name = random.choice(NAMES)
        if self.ours:
            found = self.page(f"/dashboard/mlm/members/?q={name}", "staff search")
            links = MEMBER_LINK.findall(found.text)
        else:
            found = self.page(f"/dashboard/users/?name={name}", "staff search")
            links = USER_LINK.findall(found.text)
        if links:
            self.page(random.choice(links), "staff member page")


def mix(name, data, ours):
    """The user classes of a mix, with weights (share of visitors, not of requests)."""
    full = [
        (Browser, 45, {}),
        (PartnerLinkVisitor, 8, {}),
        (NewCustomer, 14, {}),
        (ReturningCustomer, 12, {"pool": "credit_customers"}),
        (ReturningCustomer, 9, {"pool": "plain_customers"}),
        (Distributor, 8, {}),
        (Staff, 4, {}),
    ]
    common = [
        (Browser, 55, {}),
        (NewCustomer, 16, {"redeems": False}),
        (ReturningCustomer, 21, {"pool": "plain_customers"}),
        (Staff, 8, {}),
    ]
    chosen = full if name == "full" else common
    classes = []
    for i, (base, weight, extra) in enumerate(chosen):
        classes.append(
            type(
                f"{base.__name__}{i}",
                (base,),
                {"weight": weight, "data": data, "ours": ours, "abstract": False, **extra},
            )
        )
    return classes


# -- one run: ramp, measure ---------------------------------------------------------------------


def stack_processes(env, extra=()):
    """The stack's processes (gunicorn, task workers, Redis, PostgreSQL) and ``extra`` ones,
    with their children: what the server side spends CPU on. Other PostgreSQL servers on the
    machine (other people's tests) are not counted."""
    directory = Path(env["MLM_PROD_DIR"])
    roots = [int(env["MLM_PROD_GUNICORN_PID"]), int(env["MLM_PROD_REDIS_PID"]), *extra]
    roots += [int(path.read_text()) for path in directory.glob("*.pid")]
    roots.append(int((directory / "pg" / "data" / "postmaster.pid").read_text().split()[0]))
    processes = []
    for pid in roots:
        try:
            process = psutil.Process(pid)
            processes += [process, *process.children(recursive=True)]
        except psutil.Error:
            pass
    return processes


def machine_busy():
    """CPU seconds the whole machine has been busy (all cores)."""
    times = psutil.cpu_times()
    return times.user + times.nice + times.system + times.irq + times.softirq + times.steal


def cpu_seconds(processes):
    total = 0.0
    for proc in processes:
        try:
            times = proc.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            pass
    return total


def percentile(entries, fraction):
    """The response time (ms) below which ``fraction`` of the entries' requests lie."""
    merged = {}
    for entry in entries:
        for ms, count in entry.response_times.items():
            merged[ms] = merged.get(ms, 0) + count
    wanted, seen = fraction * sum(merged.values()), 0
    for ms in sorted(merged):
        seen += merged[ms]
        if seen >= wanted:
            return ms
    return 0


def snapshot(env, seconds, users, server_cpu, client_cpu):
    stats = env.stats
    kinds = {}
    for (name, _method), entry in sorted(stats.entries.items()):
        if not entry.num_requests:
            continue
        kinds[name] = {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "rps": entry.num_requests / seconds,
            "p50": entry.get_response_time_percentile(0.5),
            "p95": entry.get_response_time_percentile(0.95),
            "p99": entry.get_response_time_percentile(0.99),
        }
    total = stats.total
    rest = [e for (name, _m), e in stats.entries.items() if name not in PASSWORD_HASHING]
    return {
        "users": users,
        "requests": total.num_requests,
        "failures": total.num_failures,
        "rps": total.num_requests / seconds,
        "p50": total.get_response_time_percentile(0.5) if total.num_requests else 0,
        "p95": total.get_response_time_percentile(0.95) if total.num_requests else 0,
        "p99": total.get_response_time_percentile(0.99) if total.num_requests else 0,
        "p95_rest": percentile(rest, 0.95),
        "server_cpu": server_cpu / seconds * 100,
        "client_cpu": client_cpu / seconds * 100,
        "errors": {f"{e.method} {e.name}: {e.error}": e.occurrences for e in stats.errors.values()},
        "kinds": kinds,
    }


def ramp(label, url, classes, stages, stage_seconds, stack_env, budget, out, extra=()):
    env = Environment(user_classes=classes, host=url)
    runner = env.create_local_runner()
    me = psutil.Process()
    results = []
    out(f"\n{label}")
    out(
        "  (ms; p95*: p95 of the requests that hash no password; CPU in % of one core, "
        "200 % = the machine; other: everything else that ran meanwhile)"
    )
    out(
        f"  {'users':>5} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'p95*':>6} {'errors':>6} "
        f"{'server CPU':>10} {'Locust CPU':>10} {'other CPU':>9}"
    )
    for users in stages:
        if budget.exhausted():
            out("  (time or request budget reached)")
            break
        runner.start(users, spawn_rate=max(10, users))
        gevent.sleep(3)  # the new users are under way
        env.stats.reset_all()
        processes = stack_processes(stack_env, extra)
        server0, client0, machine0 = cpu_seconds(processes), cpu_seconds([me]), machine_busy()
        started = time.monotonic()
        gevent.sleep(stage_seconds)
        seconds = time.monotonic() - started
        server, client = cpu_seconds(processes) - server0, cpu_seconds([me]) - client0
        result = snapshot(env, seconds, users, server, client)
        # Whatever else ran on the machine meanwhile (other people's tests): how busy it was.
        result["other_cpu"] = max(0.0, machine_busy() - machine0 - server - client) / seconds * 100
        budget.spend(result["requests"])
        results.append(result)
        broken = not holds(result)
        out(
            f"  {users:>5} {result['rps']:>7.1f} {result['p50']:>6.0f} {result['p95']:>6.0f} "
            f"{result['p99']:>6.0f} {result['p95_rest']:>6.0f} {result['failures']:>6} "
            f"{result['server_cpu']:>9.0f}% {result['client_cpu']:>9.0f}% "
            f"{result['other_cpu']:>8.0f}%" + ("   <- broken" if broken else "")
        )
        if broken:
            for error, count in result["errors"].items():
                out(f"        {count} x {error}")
            break
    runner.quit()
    held = [r for r in results if holds(r)]
    strict = [r for r in results if holds(r) and r["p95"] <= P95_LIMIT_MS]
    best = max(held, key=lambda r: r["rps"]) if held else None
    best_strict = max(strict, key=lambda r: r["rps"]) if strict else None
    return {"label": label, "stages": results, "held": best, "held_strict": best_strict}


def holds(result):
    return result["p95_rest"] <= P95_LIMIT_MS and not result["failures"]


def print_kinds(result, out):
    if not result:
        return
    out(f"  per kind of request at {result['users']} users:")
    out(f"    {'kind':<20} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'errors':>6}")
    for name, k in sorted(result["kinds"].items(), key=lambda kv: -kv[1]["requests"]):
        out(
            f"    {name:<20} {k['rps']:>7.2f} {k['p50']:>6.0f} {k['p95']:>6.0f} {k['p99']:>6.0f} "
            f"{k['failures']:>6}"
        )


class Budget:
    def __init__(self, minutes, requests):
        self.deadline = time.monotonic() + minutes * 60
        self.requests = requests

    def spend(self, n):
        self.requests -= n

    def exhausted(self):
        return time.monotonic() > self.deadline or self.requests <= 0


# -- the stack ----------------------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_stack(port, size, workers, log):
    """``bash dev.sh prod`` in a session of its own, and the file its environment will be in."""
    env_file = Path(tempfile.mkdtemp(prefix="mlm-load-")) / "env"
    env = {
        **os.environ,
        "PORT": str(port),
        "MLM_PROD_ENV_FILE": str(env_file),
        "MLM_DEMO_SIZE": str(size),
        "MLM_GUNICORN_WORKERS": str(workers),
    }
    process = subprocess.Popen(
        ["bash", "dev.sh", "prod"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    return process, env_file


def wait_for_stack(process, env_file, log):
    while not env_file.exists():
        if process.poll() is not None:
            raise SystemExit(f"bash dev.sh prod ended (exit {process.returncode}); see {log.name}")
        time.sleep(1)
    return read_env(env_file)


def stop_stack(process):
    """Ctrl-C to the stack's session: dev.sh stops every process it started."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
    process.wait(180)


def manage(stack_env, code, extra_env=None):
    env = {**os.environ, **stack_env, **(extra_env or {})}
    result = subprocess.run(
        [sys.executable, "sandbox/manage.py", "shell", "-v", "0", "-c", code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if result.returncode:
        raise SystemExit(f"manage.py shell failed:\n{result.stderr[-3000:]}")
    return result.stdout


def tagged(output, tag):
    line = next(line for line in output.splitlines() if line.startswith(tag + " "))
    return json.loads(line[len(tag) + 1 :])


def database_url(url, name):
    parsed = urlparse(url)
    return urlunparse(parsed._replace(path=f"/{name}"))


def start_stock(stack_env, port, workers, log):
    """Stock Oscar on the same PostgreSQL and Redis, on a copy of the shop's database."""
    bindir = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
    shop_url = stack_env["DATABASE_URL"]
    with psycopg.connect(shop_url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS stock")
        conn.execute("CREATE DATABASE stock")
    stock_url = database_url(shop_url, "stock")
    dump = subprocess.Popen([f"{bindir}/pg_dump", "--no-owner", shop_url], stdout=subprocess.PIPE)
    subprocess.run(
        [f"{bindir}/psql", "-q", "-o", "/dev/null", stock_url], stdin=dump.stdout, check=True
    )
    dump.wait()
    env = {
        **os.environ,
        **stack_env,
        "DATABASE_URL": stock_url,
        "DJANGO_SETTINGS_MODULE": "benchmarks.stock_settings",
        "MLM_STOCK_BASE": "sandbox.settings_production",
        # Stock Oscar's own search index, built here from its copy of the database (the same
        # product index as the shop's: benchmarks/search_indexes.py).
        "SANDBOX_WHOOSH_PATH": stack_env["SANDBOX_WHOOSH_PATH"] + "-stock",
    }
    subprocess.run(
        [sys.executable, "sandbox/manage.py", "update_index", "--verbosity", "0"],
        cwd=REPO,
        env=env,
        check=True,
    )
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "sandbox.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "30",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if (
                requests.get(
                    url + "/catalogue/",
                    headers={"Host": "shop.example", "X-Forwarded-Proto": "https"},
                    timeout=5,
                ).status_code
                == 200
            ):
                return process, url
        except requests.RequestException:
            pass
        time.sleep(0.5)
    process.terminate()
    process.wait(60)
    raise SystemExit("stock Oscar did not answer")


# -- faults ---------------------------------------------------------------------------------


def staff_session(url):
    session = behind_proxy(requests.Session(), next(IPS))
    headers = {"Host": host()}
    for _ in range(60):  # the shop may be recovering from a fault
        page = session.get(url + "/accounts/login/", headers=headers, timeout=30)
        if page.status_code == 200:
            break
        time.sleep(1)
    _action, fields = find_form(page.text, form_id="login_form")
    fields.update(
        {"login-username": "admin@example.com", "login-password": "admin", "login_submit": "Log In"}
    )
    session.post(
        url + "/accounts/login/",
        data=fields,
        allow_redirects=False,
        timeout=30,
        headers={**headers, "Referer": f"https://{host()}/accounts/login/"},
    )
    return session


def queue_orphan_return(url):
    session = staff_session(url)
    headers = {"Host": host(), "Referer": f"https://{host()}/dashboard/mlm/credit/orphans/"}
    page = session.get(url + "/dashboard/mlm/credit/orphans/", headers=headers, timeout=30)
    if 'id="orphan_form"' not in page.text:
        return None
    session.post(
        url + "/dashboard/mlm/credit/orphans/",
        headers=headers,
        timeout=30,
        allow_redirects=False,  # the next page shows the queued task's id once
        data={"csrfmiddlewaretoken": csrf_token(page.text), "confirm": "on"},
    )
    page = session.get(url + "/dashboard/mlm/credit/orphans/", headers=headers, timeout=30)
    found = re.findall(r"\(task ([0-9a-f-]{36})\)", page.text)
    return found[-1] if found else None


def task_state(stack_env, task_id):
    with psycopg.connect(stack_env["DATABASE_URL"], autocommit=True) as conn:
        row = conn.execute(
            "SELECT status, worker_ids, return_value FROM django_tasks_database_dbtaskresult "
            "WHERE id = %s",
            (task_id,),
        ).fetchone()
    return row


def faults(url, stack_env, classes, users, seconds, out):
    """Steady load; PostgreSQL restarts, a web worker and a task worker (mid-task) die."""
    env = Environment(user_classes=classes, host=url)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=max(10, users))
    began = time.monotonic()
    LEDGER.failures.clear()
    events = []

    def at(second, what, action):
        gevent.sleep(max(0, began + second - time.monotonic()))
        try:
            detail = action()
        except Exception as exc:  # reported, never hidden
            detail = f"FAILED: {exc!r}"
        events.append((round(time.monotonic() - began, 1), what, detail))

    def restart_db():
        subprocess.run(
            [
                str(REPO / "scripts/throwaway-pg.sh"),
                "restart",
                str(Path(stack_env["MLM_PROD_DIR"]) / "pg"),
                "3",
            ],
            check=True,
            capture_output=True,
        )
        return "down 3 s"

    def kill_web_worker():
        victim = random.choice(psutil.Process(int(stack_env["MLM_PROD_GUNICORN_PID"])).children())
        victim.kill()
        return f"pid {victim.pid}"

    def kill_task_worker():
        task_id = queue_orphan_return(url)
        if not task_id:
            return "no orphans to give back: nothing queued"
        for _ in range(100):
            row = task_state(stack_env, task_id)
            if row and row[0] == "RUNNING":
                break
            gevent.sleep(0.1)
        else:
            return f"task {task_id} did not start ({row})"
        name = row[1][0].rsplit("-", 1)[0]
        pid = int((Path(stack_env["MLM_PROD_DIR"]) / f"{name}.pid").read_text())
        gevent.sleep(0.3)
        os.kill(pid, signal.SIGKILL)
        return f"{name} (pid {pid}) killed while running task {task_id}"

    plan = [
        gevent.spawn(at, seconds * 0.2, "PostgreSQL restart", restart_db),
        gevent.spawn(at, seconds * 0.4, "gunicorn worker SIGKILL", kill_web_worker),
        gevent.spawn(at, seconds * 0.55, "task worker SIGKILL mid-task", kill_task_worker),
    ]
    gevent.joinall(plan)
    gevent.sleep(max(0, began + seconds - time.monotonic()))
    runner.quit()
    total = env.stats.total
    out(f"\nFaults under load ({users} users, {seconds:.0f} s, {total.num_requests} requests)")
    for second, what, detail in events:
        out(f"  t={second:>5}s  {what}: {detail}")
    failures = LEDGER.failures
    by_status = {}
    for _t, _kind, status, _clean, _retried in failures:
        by_status[status] = by_status.get(status, 0) + 1
    unclean = [f for f in failures if not f[3]]
    retried = [f for f in failures if f[4] is True]
    last = [f for f in failures if f[0] > began + seconds - 20]
    out(
        f"  failed requests: {len(failures)} "
        f"({', '.join(f'{n} x {s or NO_ANSWER}' for s, n in sorted(by_status.items()))})"
    )
    out(
        f"  with a traceback or debug page: {len(unclean)}; retried a second later and "
        f"answered: {len(retried)} of {len(failures)}"
    )
    out(f"  failures in the last 20 s (after the faults): {len(last)}")
    return {
        "events": events,
        "failures": len(failures),
        "unclean": len(unclean),
        "retried_ok": len(retried),
        "late": len(last),
        "by_status": by_status,
    }


# -- main -----------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stack-env", help="the env file of a running `dev.sh prod`")
    parser.add_argument("--port", type=int, default=8000, help="the stack's port if started here")
    parser.add_argument("--stock-port", type=int, help="stock Oscar's gunicorn (default port+5)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--members", type=int, default=2000, help="demo network size")
    parser.add_argument(
        "--users", default="5,10,20,30,40,50,60,80,100,130", help="simulated visitors per stage"
    )
    parser.add_argument("--stage-seconds", type=float, default=30)
    parser.add_argument("--fault-seconds", type=float, default=90)
    parser.add_argument("--max-minutes", type=float, default=40, help="bound of the whole run")
    parser.add_argument("--max-requests", type=int, default=300000)
    parser.add_argument("--no-stock", action="store_true")
    parser.add_argument("--no-faults", action="store_true")
    parser.add_argument("--quick", action="store_true", help="smoke run: short, few stages")
    parser.add_argument("--output", help="also write the report to this file")
    args = parser.parse_args()
    if args.quick:
        args.users, args.stage_seconds, args.fault_seconds = "4,8", 8, 30
        args.members = min(args.members, 300)
    stages = [int(n) for n in args.users.split(",")]
    locust.log.setup_logging("WARNING")
    lines = []

    def out(line=""):
        print(line, flush=True)
        lines.append(line)

    budget = Budget(args.max_minutes, args.max_requests)
    log = open(Path(tempfile.gettempdir()) / "mlm-load-stack.log", "w")
    process = None
    if args.stack_env:
        stack_env = read_env(args.stack_env)
    else:
        print(f"starting bash dev.sh prod (log: {log.name}) ...", flush=True)
        process, env_file = start_stack(args.port, args.members, args.workers, log)
        try:
            stack_env = wait_for_stack(process, env_file, log)
        except BaseException:
            stop_stack(process)
            raise
    url = stack_env["MLM_PROD_URL"]
    stock_process = None
    try:
        out(
            f"Load test of {url} ({args.workers} gunicorn workers), "
            f"{time.strftime('%Y-%m-%d %H:%M')}"
        )
        out(
            f"machine: {os.cpu_count()} cores, load average at start "
            f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
        )
        # Orders placed from now on are the test's (the demo data has generated ones).
        since = datetime.datetime.now(datetime.UTC).isoformat()
        data = tagged(manage(stack_env, "import benchmarks.load_data as d; d.main()"), "LOAD-DATA")
        out(
            f"data: {len(data['storefronts'])} storefronts, {len(data['codes'])} codes, "
            f"{len(data['credit_customers'])} customers with credit, "
            f"{len(data['plain_customers'])} without, {len(data['distributors'])} distributor "
            f"logins, {data['orphans']} orphan spends"
        )
        runs = []
        if not args.no_stock:
            stock_process, stock_url = start_stock(
                stack_env, args.stock_port or int(urlparse(url).port) + 5, args.workers, log
            )
            same = dict(data, storefronts=data["storefronts"])
            runs.append(
                ramp(
                    "stock Oscar, common flows (company site)",
                    stock_url,
                    mix("common", same, ours=False),
                    stages,
                    args.stage_seconds,
                    stack_env,
                    budget,
                    out,
                    extra=[stock_process.pid],
                )
            )
            runs.append(
                ramp(
                    "ours, common flows (on partners' storefronts)",
                    url,
                    mix("common", same, ours=True),
                    stages,
                    args.stage_seconds,
                    stack_env,
                    budget,
                    out,
                )
            )
            stock_process.send_signal(signal.SIGTERM)
            stock_process.wait(60)
            stock_process = None
        full = ramp(
            "ours, all flows",
            url,
            mix("full", data, ours=True),
            stages,
            args.stage_seconds,
            stack_env,
            budget,
            out,
        )
        runs.append(full)
        out(
            "\nHighest load held (no error; p95 <= 500 ms of the requests that hash no "
            "password, p95*; in brackets: with p95 of all requests <= 500 ms too):"
        )
        for run in runs:
            held, strict = run["held"], run["held_strict"]
            out(
                f"  {run['label']:<48} "
                + (
                    f"{held['users']} users, {held['rps']:.1f} req/s, p95* "
                    f"{held['p95_rest']:.0f} ms, p95 {held['p95']:.0f} ms"
                    if held
                    else "none"
                )
                + (
                    f" ({strict['users']} users, {strict['rps']:.1f} req/s)"
                    if strict
                    else " (none)"
                )
            )
        for run in runs:
            if run["held"]:
                out(f"\n{run['label']}")
                print_kinds(run["held"], out)
        fault = None
        if not args.no_faults:
            users = max(4, int((full["held"] or full["stages"][0])["users"] * 0.6))
            fault = faults(
                url, stack_env, mix("full", data, ours=True), users, args.fault_seconds, out
            )
            # The task killed above stays RUNNING; staff queue the run again.
            task_id = queue_orphan_return(url)
            for _ in range(600):
                if not task_id or task_state(stack_env, task_id)[0] in ("SUCCESSFUL", "FAILED"):
                    break
                time.sleep(0.5)
            out(
                f"  orphan run queued again after the kill: "
                f"{task_state(stack_env, task_id)[0] if task_id else 'nothing left to give back'}"
            )
        out(
            f"\nvisitors saw {len(LEDGER.orders)} orders ({LEDGER.with_credit} with credit, "
            f"{LEDGER.vouchers_applied} with a new-customer code) and "
            f"{len(LEDGER.signups)} sign-ups"
        )
        seen = Path(tempfile.mkdtemp()) / "seen.json"
        seen.write_text(
            json.dumps({"orders": LEDGER.orders, "signups": LEDGER.signups, "since": since})
        )
        books = tagged(
            manage(
                stack_env,
                "import json, datetime\n"
                "from django.utils import timezone\n"
                "from oscar_mlm.apps.mlm_credit import services\n"
                "from oscar_mlm.conf import get_setting\n"
                "import benchmarks.books as b\n"
                # Checkouts cut off by the faults left spends without orders: the scheduled
                # orphan run gives them back after the grace period; run it as it will run then.
                # The seeded orphans are past the grace period: the dashboard's runs (the one
                # killed, the one queued again) must have given back every one of them.
                "left = services.orphan_spends().count()\n"
                "later = timezone.now() + datetime.timedelta("
                "minutes=get_setting('OSCAR_MLM_CREDIT_ORPHAN_MINUTES') + 1)\n"
                "returned = services.return_orphan_spends(now=later)[0]\n"
                f"seen = json.load(open({str(seen)!r}))\n"
                "result = b.check(seen_orders=seen['orders'], signups=seen['signups'], "
                "since=seen['since'])\n"
                "result['figures']['orphans_returned_by_the_later_run'] = returned\n"
                "result['figures']['seeded_orphans_left_by_the_dashboard_runs'] = left\n"
                "if left:\n"
                "    result['problems'].append(f'{left} orphan spends past the grace period "
                "were not given back by the dashboard runs')\n"
                "print('BOOKS ' + json.dumps(result))",
            ),
            "BOOKS",
        )
        out("\nBooks:")
        for key, value in books["figures"].items():
            out(f"  {key}: {value}")
        if books["problems"]:
            out(f"  PROBLEMS ({len(books['problems'])}):")
            for problem in books["problems"][:50]:
                out(f"    {problem}")
        else:
            out("  nothing lost, nothing doubled: every check passed")
        ok = not books["problems"] and (
            fault is None or (not fault["unclean"] and not fault["late"])
        )
        out("\nload average at the end: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
        out(f"\nRESULT: {'OK' if ok else 'PROBLEMS'}")
        if args.output:
            Path(args.output).write_text("\n".join(lines) + "\n")
        return 0 if ok else 1
    finally:
        if stock_process is not None:
            stock_process.send_signal(signal.SIGTERM)
            stock_process.wait(60)
        if process is not None:
            stop_stack(process)


if __name__ == "__main__":
    sys.exit(main())
