from oscar_mlm.apps.mlm_network import tree
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory


def test_factories_build_a_tree(db):
    anna = DistributorFactory()
    ben = DistributorFactory(parent=anna)
    carl = CustomerFactory(parent=ben)
    assert [m.pk for m in tree.upline(carl)] == [ben.pk, anna.pk, anna.parent_id]
    assert tree.level_counts(anna) == [(1, 1), (2, 1)]
