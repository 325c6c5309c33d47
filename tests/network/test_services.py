import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_network import services, tree
from oscar_mlm.apps.mlm_network.exceptions import (
    AlreadyMember,
    CompanyMissing,
    CycleError,
    EmailTaken,
    HandleTaken,
    InactiveSponsor,
    InvalidHandle,
    InvalidSponsor,
    InvalidStatus,
    NetworkError,
    SameSponsor,
    SelfSponsor,
    SponsorRequired,
)
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory, UserFactory

Member = get_model("mlm_network", "Member")
SponsorChange = get_model("mlm_network", "SponsorChange")
User = get_user_model()


def snapshot():
    """What a refused change must leave untouched."""
    return (
        User.objects.count(),
        list(
            Member.objects.order_by("pk").values_list("pk", "parent_id", "kind", "status", "handle")
        ),
        SponsorChange.objects.count(),
    )


# -- register --------------------------------------------------------------------------------


def test_register_places_user_below_sponsor_and_audits(company):
    anna = DistributorFactory(parent=company)
    user = UserFactory()
    member = services.register_member(user=user, sponsor=anna)
    assert member.parent == anna and member.kind == Member.CUSTOMER and member.is_active
    change = SponsorChange.objects.get(member=member)
    assert (change.old_sponsor, change.new_sponsor, change.source) == (None, anna, "signup")


def test_register_distributor_gets_handle_derived_from_name(company):
    user = UserFactory(first_name="Jürgen", last_name="Groß")
    member = services.register_member(user=user, sponsor=company, kind=Member.DISTRIBUTOR)
    assert member.handle == "juergen-gross"
    assert member.promoted is not None


def test_a_name_too_short_for_a_handle_gets_the_distributor_prefix(company):
    user = UserFactory(first_name="Al", last_name="", email="al@example.com")
    member = services.register_member(user=user, sponsor=company, kind="distributor")
    assert member.handle == "distributor-al"


def test_register_with_explicit_handle_normalises_case(company):
    member = services.register_member(
        user=UserFactory(), sponsor=company, kind=Member.DISTRIBUTOR, handle="  Anna-Shop "
    )
    assert member.handle == "anna-shop"


@pytest.mark.parametrize(
    "make_sponsor, error",
    [
        (lambda c: None, SponsorRequired),
        (lambda c: CustomerFactory(parent=c), InvalidSponsor),
        (lambda c: DistributorFactory(parent=c, status="inactive"), InactiveSponsor),
    ],
    ids=["no sponsor", "customer as sponsor", "inactive sponsor"],
)
def test_register_refuses_bad_sponsor_and_changes_nothing(company, make_sponsor, error):
    sponsor = make_sponsor(company)
    user = UserFactory()
    before = snapshot()
    with pytest.raises(error) as exc:
        services.register_member(user=user, sponsor=sponsor)
    assert str(exc.value.message)
    assert snapshot() == before


@pytest.mark.parametrize(
    "handle, error",
    [
        ("www", InvalidHandle),
        ("admin", InvalidHandle),
        ("ab", InvalidHandle),
        ("-anna", InvalidHandle),
        ("anna-", InvalidHandle),
        ("an_na", InvalidHandle),
        ("anna.shop", InvalidHandle),
        ("xn--anna", InvalidHandle),
        ("a" * 64, InvalidHandle),
        ("änna", InvalidHandle),
        ("taken", HandleTaken),
    ],
)
def test_register_refuses_bad_handle_and_changes_nothing(company, handle, error):
    DistributorFactory(parent=company, handle="taken")
    user = UserFactory()
    before = snapshot()
    with pytest.raises(error):
        services.register_member(user=user, sponsor=company, kind=Member.DISTRIBUTOR, handle=handle)
    assert snapshot() == before


def test_customer_cannot_have_handle(company):
    with pytest.raises(InvalidHandle):
        services.register_member(user=UserFactory(), sponsor=company, handle="anna")


def test_register_twice_is_refused(company):
    user = UserFactory()
    services.register_member(user=user, sponsor=company)
    before = snapshot()
    with pytest.raises(AlreadyMember):
        services.register_member(user=user, sponsor=company)
    assert snapshot() == before


def test_unknown_kind_is_refused(company):
    with pytest.raises(NetworkError):
        services.register_member(user=UserFactory(), sponsor=company, kind="company")


def test_company_missing_is_explained(db):
    with pytest.raises(CompanyMissing):
        services.get_company()


def test_ensure_company_is_idempotent(db):
    assert services.ensure_company() == services.ensure_company()
    assert Member.objects.filter(kind=Member.COMPANY).count() == 1


# -- create_person (staff and internal sign-up) ---------------------------------------------


def test_create_person_sends_set_password_mail_after_commit(
    company, django_capture_on_commit_callbacks
):
    anna = DistributorFactory(parent=company)
    with django_capture_on_commit_callbacks(execute=True):
        person = services.create_person(
            email="New.Person@Example.COM",
            first_name="New",
            sponsor=anna,
            created_by=anna.user,
            source=SponsorChange.INTERNAL,
        )
    assert person.user.email == "New.Person@example.com"
    assert not person.user.has_usable_password()
    assert person.parent == anna
    assert SponsorChange.objects.get(member=person).source == "internal"
    assert len(mail.outbox) == 1
    assert "/password-reset/confirm/" in mail.outbox[0].body
    assert mail.outbox[0].to == ["New.Person@example.com"]


def test_create_person_refusal_leaves_no_user(company):
    customer = CustomerFactory(parent=company)
    before = snapshot()
    with pytest.raises(InvalidSponsor):
        services.create_person(email="x@example.com", sponsor=customer)
    assert snapshot() == before


def test_create_person_refuses_duplicate_email(company):
    UserFactory(email="dup@example.com")
    before = snapshot()
    with pytest.raises(EmailTaken):
        services.create_person(email="DUP@example.com", sponsor=company)
    assert snapshot() == before


def test_create_person_requires_email(company):
    with pytest.raises(NetworkError):
        services.create_person(email="  ", sponsor=company)


# -- assign_sponsor --------------------------------------------------------------------------


def test_assign_moves_whole_branch_and_audits(company):
    anna = DistributorFactory(parent=company)
    ben = DistributorFactory(parent=anna)
    carl = CustomerFactory(parent=ben)
    dora = DistributorFactory(parent=company)
    staff = UserFactory(is_staff=True)
    change = services.assign_sponsor(member=ben, new_sponsor=dora, changed_by=staff, reason="asked")
    ben.refresh_from_db()
    assert ben.parent == dora
    assert [m.pk for m in tree.upline(carl)] == [ben.pk, dora.pk, company.pk]
    assert (
        change.old_sponsor,
        change.new_sponsor,
        change.changed_by,
        change.reason,
        change.source,
    ) == (
        anna,
        dora,
        staff,
        "asked",
        "staff",
    )


@pytest.mark.parametrize("target", ["self", "child", "grandchild"])
def test_assign_refuses_cycles(company, target):
    anna = DistributorFactory(parent=company)
    ben = DistributorFactory(parent=anna)
    carla = DistributorFactory(parent=ben)
    new_sponsor = {"self": anna, "child": ben, "grandchild": carla}[target]
    before = snapshot()
    with pytest.raises(CycleError):
        services.assign_sponsor(member=anna, new_sponsor=new_sponsor, reason="x")
    assert snapshot() == before


def test_self_sponsor_is_a_cycle_error_with_own_message(company):
    anna = DistributorFactory(parent=company)
    with pytest.raises(SelfSponsor) as exc:
        services.assign_sponsor(member=anna, new_sponsor=anna)
    assert "own sponsor" in str(exc.value.message)


@pytest.mark.parametrize(
    "make_target, error",
    [
        (lambda c, m: None, SponsorRequired),
        (lambda c, m: CustomerFactory(parent=c), InvalidSponsor),
        (lambda c, m: DistributorFactory(parent=c, status="inactive"), InactiveSponsor),
        (lambda c, m: m.parent, SameSponsor),
    ],
)
def test_assign_refuses_bad_target(company, make_target, error):
    anna = DistributorFactory(parent=company)
    target = make_target(company, anna)
    before = snapshot()
    with pytest.raises(error):
        services.assign_sponsor(member=anna, new_sponsor=target, reason="x")
    assert snapshot() == before


def test_company_cannot_be_moved(company):
    anna = DistributorFactory(parent=company)
    with pytest.raises(NetworkError):
        services.assign_sponsor(member=company, new_sponsor=anna)


# -- promote / deactivate / reactivate -------------------------------------------------------


def test_promote_customer(company):
    dora = CustomerFactory(parent=company)
    services.promote_to_distributor(member=dora, handle="Dora")
    dora.refresh_from_db()
    assert (dora.kind, dora.handle) == ("distributor", "dora") and dora.promoted


@pytest.mark.parametrize("case", ["distributor", "inactive", "bad handle", "taken handle"])
def test_promote_refusals(company, case):
    DistributorFactory(parent=company, handle="taken")
    member = {
        "distributor": lambda: DistributorFactory(parent=company),
        "inactive": lambda: CustomerFactory(parent=company, status="inactive"),
        "bad handle": lambda: CustomerFactory(parent=company),
        "taken handle": lambda: CustomerFactory(parent=company),
    }[case]()
    handle = {"bad handle": "www", "taken handle": "TAKEN"}.get(case, "fine-handle")
    before = snapshot()
    with pytest.raises(NetworkError):
        services.promote_to_distributor(member=member, handle=handle)
    assert snapshot() == before


def test_deactivate_rolls_first_line_up_to_sponsor(company):
    anna = DistributorFactory(parent=company)
    ben = DistributorFactory(parent=anna)
    c1, c2 = CustomerFactory(parent=ben), CustomerFactory(parent=ben)
    d1 = DistributorFactory(parent=ben)
    deep = CustomerFactory(parent=d1)
    staff = UserFactory(is_staff=True)
    moves = services.deactivate(member=ben, changed_by=staff, reason="left the business")
    assert sorted(m.member_id for m in moves) == sorted([c1.pk, c2.pk, d1.pk])
    assert all(
        m.source == "roll_up" and m.old_sponsor == ben and m.new_sponsor == anna for m in moves
    )
    assert all(m.changed_by == staff for m in moves)
    assert set(anna.children.values_list("pk", flat=True)) == {ben.pk, c1.pk, c2.pk, d1.pk}
    assert deep.__class__.objects.get(pk=deep.pk).parent_id == d1.pk  # only the first line moves
    ben.refresh_from_db()
    assert ben.status == "inactive" and ben.deactivated


def test_deactivate_keep_policy(company, settings):
    settings.OSCAR_MLM_DEACTIVATION_CUSTOMERS = "keep"
    anna = DistributorFactory(parent=company)
    ben = DistributorFactory(parent=anna)
    cust = CustomerFactory(parent=ben)
    dist = DistributorFactory(parent=ben)
    moves = services.deactivate(member=ben)
    assert [m.member_id for m in moves] == [dist.pk]
    cust.refresh_from_db()
    assert cust.parent_id == ben.pk


def test_roll_up_skips_inactive_members_above(company, settings):
    """With "keep" an inactive distributor keeps a first line; a roll-up below never lands on it."""
    settings.OSCAR_MLM_DEACTIVATION_DISTRIBUTORS = "keep"
    anna = DistributorFactory(parent=company)
    sam = DistributorFactory(parent=anna)
    ben = DistributorFactory(parent=sam)
    c1, c2 = CustomerFactory(parent=ben), CustomerFactory(parent=ben)
    services.deactivate(member=sam)  # ben stays below sam ("keep")
    assert Member.objects.get(pk=ben.pk).parent_id == sam.pk

    moves = services.deactivate(member=ben, reason="left")

    assert sorted(m.member_id for m in moves) == sorted([c1.pk, c2.pk])
    assert {(m.source, m.old_sponsor_id, m.new_sponsor_id) for m in moves} == {
        ("roll_up", ben.pk, anna.pk)
    }
    assert set(anna.children.values_list("pk", flat=True)) == {sam.pk, c1.pk, c2.pk}
    assert not Member.objects.filter(parent=sam).exclude(pk=ben.pk).exists()


def test_roll_up_goes_to_the_company_when_everyone_above_is_inactive(company, settings):
    settings.OSCAR_MLM_DEACTIVATION_DISTRIBUTORS = "keep"
    anna = DistributorFactory(parent=company)
    ben = DistributorFactory(parent=anna)
    customer = CustomerFactory(parent=ben)
    services.deactivate(member=anna)
    services.deactivate(member=ben)
    assert Member.objects.get(pk=customer.pk).parent_id == company.pk
    assert SponsorChange.objects.get(member=customer, source="roll_up").new_sponsor == company


def test_deactivate_refusals(company):
    inactive = DistributorFactory(parent=company, status="inactive")
    for member in (company, inactive):
        before = snapshot()
        with pytest.raises(InvalidStatus):
            services.deactivate(member=member)
        assert snapshot() == before


def test_reactivate(company):
    anna = DistributorFactory(parent=company)
    services.deactivate(member=anna)
    services.reactivate(member=anna)
    anna.refresh_from_db()
    assert anna.is_active and anna.deactivated is None
    with pytest.raises(InvalidStatus):
        services.reactivate(member=anna)


def test_reactivate_below_inactive_sponsor_is_refused(company, settings):
    settings.OSCAR_MLM_DEACTIVATION_DISTRIBUTORS = "keep"
    anna = DistributorFactory(parent=company)
    ben = DistributorFactory(parent=anna)
    services.deactivate(member=ben)
    services.deactivate(member=anna)
    with pytest.raises(InactiveSponsor):
        services.reactivate(member=ben)


# -- the audit is append-only ----------------------------------------------------------------


def test_sponsor_changes_cannot_be_edited_or_deleted(company):
    member = services.register_member(user=UserFactory(), sponsor=company)
    change = SponsorChange.objects.get(member=member)
    change.reason = "rewritten"
    with pytest.raises(TypeError):
        change.save()
    with pytest.raises(TypeError):
        change.delete()
    with pytest.raises(TypeError):
        SponsorChange.objects.all().delete()
    with pytest.raises(TypeError):
        SponsorChange.objects.update(reason="x")
    assert SponsorChange.objects.get(pk=change.pk).reason == ""


def test_sponsor_deletion_is_protected(company):
    from django.db.models import ProtectedError

    anna = DistributorFactory(parent=company)
    CustomerFactory(parent=anna)
    with pytest.raises(ProtectedError):
        anna.delete()


def test_system_check_reports_bad_policies(settings):
    from oscar_mlm.apps.mlm_network.checks import check_settings

    assert check_settings(None) == []
    settings.OSCAR_MLM_COMPANY_SIGNUP = "all"
    settings.OSCAR_MLM_DEACTIVATION_CUSTOMERS = "drop"
    settings.OSCAR_MLM_INTERNAL_SIGNUP_KINDS = ("customer", "company")
    messages = [e.msg for e in check_settings(None)]
    assert len(messages) == 3
    assert "OSCAR_MLM_COMPANY_SIGNUP is 'all'" in messages[0]


def test_promotion_and_status_changes_are_audited(company):
    StatusChange = get_model("mlm_network", "StatusChange")
    staff = UserFactory(is_staff=True)
    dora = CustomerFactory(parent=company)
    services.promote_to_distributor(member=dora, changed_by=staff, reason="qualified")
    services.deactivate(member=dora, changed_by=staff, reason="left")
    services.reactivate(member=dora, changed_by=staff, reason="came back")
    rows = list(
        StatusChange.objects.filter(member=dora)
        .order_by("pk")
        .values_list("event", "changed_by", "reason")
    )
    assert rows == [
        ("promoted", staff.pk, "qualified"),
        ("deactivated", staff.pk, "left"),
        ("reactivated", staff.pk, "came back"),
    ]
    row = StatusChange.objects.first()
    with pytest.raises(TypeError):
        row.delete()
    with pytest.raises(TypeError):
        StatusChange.objects.update(reason="x")


def test_refused_status_change_writes_no_audit(company):
    StatusChange = get_model("mlm_network", "StatusChange")
    with pytest.raises(InvalidStatus):
        services.deactivate(member=company)
    assert not StatusChange.objects.exists()
