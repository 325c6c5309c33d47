import pytest

from oscar_mlm.apps.mlm_network import services
from oscar_mlm.apps.mlm_network.exceptions import (
    CycleError,
    InactiveSponsor,
    InvalidSponsor,
    SameSponsor,
    SelfSponsor,
    SponsorNotFound,
)

from .helpers import SponsorChange, assert_form_error, db_counts, page_messages, url

pytestmark = pytest.mark.django_db


def reassign(client, member, sponsor_id, reason="moved on request", **kwargs):
    return client.post(
        url("mlm-member-reassign", pk=member.pk),
        {"sponsor_id": sponsor_id, "reason": reason},
        **kwargs,
    )


def test_reassign_page_shows_the_current_sponsor(staff_client, network):
    response = staff_client.get(url("mlm-member-reassign", pk=network.carl.pk))
    content = response.content.decode()
    assert "Ben Becker" in content
    assert 'id="reassign_form"' in content


def test_reassign_moves_the_member_and_writes_one_audit_row(staff_client, network, staff):
    before = SponsorChange.objects.count()
    response = reassign(staff_client, network.carl, "anna", follow=True)
    network.carl.refresh_from_db()
    assert network.carl.parent_id == network.anna.pk
    assert SponsorChange.objects.count() == before + 1
    change = SponsorChange.objects.get(member=network.carl)
    assert change.old_sponsor == network.ben
    assert change.new_sponsor == network.anna
    assert change.changed_by == staff
    assert change.source == "staff"
    assert change.reason == "moved on request"
    assert response.redirect_chain[-1][0] == url("mlm-member-detail", pk=network.carl.pk)
    assert page_messages(response) == ["Carl Clausen now has the sponsor Anna Schmidt."]
    assert "moved on request" in response.content.decode()  # history on the member page


def test_reassign_to_the_company(staff_client, network):
    reassign(staff_client, network.ben, "company")
    network.ben.refresh_from_db()
    assert network.ben.parent_id == network.company.pk


def test_reassign_carries_the_downline_along(staff_client, network):
    reassign(staff_client, network.ben, "company")
    network.carl.refresh_from_db()
    assert network.carl.parent_id == network.ben.pk
    assert SponsorChange.objects.filter(member=network.carl).count() == 0


def second_distributor_inactive(network):
    services.deactivate(member=network.ben, reason="left")
    return "ben-shop"


@pytest.mark.parametrize(
    "who, sponsor_id, field, message",
    [
        # anna's own downline member ben would become her sponsor
        ("anna", "ben-shop", "sponsor_id", CycleError.default_message),
        ("anna", "anna", "sponsor_id", SelfSponsor.default_message),
        ("carl", "ben-shop", "sponsor_id", SameSponsor.default_message),
        ("carl", "nobody", "sponsor_id", SponsorNotFound.default_message),
        ("carl", "", "sponsor_id", "This field is required."),
        ("dora", second_distributor_inactive, "sponsor_id", InactiveSponsor.default_message),
        ("anna", lambda net: str(net.dora.pk), "sponsor_id", InvalidSponsor.default_message),
        (
            "company",
            "anna",
            None,
            "The company is the root of the network and has no sponsor.",
        ),
    ],
)
def test_refused_move_shows_why_and_changes_nothing(
    staff_client, network, who, sponsor_id, field, message
):
    if callable(sponsor_id):
        sponsor_id = sponsor_id(network)
    member = getattr(network, who)
    parent_before = member.parent_id
    before = db_counts()
    response = reassign(staff_client, member, sponsor_id)
    assert_form_error(response, field, message)
    member.refresh_from_db()
    assert member.parent_id == parent_before
    assert db_counts() == before


def test_reason_is_required(staff_client, network):
    before = db_counts()
    response = reassign(staff_client, network.carl, "anna", reason="   ")
    assert_form_error(response, "reason", "This field is required.")
    network.carl.refresh_from_db()
    assert network.carl.parent_id == network.ben.pk
    assert db_counts() == before
