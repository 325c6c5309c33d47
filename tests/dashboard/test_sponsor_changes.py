import pytest
from django.test import override_settings

from oscar_mlm.apps.mlm_network import services
from oscar_mlm.test.factories import UserFactory

from .helpers import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(network, staff):
    """Three audited changes: a sign-up, a staff move, a roll-up (in this order)."""
    services.register_member(user=UserFactory(email="fred@example.com"), sponsor=network.anna)
    services.assign_sponsor(
        member=network.dora, new_sponsor=network.ben, changed_by=staff, reason="closer to Ben"
    )
    services.deactivate(member=network.ben, changed_by=staff, reason="Ben retired")
    return network


def reasons(response):
    return [c.reason for c in response.context["changes"]]


def test_lists_every_change_newest_first(staff_client, audit):
    response = staff_client.get(url("mlm-sponsorchange-list"))
    assert reasons(response) == ["Ben retired", "Ben retired", "closer to Ben", ""]
    content = response.content.decode()
    assert "4 sponsor changes, newest first" in content
    assert "Roll-up on deactivation" in content
    assert "Stella Staff" in content


def test_filter_by_source(staff_client, audit):
    response = staff_client.get(url("mlm-sponsorchange-list"), {"source": "staff"})
    assert reasons(response) == ["closer to Ben"]
    response = staff_client.get(url("mlm-sponsorchange-list"), {"source": "signup"})
    assert [c.member.user.email for c in response.context["changes"]] == ["fred@example.com"]


def test_filter_by_member(staff_client, audit):
    response = staff_client.get(url("mlm-sponsorchange-list"), {"member": audit.dora.pk})
    assert reasons(response) == ["Ben retired", "closer to Ben"]


def test_bad_filter_shows_an_error_and_no_rows(staff_client, audit):
    response = staff_client.get(url("mlm-sponsorchange-list"), {"source": "magic"})
    assert reasons(response) == []
    assert "Select a valid choice." in response.content.decode()


def test_is_paginated_by_the_setting(staff_client, audit):
    with override_settings(OSCAR_MLM_MEMBERS_PER_PAGE=3):
        first = staff_client.get(url("mlm-sponsorchange-list"))
        second = staff_client.get(url("mlm-sponsorchange-list"), {"page": 2})
    assert reasons(first) == ["Ben retired", "Ben retired", "closer to Ben"]
    assert reasons(second) == [""]
    assert "Page 2 of 2" in second.content.decode()
