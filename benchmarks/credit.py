#!/usr/bin/env python
"""Benchmark of the loyalty credit account (issue 6), on PostgreSQL.

1. Checkout with credit (spend, payment source and event, credit earned on
   the lines) vs stock Oscar's ``PaymentDetailsView`` without our receiver,
   in the same run and interleaved rounds, median of the rounds, at three
   levels: the placement alone (``submit()``; also stock Oscar recording a
   payment source, and with our receiver; query counts), the place-order
   request, and the whole checkout from basket to order (8 requests) through
   Django's test client. Goal: at most 15 % overhead.
2. An account with 1 000 000 bookings: the balance (cached column, O(1)) vs a
   naive ``SUM`` over the ledger; a ledger page by keyset pagination vs
   ``OFFSET`` at the same depth (first page, middle, last).

The shop has history: each run adds a network of ``--members`` (10 000) and
``--history`` (20 000) past orders from the demo generator (``oscar_mlm.demo``);
its customers are the buyers. Give it a database of its own (it is created and
migrated, then filled)::

    DATABASE_URL=postgresql://postgres@127.0.0.1:55433/mlm_bench_credit \\
        .venv/bin/python benchmarks/credit.py [--orders 40] [--rounds 5] [--bookings 1000000]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager, nullcontext
from decimal import Decimal as D
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings")
os.environ.setdefault("SANDBOX_WHOOSH_PATH", tempfile.mkdtemp(prefix="bench-whoosh-"))
os.environ.setdefault("SANDBOX_DEBUG", "0")
os.environ.setdefault("SANDBOX_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")


def ensure_database(url):
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


ORDER_TOTAL = D("20.00")  # two units at 10.00, free shipping


class Shop:
    """A shop with history, from the demo generator: a network and its past orders.

    Buyers of the benchmark are customers of this network, each used once, so
    their credit accounts start empty however often the benchmark runs.
    """

    def __init__(self, members, history):
        import secrets

        from django.contrib.auth import get_user_model
        from oscar.core.loading import get_model
        from oscar.test import factories as oscar_factories

        from oscar_mlm.demo.network import write_network
        from oscar_mlm.demo.orders import generate_orders
        from oscar_mlm.demo.plan import NetworkPlan

        Member = get_model("mlm_network", "Member")
        start = time.perf_counter()
        # A domain of its own per run: the run's people never meet an earlier run's.
        plan = NetworkPlan(
            seed=members,
            email_domain=f"run-{secrets.token_hex(3)}.bench.example",
            taken_handles=Member.objects.exclude(handle=None).values_list("handle", flat=True),
        )
        plan.grow(members)
        written = write_network(plan)
        ours = Member.objects.filter(pk__in=written.member_ids)
        if not get_model("catalogue", "Product").objects.exists():
            oscar_factories.create_product(price=D("10.00"), num_in_stock=10**7)
        generated = generate_orders(history, buyers=ours, seed=members)
        self.seconds = time.perf_counter() - start
        self.orders = generated.orders
        User = get_user_model()
        customers = ours.filter(kind=Member.CUSTOMER).values_list("user_id", flat=True)
        self._users = iter(User.objects.filter(pk__in=list(customers)).order_by("pk"))

    def customer(self):
        return next(self._users)


@contextmanager
def bare_oscar():
    """Stock Oscar knows nothing of our order_placed receivers: measure it without."""
    from oscar.apps.order.signals import order_placed

    from oscar_mlm.apps.mlm_commissions.receivers import record_volume
    from oscar_mlm.apps.mlm_credit.receivers import earn_credit

    order_placed.disconnect(dispatch_uid="mlm_credit_earn")
    order_placed.disconnect(dispatch_uid="mlm_commissions_record")
    try:
        yield
    finally:
        order_placed.connect(earn_credit, dispatch_uid="mlm_credit_earn")
        order_placed.connect(record_volume, dispatch_uid="mlm_commissions_record")


def median_ms(fn, reps):
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def checkout_benchmark(shop, orders, rounds):
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

    from oscar_mlm.apps.checkout.views import PaymentDetailsView as CreditView
    from oscar_mlm.apps.mlm_credit import services

    Basket = get_model("basket", "Basket")
    CreditRule = get_model("mlm_credit", "CreditRule")
    Source = get_model("payment", "Source")
    SourceType = get_model("payment", "SourceType")
    product = oscar_factories.create_product(price=D("10.00"), num_in_stock=10**7)
    plain = oscar_factories.create_product(price=D("10.00"), num_in_stock=10**7)
    CreditRule.objects.create(product=product, type="percentage", value=D("5"))

    def place(view_class, user, item, queries=None):
        """Place one order; returns the seconds of the placement (``submit``) alone.

        ``queries``: a list that receives the placement's SQL statements.
        """
        basket = Basket.objects.create(owner=user)
        basket.strategy = Selector().strategy()
        add_product(basket, product=item, quantity=2)
        request = RequestFactory().post("/checkout/preview/")
        request.user, request.session, request.basket = user, SessionStore(), basket
        view = view_class()
        view.setup(request)
        view.checkout_session = CheckoutSessionData(request)
        method = Free()
        charge = method.calculate(basket)
        total = OrderTotalCalculator().calculate(basket, charge)
        capture = CaptureQueriesContext(connection) if queries is not None else nullcontext()
        start = time.perf_counter()
        with capture:
            response = view.submit(
                user=user,
                basket=basket,
                shipping_address=None,
                shipping_method=method,
                shipping_charge=charge,
                billing_address=None,
                order_total=total,
            )
        elapsed = time.perf_counter() - start
        if queries is not None:
            queries.extend(capture.captured_queries)
        assert response.status_code == 302, response
        return elapsed

    credit_user, stock_user = shop.customer(), shop.customer()
    account = services.open_account(credit_user, "EUR")
    services.adjust(
        account=account,
        amount=ORDER_TOTAL * (orders * rounds + 10),
        currency="EUR",
        reason="benchmark",
        created_by=None,
    )

    class RecordingView(oscar_views.PaymentDetailsView):
        """Stock Oscar with a payment that records itself, as in Oscar's docs: every real
        payment method saves a source and an event (the bare view records no payment)."""

        def handle_payment(self, order_number, total, **kwargs):
            source_type, __ = SourceType.objects.get_or_create(name="Invoice")
            self.add_payment_source(
                Source(
                    source_type=source_type,
                    currency=total.currency,
                    amount_allocated=total.incl_tax,
                    amount_debited=total.incl_tax,
                    reference=order_number,
                )
            )
            self.add_payment_event("Settled", total.incl_tax, reference=order_number)

    paths = [
        ("stock", oscar_views.PaymentDetailsView, stock_user, plain, bare_oscar),
        ("stock+payment", RecordingView, stock_user, plain, bare_oscar),
        ("stock+receivers", oscar_views.PaymentDetailsView, stock_user, plain, nullcontext),
        ("credit", CreditView, credit_user, product, nullcontext),
    ]
    queries = {}
    for name, view, user, item, context in paths:
        with context():
            for _ in range(3):  # warm-up
                place(view, user, item)
            captured = []
            place(view, user, item, captured)
        queries[name] = len(captured)
    times = {name: [] for name, *__ in paths}
    for _ in range(rounds):
        for name, view, user, item, context in paths:
            with context():
                # Only the placement is timed, not setting up the basket.
                elapsed = sum(place(view, user, item) for _ in range(orders))
                times[name].append(elapsed * 1000 / orders)
    account.refresh_from_db()
    # Every order was paid with credit in full (the account was never short).
    assert account.balance == ORDER_TOTAL * 6, account.balance
    assert services.check_books() == []
    return {name: statistics.median(values) for name, values in times.items()}, queries


def request_benchmark(shop, orders, rounds):
    """The place-order request as the customer sends it: POST /checkout/preview/.

    Through Django's test client, in process: every middleware, the session,
    the basket middleware, pricing and offers, the placement, the redirect.
    Stock Oscar's ``PaymentDetailsView`` is mounted at ``/stock-checkout/preview/``
    for the baseline, with our ``order_placed`` receiver disconnected.
    """

    from django.test import Client
    from django.urls import clear_url_caches, path
    from oscar.apps.address.models import Country
    from oscar.apps.checkout import views as oscar_views
    from oscar.apps.partner.strategy import Selector
    from oscar.core.loading import get_model
    from oscar.test import factories as oscar_factories
    from oscar.test.basket import add_product

    from oscar_mlm.apps.mlm_credit import services
    from sandbox import urls as sandbox_urls

    Basket = get_model("basket", "Basket")
    CreditRule = get_model("mlm_credit", "CreditRule")
    sandbox_urls.urlpatterns[:0] = [
        path("stock-checkout/payment-details/", oscar_views.PaymentDetailsView.as_view()),
        path("stock-checkout/preview/", oscar_views.PaymentDetailsView.as_view(preview=True)),
    ]
    clear_url_caches()
    Country.objects.get_or_create(
        iso_3166_1_a2="DE", defaults={"name": "Germany", "is_shipping_country": True}
    )
    product = oscar_factories.create_product(price=D("10.00"), num_in_stock=10**7)
    plain = oscar_factories.create_product(price=D("10.00"), num_in_stock=10**7)
    CreditRule.objects.get_or_create(product=product, type="percentage", value=D("5"))
    address = {
        "first_name": "Nina",
        "last_name": "Neu",
        "line1": "Hauptstr. 1",
        "line4": "Berlin",
        "postcode": "10115",
        "country_id": "DE",
    }

    def client_for(user):
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        return client

    def expect(response, status, to=""):
        assert response.status_code == status and to in response.get("Location", ""), (
            response.status_code,
            response.get("Location"),
            response.content[:2000],
        )

    def place(client, user, item, url, flow):
        """One order; the seconds of the place-order request, or of the whole ``flow``."""
        basket = Basket.objects.create(owner=user)
        basket.strategy = Selector().strategy()
        add_product(basket, product=item, quantity=2)
        if not flow:
            session = client.session
            session["checkout_data"] = {
                "shipping": {"new_address_fields": address, "method_code": "free-shipping"},
            }
            session.save()
        start = time.perf_counter()
        if flow:
            # Basket -> order as the customer clicks it; each page rendered.
            expect(client.get("/checkout/"), 302, "/checkout/shipping-address/")
            expect(client.get("/checkout/shipping-address/"), 200)
            form = {**address, "country": address["country_id"]}
            expect(client.post("/checkout/shipping-address/", form), 302, "shipping-method")
            expect(client.get("/checkout/shipping-method/"), 302, "payment-method")
            expect(client.get("/checkout/payment-method/"), 302, "payment-details")
            expect(client.get(url.replace("preview", "payment-details")), 200)
            expect(client.get(url), 200)
        expect(client.post(url, {"action": "place_order"}), 302, "thank-you")
        if flow:
            expect(client.get("/checkout/thank-you/"), 200)
        return time.perf_counter() - start

    credit_user, stock_user = shop.customer(), shop.customer()
    services.adjust(
        account=services.open_account(credit_user, "EUR"),
        amount=ORDER_TOTAL * (orders * rounds * 2 + 10),
        currency="EUR",
        reason="benchmark",
        created_by=None,
    )
    credit_client, stock_client = client_for(credit_user), client_for(stock_user)
    paths = [
        ("stock", stock_client, stock_user, plain, "/stock-checkout/preview/", bare_oscar),
        ("credit", credit_client, credit_user, product, "/checkout/preview/", nullcontext),
    ]
    for _name, client, user, item, url, context in paths:
        with context():
            for flow in (False, True):
                place(client, user, item, url, flow)
    results = {}
    for flow in (False, True):
        times = {name: [] for name, *__ in paths}
        for _ in range(rounds):
            for name, client, user, item, url, context in paths:
                with context():
                    elapsed = sum(place(client, user, item, url, flow) for _ in range(orders))
                    times[name].append(elapsed * 1000 / orders)
        results["flow" if flow else "request"] = {
            name: statistics.median(values) for name, values in times.items()
        }
    # Every order was paid with credit in full (the account was never short).
    assert services.available_credit(credit_user, "EUR") == ORDER_TOTAL * (
        10 - 2 + orders * rounds * 2 - 2 * orders * rounds
    )
    assert services.check_books() == []
    return results


def ledger_benchmark(shop, bookings, reps):
    from django.db import connection
    from django.db.models import Sum
    from oscar.core.loading import get_model

    from oscar_mlm.apps.mlm_credit import services
    from oscar_mlm.apps.mlm_credit.views import keyset_page

    CreditAccount = get_model("mlm_credit", "CreditAccount")
    CreditEntry = get_model("mlm_credit", "CreditEntry")
    user = shop.customer()
    account = services.open_account(user, "EUR")
    start = time.perf_counter()
    with connection.cursor() as cursor:
        # 0.01 per booking; running balance i * 0.01. Bulk insert (the services would take
        # hours for a million rows); the cached balance is set to the sum.
        cursor.execute(
            f"""
            INSERT INTO {CreditEntry._meta.db_table}
                (account_id, kind, amount, pending_amount, balance_after, pending_after,
                 shortfall, idempotency_key, order_number, reason, created)
            SELECT %s, 'adjusted', 0.01, 0, i * 0.01, 0, 0, 'bench:' || %s || ':' || i, '',
                   'bench', now() - (%s - i) * interval '1 second'
            FROM generate_series(1, %s) AS i
            """,
            [account.pk, account.pk, bookings, bookings],
        )
        cursor.execute(f"ANALYZE {CreditEntry._meta.db_table}")
    CreditAccount.objects.filter(pk=account.pk).update(balance=D(bookings) / 100)
    fill = time.perf_counter() - start
    assert services.check_books([CreditAccount.objects.get(pk=account.pk)]) == []

    entries = CreditEntry.objects.filter(account=account)
    ids = list(entries.order_by("id").values_list("id", flat=True)[:: max(1, bookings // 2)])
    per_page = 50
    middle_id = entries.order_by("-id").values_list("id", flat=True)[bookings // 2]
    last_id = entries.order_by("id").values_list("id", flat=True)[per_page]
    rows = [
        (
            "balance",
            lambda: CreditAccount.objects.get(pk=account.pk).balance,
            lambda: entries.aggregate(s=Sum("amount"))["s"],
        ),
        (
            "ledger page 1",
            lambda: keyset_page(entries, None, per_page),
            lambda: list(entries.order_by("-id")[0:per_page]),
        ),
        (
            "ledger page in the middle",
            lambda: keyset_page(entries, middle_id, per_page),
            lambda: list(entries.order_by("-id")[bookings // 2 : bookings // 2 + per_page]),
        ),
        (
            "ledger last page",
            lambda: keyset_page(entries, last_id, per_page),
            lambda: list(entries.order_by("-id")[bookings - per_page : bookings]),
        ),
    ]
    results = []
    for name, ours, naive in rows:
        results.append((name, median_ms(ours, reps), median_ms(naive, reps)))
    del ids
    return fill, results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=40, help="orders per round and path")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--bookings", type=int, default=1_000_000)
    parser.add_argument("--members", type=int, default=10_000,
                        help="members of the shop's network (demo generator)")
    parser.add_argument("--history", type=int, default=20_000,
                        help="orders the shop has had before (demo generator)")
    parser.add_argument("--reps", type=int, default=21, help="repetitions per ledger query")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgresql://... (a database of its own)")
    ensure_database(url)

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from oscar_mlm.apps.mlm_network import services as network

    network.ensure_company()

    shop = Shop(args.members, args.history)
    print(
        f"A shop of {args.members:,} members and {shop.orders:,} past orders "
        f"(demo generator, {shop.seconds:.1f} s)\n"
    )
    times, queries = checkout_benchmark(shop, args.orders, args.rounds)
    stock = times["stock"]
    print(f"Checkout, ms per order (median of {args.rounds} rounds x {args.orders} orders)")
    print(f"  {'':44} {'ms':>8} {'queries':>8}")
    labels = {
        "stock": "stock Oscar PaymentDetailsView",
        "stock+payment": "the same recording a payment source + event",
        "stock+receivers": "the same (no payment) with our receivers",
        "credit": "our fork, paying with credit + earning",
    }
    for name, label in labels.items():
        overhead = "" if name == "stock" else f"   {(times[name] / stock - 1) * 100:+.1f} %"
        print(f"  {label:44} {times[name]:8.2f} {queries[name]:8d}{overhead}")
    print(
        f"  credit vs stock recording a payment: "
        f"{(times['credit'] / times['stock+payment'] - 1) * 100:+.1f} %"
    )
    print("  (goal: credit at most +15 % over stock Oscar)")
    requests = request_benchmark(shop, args.orders, args.rounds)
    print(
        f"\nThrough Django's test client, every middleware, ms per order (median of "
        f"{args.rounds} rounds x {args.orders} orders)"
    )
    print(f"  {'':44} {'stock':>8} {'credit':>8}")
    for key, label in (
        ("request", "place-order request (POST /checkout/preview/)"),
        ("flow", "basket -> order: 8 checkout requests"),
    ):
        stock, ours = requests[key]["stock"], requests[key]["credit"]
        print(f"  {label:44} {stock:8.2f} {ours:8.2f}   {(ours / stock - 1) * 100:+.1f} %")
    fill, rows = ledger_benchmark(shop, args.bookings, args.reps)
    print(
        f"\nAccount with {args.bookings:,} bookings (filled in {fill:.1f} s), "
        f"median of {args.reps} runs, ms"
    )
    print(f"  {'':28} {'ours':>10} {'naive':>10}")
    for name, ours, naive in rows:
        label = "cached column vs SUM" if name == "balance" else "keyset vs OFFSET"
        print(f"  {name:28} {ours:10.3f} {naive:10.3f}   ({label})")


if __name__ == "__main__":
    main()
