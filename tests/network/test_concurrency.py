"""Real concurrent transactions on PostgreSQL (SQLite serialises writers anyway)."""

import random
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError, connection, transaction
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_network import services, tree
from oscar_mlm.apps.mlm_network.exceptions import (
    CycleError,
    EmailTaken,
    HandleTaken,
    InactiveSponsor,
    NetworkError,
    SameSponsor,
)
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

Member = get_model("mlm_network", "Member")
SponsorChange = get_model("mlm_network", "SponsorChange")


def run_at_once(*calls):
    """Run each callable in its own thread and connection, released together."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait(timeout=30)
            results[i] = ("ok", call())
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[i] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert all(r is not None for r in results), "a worker hung"
    return results


def assert_one_tree():
    rows = dict(Member.objects.values_list("pk", "parent_id"))
    company = Member.objects.get(kind="company")
    assert tree.downline_size(company) == len(rows) - 1


@pytest.mark.parametrize("attempt", range(10))
def test_crossing_moves_cannot_create_a_cycle(attempt):
    company = services.ensure_company()
    a = DistributorFactory(parent=company)
    b = DistributorFactory(parent=company)
    results = run_at_once(
        lambda: services.assign_sponsor(member=a, new_sponsor=b, reason="1"),
        lambda: services.assign_sponsor(member=b, new_sponsor=a, reason="2"),
    )
    outcomes = sorted(r[0] for r in results)
    assert outcomes == ["error", "ok"], results
    error = next(r[1] for r in results if r[0] == "error")
    assert isinstance(error, CycleError)
    assert SponsorChange.objects.filter(source="staff").count() == 1
    assert_one_tree()


def test_many_random_concurrent_moves_keep_one_tree():
    company = services.ensure_company()
    people = [DistributorFactory(parent=company) for _ in range(12)]
    rng = random.Random(7)

    def mover(seed):
        local = random.Random(seed)

        def run():
            done = 0
            for _ in range(25):
                member, target = local.sample(people, 2)
                try:
                    services.assign_sponsor(member=member, new_sponsor=target, reason="race")
                    done += 1
                except (CycleError, SameSponsor):
                    pass
            return done

        return run

    results = run_at_once(*(mover(rng.random()) for _ in range(4)))
    assert all(kind == "ok" for kind, _ in results), results
    assert SponsorChange.objects.filter(source="staff").count() == sum(n for _, n in results)
    assert_one_tree()


def test_sign_ups_racing_a_deactivation_never_land_below_an_inactive_sponsor():
    company = services.ensure_company()
    anna = DistributorFactory(parent=company)
    users = [UserFactory() for _ in range(6)]
    calls = [lambda u=u: services.register_member(user=u, sponsor=anna) for u in users]
    calls.append(lambda: services.deactivate(member=anna, reason="race"))
    results = run_at_once(*calls)
    for kind, value in results[:-1]:
        assert kind == "ok" or isinstance(value, InactiveSponsor), value
    assert results[-1][0] == "ok"
    anna.refresh_from_db()
    assert anna.status == "inactive"
    assert not anna.children.exists()  # everyone who got in was rolled up
    joined = [v for k, v in results[:-1] if k == "ok"]
    assert all(Member.objects.get(pk=m.pk).parent_id == company.pk for m in joined)
    assert_one_tree()


def test_same_handle_claimed_twice_at_once():
    company = services.ensure_company()
    u1, u2 = UserFactory(), UserFactory()
    results = run_at_once(
        lambda: services.register_member(
            user=u1, sponsor=company, kind="distributor", handle="anna"
        ),
        lambda: services.register_member(
            user=u2, sponsor=company, kind="distributor", handle="anna"
        ),
    )
    assert sorted(k for k, _ in results) == ["error", "ok"]
    error = next(v for k, v in results if k == "error")
    assert isinstance(error, HandleTaken)
    assert Member.objects.filter(handle="anna").count() == 1
    assert SponsorChange.objects.count() == 1


def test_same_user_registered_twice_at_once():
    company = services.ensure_company()
    user = UserFactory()
    results = run_at_once(
        lambda: services.register_member(user=user, sponsor=company),
        lambda: services.register_member(user=user, sponsor=company),
    )
    assert sorted(k for k, _ in results) == ["error", "ok"]
    assert isinstance(next(v for k, v in results if k == "error"), NetworkError)
    assert Member.objects.filter(user=user).count() == 1


def hold_after_the_user_is_written(monkeypatch, people):
    """Let each create_person wait, its user inserted, until all are there (or 3 s pass).

    Without the e-mail lock every caller has passed the duplicate check by then,
    so all of them would commit a user; with it the others wait for the lock
    and the barrier gives up.
    """
    everyone = threading.Barrier(people)
    register = services.register_member

    def slow_register(**kwargs):
        try:
            everyone.wait(timeout=3)
        except threading.BrokenBarrierError:
            pass
        return register(**kwargs)

    monkeypatch.setattr(services, "register_member", slow_register)


def test_same_email_created_at_once_in_any_case_gives_one_user(monkeypatch):
    company = services.ensure_company()
    spellings = ["nina@example.com", "Nina@example.com", "NINA@example.com", "nINA@example.com"]
    hold_after_the_user_is_written(monkeypatch, len(spellings))
    results = run_at_once(
        *(lambda e=e: services.create_person(email=e, sponsor=company, send_welcome=False)
          for e in spellings)  # fmt: skip
    )
    assert sorted(k for k, _ in results) == ["error", "error", "error", "ok"], results
    assert all(isinstance(v, EmailTaken) for k, v in results if k == "error")
    User = get_user_model()
    assert User.objects.filter(email__iexact="nina@example.com").count() == 1
    assert Member.objects.exclude(kind="company").count() == 1


def test_same_email_signed_up_at_once_gives_one_user(monkeypatch, settings):
    from oscar_mlm.apps.mlm_network.forms import SignupForm

    settings.OSCAR_MLM_COMPANY_SIGNUP = "sponsor_id"
    company = services.ensure_company()
    anna = DistributorFactory(parent=company, handle="anna")
    forms = []
    for spelling in ["nina@example.com", "Nina@example.com", "NINA@example.com"]:
        form = SignupForm(
            data={
                "sponsor_id": "anna",
                "first_name": "Nina",
                "last_name": "Neu",
                "email": spelling,
                "password1": "a-Long-passw0rd",
                "password2": "a-Long-passw0rd",
            }
        )
        assert form.is_valid(), form.errors  # nobody has the address yet
        forms.append(form)
    hold_after_the_user_is_written(monkeypatch, len(forms))
    results = run_at_once(*(form.save for form in forms))

    assert sorted(k for k, _ in results) == ["error", "error", "ok"], results
    assert all(isinstance(v, EmailTaken) for k, v in results if k == "error")
    User = get_user_model()
    assert User.objects.filter(email__iexact="nina@example.com").count() == 1
    assert [m.parent_id for m in Member.objects.filter(user__email__iexact="nina@example.com")] == [
        anna.pk
    ]


def test_reactivate_waits_for_the_network_lock():
    """While a move holds the network lock, a reactivation waits (here: gives up after 0.3 s)."""
    company = services.ensure_company()
    anna = DistributorFactory(parent=company)
    services.deactivate(member=anna)
    locked, finished = threading.Barrier(2), threading.Event()
    outcome = {}

    def hold_the_network_lock():
        try:
            with transaction.atomic():
                Member.objects.select_for_update().get(kind="company")
                locked.wait(timeout=30)
                finished.wait(timeout=30)
        finally:
            connection.close()

    def reactivate():
        locked.wait(timeout=30)
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '300ms'")
                services.reactivate(member=anna)
            outcome["result"] = "reactivated"
        except OperationalError as exc:
            outcome["result"] = exc
        finally:
            finished.set()
            connection.close()

    threads = [threading.Thread(target=f) for f in (hold_the_network_lock, reactivate)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert isinstance(outcome["result"], OperationalError), outcome
    assert "lock timeout" in str(outcome["result"])
    assert Member.objects.get(pk=anna.pk).status == "inactive"


@pytest.mark.parametrize("attempt", range(5))
def test_deactivations_at_once_never_roll_up_below_an_inactive_member(attempt, settings):
    settings.OSCAR_MLM_DEACTIVATION_DISTRIBUTORS = "keep"
    company = services.ensure_company()
    anna = DistributorFactory(parent=company)
    sam = DistributorFactory(parent=anna)
    ben = DistributorFactory(parent=sam)
    customers = [CustomerFactory(parent=ben) for _ in range(3)]

    results = run_at_once(
        lambda: services.deactivate(member=sam, reason="1"),
        lambda: services.deactivate(member=ben, reason="2"),
    )

    assert [k for k, _ in results] == ["ok", "ok"], results
    for customer in customers:
        assert Member.objects.get(pk=customer.pk).parent_id == anna.pk
    # Customers roll up: none is left below an inactive member, whichever went first.
    assert not Member.objects.filter(kind="customer", parent__status="inactive").exists()
    assert_one_tree()


@pytest.mark.parametrize("attempt", range(5))
def test_a_sponsor_and_its_first_line_deactivated_at_once_all_roll_up_to_the_active(attempt):
    company = services.ensure_company()
    anna = DistributorFactory(parent=company)
    sam = DistributorFactory(parent=anna)
    ben = DistributorFactory(parent=sam)
    below_ben = [CustomerFactory(parent=ben), DistributorFactory(parent=ben)]

    results = run_at_once(
        lambda: services.deactivate(member=sam, reason="1"),
        lambda: services.deactivate(member=ben, reason="2"),
    )

    assert [k for k, _ in results] == ["ok", "ok"], results
    for member in [ben, *below_ben]:
        assert Member.objects.get(pk=member.pk).parent_id == anna.pk
    assert not Member.objects.filter(parent__status="inactive").exists()
    assert_one_tree()
