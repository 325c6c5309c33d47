import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from oscar.core.loading import get_model

from oscar_mlm.test.factories import CustomerFactory, DistributorFactory

Member = get_model("mlm_network", "Member")
SponsorChange = get_model("mlm_network", "SponsorChange")
User = get_user_model()

ADD = "/accounts/network/add/"
OVERVIEW = "/accounts/network/"


@pytest.fixture
def anna(company):
    return DistributorFactory(parent=company, handle="anna")


def test_overview_shows_sponsor_id_first_line_and_levels(client, anna):
    ben = DistributorFactory(parent=anna, user__first_name="Ben", user__last_name="B")
    CustomerFactory(parent=ben)
    client.force_login(anna.user)
    response = client.get(OVERVIEW)
    html = response.content.decode()
    assert "<code>anna</code>" in html
    assert "Ben B" in html
    assert list(response.context["level_counts"]) == [(1, 1), (2, 1)]
    assert 'id="mlm-add-person"' in html
    assert "My network" in html  # the account menu entry


def test_overview_needs_login(client, company):
    response = client.get(OVERVIEW)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_user_without_member_is_told(client, company):
    user = User.objects.create_user("loner", "loner@example.com", "pw")
    client.force_login(user)
    response = client.get(OVERVIEW)
    assert "not part of the network" in response.content.decode()


def test_distributor_enters_customer_into_first_line(
    client, anna, django_capture_on_commit_callbacks
):
    client.force_login(anna.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            ADD, {"email": "new@example.com", "first_name": "Nia", "kind": "customer"}
        )
    assert response.status_code == 302
    member = Member.objects.get(user__email="new@example.com")
    assert (member.parent, member.kind) == (anna, "customer")
    change = SponsorChange.objects.get(member=member)
    assert (change.source, change.changed_by) == ("internal", anna.user)
    assert len(mail.outbox) == 1 and "/password-reset/confirm/" in mail.outbox[0].body


def test_distributor_enters_a_distributor_with_handle(client, anna):
    client.force_login(anna.user)
    client.post(ADD, {"email": "p@example.com", "kind": "distributor", "handle": "New-Partner"})
    member = Member.objects.get(user__email="p@example.com")
    assert (member.kind, member.handle, member.parent) == ("distributor", "new-partner", anna)


@pytest.mark.parametrize(
    "data, field",
    [
        ({"email": "", "kind": "customer"}, "email"),
        ({"email": "not-an-email", "kind": "customer"}, "email"),
        ({"email": "taken@example.com", "kind": "customer"}, "email"),
        ({"email": "x@example.com", "kind": "company"}, "kind"),
        ({"email": "x@example.com", "kind": "customer", "handle": "shop1"}, "handle"),
        ({"email": "x@example.com", "kind": "distributor", "handle": "www"}, "handle"),
        ({"email": "x@example.com", "kind": "distributor", "handle": "bad handle"}, "handle"),
        ({"email": "x@example.com", "kind": "distributor", "handle": "anna"}, "handle"),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(client, anna, data, field):
    User.objects.create_user("t", "taken@example.com", "pw")
    client.force_login(anna.user)
    before = (User.objects.count(), Member.objects.count(), SponsorChange.objects.count())
    response = client.post(ADD, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert (User.objects.count(), Member.objects.count(), SponsorChange.objects.count()) == before


@pytest.mark.parametrize("who", ["customer", "inactive"])
def test_only_active_distributors_may_enter_people(client, anna, who):
    member = (
        CustomerFactory(parent=anna)
        if who == "customer"
        else DistributorFactory(parent=anna, status="inactive")
    )
    client.force_login(member.user)
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, {"email": "x@example.com", "kind": "customer"}).status_code == 403
    assert not User.objects.filter(email="x@example.com").exists()


def test_kinds_are_limited_by_setting(client, anna, settings):
    settings.OSCAR_MLM_INTERNAL_SIGNUP_KINDS = ("customer",)
    client.force_login(anna.user)
    response = client.post(ADD, {"email": "x@example.com", "kind": "distributor"})
    assert "kind" in response.context["form"].errors
    settings.OSCAR_MLM_INTERNAL_SIGNUP_KINDS = ()
    assert client.get(ADD).status_code == 403
