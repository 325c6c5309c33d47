"""``manage.py mlm_demo_network``: the sandbox's demo network."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_network import services, tree
from oscar_mlm.apps.mlm_network.validators import validate_handle
from oscar_mlm.demo import build
from oscar_mlm.demo.people import DEMO_PEOPLE
from oscar_mlm.demo.plan import plan_network

Member = get_model("mlm_network", "Member")
SponsorChange = get_model("mlm_network", "SponsorChange")
User = get_user_model()


def run(*args, **kwargs):
    out, err = StringIO(), StringIO()
    call_command("mlm_demo_network", *args, stdout=out, stderr=err, **kwargs)
    return out.getvalue(), err.getvalue()


def member(email):
    return Member.objects.select_related("parent__user").get(user__email=email)


def structure():
    """Everything that defines the network, independent of primary keys."""
    return sorted(
        (
            m.user.email,
            m.parent.user.email if m.parent.user_id else "<company>",
            m.kind,
            m.handle,
            m.user.first_name,
            m.user.last_name,
        )
        for m in Member.objects.exclude(kind=Member.COMPANY).select_related("user", "parent__user")
    )


def snapshot():
    return {
        "users": User.objects.count(),
        "members": Member.objects.count(),
        "sponsor_changes": SponsorChange.objects.count(),
        "structure": structure(),
    }


def assert_network_invariants(size):
    company = Member.objects.get(kind=Member.COMPANY)
    people = Member.objects.exclude(kind=Member.COMPANY)
    assert people.count() == size

    # One tree: everyone is reachable from the company root.
    assert tree.downline_size(company) == size
    levels = tree.level_counts(company)
    assert sum(count for _, count in levels) == size
    # Every sponsor may sponsor: the company or a distributor.
    assert not people.exclude(parent__kind__in=[Member.COMPANY, Member.DISTRIBUTOR]).exists()
    assert not people.exclude(status=Member.ACTIVE).exists()

    # Distributors have valid handles, customers none; most people are customers.
    distributors = people.filter(kind=Member.DISTRIBUTOR)
    for handle in distributors.values_list("handle", flat=True):
        validate_handle(handle)
    assert not distributors.filter(handle=None).exists()
    assert not distributors.filter(promoted=None).exists()
    assert not people.filter(kind=Member.CUSTOMER).exclude(handle=None).exists()
    assert people.filter(kind=Member.CUSTOMER).count() > distributors.count()

    # Exactly one audit row per member: their placement, by import.
    assert SponsorChange.objects.count() == size
    per_member = people.annotate(n=Count("sponsor_changes")).values_list("n", flat=True)
    assert set(per_member) == {1}
    for change in SponsorChange.objects.select_related("member"):
        assert change.source == SponsorChange.IMPORT
        assert change.old_sponsor_id is None
        assert change.new_sponsor_id == change.member.parent_id
        assert change.changed_by_id is None

    # One user per member; only the documented logins can log in.
    assert User.objects.filter(mlm_member__in=people).count() == size
    for person in DEMO_PEOPLE[:size]:
        assert User.objects.get(email=person.email).check_password(person.password)
    fixed = [p.email for p in DEMO_PEOPLE]
    generated = User.objects.filter(mlm_member__in=people).exclude(email__in=fixed)
    assert not any(user.has_usable_password() for user in generated)
    return levels


def assert_demo_people():
    company = Member.objects.get(kind=Member.COMPANY)
    anna, ben, carla = (
        member("anna@example.com"),
        member("ben@example.com"),
        member("carla@example.com"),
    )
    dora, emil = member("dora@example.com"), member("emil@example.com")
    assert (anna.kind, anna.handle, anna.parent_id) == ("distributor", "anna", company.pk)
    assert (ben.kind, ben.handle, ben.parent_id) == ("distributor", "ben", anna.pk)
    assert (carla.kind, carla.handle, carla.parent_id) == ("distributor", "carla", ben.pk)
    assert (dora.kind, dora.handle, dora.parent_id) == ("customer", None, anna.pk)
    assert (emil.kind, emil.handle, emil.parent_id) == ("customer", None, carla.pk)
    assert tree.level_of(company, emil) == 4

    admin = User.objects.get(email="admin@example.com")
    assert admin.is_staff and admin.is_superuser
    assert admin.check_password("admin")
    assert not Member.objects.filter(user=admin).exists()


@pytest.mark.django_db
def test_default_demo_network(settings):
    out, err = run()

    levels = assert_network_invariants(build.DEFAULT_SIZE)
    assert len(levels) >= 4
    assert_demo_people()
    # Generated people sit below Anna, Ben and Carla too, not only the company.
    assert tree.downline_size(member("anna@example.com")) > 10

    for text in (
        "admin@example.com",
        "anna@example.com",
        "password: anna",
        "http://localhost:8000/",
        "http://localhost:8000/dashboard/",
        "http://anna.localhost:8000/ (customer link)",
        "http://anna.localhost:8000/join/ (partner link)",
    ):
        assert text in out
    assert "later release" not in out
    assert "100%" in err  # the progress bar, on stderr

    site = Site.objects.get(pk=settings.SITE_ID)
    assert (site.domain, site.name) == ("localhost:8000", settings.OSCAR_SHOP_NAME)


@pytest.mark.django_db
def test_links_use_the_address_the_site_points_at(settings):
    """``dev.sh sandbox`` sets the Site to the port it serves on; the demo keeps it."""
    Site.objects.filter(pk=settings.SITE_ID).update(domain="localhost:8010")
    Site.objects.clear_cache()

    out, _err = run("--size", "5", "--no-progress")

    assert Site.objects.get(pk=settings.SITE_ID).domain == "localhost:8010"
    assert "http://localhost:8010/dashboard/" in out
    assert "http://anna.localhost:8010/join/" in out
    assert ":8000" not in out


@pytest.mark.django_db
def test_running_twice_changes_nothing():
    run("--size", "40", "--no-progress")
    before = snapshot()

    out, err = run("--size", "500", "--seed", "9", "--password-for-demo-logins", "other")

    assert snapshot() == before
    assert User.objects.get(email="anna@example.com").check_password("anna")
    assert "already exists" in out
    assert "anna@example.com" in out and "password: anna" in out
    assert err == ""


@pytest.mark.django_db
def test_small_sizes_keep_the_first_demo_people():
    run("--size", "3", "--no-progress")

    people = Member.objects.exclude(kind=Member.COMPANY)
    assert sorted(people.values_list("handle", flat=True)) == ["anna", "ben", "carla"]
    assert tree.downline_size(Member.objects.get(kind=Member.COMPANY)) == 3
    assert SponsorChange.objects.filter(source=SponsorChange.IMPORT).count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        (["--size", "0"], {}, "at least 1"),
        (["--size", "-5"], {}, "at least 1"),
        (["--size", "ten"], {}, "whole number"),
        (["--size", "1.5"], {}, "whole number"),
        (["--size", str(build.MAX_SIZE + 1)], {}, "at most"),
        ([], {"size": 0}, "at least 1"),
        ([], {"size": "many"}, "whole number"),
        (["--seed", "x"], {}, "--seed must be a whole number"),
        (["--password-for-demo-logins", " "], {}, "must not be empty"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(args, kwargs, message, settings):
    with pytest.raises(CommandError) as error:
        run(*args, **kwargs)

    assert message in str(error.value)
    assert User.objects.count() == 0
    assert Member.objects.count() == 0
    assert SponsorChange.objects.count() == 0
    assert Site.objects.get(pk=settings.SITE_ID).domain == "example.com"


@pytest.mark.django_db
def test_existing_demo_address_without_the_network_is_refused():
    User.objects.create_user(username="someone", email="ben@example.com", password="x")

    with pytest.raises(CommandError) as error:
        run("--no-progress")

    assert "ben@example.com" in str(error.value)
    assert User.objects.count() == 1
    assert Member.objects.count() == 0
    assert SponsorChange.objects.count() == 0


@pytest.mark.django_db
def test_generated_people_avoid_existing_addresses_and_handles(company):
    plan = plan_network(300, seed=3)
    taken = next(p for p in plan[5:] if p.kind == Member.DISTRIBUTOR)
    user = User.objects.create_user(username="x", email=taken.email.upper(), password="x")
    services.register_member(
        user=user, sponsor=company, kind=Member.DISTRIBUTOR, handle=taken.handle
    )

    run("--size", "300", "--seed", "3", "--no-progress")

    assert User.objects.filter(email__iexact=taken.email).count() == 1
    assert Member.objects.filter(handle=taken.handle).count() == 1
    assert Member.objects.exclude(kind=Member.COMPANY).count() == 301


@pytest.mark.django_db
def test_password_option_replaces_the_documented_passwords():
    out, _ = run("--size", "5", "--no-progress", "--password-for-demo-logins", "Sandbox-2024!")

    for email in ("admin@example.com", "anna@example.com", "emil@example.com"):
        user = User.objects.get(email=email)
        assert user.check_password("Sandbox-2024!")
        assert not user.check_password(email.split("@")[0])
    assert "Sandbox-2024!" not in out
    assert "the password you gave" in out


@pytest.mark.django_db
def test_quiet_runs_print_nothing():
    out, err = run("--size", "10", "--verbosity", "0")
    assert (out, err) == ("", "")
    assert Member.objects.exclude(kind=Member.COMPANY).count() == 10

    out, err = run("--no-progress")
    assert err == ""
    assert "already exists" in out


def test_the_plan_is_deterministic_for_a_seed():
    assert plan_network(500, seed=4) == plan_network(500, seed=4)
    assert plan_network(500, seed=4) != plan_network(500, seed=5)
    plan = plan_network(500, seed=4)
    assert len({p.email for p in plan}) == 500
    handles = [p.handle for p in plan if p.handle]
    assert len(set(handles)) == len(handles)
    # Every sponsor comes before their recruits, and is a distributor.
    for index, person in enumerate(plan):
        if person.sponsor is not None:
            assert person.sponsor < index
            assert plan[person.sponsor].kind == Member.DISTRIBUTOR


class Rollback(Exception):
    pass


def built_structure(bulk, size=150, seed=7):
    """The network ``build_network`` makes, rolled back afterwards."""
    try:
        with transaction.atomic():
            result = build.build_demo(size, seed=seed, bulk=bulk)
            assert result.bulk is bulk
            assert_network_invariants(size)
            built = structure()
            raise Rollback
    except Rollback:
        return built


@pytest.mark.django_db
def test_bulk_path_builds_the_same_network_as_the_services():
    assert built_structure(bulk=True) == built_structure(bulk=False)


@pytest.mark.django_db
def test_large_sizes_use_the_bulk_path(monkeypatch):
    size = 2000
    assert size > build.BULK_THRESHOLD

    def no_services(**kwargs):
        raise AssertionError("the bulk path does not create people one by one")

    monkeypatch.setattr(services, "create_person", no_services)
    out, err = run("--size", str(size))

    levels = assert_network_invariants(size)
    assert len(levels) >= 6
    assert_demo_people()
    assert "(bulk)" in out
    assert "2000/2000" in err
    # Run twice: still nothing changes.
    before = snapshot()
    run("--size", str(size), "--no-progress")
    assert snapshot() == before
