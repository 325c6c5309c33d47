import pytest
from django.urls import reverse

from .helpers import url

pytestmark = pytest.mark.django_db


def test_network_section_is_in_the_dashboard_navigation_for_staff(staff_client):
    response = staff_client.get(reverse("dashboard:index"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Network" in content
    for name in ("mlm-member-list", "mlm-member-create", "mlm-sponsorchange-list"):
        assert f'href="{url(name)}"' in content, name


def test_our_pages_show_the_dashboard_navigation(staff_client, network):
    content = staff_client.get(url("mlm-member-detail", pk=network.anna.pk)).content.decode()
    assert f'href="{url("mlm-sponsorchange-list")}"' in content
    assert f'href="{reverse("dashboard:index")}"' in content  # breadcrumb
