import pytest
from django.test import override_settings

from oscar_mlm.apps.mlm_network import services
from oscar_mlm.test.factories import CustomerFactory

from .helpers import url

pytestmark = pytest.mark.django_db


def found(response):
    return {m.pk for m in response.context["members"]}


@pytest.mark.parametrize(
    "query, who",
    [
        ("carl@example.com", "carl"),
        ("CARL@EXAMPLE", "carl"),
        ("ben-shop", "ben"),
        ("Dora Decker", "dora"),
        ("schmidt", "anna"),
    ],
)
def test_search_by_email_handle_and_name(staff_client, network, query, who):
    response = staff_client.get(url("mlm-member-list"), {"q": query})
    member = getattr(network, who)
    assert found(response) == {member.pk}
    assert member.user.email in response.content.decode()


def test_search_by_member_number(staff_client, network):
    for query in (str(network.dora.pk), f"#{network.dora.pk}"):
        response = staff_client.get(url("mlm-member-list"), {"q": query})
        assert network.dora.pk in found(response)
        assert network.carl.pk not in found(response)


def test_search_by_a_huge_number_finds_nothing_and_does_not_fail(staff_client, network):
    response = staff_client.get(url("mlm-member-list"), {"q": "9" * 40})
    assert found(response) == set()
    assert "No members found." in response.content.decode()


def test_filter_by_kind_and_status(staff_client, network, staff):
    services.deactivate(member=network.dora, changed_by=staff, reason="left")
    response = staff_client.get(url("mlm-member-list"), {"kind": "distributor"})
    assert found(response) == {network.anna.pk, network.ben.pk}
    response = staff_client.get(url("mlm-member-list"), {"status": "inactive"})
    assert found(response) == {network.dora.pk}
    response = staff_client.get(url("mlm-member-list"), {"kind": "customer", "status": "active"})
    assert found(response) == {network.carl.pk}


def test_invalid_filter_shows_an_error_and_no_members(staff_client, network):
    response = staff_client.get(url("mlm-member-list"), {"kind": "king"})
    assert found(response) == set()
    assert "Select a valid choice." in response.content.decode()


def test_list_is_paginated_by_the_setting_read_at_call_time(staff_client, network):
    with override_settings(OSCAR_MLM_MEMBERS_PER_PAGE=2):
        first = staff_client.get(url("mlm-member-list"))
        second = staff_client.get(url("mlm-member-list"), {"page": 2})
    # company + four people
    assert first.context["paginator"].num_pages == 3
    assert len(first.context["members"]) == 2
    assert "Page 1 of 3" in first.content.decode()
    assert not found(first) & found(second)


def test_detail_shows_member_data_and_upline_sponsor_first(staff_client, network):
    response = staff_client.get(url("mlm-member-detail", pk=network.carl.pk))
    assert [m.pk for m in response.context["upline"]] == [
        network.ben.pk,
        network.anna.pk,
        network.company.pk,
    ]
    content = response.content.decode()
    assert "carl@example.com" in content
    upline = content[content.index('id="upline"') : content.index('id="level-counts"')]
    company_name = network.company.display_name
    assert upline.index("Ben Becker") < upline.index("Anna Schmidt") < upline.index(company_name)


def test_detail_shows_first_line_and_level_counts(staff_client, network):
    response = staff_client.get(url("mlm-member-detail", pk=network.anna.pk))
    assert {m.pk for m in response.context["first_line"]} == {network.ben.pk, network.dora.pk}
    assert response.context["level_counts"] == [(1, 2), (2, 1)]
    content = response.content.decode()
    first_line = content[content.index('id="first-line"') :]
    assert "Ben Becker" in first_line
    assert "Dora Decker" in first_line
    assert "Carl Clausen" not in first_line
    assert "3 members" in content  # downline total


def test_first_line_is_paginated(staff_client, network):
    for _i in range(3):
        CustomerFactory(parent=network.ben)
    with override_settings(OSCAR_MLM_MEMBERS_PER_PAGE=2):
        response = staff_client.get(url("mlm-member-detail", pk=network.ben.pk), {"page": 2})
    assert response.context["page_obj"].number == 2
    assert len(response.context["first_line"]) == 2
    assert "Page 2 of 2" in response.content.decode()


def test_detail_shows_the_members_sponsor_change_history(staff_client, network, staff):
    services.assign_sponsor(
        member=network.carl, new_sponsor=network.anna, changed_by=staff, reason="asked to move"
    )
    response = staff_client.get(url("mlm-member-detail", pk=network.carl.pk))
    assert [c.reason for c in response.context["history"]] == ["asked to move"]
    content = response.content.decode()
    assert "asked to move" in content
    assert "Stella Staff" in content


def test_detail_offers_actions_that_fit_the_member(staff_client, network, staff):
    customer = staff_client.get(url("mlm-member-detail", pk=network.dora.pk)).content.decode()
    assert 'id="promote_form"' in customer
    assert 'id="deactivate_form"' in customer
    distributor = staff_client.get(url("mlm-member-detail", pk=network.ben.pk)).content.decode()
    assert 'id="reassign_form"' in distributor
    assert 'id="promote_form"' not in distributor
    services.deactivate(member=network.dora, changed_by=staff, reason="left")
    inactive = staff_client.get(url("mlm-member-detail", pk=network.dora.pk)).content.decode()
    assert 'id="reactivate_form"' in inactive
    assert 'id="deactivate_form"' not in inactive


def test_company_page_has_no_upline_and_no_reassign(staff_client, network):
    response = staff_client.get(url("mlm-member-detail", pk=network.company.pk))
    content = response.content.decode()
    assert response.context["upline"] == []
    assert "has no upline" in content
    assert 'id="reassign_form"' not in content
    assert "Anna Schmidt" in content  # first line


def test_unknown_member_is_404(staff_client, network):
    assert staff_client.get(url("mlm-member-detail", pk=999999)).status_code == 404


def test_company_page_shows_totals_per_kind_not_a_whole_tree_walk(staff_client, network):
    response = staff_client.get(url("mlm-member-detail", pk=network.company.pk))
    content = response.content.decode()
    assert response.context["level_counts"] == []
    assert 'id="kind-totals"' in content and 'id="level-counts"' not in content
    from oscar_mlm.apps.mlm_network import tree

    totals = dict(response.context["kind_totals"])
    assert sum(totals.values()) == tree.downline_size(network.company)


def test_member_page_shows_status_history(staff_client, network, staff):
    services.deactivate(member=network.dora, changed_by=staff, reason="left the business")
    content = staff_client.get(url("mlm-member-detail", pk=network.dora.pk)).content.decode()
    history = content[content.index('id="status-history"') :]
    assert "Deactivated" in history and "left the business" in history
