"""The staff member page's level counts and the growth report's splits, read through the
distributors (``tree.downline_via_sponsors_cte``), give the figures of the plain walk
(``tree.downline_cte``) on a random network, on SQLite and PostgreSQL."""

import datetime as dt
import random
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_dashboard import growth
from oscar_mlm.apps.mlm_network import tree
from oscar_mlm.demo.network import write_network
from oscar_mlm.demo.plan import plan_network

from .helpers import url

Member = get_model("mlm_network", "Member")

pytestmark = pytest.mark.django_db


@pytest.fixture
def random_network(company):
    """600 members of the demo generator, joined on random days of the last 100."""
    written = write_network(plan_network(600, seed=11), company=company, scatter=True, seed=11)
    rng = random.Random(11)
    now = timezone.now()
    members = list(Member.objects.exclude(pk=company.pk))
    for member in members:
        member.joined = now - timedelta(days=rng.randrange(100), hours=rng.randrange(24))
    Member.objects.bulk_update(members, ["joined"])
    return written


def heads(company):
    """The company, distributors with large and small downlines, a customer, a leaf."""
    distributors = list(Member.objects.filter(kind=Member.DISTRIBUTOR).order_by("pk"))
    by_size = sorted(distributors, key=lambda d: (-tree.downline_size(d), d.pk))
    customer = Member.objects.filter(kind=Member.CUSTOMER).order_by("pk").first()
    return [company, *by_size[:3], by_size[len(by_size) // 2], by_size[-1], customer]


def old_walk(member, max_depth=None):
    """``[(level, member)]`` of the plain walk (every member probed for children)."""
    return [(m.level, m) for m in tree.downline_with_levels(member, max_depth)]


def test_level_counts_via_sponsors_are_the_plain_walks(random_network, company):
    for head in heads(company):
        for depth in (None, 1, 2, 5):
            plain = tree.level_counts(head, depth)
            assert tree.level_counts(head, depth, via_sponsors=True) == plain, (head.pk, depth)
            assert plain == sorted(Counter(level for level, _m in old_walk(head, depth)).items())
    assert len(tree.level_counts(company)) > 3  # a network with depth


def test_the_staff_member_page_shows_the_plain_walks_counts(random_network, company, staff_client):
    head = heads(company)[1]
    response = staff_client.get(url("mlm-member-detail", pk=head.pk))
    assert response.context["level_counts"] == tree.level_counts(head)
    assert response.context["downline_total"] == tree.downline_size(head) > 50


def test_growth_by_level_and_month_are_the_plain_walks(random_network, company):
    since = timezone.localdate() - timedelta(days=40)
    since_moment = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    months = growth.month_starts(4)
    month_start = timezone.make_aware(dt.datetime.combine(months[0], dt.time.min))
    for head in heads(company):
        for levels in (1, 3, 6):
            new = Counter(
                (level, m.kind) for level, m in old_walk(head, levels) if m.joined >= since_moment
            )
            expected = [
                (level, new[(level, Member.CUSTOMER)], new[(level, Member.DISTRIBUTOR)])
                for level in range(1, levels + 1)
            ]
            assert growth.level_growth(since, head, levels) == expected, (head.pk, levels)
        if head.is_company:
            continue
        joined = Counter(
            (timezone.localtime(m.joined).date().replace(day=1), m.kind)
            for _level, m in old_walk(head)
            if m.joined >= month_start
        )
        expected = [
            (start, joined[(start, Member.CUSTOMER)], joined[(start, Member.DISTRIBUTOR)])
            for start in months
        ]
        assert growth.monthly_growth(4, head) == expected, head.pk
