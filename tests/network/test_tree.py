"""Tree reads against a hand-built tree, compared with plain parent walks."""

import pytest

from oscar_mlm.apps.mlm_network import tree
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory


@pytest.fixture
def network(company):
    #  company
    #   ├─ anna ─┬─ ben ─── carla ─── c1
    #   │        ├─ a1 (customer)
    #   │        └─ dora
    #   └─ eve
    anna = DistributorFactory(parent=company)
    ben = DistributorFactory(parent=anna)
    carla = DistributorFactory(parent=ben)
    c1 = CustomerFactory(parent=carla)
    a1 = CustomerFactory(parent=anna)
    dora = DistributorFactory(parent=anna)
    eve = DistributorFactory(parent=company)
    return locals()


def test_upline_is_ordered_sponsor_first(network):
    n = network
    up = tree.upline(n["c1"])
    assert [m.pk for m in up] == [n["carla"].pk, n["ben"].pk, n["anna"].pk, n["company"].pk]
    assert [m.level for m in up] == [1, 2, 3, 4]
    assert tree.upline(n["company"]) == []
    assert [m.pk for m in tree.upline(n["c1"], max_depth=2)] == [n["carla"].pk, n["ben"].pk]


def test_downline_levels_and_depth_limit(network):
    n = network
    rows = tree.downline_with_levels(n["anna"])
    assert [(m.pk, m.level) for m in rows] == sorted(
        [(n["ben"].pk, 1), (n["a1"].pk, 1), (n["dora"].pk, 1), (n["carla"].pk, 2), (n["c1"].pk, 3)],
        key=lambda r: (r[1], r[0]),
    )
    assert set(tree.downline(n["anna"], max_depth=1).values_list("pk", flat=True)) == {
        n["ben"].pk,
        n["a1"].pk,
        n["dora"].pk,
    }
    assert tree.downline(n["anna"]).count() == tree.downline_size(n["anna"]) == 5
    assert tree.downline(n["eve"]).count() == 0
    page = tree.downline_with_levels(n["anna"], limit=2, offset=2)
    assert [m.pk for m in page] == [m.pk for m in rows[2:4]]


def test_level_counts_and_level_of(network):
    n = network
    assert tree.level_counts(n["anna"]) == [(1, 3), (2, 1), (3, 1)]
    assert tree.level_counts(n["company"], max_depth=2) == [(1, 2), (2, 3)]
    assert tree.level_of(n["anna"], n["c1"]) == 3
    assert tree.level_of(n["eve"], n["c1"]) is None
    assert tree.is_below(n["c1"], n["anna"]) and not tree.is_below(n["anna"], n["c1"])


def test_downline_matches_tree_queries_descendants(network):
    from oscar.core.loading import get_model

    Member = get_model("mlm_network", "Member")
    anna = network["anna"]
    theirs = set(Member.objects.descendants(anna).values_list("pk", flat=True))
    assert set(tree.downline(anna).values_list("pk", flat=True)) == theirs


def test_walks_stop_on_a_corrupt_cycle(network):
    """Even a cycle written behind the services' back cannot hang a read."""
    from oscar.core.loading import get_model

    Member = get_model("mlm_network", "Member")
    n = network
    Member.objects.filter(pk=n["ben"].pk).update(parent=n["carla"])
    assert len(tree.upline_ids(n["carla"], max_depth=50)) == 50
    # carla, then c1 and ben, then carla again...: 5 x 1 + 5 x 2 rows in 10 levels.
    assert tree.downline_size(n["ben"], max_depth=10) == 15


def test_downline_ids_and_zero_depth(network):
    n = network
    assert sorted(tree.downline_ids(n["anna"])) == sorted(
        tree.downline(n["anna"]).values_list("pk", flat=True)
    )
    # A depth below one still means the first line.
    assert tree.level_counts(n["anna"], max_depth=0) == [(1, 3)]


def _rows(cte, params):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(cte + " SELECT id, level FROM down ORDER BY level, id", params)
        return cursor.fetchall()


@pytest.mark.parametrize("max_depth", [None, 1, 2, 3, 4])
def test_the_walk_via_sponsors_finds_the_same_rows_and_levels(network, max_depth):
    from oscar_mlm.test.factories import CustomerFactory

    CustomerFactory(parent=network["company"])  # the company's own customer
    for name in ("company", "anna", "ben", "carla", "c1", "eve"):
        member = network[name]
        plain = _rows(*tree.downline_cte(member, max_depth))
        assert _rows(*tree.downline_via_sponsors_cte(member, max_depth)) == plain, name


def test_downline_and_its_size_via_sponsors(network):
    n = network
    for name in ("company", "anna", "carla", "eve"):
        for depth in (None, 1, 2):
            plain = set(tree.downline(n[name], max_depth=depth).values_list("pk", flat=True))
            fast = tree.downline(n[name], max_depth=depth, via_sponsors=True)
            assert set(fast.values_list("pk", flat=True)) == plain, (name, depth)
            assert tree.downline_size(n[name], depth, via_sponsors=True) == len(plain)
