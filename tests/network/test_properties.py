"""Property-based: random sponsor moves keep one tree, agreeing with a model."""

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_network import services, tree
from oscar_mlm.apps.mlm_network.exceptions import CycleError, NetworkError, SameSponsor, SelfSponsor
from oscar_mlm.test.factories import DistributorFactory

Member = get_model("mlm_network", "Member")
SIZE = 25
MOVES = 1000


def model_is_below(parents, candidate, member):
    node = parents[candidate]
    while node is not None:
        if node == member:
            return True
        node = parents[node]
    return False


def assert_one_tree(company):
    rows = dict(Member.objects.values_list("pk", "parent_id"))
    roots = [pk for pk, parent in rows.items() if parent is None]
    assert roots == [company.pk]
    for pk in rows:  # every member reaches the root in fewer steps than there are members
        node, steps = pk, 0
        while rows[node] is not None:
            node, steps = rows[node], steps + 1
            assert steps <= len(rows), f"cycle through member {pk}"
        assert node == company.pk
    assert tree.downline_size(company) == len(rows) - 1


@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    moves=st.lists(
        st.tuples(st.integers(0, SIZE - 1), st.integers(0, SIZE)), min_size=MOVES, max_size=MOVES
    )
)
def test_random_moves_keep_one_tree(company, moves):
    with transaction.atomic():
        people = []
        for _ in range(SIZE):
            people.append(DistributorFactory(parent=company))
        # index SIZE stands for the company itself as target
        targets = people + [company]
        parents = {company.pk: None, **{p.pk: company.pk for p in people}}
        moved = refused = 0
        for who, to in moves:
            member, target = people[who], targets[to]
            try:
                services.assign_sponsor(member=member, new_sponsor=target, reason="property")
            except SelfSponsor:
                assert member.pk == target.pk
                refused += 1
            except CycleError:
                assert model_is_below(parents, target.pk, member.pk)
                refused += 1
            except SameSponsor:
                assert parents[member.pk] == target.pk
                refused += 1
            except NetworkError as exc:  # pragma: no cover - would be a bug
                raise AssertionError(f"unexpected refusal {exc!r}") from exc
            else:
                assert member.pk != target.pk and not model_is_below(parents, target.pk, member.pk)
                parents[member.pk] = target.pk
                moved += 1
        assert moved + refused == MOVES
        assert dict(Member.objects.values_list("pk", "parent_id")) == parents
        assert_one_tree(company)
        transaction.set_rollback(True)
