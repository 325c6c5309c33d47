import pytest
from django.urls import reverse

from oscar_mlm.test.factories import UserFactory

from .helpers import db_counts, url

pytestmark = pytest.mark.django_db


def all_urls(network):
    pk = network.carl.pk
    return [
        url("mlm-member-list"),
        url("mlm-member-create"),
        url("mlm-member-detail", pk=pk),
        url("mlm-member-reassign", pk=pk),
        url("mlm-member-promote", pk=pk),
        url("mlm-member-status", pk=pk),
        url("mlm-member-storefront", pk=network.anna.pk),
        url("mlm-member-handle", pk=network.anna.pk),
        url("mlm-sponsorchange-list"),
    ]


def test_anonymous_is_sent_to_the_dashboard_login(client, network):
    login = reverse("dashboard:login")
    for address in all_urls(network):
        response = client.get(address)
        assert response.status_code == 302, address
        assert response.url.startswith(login), address


def test_non_staff_user_is_refused(client, network):
    client.force_login(network.anna.user)
    for address in all_urls(network):
        response = client.get(address)
        assert response.status_code == 403, address
        assert b"carl@example.com" not in response.content


@pytest.mark.parametrize("who", ["anonymous", "customer"])
def test_refused_users_cannot_move_anyone(client, network, who):
    if who == "customer":
        client.force_login(UserFactory())
    before = db_counts()
    client.post(
        url("mlm-member-reassign", pk=network.carl.pk),
        {"sponsor_id": "anna", "reason": "trying"},
    )
    client.post(url("mlm-member-status", pk=network.ben.pk), {"reason": "trying"})
    network.carl.refresh_from_db()
    network.ben.refresh_from_db()
    assert network.carl.parent_id == network.ben.pk
    assert network.ben.is_active
    assert db_counts() == before


def test_staff_sees_the_member_list(staff_client, network):
    response = staff_client.get(url("mlm-member-list"))
    assert response.status_code == 200
    content = response.content.decode()
    for email in ("anna@", "ben@", "carl@", "dora@"):
        assert email in content
