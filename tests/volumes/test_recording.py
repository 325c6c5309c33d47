"""One frozen volume record per order line, written at placement (COMMISSIONS.md rules 1, 2)."""

from decimal import Decimal as D

import pytest
from oscar.apps.offer.applicator import Applicator
from oscar.apps.partner.strategy import UK
from oscar.apps.shipping.methods import FixedPrice
from oscar.core.loading import get_model
from oscar.test import factories as oscar_factories

from oscar_mlm.apps.mlm_commissions import services
from oscar_mlm.apps.mlm_network import services as network
from oscar_mlm.placement import Placement, placing
from oscar_mlm.test.factories import CustomerFactory, UserFactory

from .conftest import place_order, product, record, records

pytestmark = pytest.mark.django_db

VolumeRecord = get_model("mlm_commissions", "VolumeRecord")
Member = get_model("mlm_network", "Member")
Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")
Range = get_model("offer", "Range")


def test_a_distributor_owns_what_they_buy(anna, ben):
    order = place_order(ben.user, (product("10.00"), 3))
    r = record(order)
    assert (r.kind, r.buyer, r.buyer_kind, r.sponsor, r.owner, r.owned_by) == (
        "sale",
        ben,
        "distributor",
        anna,
        ben,
        "buyer",
    )
    line = order.lines.get()
    assert (r.line, r.quantity, r.value, r.volume) == (line, 3, D("30.00"), D("30.00"))
    assert (r.currency, r.commissionable, r.storefront) == (order.currency, True, None)
    assert r.booked == r.placed == order.date_placed
    assert r.guest_email == "" and r.refund_of is None
    assert r.idempotency_key == f"sale:line:{line.pk}"


def test_a_customers_order_belongs_to_their_sponsor_at_the_moment(anna, dora):
    r = record(place_order(dora.user, (product("25.00"), 1)))
    assert (r.buyer, r.buyer_kind, r.sponsor, r.owner, r.owned_by) == (
        dora,
        "customer",
        anna,
        anna,
        "sponsor",
    )


def test_a_customer_of_the_company_is_owned_by_the_company(company):
    customer = CustomerFactory(parent=company)
    r = record(place_order(customer.user, (product(), 1)))
    assert (r.sponsor, r.owner, r.owned_by) == (company, company, "sponsor")


def test_a_later_sponsor_move_never_shifts_earlier_volume(anna, ben, dora):
    before = place_order(dora.user, (product(), 1))
    network.assign_sponsor(member=dora, new_sponsor=ben, reason="moved")
    after = place_order(dora.user, (product(), 1))
    assert (record(before).sponsor, record(before).owner) == (anna, anna)
    assert (record(after).sponsor, record(after).owner) == (ben, ben)
    # A promotion does not rewrite the past either.
    network.promote_to_distributor(member=dora)
    assert record(before).owner == anna
    assert record(place_order(dora.user, (product(), 1))).owner_id == dora.pk


def test_a_user_who_is_not_a_member_yet_is_attributed_to_the_company_and_it_says_so(company):
    user = UserFactory()
    r = record(place_order(user, (product(), 1)))
    assert (r.buyer, r.buyer_kind, r.sponsor, r.owner, r.owned_by) == (
        None,
        "not_member",
        None,
        company,
        "company",
    )


def test_the_company_root_is_created_on_the_first_order_of_a_shop_without_one(db):
    assert not Member.objects.exists()
    r = record(place_order(UserFactory(), (product(), 1)))
    assert r.owner.kind == "company" and r.owned_by == "company"


def test_every_line_gets_its_record(anna, ben):
    order = place_order(ben.user, (product("10.00"), 1), (product("4.50"), 2))
    assert [(r.quantity, r.value) for r in records(order)] == [(1, D("10.00")), (2, D("9.00"))]
    assert {r.line_id for r in records(order)} == set(order.lines.values_list("pk", flat=True))


def test_recording_again_writes_nothing(anna, ben):
    order = place_order(ben.user, (product(), 2), (product(), 1))
    assert services.record_order(order) == []
    assert VolumeRecord.objects.filter(order=order).count() == 2


# -- guests -----------------------------------------------------------------------------------


def guest_order(placement=None, email="Gast@Example.com", item=None):
    with placing(placement):
        return place_order(None, (item or product(), 1), guest_email=email)


def test_a_guest_on_a_storefront_belongs_to_its_owner(anna, ben):
    r = record(guest_order(Placement(storefront=anna, attributed=ben)))
    assert (r.buyer, r.buyer_kind, r.sponsor, r.owner, r.owned_by, r.storefront) == (
        None,
        "guest",
        None,
        anna,
        "storefront",
        anna,
    )
    assert r.guest_email == "gast@example.com"


def test_a_guest_on_the_company_site_belongs_to_the_cookies_distributor(anna, ben):
    r = record(guest_order(Placement(storefront=None, attributed=ben)))
    assert (r.owner, r.owned_by, r.storefront) == (ben, "cookie", None)


def test_a_guest_without_storefront_or_cookie_belongs_to_the_company(company):
    r = record(guest_order(None))
    assert (r.owner, r.owned_by, r.buyer_kind) == (company, "company", "guest")


def test_a_member_on_someone_elses_storefront_still_belongs_to_their_sponsor(anna, ben, dora):
    with placing(Placement(storefront=ben)):
        r = record(place_order(dora.user, (product(), 1)))
    assert (r.owner, r.owned_by, r.storefront) == (anna, "sponsor", ben)


# -- what a line counts -----------------------------------------------------------------------


def test_volume_excludes_tax_and_shipping(anna, ben):
    shipping = FixedPrice(D("4.90"), D("5.88"))
    order = place_order(ben.user, (product("10.00"), 2), strategy=UK(), shipping_method=shipping)
    line = order.lines.get()
    assert line.line_price_incl_tax == D("24.00")  # 20 % tax
    assert order.shipping_excl_tax == D("4.90")
    r = record(order)
    assert r.value == r.volume == line.line_price_excl_tax == D("20.00")


def test_volume_is_net_of_basket_discounts_allocated_to_the_lines(anna, ben):
    everything = Range.objects.create(name="Everything", includes_all_products=True)
    oscar_factories.create_offer(
        condition=Condition.objects.create(range=everything, type=Condition.COUNT, value=1),
        benefit=Benefit.objects.create(range=everything, type=Benefit.FIXED, value=D("8.00")),
    )
    from oscar.apps.partner.strategy import Selector
    from oscar.test.basket import add_product

    Basket = get_model("basket", "Basket")
    basket = Basket.objects.create(owner=ben.user)
    basket.strategy = Selector().strategy()
    add_product(basket, product=product("10.00"), quantity=1)
    add_product(basket, product=product("30.00"), quantity=1)
    Applicator().apply(basket, ben.user)
    order = oscar_factories.create_order(basket=basket, user=ben.user)
    assert order.basket_total_excl_tax == D("32.00")
    lines = {line.pk: line for line in order.lines.all()}
    assert sum(line.discount_excl_tax for line in lines.values()) == D("8.00")
    for r in records(order):
        assert r.value == r.volume == lines[r.line_id].line_price_excl_tax
    assert sum(r.volume for r in records(order)) == D("32.00")


def test_a_placement_that_fails_inside_the_transaction_leaves_no_records(anna, ben, monkeypatch):
    from oscar.apps.order.utils import OrderCreator

    def broken(self, line):
        raise RuntimeError("stock service down")

    monkeypatch.setattr(OrderCreator, "update_stock_records", broken)
    with pytest.raises(RuntimeError):
        place_order(ben.user, (product(), 1))
    assert not VolumeRecord.objects.exists()


@pytest.mark.parametrize("lines", [1, 4])
def test_recording_takes_the_same_few_queries_whatever_the_number_of_lines(
    anna, dora, lines, django_assert_num_queries
):
    from oscar.apps.order.signals import order_placed

    from oscar_mlm.apps.mlm_commissions.receivers import record_volume

    services.set_volume_rule(target=product(), type="none")  # some rule exists
    order_placed.disconnect(dispatch_uid="mlm_commissions_record")
    try:
        order = place_order(dora.user, *[(product(), 1) for _ in range(lines)])
    finally:
        order_placed.connect(record_volume, dispatch_uid="mlm_commissions_record")
    assert not VolumeRecord.objects.filter(order=order).exists()
    # one INSERT ... SELECT reads the lines, the buyer, their rules and the owner
    with django_assert_num_queries(1):
        assert len(services.record_order(order)) == lines
