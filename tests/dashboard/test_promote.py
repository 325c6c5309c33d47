import pytest

from oscar_mlm.apps.mlm_network.exceptions import HandleTaken

from .helpers import assert_form_error, db_counts, page_messages, url

pytestmark = pytest.mark.django_db


def promote(client, member, handle="", **kwargs):
    return client.post(url("mlm-member-promote", pk=member.pk), {"handle": handle}, **kwargs)


def test_promote_customer_with_handle(staff_client, network):
    response = promote(staff_client, network.dora, "Dora-Shop", follow=True)
    network.dora.refresh_from_db()
    assert (network.dora.kind, network.dora.handle) == ("distributor", "dora-shop")
    assert network.dora.promoted is not None
    assert network.dora.parent_id == network.anna.pk
    assert page_messages(response) == [
        "Dora Decker is now a distributor with the storefront handle dora-shop."
    ]


def test_promote_without_handle_derives_one(staff_client, network):
    promote(staff_client, network.carl)
    network.carl.refresh_from_db()
    assert network.carl.kind == "distributor"
    assert network.carl.handle.startswith("carl")


@pytest.mark.parametrize(
    "who, handle, field, message",
    [
        ("dora", "www", "handle", "This storefront handle is reserved."),
        ("dora", "anna", "handle", HandleTaken.default_message),
        ("dora", "a_b", "handle", "A storefront handle may contain only lower-case letters"),
        ("ben", "", None, "Only a customer can be promoted to distributor."),
    ],
)
def test_refused_promotion_shows_why_and_changes_nothing(
    staff_client, network, who, handle, field, message
):
    member = getattr(network, who)
    kind_before, handle_before = member.kind, member.handle
    message = str(message)
    before = db_counts()
    response = promote(staff_client, member, handle)
    assert response.status_code == 200
    errors = response.context["form"].errors.get(field or "__all__", [])
    assert any(e.startswith(message) for e in errors), errors
    assert message in response.content.decode()
    member.refresh_from_db()
    assert (member.kind, member.handle) == (kind_before, handle_before)
    assert db_counts() == before


def test_inactive_customer_cannot_be_promoted(staff_client, network, staff):
    from oscar_mlm.apps.mlm_network import services

    services.deactivate(member=network.dora, changed_by=staff, reason="left")
    response = promote(staff_client, network.dora, "dora-shop")
    assert_form_error(response, None, "An inactive member cannot be promoted.")
    network.dora.refresh_from_db()
    assert network.dora.kind == "customer"
