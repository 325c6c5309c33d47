"""Commission runs against real concurrent transactions on PostgreSQL."""

import datetime as dt
import threading
import time
from decimal import Decimal as D

import pytest
from django.db import connection, transaction
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_commissions import engine, services
from oscar_mlm.apps.mlm_commissions.exceptions import CommissionError, PeriodClosed
from oscar_mlm.apps.mlm_network import services as network
from tests.network.test_concurrency import run_at_once

from .helpers import Book

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

Line = get_model("mlm_commissions", "CommissionLine")
Period = get_model("mlm_commissions", "CommissionPeriod")


@pytest.fixture
def world(db):
    book = Book(network.ensure_company())
    services.create_plan(valid_from=dt.date(2025, 10, 1), levels=2, rates=["10", "5"],
                         own_volume_rate="5")
    book.distributor("Anna")
    book.distributor("Ben", "Anna")
    for i in range(4):
        book.customer(f"Customer {i}", "Ben")
    return book


def place(book, number, buyer):
    with transaction.atomic():  # both lines of an order commit together, as in a checkout
        book.sale(number, None, buyer=buyer, lines=[("10.00", True), ("5.00", True)])


def check_counted_once(run):
    own = run.result.lines[(run.result.lines["distance"] == 0)
                           & (run.result.lines["kind"] == engine.COMMISSION)]
    assert len(set(own["order"].tolist())) == len(own), "an order counted twice"
    assert set(own["volume"].tolist()) <= {1500}, "an order counted in part"
    return len(own)


def test_a_run_while_orders_are_placed_counts_each_order_once(world):
    period = services.month_period("2025-10")
    seen = []

    def placer(i):
        def call():
            for k in range(12):
                place(world, 10_000 + 100 * i + k, f"Customer {i}")
        return call

    def runner():
        for _ in range(4):
            seen.append(check_counted_once(services.run_period(period)))
            seen.append(check_counted_once(services.run_period(period, preview=True)))

    results = run_at_once(*(placer(i) for i in range(4)), runner)
    assert [r[0] for r in results] == ["ok"] * 5, results
    assert seen == sorted(seen)  # later runs never see fewer orders
    final = services.run_period(period)
    assert check_counted_once(final) == 48
    ben = final.statement(world["Ben"].pk)
    assert ben["own_volume"] == D("720.00") and ben["commission"] == D("36.00")
    assert Line.objects.filter(period=period, distance=0).count() == 48


def _pausing_progress(reached, release):
    def progress(stage, n):
        if stage == "load":
            reached.set()
            assert release.wait(timeout=30)
    return progress


def test_closing_while_a_run_is_in_progress_is_refused(world):
    place(world, 1, "Customer 0")
    period = services.month_period("2025-10")
    reached, release = threading.Event(), threading.Event()

    def run():
        return services.run_period(period, progress=_pausing_progress(reached, release))

    def close():
        assert reached.wait(timeout=30)
        try:
            services.close_period(period)
        finally:
            release.set()

    (run_state, run_result), (close_state, close_error) = run_at_once(run, close)
    assert run_state == "ok" and run_result.written
    assert close_state == "error" and isinstance(close_error, CommissionError)
    assert "in progress" in str(close_error.message)
    assert Period.objects.get().status == Period.OPEN
    services.close_period(period)  # once the run is done
    assert Period.objects.get().status == Period.CLOSED


def _wait_for_a_blocked_lock(timeout=20):
    """Until another session waits for an advisory lock (the second run)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                           " AND NOT granted")
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


def test_a_run_during_a_close_waits_and_then_finds_the_period_closed(world):
    place(world, 1, "Customer 0")
    period = services.month_period("2025-10")
    reached, release = threading.Event(), threading.Event()

    def close():
        return services.close_period(period, progress=_pausing_progress(reached, release))

    def run():
        assert reached.wait(timeout=30)
        return services.run_period(period)

    def watcher():
        assert reached.wait(timeout=30)
        try:
            assert _wait_for_a_blocked_lock()
        finally:
            release.set()

    (close_state, closed), (run_state, run_error), (watch_state, _) = run_at_once(
        close, run, watcher)
    assert close_state == "ok" and closed.is_closed
    assert watch_state == "ok"
    assert run_state == "error" and isinstance(run_error, PeriodClosed)
    assert services.verify_period(period).ok


def test_simultaneous_runs_write_one_result(world):
    for i in range(4):
        place(world, 100 + i, f"Customer {i}")
    period = services.month_period("2025-10")
    results = run_at_once(*(lambda: services.run_period(period) for _ in range(4)))
    assert [r[0] for r in results] == ["ok"] * 4
    assert len({r[1].checksum for r in results}) == 1
    assert Line.objects.filter(period=period).count() == 4 * 2  # Ben own, Anna level 1
    assert services.verify_period(period).ok


def test_periods_created_at_once_never_overlap(db):
    starts = [dt.date(2025, 10, 1), dt.date(2025, 10, 15), dt.date(2025, 10, 20)]
    results = run_at_once(*(
        (lambda s=s: services.create_period(s, s + dt.timedelta(days=20))) for s in starts))
    assert sum(1 for r in results if r[0] == "ok") == 1
    assert all(isinstance(r[1], CommissionError) for r in results if r[0] == "error")
    assert Period.objects.count() == 1
