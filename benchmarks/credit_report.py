#!/usr/bin/env python
"""Benchmark of the credit programme report (seed 003), on PostgreSQL.

A ledger of ``--bookings`` (1 000 000) bookings spread evenly over ``--months`` (36) months
and ``--accounts`` (10 000) accounts, of every kind. The report of the last twelve months
(``services.programme_report``: one aggregate over the report's months by the index on
``created``, the liability from the accounts' cached totals less what came after) against
the obvious way (``programme_report_naive``: per month a sum per kind and a sum over the
whole ledger up to the month's end), in the same run, median of ``--reps``::

    scripts/throwaway-pg.sh run .venv/bin/python benchmarks/credit_report.py
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings")
os.environ.setdefault("SANDBOX_WHOOSH_PATH", tempfile.mkdtemp(prefix="bench-whoosh-"))
os.environ.setdefault("SANDBOX_DEBUG", "0")

from benchmarks.credit import median_ms  # noqa: E402


def fill(bookings, months, accounts):
    """Accounts and bookings by bulk SQL (the services would take hours for a million);
    every booking's amounts are small and the cached totals are set to the sums."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from oscar.core.loading import get_model

    User = get_user_model()
    CreditAccount = get_model("mlm_credit", "CreditAccount")
    CreditEntry = get_model("mlm_credit", "CreditEntry")
    users = User.objects.bulk_create(
        [User(username=f"bench-report-{n}", email=f"bench-report-{n}@example.com")
         for n in range(accounts)],
        batch_size=2000,
    )
    CreditAccount.objects.bulk_create(
        [CreditAccount(user_id=user.pk, currency="EUR") for user in users], batch_size=2000
    )
    ids = list(CreditAccount.objects.order_by("pk").values_list("pk", flat=True))
    seconds = months * 30 * 86400
    with connection.cursor() as cursor:
        # Kinds in turn; amounts keep every running total positive (earned, then released ...).
        cursor.execute(
            f"""
            INSERT INTO {CreditEntry._meta.db_table}
                (account_id, kind, amount, pending_amount, balance_after, pending_after,
                 shortfall, idempotency_key, order_number, reason, created)
            SELECT a.ids[1 + (i %% %s)],
                   (ARRAY['earned','released','adjusted','spent','returned','expired',
                          'reversed'])[1 + (i / %s) %% 7],
                   CASE (i / %s) %% 7 WHEN 1 THEN 0.02 WHEN 2 THEN 0.03 WHEN 3 THEN -0.02
                        WHEN 4 THEN 0.01 WHEN 5 THEN -0.01 ELSE 0 END,
                   CASE (i / %s) %% 7 WHEN 0 THEN 0.02 WHEN 1 THEN -0.02 ELSE 0 END,
                   1, 1, 0, 'bench-report:' || i, '', 'bench',
                   now() - ((%s - i)::float / %s * %s) * interval '1 second'
            FROM generate_series(0, %s - 1) AS i, (SELECT %s::int[] AS ids) AS a
            """,
            [
                accounts, accounts, accounts, accounts,
                bookings, bookings, seconds, bookings, ids,
            ],
        )
        cursor.execute(
            f"""
            UPDATE {CreditAccount._meta.db_table} acc SET balance = s.a, pending = s.p
            FROM (SELECT account_id, SUM(amount) a, SUM(pending_amount) p
                  FROM {CreditEntry._meta.db_table} GROUP BY account_id) s
            WHERE s.account_id = acc.id
            """
        )
        cursor.execute(f"ANALYZE {CreditEntry._meta.db_table}")
        cursor.execute(f"ANALYZE {CreditAccount._meta.db_table}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--reps", type=int, default=7)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgresql://... (scripts/throwaway-pg.sh run ...)")

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.utils import timezone

    from oscar_mlm.apps.mlm_credit import services
    from oscar_mlm.apps.mlm_credit.services.report import month_start, next_month

    start = time.perf_counter()
    fill(args.bookings, args.months, args.accounts)
    print(
        f"{args.bookings:,} bookings over {args.months} months and {args.accounts:,} accounts "
        f"({time.perf_counter() - start:.1f} s to fill)"
    )
    months = [month_start(timezone.localdate())]
    while len(months) < 12:
        previous = months[0]
        months.insert(0, month_start(previous - timedelta(days=1)))
    assert next_month(months[-1]) > months[-1]
    ours = services.programme_report(currency="EUR", months=months)
    naive = services.programme_report_naive(currency="EUR", months=months)
    assert [vars(r) for r in ours] == [vars(r) for r in naive], "the two reports differ"
    fast = median_ms(lambda: services.programme_report(currency="EUR", months=months), args.reps)
    slow = median_ms(
        lambda: services.programme_report_naive(currency="EUR", months=months), args.reps
    )
    print(f"Report of the last 12 months, ms (median of {args.reps})")
    print(f"  programme_report (index on created + cached totals)   {fast:10.1f}")
    print(f"  naive (sums per month over the whole ledger)          {slow:10.1f}   "
          f"{slow / fast:.1f}x ours")


if __name__ == "__main__":
    main()
