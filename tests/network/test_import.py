"""manage.py mlm_import_members: existing users enter the network, audited, all or nothing."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from oscar.core.loading import get_model

from oscar_mlm.test.factories import CustomerFactory, DistributorFactory, UserFactory

pytestmark = pytest.mark.django_db

Member = get_model("mlm_network", "Member")
SponsorChange = get_model("mlm_network", "SponsorChange")


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("mlm_import_members", "--no-progress", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def csv_file(tmp_path, text, name="members.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def snapshot():
    return sorted(Member.objects.values_list("pk", "user_id", "parent_id", "kind")), list(
        SponsorChange.objects.values_list("pk", flat=True)
    )


def test_without_a_csv_every_user_becomes_a_customer_of_the_company(company):
    users = [UserFactory() for _ in range(3)]
    staff = UserFactory(is_staff=True)
    inactive = UserFactory(is_active=False)
    existing = DistributorFactory(parent=company)
    out, _err = run()
    assert "3 entered (3 customers, 0 distributors)" in out
    for user in users:
        member = Member.objects.get(user=user)
        assert (member.parent, member.kind, member.attribution) == (company, "customer", "import")
        change = SponsorChange.objects.get(member=member)
        assert (change.source, change.new_sponsor, change.old_sponsor) == ("import", company, None)
        assert change.reason == "Import"
    assert not Member.objects.filter(user__in=[staff, inactive]).exists()
    assert Member.objects.get(pk=existing.pk).parent == company
    # Idempotent: a second run enters nobody.
    before = snapshot()
    assert "0 entered" in run()[0]
    assert snapshot() == before
    run("--include-staff")
    assert Member.objects.get(user=staff).parent == company


def test_a_csv_names_sponsors_kinds_and_handles(company, tmp_path):
    anna = DistributorFactory(parent=company, handle="anna")
    for email in ("ben@example.com", "carla@example.com", "dora@example.com", "emil@example.com"):
        UserFactory(email=email)
    path = csv_file(
        tmp_path,
        "\ufeffEmail;Sponsor;Kind;Handle\n"
        "BEN@example.com;anna;distributor;ben-shop\n"
        "carla@example.com;ben@example.com;distributor;\n"
        "dora@example.com;ben@example.com;;\n"
        "emil@example.com;;customer;\n",
    )
    out, _err = run("--csv", path)
    assert "4 entered (2 customers, 2 distributors), 0 already members" in out
    ben = Member.objects.get(user__email="ben@example.com")
    carla = Member.objects.get(user__email="carla@example.com")
    assert (ben.parent, ben.kind, ben.handle) == (anna, "distributor", "ben-shop")
    assert (carla.parent, carla.kind) == (ben, "distributor") and carla.handle
    assert Member.objects.get(user__email="dora@example.com").parent == ben
    assert Member.objects.get(user__email="emil@example.com").parent == company
    assert set(SponsorChange.objects.values_list("source", flat=True)) == {"import"}
    assert SponsorChange.objects.filter(reason="Import members.csv").count() == 4
    # Idempotent: the same file again changes nothing and says so.
    before = snapshot()
    out, _err = run("--csv", path)
    assert "0 entered (0 customers, 0 distributors), 4 already members" in out
    assert snapshot() == before


def test_a_dry_run_checks_everything_and_changes_nothing(company, tmp_path):
    anna = DistributorFactory(parent=company, handle="anna")
    UserFactory(email="ben@example.com")
    UserFactory(email="dora@example.com")
    path = csv_file(
        tmp_path,
        "email,sponsor,kind\nben@example.com,anna,distributor\ndora@example.com,ben@example.com,\n",
    )
    before = snapshot()
    out, _err = run("--csv", path, "--dry-run")
    assert "Dry run, nothing was changed: 2 entered" in out
    assert snapshot() == before
    assert anna.children.count() == 0


BAD_ROWS = [
    ("email\nnobody@example.com\n", "there is no user with the e-mail address"),
    ("email\nnot-an-address\n", "is not an e-mail address"),
    ("email,sponsor\nu1@example.com,ghost\n", "no sponsor 'ghost'"),
    ("email,sponsor\nu1@example.com,²\n", "no sponsor '²'"),
    ("email,sponsor\nu1@example.com,dora@example.com\n", "is a customer; only distributors"),
    ("email,sponsor\nu1@example.com,u2@example.com\nu2@example.com,\n", "no sponsor"),
    ("email,kind\nu1@example.com,boss\n", "the kind must be customer or distributor"),
    ("email,handle\nu1@example.com,my-shop\n", "only distributors have a storefront handle"),
    ("email,kind,handle\nu1@example.com,distributor,www\n", "reserved"),
    ("email,kind,handle\nu1@example.com,distributor,anna\n", "already taken"),
    (
        "email,kind,handle\nu1@example.com,distributor,x-y\nu2@example.com,distributor,x-y\n",
        "the handle x-y is also in line 2",
    ),
    ("email\nu1@example.com\nU1@example.com\n", "already appears in line 2"),
    ("mail,sponsor\nu1@example.com,\n", "the columns are mail, sponsor"),
    ("email,email\nu1@example.com,u1@example.com\n", "each once"),
    ("email\n", "no rows below its header"),
    ("", "The file is empty"),
    ("email\nu1@example.com,extra\n", "more values than columns"),
    ("email\nu1@example.com\x00\n", "NUL bytes"),
    ("email\n" + "a" * 300 + "@example.com\n", "a value is too long"),
]


@pytest.mark.parametrize("text, message", BAD_ROWS)
def test_bad_input_is_reported_and_changes_nothing(company, tmp_path, text, message):
    DistributorFactory(parent=company, handle="anna")
    CustomerFactory(parent=company, user__email="dora@example.com")
    UserFactory(email="u1@example.com")
    UserFactory(email="u2@example.com")
    # One good row first: nothing is entered when any row is bad.
    UserFactory(email="good@example.com")
    path = csv_file(tmp_path, text)
    before = snapshot()
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("mlm_import_members", "--no-progress", "--csv", path, stderr=err)
    assert message in err.getvalue()
    assert snapshot() == before


def test_every_error_is_shown_with_its_line(company, tmp_path, capsys):
    UserFactory(email="good@example.com")
    path = csv_file(
        tmp_path, "email,sponsor\ngood@example.com,\nnobody@example.com,\nbad,\ngood@example.com,\n"
    )
    err = StringIO()
    with pytest.raises(CommandError, match="3 error"):
        call_command("mlm_import_members", "--no-progress", "--csv", path, stderr=err)
    text = err.getvalue()
    assert "Line 3: there is no user" in text
    assert "Line 4: 'bad' is not an e-mail address" in text
    assert "Line 5: good@example.com already appears in line 2" in text
    assert not Member.objects.exclude(kind="company").exists()


def test_unreadable_files(company, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run("--csv", str(tmp_path / "missing.csv"))
    path = csv_file(tmp_path, "email\nü@example.com\n", encoding="latin-1")
    with pytest.raises(CommandError, match="not UTF-8"):
        run("--csv", path)


def test_an_existing_member_is_never_moved_by_an_import(company, tmp_path):
    anna = DistributorFactory(parent=company, handle="anna")
    dora = CustomerFactory(parent=company, user__email="dora@example.com")
    out, _err = run("--csv", csv_file(tmp_path, "email,sponsor\ndora@example.com,anna\n"))
    assert "already a member below" in out and "not moved" in out
    dora.refresh_from_db()
    assert dora.parent == company != anna


def test_orders_before_the_import_stay_with_the_company_after_it(company, tmp_path):
    from tests.volumes.conftest import place_order, product

    anna = DistributorFactory(parent=company, handle="anna")
    user = UserFactory(email="old@example.com")
    before = place_order(user, (product(), 1))
    run("--csv", csv_file(tmp_path, "email,sponsor\nold@example.com,anna\n"))
    after = place_order(user, (product(), 1))
    VolumeRecord = get_model("mlm_commissions", "VolumeRecord")
    assert VolumeRecord.objects.get(order=before).owned_by == "company"
    assert VolumeRecord.objects.get(order=before).buyer_kind == "not_member"
    assert VolumeRecord.objects.get(order=after).owner == anna
