import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from oscar_mlm.apps.mlm_network import services
from oscar_mlm.apps.mlm_network.exceptions import (
    CompanyMissing,
    HandleTaken,
    InactiveSponsor,
    InvalidSponsor,
    SponsorNotFound,
)

from .helpers import Member, SponsorChange, assert_form_error, db_counts, page_messages, url

pytestmark = pytest.mark.django_db

User = get_user_model()


def person_data(**overrides):
    data = {
        "sponsor_id": "anna",
        "email": "erik@example.com",
        "first_name": "Erik",
        "last_name": "Engel",
        "kind": "customer",
        "handle": "",
    }
    data.update(overrides)
    return data


def test_form_is_prefilled_with_the_sponsor_from_the_member_page(staff_client, network):
    response = staff_client.get(url("mlm-member-create"), {"sponsor": "anna"})
    assert response.context["form"].initial["sponsor_id"] == "anna"
    assert 'value="anna"' in response.content.decode()


def test_staff_create_a_customer_below_a_sponsor(
    staff_client, network, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url("mlm-member-create"), person_data(), follow=True)
    member = Member.objects.get(user__email="erik@example.com")
    assert response.redirect_chain[-1][0] == url("mlm-member-detail", pk=member.pk)
    assert member.parent_id == network.anna.pk
    assert member.kind == "customer"
    assert not member.user.has_usable_password()
    change = SponsorChange.objects.get(member=member)
    assert (change.old_sponsor, change.new_sponsor) == (None, network.anna)
    assert change.source == "staff"
    assert change.changed_by == staff
    assert page_messages(response) == ["Erik Engel was added below Anna Schmidt."]
    # The welcome e-mail lets the new person set a password.
    assert [m.to for m in mail.outbox] == [["erik@example.com"]]


def test_staff_create_a_distributor_with_handle_below_the_company(staff_client, network):
    response = staff_client.post(
        url("mlm-member-create"),
        person_data(sponsor_id="company", kind="distributor", handle="Erik-Shop"),
    )
    member = Member.objects.get(user__email="erik@example.com")
    assert response.status_code == 302
    assert member.parent_id == network.company.pk
    assert (member.kind, member.handle) == ("distributor", "erik-shop")


def test_sponsor_by_member_number(staff_client, network):
    staff_client.post(url("mlm-member-create"), person_data(sponsor_id=str(network.ben.pk)))
    assert Member.objects.get(user__email="erik@example.com").parent_id == network.ben.pk


def inactive_sponsor(network):
    services.deactivate(member=network.ben, reason="left")
    return "ben-shop"


def customer_as_sponsor(network):
    return str(network.dora.pk)


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"sponsor_id": ""}, "sponsor_id", "This field is required."),
        ({"sponsor_id": "nobody"}, "sponsor_id", SponsorNotFound.default_message),
        ({"sponsor_id": inactive_sponsor}, "sponsor_id", InactiveSponsor.default_message),
        ({"sponsor_id": "dora@example.com"}, "sponsor_id", SponsorNotFound.default_message),
        ({"sponsor_id": customer_as_sponsor}, "sponsor_id", InvalidSponsor.default_message),
        ({"email": "CARL@example.com"}, "email", "A user with that email address already exists"),
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        (
            {"kind": "distributor", "handle": "www"},
            "handle",
            "This storefront handle is reserved.",
        ),
        (
            {"kind": "distributor", "handle": "-bad-"},
            "handle",
            "A storefront handle may contain only lower-case letters a-z, digits and hyphens,"
            " and cannot start or end with a hyphen.",
        ),
        ({"kind": "distributor", "handle": "ANNA"}, "handle", HandleTaken.default_message),
        ({"handle": "erik"}, "handle", "Only distributors have a storefront handle."),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(staff_client, network, overrides, field, message):
    # Some sponsor ids depend on the network fixture.
    overrides = {k: v(network) if callable(v) else v for k, v in overrides.items()}
    before = db_counts()
    response = staff_client.post(url("mlm-member-create"), person_data(**overrides))
    assert_form_error(response, field, message)
    assert db_counts() == before
    assert not User.objects.filter(email__iexact="erik@example.com").exists()


def test_company_as_sponsor_before_the_network_exists(staff_client):
    before = db_counts()
    response = staff_client.post(url("mlm-member-create"), person_data(sponsor_id="company"))
    assert_form_error(response, "sponsor_id", CompanyMissing.default_message)
    assert db_counts() == before
