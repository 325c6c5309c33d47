"""The production stack under real HTTP: several gunicorn processes, one Redis, PostgreSQL,
two task workers (``bash dev.sh prod``). Requests go to 127.0.0.1 with the Host header and
the headers of the reverse proxy; every gunicorn worker logs its pid with each request, so
a test can show that several processes answered."""

import os
import re
import signal
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from oscar_mlm.test.stack import csrf_token

from .helpers import alive, wait_until

pytestmark = pytest.mark.production

REQUESTS_PER_ROUND = 24
AT_ONCE = 6  # more requests in flight than gunicorn processes: accept() must spread them


def several_processes(stack, marker, since):
    served = stack.served_by(marker, since)
    assert len(served) >= 2, f"only process(es) {served} answered; the test proves nothing"
    return served


def at_once(calls):
    """Run the calls in parallel, released together; their results in order.

    Sequential requests on a quiet machine may all be taken by the one process that is
    back at accept() first (seen in CI); requests in flight together cannot be."""
    barrier = threading.Barrier(min(len(calls), AT_ONCE))

    def run(call):
        try:
            barrier.wait(timeout=30)
        except threading.BrokenBarrierError:
            pass  # the last, smaller batch: run anyway
        return call()

    with ThreadPoolExecutor(AT_ONCE) as pool:
        return list(pool.map(run, calls))


def round_of_gets(stack, handle, path):
    return at_once([lambda: stack.get(stack.session(), handle, path)] * REQUESTS_PER_ROUND)


def test_static_files_come_hashed_compressed_and_cached_for_a_year(stack):
    session = stack.session()
    page = stack.get(session, "anna", "/catalogue/")
    css = re.search(r'href="(/static/oscar/css/styles\.[0-9a-f]{12}\.css)"', page.text).group(1)
    response = stack.get(session, "anna", css, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in response.headers["Cache-Control"]


def test_storefront_edited_in_one_process_is_seen_by_every_process_at_once(stack):
    anna = stack.login("anna@example.com", "anna", handle="anna")
    visitor = stack.session()
    old = stack.get(visitor, "anna", "/catalogue/").text
    assert "Anna" in old

    # Every process has looked Anna's storefront up (and cached it).
    since = stack.log_position()
    for response in round_of_gets(stack, "anna", "/catalogue/?warm"):
        assert response.status_code == 200
    several_processes(stack, "/catalogue/?warm", since)

    name = f"Anna {uuid.uuid4().hex[:8]}"
    response = stack.submit(
        anna, "anna", "/accounts/storefront/", "storefront-form", {"display_name": name}
    )
    assert response.status_code == 302, response.text[:1000]

    since = stack.log_position()
    for page in round_of_gets(stack, "anna", "/catalogue/?after"):
        assert page.status_code == 200
        assert name in page.text
    several_processes(stack, "/catalogue/?after", since)


def test_voucher_throttle_counts_failed_codes_across_processes(stack):
    limit = 10  # OSCAR_MLM_VOUCHER_MAX_FAILED_ATTEMPTS
    blocked = "Too many invalid voucher codes"
    guesser = stack.session()
    ip = guesser.headers["X-Forwarded-For"]

    def guess(attempt):
        session = stack.session()  # one client address, several sessions at once
        session.headers["X-Forwarded-For"] = ip
        return lambda: _add_code(stack, session, f"GUESS-{attempt:04d}")

    since = stack.log_position()
    for attempt, response in enumerate(at_once([guess(n) for n in range(limit)])):
        assert "This voucher code is not valid" in response, attempt
        assert blocked not in response
    several_processes(stack, "/basket/vouchers/add/", since)
    assert blocked in _add_code(stack, guesser, "GUESS-LAST")

    # The same address with a new session is blocked too: counted per client address ...
    again = stack.session()
    again.headers["X-Forwarded-For"] = ip
    assert blocked in _add_code(stack, again, "GUESS-NEW")
    # ... taken from the proxy's X-Forwarded-For, not from REMOTE_ADDR (the proxy for all).
    assert "This voucher code is not valid" in _add_code(stack, stack.session(), "GUESS-OTHER")


def _add_code(stack, session, code):
    """Enter a code in the basket; the basket page with the answer."""
    page = stack.get(session, None, "/basket/")
    response = stack.post(
        session,
        None,
        "/basket/vouchers/add/",
        {"csrfmiddlewaretoken": csrf_token(page.text), "code": code},
    )
    assert response.status_code == 302, response.status_code
    return stack.get(session, None, "/basket/").text


def seed_orphans(stack, tag, users, per_user):
    """Spends of 1.00 whose orders never came: booked, then their process died."""
    stack.django(
        f"""
from decimal import Decimal
from django.contrib.auth import get_user_model
from oscar_mlm.apps.mlm_credit import services
for u in range({users}):
    user = get_user_model().objects.create_user(
        username="{tag}-%d" % u, email="{tag}-%d@example.com" % u)
    account = services.open_account(user, "EUR")
    services.adjust(account=account, amount="{per_user}", currency="EUR", reason="seed",
                    created_by=None)
    for i in range({per_user}):
        services.spend_for_order(user=user, currency="EUR", order_number="{tag}-%d-%d" % (u, i),
                                 up_to=Decimal("1.00"))
"""
    )
    # They were booked two hours ago, past the grace period of in-flight checkouts
    # (OSCAR_MLM_CREDIT_ORPHAN_MINUTES = 60).
    stack.sql(
        "UPDATE mlm_credit_creditentry SET created = now() - interval '2 hours' "
        "WHERE order_number LIKE %s AND kind = 'spent'",
        (f"{tag}-%",),
    )
    return users * per_user


def returns(stack, tag):
    """(reversals, spends reversed more than once) of the tag's orphan spends."""
    rows = stack.sql(
        "SELECT s.id, count(r.id) FROM mlm_credit_creditentry s "
        "LEFT JOIN mlm_credit_creditentry r ON r.reverses_id = s.id "
        "WHERE s.order_number LIKE %s AND s.kind = 'spent' GROUP BY s.id",
        (f"{tag}-%",),
    )
    return sum(n for _, n in rows), sum(1 for _, n in rows if n > 1)


def books_balance(stack):
    wrong = stack.sql(
        "SELECT a.id FROM mlm_credit_creditaccount a LEFT JOIN mlm_credit_creditentry e "
        "ON e.account_id = a.id GROUP BY a.id, a.balance, a.pending "
        "HAVING a.balance <> coalesce(sum(e.amount), 0) "
        "OR a.pending <> coalesce(sum(e.pending_amount), 0)"
    )
    return not wrong


def queue_orphan_return(stack, staff):
    response = stack.submit(
        staff, None, "/dashboard/mlm/credit/orphans/", "orphan_form", {"confirm": "on"}
    )
    assert response.status_code == 302, response.text[:500]
    page = stack.get(staff, None, "/dashboard/mlm/credit/orphans/").text
    return re.findall(r"\(task ([0-9a-f-]{36})\)", page)[-1]


def task(stack, task_id):
    ((status, worker_ids, value),) = stack.sql(
        "SELECT status, worker_ids, return_value FROM django_tasks_database_dbtaskresult "
        "WHERE id = %s",
        (task_id,),
    )
    return status, worker_ids, value


def test_tasks_queued_from_the_dashboard_run_exactly_once_with_two_workers(stack):
    tag = f"once{uuid.uuid4().hex[:6]}"
    orphans = seed_orphans(stack, tag, users=4, per_user=25)
    staff = stack.login("admin@example.com", "admin")
    ids = [queue_orphan_return(stack, staff) for _ in range(6)]
    assert len(set(ids)) == 6
    for task_id in ids:
        wait_until(
            lambda t=task_id: task(stack, t)[0] in ("SUCCESSFUL", "FAILED"), 120, f"task {task_id}"
        )
    results = [task(stack, t) for t in ids]
    assert all(status == "SUCCESSFUL" for status, _, _ in results), results
    assert all(len(workers) == 1 for _, workers, _ in results), results
    # Each orphan given back once, by one of the six runs.
    assert sum(value["returned"] for _, _, value in results) == orphans
    assert returns(stack, tag) == (orphans, 0)
    assert books_balance(stack)


def test_a_task_worker_killed_mid_task_leaves_nothing_half_booked(stack):
    tag = f"kill{uuid.uuid4().hex[:6]}"
    orphans = seed_orphans(stack, tag, users=8, per_user=125)
    staff = stack.login("admin@example.com", "admin")
    task_id = queue_orphan_return(stack, staff)
    wait_until(lambda: returns(stack, tag)[0] >= 20, 120, "the first returns", interval=0.05)
    status, (worker_id,), _ = task(stack, task_id)
    name = worker_id.rsplit("-", 1)[0]
    victim = stack.task_worker(name)
    os.kill(victim, signal.SIGKILL)

    done, doubled = returns(stack, tag)
    assert 0 < done < orphans, "the task ended before the kill: seed more orphans"
    assert doubled == 0
    assert books_balance(stack), "an account's balance differs from the sum of its bookings"
    wait_until(lambda: returns(stack, tag)[0] == done, 5, "no more bookings")
    # The supervisor starts the worker again; the task it was running stays "RUNNING"
    # (django-tasks retries nothing by itself): staff queue the run again.
    wait_until(
        lambda: stack.task_worker(name) != victim and alive(stack.task_worker(name)),
        30,
        "the worker to be started again",
    )
    assert task(stack, task_id)[0] == "RUNNING"
    again = queue_orphan_return(stack, staff)
    wait_until(lambda: task(stack, again)[0] == "SUCCESSFUL", 300, "the second run")
    assert task(stack, again)[2]["returned"] == orphans - done
    assert returns(stack, tag) == (orphans, 0)
    assert books_balance(stack)


def test_a_killed_web_worker_is_replaced_and_the_shop_answers_on(stack):
    workers = stack.web_workers()
    os.kill(workers[0], signal.SIGKILL)
    wait_until(
        lambda: len(stack.web_workers()) == len(workers) and workers[0] not in stack.web_workers(),
        30,
        "gunicorn to start a new worker",
    )
    for _ in range(REQUESTS_PER_ROUND):
        assert stack.get(stack.session(), "anna", "/catalogue/").status_code == 200


def test_database_restart_requests_meanwhile_get_503_and_the_shop_recovers_alone(stack):
    restart = threading.Thread(target=stack.restart_database, kwargs={"down_seconds": 4})
    restart.start()
    answers = []
    try:
        deadline = time.monotonic() + 60
        while restart.is_alive() and time.monotonic() < deadline:
            response = stack.get(stack.session(), "ben", "/catalogue/?during-restart")
            answers.append(
                (response.status_code, response.headers.get("Retry-After"), response.text)
            )
            time.sleep(0.1)
    finally:
        restart.join(120)
    down = [a for a in answers if a[0] != 200]
    assert down, "no request met the database down"
    for status, retry_after, body in down:
        assert status == 503 and retry_after == "5", status
        assert "Traceback" not in body and "briefly unavailable" in body
    # Right after: every process reconnects by itself (CONN_HEALTH_CHECKS).
    since = stack.log_position()
    for response in round_of_gets(stack, "ben", "/catalogue/?after-restart"):
        assert response.status_code == 200
    several_processes(stack, "/catalogue/?after-restart", since)
    # ... and the task workers carry on (reconnected, or started again by their supervisor).
    tag = f"restart{uuid.uuid4().hex[:6]}"
    orphans = seed_orphans(stack, tag, users=1, per_user=3)
    staff = stack.login("admin@example.com", "admin")
    task_id = queue_orphan_return(stack, staff)
    wait_until(lambda: task(stack, task_id)[0] == "SUCCESSFUL", 120, "a task after the restart")
    assert returns(stack, tag) == (orphans, 0)
