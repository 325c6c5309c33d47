#!/usr/bin/env python
"""Benchmark of the loyalty credit account (issue 6), on PostgreSQL.

1. Checkout: orders placed through our checkout fork spending credit (debit,
   payment source and event, credit earned on the lines) vs stock Oscar's
   ``PaymentDetailsView`` on the same basket shape, in the same run and
   interleaved rounds; median of the rounds. Goal: at most 15 % overhead.
2. An account with 1 000 000 bookings: the balance (cached column, O(1)) vs a
   naive ``SUM`` over the ledger; a ledger page by keyset pagination vs
   ``OFFSET`` at the same depth (first page, middle, last).

Give it a database of its own (it is created and migrated, then filled)::

    DATABASE_URL=postgresql://postgres@127.0.0.1:55433/mlm_bench_credit \\
        /tmp/venv/bin/python benchmarks/credit.py [--orders 40] [--rounds 5] [--bookings 1000000]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
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


def median_ms(fn, reps):
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def checkout_benchmark(orders, rounds):
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory
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
    from oscar_mlm.test.factories import UserFactory

    Basket = get_model("basket", "Basket")
    CreditRule = get_model("mlm_credit", "CreditRule")
    product = oscar_factories.create_product(price=D("10.00"), num_in_stock=10**7)
    plain = oscar_factories.create_product(price=D("10.00"), num_in_stock=10**7)
    CreditRule.objects.create(product=product, type="percentage", value=D("5"))

    def place(view_class, user, item):
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
        response = view.submit(
            user=user,
            basket=basket,
            shipping_address=None,
            shipping_method=method,
            shipping_charge=charge,
            billing_address=None,
            order_total=total,
        )
        assert response.status_code == 302, response

    credit_user, stock_user = UserFactory(), UserFactory()
    account = services.open_account(credit_user, "EUR")
    services.adjust(
        account=account,
        amount=D("5.00") * orders * (rounds + 1),
        currency="EUR",
        reason="benchmark",
        created_by=None,
    )
    for _ in range(3):  # warm-up
        place(CreditView, credit_user, product)
        place(oscar_views.PaymentDetailsView, stock_user, plain)
    stock, credit = [], []
    for _ in range(rounds):
        for view, user, item, out in (
            (oscar_views.PaymentDetailsView, stock_user, plain, stock),
            (CreditView, credit_user, product, credit),
        ):
            start = time.perf_counter()
            for _ in range(orders):
                place(view, user, item)
            out.append((time.perf_counter() - start) * 1000 / orders)
    account.refresh_from_db()
    assert services.check_books() == []
    s, c = statistics.median(stock), statistics.median(credit)
    return s, c


def ledger_benchmark(bookings, reps):
    from django.db import connection
    from django.db.models import Sum
    from oscar.core.loading import get_model

    from oscar_mlm.apps.mlm_credit import services
    from oscar_mlm.apps.mlm_credit.views import keyset_page
    from oscar_mlm.test.factories import UserFactory

    CreditAccount = get_model("mlm_credit", "CreditAccount")
    CreditEntry = get_model("mlm_credit", "CreditEntry")
    user = UserFactory()
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

    stock, credit = checkout_benchmark(args.orders, args.rounds)
    overhead = (credit / stock - 1) * 100
    print(f"Checkout, ms per order (median of {args.rounds} rounds x {args.orders} orders)")
    print(f"  stock Oscar PaymentDetailsView      {stock:8.2f}")
    print(
        f"  fork, paying with credit + earning  {credit:8.2f}   overhead {overhead:+.1f} %"
        f"  (goal <= 15 %)"
    )
    fill, rows = ledger_benchmark(args.bookings, args.reps)
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
