"""Refunds and cancellations: negative records pointing at the sale, never more than recorded."""

from decimal import Decimal as D

import pytest
from oscar.apps.offer.applicator import Applicator
from oscar.apps.partner.strategy import Selector
from oscar.core.loading import get_model
from oscar.test import factories as oscar_factories
from oscar.test.basket import add_product

from oscar_mlm.apps.mlm_commissions import services
from oscar_mlm.apps.mlm_commissions.exceptions import InvalidRefund
from oscar_mlm.apps.mlm_network import services as network

from .conftest import place_order, product, record, records

pytestmark = pytest.mark.django_db

VolumeRecord = get_model("mlm_commissions", "VolumeRecord")
Basket = get_model("basket", "Basket")
Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")
Range = get_model("offer", "Range")


def net(order):
    rows = VolumeRecord.objects.filter(order=order)
    return sum(r.volume for r in rows), sum(r.value for r in rows), sum(r.quantity for r in rows)


def test_a_partial_refund_is_proportional_by_quantity_and_adds_up_exactly(anna, dora):
    order = place_order(dora.user, (product("3.33"), 3))  # 9.99 for three units
    sale = record(order)
    line = order.lines.get()
    first = services.refund_lines(order, {line: 1}, key="r1")
    second = services.refund_lines(order, {line: 1}, key="r2")
    third = services.refund_lines(order, {line: 1}, key="r3")
    assert [(r.quantity, r.value, r.volume) for r in first + second + third] == [
        (-1, D("-3.33"), D("-3.33")),
        (-1, D("-3.33"), D("-3.33")),
        (-1, D("-3.33"), D("-3.33")),
    ]
    assert net(order) == (D("0.00"), D("0.00"), 0)
    refund = first[0]
    assert (refund.kind, refund.refund_of) == ("refund", sale)
    # Frozen like the sale: the owner stays, whatever the network does meanwhile.
    for field in ("buyer_id", "buyer_kind", "sponsor_id", "owner_id", "owned_by", "placed"):
        assert getattr(refund, field) == getattr(sale, field)
    assert refund.booked >= sale.booked


def test_rounding_leaves_nothing_behind(anna, dora):
    """14.99 for three units: 5.00, 4.99, 5.00 (cumulative shares rounded half up)."""
    everything = Range.objects.create(name="Everything", includes_all_products=True)
    oscar_factories.create_offer(
        condition=Condition.objects.create(range=everything, type=Condition.COUNT, value=1),
        benefit=Benefit.objects.create(range=everything, type=Benefit.FIXED, value=D("0.01")),
    )
    basket = Basket.objects.create(owner=dora.user)
    basket.strategy = Selector().strategy()
    add_product(basket, product=product("5.00"), quantity=3)
    Applicator().apply(basket, dora.user)
    order = oscar_factories.create_order(basket=basket, user=dora.user)
    line = order.lines.get()
    assert record(order).volume == line.line_price_excl_tax == D("14.99")
    parts = [services.refund_lines(order, {line: 1}, key=f"p{i}")[0].volume for i in range(3)]
    assert parts == [D("-5.00"), D("-4.99"), D("-5.00")]
    assert net(order) == (D("0.00"), D("0.00"), 0)


def test_the_same_refund_key_books_nothing_again(anna, dora):
    order = place_order(dora.user, (product(), 2))
    line = order.lines.get()
    assert len(services.refund_lines(order, {line: 1}, key="refund-7")) == 1
    assert services.refund_lines(order, {line: 1}, key="refund-7") == []
    assert net(order)[2] == 1


def test_never_more_than_was_recorded(anna, dora):
    order = place_order(dora.user, (product("5.00"), 2))
    line = order.lines.get()
    refunded = services.refund_lines(order, {line: 5}, key="too-many")
    assert [(r.quantity, r.volume) for r in refunded] == [(-2, D("-10.00"))]
    assert services.refund_lines(order, {line: 1}, key="again") == []
    assert services.cancel_order(order) == []
    assert net(order) == (D("0.00"), D("0.00"), 0)


def test_cancelling_takes_back_what_is_left_of_every_line(anna, dora):
    order = place_order(dora.user, (product("5.00"), 2), (product("7.00"), 1))
    first_line = order.lines.order_by("pk").first()
    services.refund_lines(order, {first_line: 1}, key="one")
    cancelled = services.cancel_order(order)
    assert sorted((r.quantity, r.volume) for r in cancelled) == [(-1, D("-7.00")), (-1, D("-5.00"))]
    assert net(order) == (D("0.00"), D("0.00"), 0)


def test_refund_bad_input_changes_nothing(anna, dora):
    order = place_order(dora.user, (product(), 2))
    line = order.lines.get()
    for quantities, key in [
        ({line: -1}, "k"),
        ({line: 1.5}, "k"),
        ({line: "1"}, "k"),
        ({line: True}, "k"),
        ({line: 1}, ""),
        ({line: 1}, "x" * 101),
        ({line: 1}, "nul\x00"),
    ]:
        with pytest.raises(InvalidRefund):
            services.refund_lines(order, quantities, key=key)
    assert VolumeRecord.objects.filter(kind="refund").count() == 0


def test_an_order_without_records_has_nothing_to_refund(anna, dora):
    order = place_order(dora.user, (product(), 1))
    other = place_order(dora.user, (product(), 1))
    assert services.refund_lines(order, {other.lines.get(): 1}, key="foreign") == []


# -- through Oscar's status changes (the same settings as credit) -----------------------------


def test_cancelling_the_order_by_status_takes_back_its_volume(anna, dora):
    order = place_order(dora.user, (product("8.00"), 2))
    order.set_status("Cancelled")
    (refund,) = records(order, kind="refund")
    assert (refund.quantity, refund.volume, refund.owner) == (-2, D("-16.00"), anna)
    assert refund.idempotency_key.startswith("refund:order:")
    assert net(order)[0] == D("0.00")


def test_a_refunded_line_status_takes_back_that_line(anna, dora):
    order = place_order(dora.user, (product("8.00"), 2), (product("2.00"), 1))
    line = order.lines.order_by("pk").first()
    line.set_status("Refunded")
    (refund,) = records(order, kind="refund")
    assert (refund.line, refund.volume) == (line, D("-16.00"))
    order.set_status("Cancelled")  # the rest
    assert net(order)[0] == D("0.00")


def test_a_refund_after_a_sponsor_move_still_reverses_the_old_owner(anna, ben, dora):
    order = place_order(dora.user, (product("8.00"), 1))
    network.assign_sponsor(member=dora, new_sponsor=ben)
    order.set_status("Cancelled")
    (refund,) = records(order, kind="refund")
    assert (refund.owner, refund.sponsor) == (anna, anna)


def test_records_are_append_only(anna, dora):
    sale = record(place_order(dora.user, (product(), 1)))
    with pytest.raises(TypeError):
        sale.save()
    with pytest.raises(TypeError):
        sale.delete()
    with pytest.raises(TypeError):
        VolumeRecord.objects.filter(pk=sale.pk).update(volume=0)
