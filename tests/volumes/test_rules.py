"""Non-commissionable products and volume points: product › parent › product class."""

from decimal import Decimal as D

import pytest
from oscar.core.loading import get_model
from oscar.test import factories as oscar_factories

from oscar_mlm.apps.mlm_commissions import services
from oscar_mlm.apps.mlm_commissions.exceptions import InvalidVolumeRule
from oscar_mlm.apps.mlm_commissions.services.rules import rule_for

from .conftest import place_order, product, record, records

pytestmark = pytest.mark.django_db

VolumeRule = get_model("mlm_commissions", "VolumeRule")
ProductClass = get_model("catalogue", "ProductClass")
Product = get_model("catalogue", "Product")


@pytest.fixture
def starter_kits(db):
    return ProductClass.objects.create(name="Starter kits", track_stock=False)


def test_a_product_class_that_is_not_commissionable(anna, ben, starter_kits):
    services.set_volume_rule(target=starter_kits, type="none")
    kit = product("49.00", product_class=starter_kits)
    order = place_order(ben.user, (kit, 1), (product("10.00"), 1))
    by_line = {r.line.product_id: r for r in records(order)}
    assert (by_line[kit.pk].value, by_line[kit.pk].volume) == (D("49.00"), D("0.00"))
    assert by_line[kit.pk].commissionable is False
    other = next(r for pk, r in by_line.items() if pk != kit.pk)
    assert (other.volume, other.commissionable) == (D("10.00"), True)


def test_volume_points_per_unit_instead_of_money(anna, ben):
    cream = product("29.90")
    services.set_volume_rule(target=cream, type="points", points="20")
    r = record(place_order(ben.user, (cream, 3)))
    assert (r.value, r.volume, r.commissionable) == (D("89.70"), D("60.00"), True)


def test_points_are_refunded_proportionally(anna, dora):
    cream = product("29.90")
    services.set_volume_rule(target=cream, type="points", points="12.50")
    order = place_order(dora.user, (cream, 2))
    (refund,) = services.refund_lines(order, {order.lines.get(): 1}, key="one")
    assert (refund.value, refund.volume) == (D("-29.90"), D("-12.50"))


def test_a_product_rule_beats_the_class_rule(anna, ben, starter_kits):
    services.set_volume_rule(target=starter_kits, type="none")
    premium = product("99.00", product_class=starter_kits)
    services.set_volume_rule(target=premium, type="value")
    assert record(place_order(ben.user, (premium, 1))).volume == D("99.00")
    assert rule_for(premium)[1] == "product"


def test_a_child_product_follows_its_parent_then_the_parents_class(anna, ben, starter_kits):
    parent = oscar_factories.create_product(structure="parent", product_class="Starter kits")
    child = oscar_factories.create_product(
        parent=parent, structure="child", price=D("15.00"), num_in_stock=10
    )
    # Oscar's rule: a child product has no class of its own.
    Product.objects.filter(pk=child.pk).update(product_class=None)
    child.refresh_from_db()
    services.set_volume_rule(target=starter_kits, type="none")
    assert rule_for(child)[1] == "class"
    assert record(place_order(ben.user, (child, 1))).volume == D("0.00")
    services.set_volume_rule(target=parent, type="points", points="5")
    assert rule_for(child)[1] == "parent"
    assert record(place_order(ben.user, (child, 2))).volume == D("10.00")


def test_a_rule_change_never_changes_recorded_orders(anna, ben):
    cream = product("10.00")
    order = place_order(ben.user, (cream, 1))
    services.set_volume_rule(target=cream, type="none")
    assert record(order).volume == D("10.00")
    services.remove_volume_rule(target=cream)
    assert rule_for(cream) == (None, None)


@pytest.mark.parametrize(
    "type_, points",
    [
        ("bogus", None),
        ("points", None),
        ("points", ""),
        ("points", "-1"),
        ("points", "1.234"),
        ("points", "abc"),
        ("points", "²"),
        ("points", "NaN"),
        ("points", "Infinity"),
        ("points", "1e30"),
        ("points", "1\x00"),
    ],
)
def test_bad_rules_are_refused_and_change_nothing(ben, type_, points):
    cream = product()
    services.set_volume_rule(target=cream, type="points", points="3")
    with pytest.raises(InvalidVolumeRule):
        services.set_volume_rule(target=cream, type=type_, points=points)
    assert VolumeRule.objects.get().points == D("3.00")
