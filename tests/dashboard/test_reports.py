"""The growth report and the top distributors, with their server-drawn charts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from oscar_mlm.apps.mlm_commissions import volumes
from oscar_mlm.apps.mlm_dashboard import growth
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory
from tests.volumes.conftest import place_order, product

from .helpers import url

pytestmark = pytest.mark.django_db


def test_growth_per_month_and_per_level(staff_client, network):
    old = timezone.now() - timedelta(days=70)
    DistributorFactory(parent=network.ben, joined=old)
    html = staff_client.get(url("mlm-report-growth"), {"months": "3"}).content.decode()
    monthly = growth.monthly_growth(3)
    # this month: anna, ben (distributors), carl, dora (customers)
    assert monthly[-1][1:] == (2, 2)
    assert sum(d for _s, _c, d in monthly) == 3
    assert "<svg" in html and 'id="growth-chart"' in html
    levels = html.split('id="growth-by-level"')[1].split("</table>")[0]
    assert '<th scope="row">1</th>' in levels
    assert growth.level_growth(monthly[0][0], network.company, 3) == [
        (1, 0, 1),
        (2, 1, 1),
        (3, 1, 1),
    ]
    below_ben = growth.monthly_growth(3, network.ben)
    assert sum(c + d for _s, c, d in below_ben) == 2  # carl and the old distributor


@pytest.mark.parametrize("value", ["²", "١٢", "0", "37", "a\x00", "99999999999999999999999"])
def test_bad_choices_answer_with_a_message(staff_client, network, value):
    response = staff_client.get(url("mlm-report-growth"), {"months": value, "levels": value})
    assert response.status_code == 200
    message = "Null characters are not allowed." if "\x00" in value else "from 1 to 36."
    assert message in response.content.decode()
    response = staff_client.get(url("mlm-report-growth"), {"member": value})
    assert response.status_code == 200
    response = staff_client.get(url("mlm-report-top"), {"month": value, "limit": value})
    assert response.status_code == 200
    message = "Null characters are not allowed." if "\x00" in value else "YYYY-MM"
    assert message in response.content.decode()


def test_top_distributors_by_own_and_group_volume(staff_client, network):
    eve = DistributorFactory(parent=network.ben)
    cream = product("30.00")
    place_order(network.carl.user, (cream, 1))  # Ben's customer: Ben's own volume
    place_order(eve.user, (cream, 2))  # Eve's own volume, Ben's and Anna's group volume
    place_order(network.dora.user, (cream, 1))  # Anna's customer
    start = timezone.localdate().replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1)
    own = {m.pk: total for m, total in growth.top_by_own_volume(start, end, 10)}
    group = {m.pk: total for m, total in growth.top_by_group_volume(start, end, 10)}
    assert own == {eve.pk: 60, network.ben.pk: 30, network.anna.pk: 30}
    for member in (network.anna, network.ben, eve):
        expected = volumes.group_volume(member, start, end).total
        assert group.get(member.pk, 0) == expected, member
    assert group == {network.anna.pk: 90, network.ben.pk: 60}
    html = staff_client.get(url("mlm-report-top")).content.decode()
    table = html.split('id="top-group"')[1].split("</table>")[0]
    assert table.index(network.anna.display_name) < table.index(network.ben.display_name)
    assert 'id="top-own-chart"' in html and "<rect" in html


def test_a_customer_never_appears_among_the_top(staff_client, network):
    start = timezone.localdate().replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1)
    place_order(CustomerFactory(parent=network.company).user, (product("10.00"), 1))
    assert all(m.is_distributor for m, _t in growth.top_by_own_volume(start, end, 10))
