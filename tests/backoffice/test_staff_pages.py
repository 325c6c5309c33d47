"""Staff pages of the back office in the network dashboard: the tree around any member
(the partner's lazy tree with dashboard links) and the logged read of CRM notes."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_backoffice import services
from oscar_mlm.test.factories import UserFactory

pytestmark = pytest.mark.django_db

NoteRead = get_model("mlm_backoffice", "NoteRead")


def staff_with(*codenames):
    user = UserFactory(is_staff=True, email="stella@example.com")
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def tree_url(member):
    return reverse("mlm_dashboard:mlm-member-tree", kwargs={"pk": member.pk})


def node_url(root, node):
    return reverse("mlm_dashboard:mlm-member-tree-node", kwargs={"pk": root.pk, "node_pk": node.pk})


def notes_url(member):
    return reverse("mlm_dashboard:mlm-member-notes", kwargs={"pk": member.pk})


def test_the_documented_urls(net):
    anna, ben = net["anna"], net["ben"]
    assert tree_url(anna) == f"/dashboard/mlm/members/{anna.pk}/tree/"
    assert node_url(anna, ben) == f"/dashboard/mlm/members/{anna.pk}/tree/nodes/{ben.pk}/"
    assert notes_url(anna) == f"/dashboard/mlm/members/{anna.pk}/notes/"


def test_the_tree_around_a_member_shows_the_first_line_with_dashboard_links(client, net):
    client.force_login(staff_with("view_member"))
    html = client.get(tree_url(net["anna"])).content.decode()
    for name in ("Ben Brandt", "Dora Decker"):
        assert name in html
    assert "Carla" not in html  # one level at a time
    assert f'data-url="{node_url(net["anna"], net["ben"])}"' in html
    ben_page = reverse("mlm_dashboard:mlm-member-detail", kwargs={"pk": net["ben"].pk})
    assert f'href="{ben_page}"' in html
    assert f'href="{tree_url(net["ben"])}"' in html  # open from here
    assert "/accounts/business/" not in html.split('id="mlm-structure"', 1)[1]
    # the upline leads back to the company
    assert f'href="{tree_url(net["company"])}"' in html


def test_a_node_loads_its_first_line_with_levels_from_the_root(client, net):
    client.force_login(staff_with("view_member"))
    response = client.get(node_url(net["anna"], net["carla"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Emil Engel" in html and "level 3" in html
    assert 'id="mlm-node-' in html


def test_a_node_outside_the_root_s_downline_and_bad_input_answer_404(client, net):
    client.force_login(staff_with("view_member"))
    assert client.get(node_url(net["anna"], net["yara"])).status_code == 404
    assert client.get(node_url(net["ben"], net["anna"])).status_code == 404
    for after in ("x", "²", "-1", "9" * 30):
        assert client.get(tree_url(net["anna"]), {"after": after}).status_code == 404, after
    assert client.get("/dashboard/mlm/members/999999/tree/").status_code == 404


def test_the_first_line_pages_by_key(client, net, settings):
    settings.OSCAR_MLM_MEMBERS_PER_PAGE = 1
    client.force_login(staff_with("view_member"))
    html = client.get(tree_url(net["anna"])).content.decode()
    assert "Ben Brandt" in html and "Dora Decker" not in html
    more = f'{node_url(net["anna"], net["anna"])}?after={net["ben"].pk}'
    assert more in html
    assert "Dora Decker" in client.get(more).content.decode()


def test_the_tree_of_the_company(client, net):
    client.force_login(staff_with("view_member"))
    html = client.get(tree_url(net["company"])).content.decode()
    assert "Anna Berger" in html and "Zoe Zander" in html


def test_reading_notes_is_logged_and_shows_them(client, net):
    anna, dora = net["anna"], net["dora"]
    services.add_note(distributor=anna, customer=dora, channel="call", text="Wants the blue one")
    staff = staff_with("view_customernote")
    client.force_login(staff)
    page = client.get(notes_url(anna)).content.decode()
    assert "Wants the blue one" not in page  # not before the logged read
    assert NoteRead.objects.count() == 0
    response = client.post(notes_url(anna), {"reason": "Ticket 4711"})
    read = NoteRead.objects.get()
    assert (read.staff, read.member, read.notes, read.reason) == (staff, anna, 1, "Ticket 4711")
    assert response.status_code == 302 and response.url == f"{notes_url(anna)}?read={read.pk}"
    page = client.get(response.url).content.decode()
    assert "Wants the blue one" in page
    assert "Ticket 4711" in page  # in the log of reads
    assert NoteRead.objects.count() == 1  # showing the read (or refreshing) reads no more
    # the customer's page shows the notes about her, and that read is logged too
    page = client.post(notes_url(dora), {"reason": ""}, follow=True).content.decode()
    assert "Wants the blue one" in page and NoteRead.objects.count() == 2


def test_a_read_is_shown_only_to_its_staff_member_and_member_for_a_while(client, net):
    from datetime import timedelta

    from django.utils import timezone

    anna, dora = net["anna"], net["dora"]
    services.add_note(distributor=anna, customer=dora, channel="call", text="Wants the blue one")
    staff = staff_with("view_customernote")
    read = services.read_notes_as_staff(staff_user=staff, member=anna).read
    def shown(member):
        return "Wants the blue one" in client.get(
            f"{notes_url(member)}?read={read.pk}"
        ).content.decode()

    client.force_login(staff_with("view_customernote"))  # another staff member
    assert not shown(anna)
    client.force_login(staff)
    assert not shown(dora)
    for bad in ("x", "²", "9" * 30, "-1"):
        assert client.get(notes_url(anna), {"read": bad}).status_code == 200
    assert "Wants the blue one" in client.get(f"{notes_url(anna)}?read={read.pk}").content.decode()
    with override_now(timezone.now() + timedelta(minutes=11)):
        page = client.get(f"{notes_url(anna)}?read={read.pk}").content.decode()
    assert "Wants the blue one" not in page


def override_now(moment):
    from unittest import mock

    return mock.patch("django.utils.timezone.now", return_value=moment)


@pytest.mark.parametrize("reason", ["a\x00b", "x" * 501])
def test_a_bad_reason_is_refused_and_nothing_is_logged(client, net, reason):
    services.add_note(
        distributor=net["anna"], customer=net["dora"], channel="call", text="Wants the blue one"
    )
    client.force_login(staff_with("view_customernote"))
    response = client.post(notes_url(net["anna"]), {"reason": reason})
    assert response.status_code == 400
    assert "Wants the blue one" not in response.content.decode()
    assert NoteRead.objects.count() == 0


def test_the_member_page_links_the_tree_and_the_notes(client, net):
    from oscar_mlm.test.factories import grant_dashboard_permissions

    client.force_login(grant_dashboard_permissions(UserFactory(is_staff=True)))
    html = client.get(
        reverse("mlm_dashboard:mlm-member-detail", kwargs={"pk": net["anna"].pk})
    ).content.decode()
    assert f'href="{tree_url(net["anna"])}"' in html
    assert f'href="{notes_url(net["anna"])}"' in html
