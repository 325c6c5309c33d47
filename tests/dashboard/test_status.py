import pytest
from django.test import override_settings

from oscar_mlm.apps.mlm_network import services

from .helpers import SponsorChange, assert_form_error, db_counts, page_messages, url

pytestmark = pytest.mark.django_db


def deactivate(client, member, reason="left the company", **kwargs):
    return client.post(
        url("mlm-member-status", pk=member.pk),
        {"action": "deactivate", "reason": reason},
        **kwargs,
    )


def reactivate(client, member, **kwargs):
    return client.post(url("mlm-member-status", pk=member.pk), {"action": "reactivate"}, **kwargs)


def test_deactivate_rolls_the_first_line_up_to_the_sponsor(staff_client, network, staff):
    response = deactivate(staff_client, network.ben, follow=True)
    network.ben.refresh_from_db()
    network.carl.refresh_from_db()
    assert not network.ben.is_active
    assert network.ben.deactivated is not None
    assert network.carl.parent_id == network.anna.pk
    change = SponsorChange.objects.get(member=network.carl)
    assert (change.old_sponsor, change.new_sponsor) == (network.ben, network.anna)
    assert change.source == "roll_up"
    assert change.changed_by == staff
    assert change.reason == "left the company"
    assert page_messages(response) == [
        "Ben Becker was deactivated. 1 member was moved to Anna Schmidt."
    ]


def test_deactivate_counts_every_rolled_up_member(staff_client, network):
    response = deactivate(staff_client, network.anna, follow=True)
    assert page_messages(response) == [
        f"Anna Schmidt was deactivated. 2 members were moved to {network.company.display_name}."
    ]
    assert {m.pk for m in network.company.children.all()} == {
        network.anna.pk,
        network.ben.pk,
        network.dora.pk,
    }


@override_settings(
    OSCAR_MLM_DEACTIVATION_DISTRIBUTORS="keep", OSCAR_MLM_DEACTIVATION_CUSTOMERS="keep"
)
def test_deactivate_without_roll_up_keeps_the_first_line(staff_client, network):
    response = deactivate(staff_client, network.ben, follow=True)
    network.carl.refresh_from_db()
    assert network.carl.parent_id == network.ben.pk
    assert page_messages(response) == ["Ben Becker was deactivated."]


def test_deactivate_needs_a_reason(staff_client, network):
    before = db_counts()
    response = deactivate(staff_client, network.ben, reason="")
    assert_form_error(response, "reason", "This field is required.")
    network.ben.refresh_from_db()
    assert network.ben.is_active
    assert db_counts() == before


def test_deactivate_twice_is_refused(staff_client, network):
    deactivate(staff_client, network.ben)
    before = db_counts()
    response = deactivate(staff_client, network.ben)
    assert_form_error(response, None, "The member is already inactive.")
    assert 'id="reactivate_form"' in response.content.decode()
    assert db_counts() == before


def test_company_cannot_be_deactivated(staff_client, network):
    response = deactivate(staff_client, network.company)
    assert_form_error(response, None, "The company cannot be deactivated.")
    network.company.refresh_from_db()
    assert network.company.is_active


def test_reactivate(staff_client, network):
    deactivate(staff_client, network.ben, follow=True)  # consumes its message
    response = reactivate(staff_client, network.ben, follow=True)
    network.ben.refresh_from_db()
    network.carl.refresh_from_db()
    assert network.ben.is_active
    assert network.ben.deactivated is None
    # Members rolled up on deactivation stay with their new sponsor.
    assert network.carl.parent_id == network.anna.pk
    assert page_messages(response) == ["Ben Becker is active again."]


# Without roll-up ben stays below anna, so anna's deactivation leaves him an inactive sponsor.
@override_settings(OSCAR_MLM_DEACTIVATION_DISTRIBUTORS="keep")
def test_reactivate_below_an_inactive_sponsor_is_refused(staff_client, network, staff):
    services.deactivate(member=network.ben, changed_by=staff, reason="left")
    services.deactivate(member=network.anna, changed_by=staff, reason="left")
    response = reactivate(staff_client, network.ben, follow=True)
    network.ben.refresh_from_db()
    assert not network.ben.is_active
    assert page_messages(response) == [
        "The sponsor of this member is inactive; reassign the member first."
    ]


def test_status_page_offers_reactivation_for_inactive_members(staff_client, network, staff):
    services.deactivate(member=network.dora, changed_by=staff, reason="left")
    content = staff_client.get(url("mlm-member-status", pk=network.dora.pk)).content.decode()
    assert 'id="reactivate_form"' in content
    assert 'id="deactivate_form"' not in content
