"""The order generator: real Oscar orders and lines in bulk, and their volume records."""

import datetime
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories import create_product

from oscar_mlm.demo import orders as generator
from oscar_mlm.demo.network import write_network
from oscar_mlm.demo.plan import NetworkPlan, plan_network
from oscar_mlm.money import quantize
from oscar_mlm.test.factories import UserFactory

Member = get_model("mlm_network", "Member")
Order = get_model("order", "Order")
Line = get_model("order", "Line")
VolumeRecord = get_model("mlm_commissions", "VolumeRecord")

MONTHS = ["2026-09", "2026-10"]


@pytest.fixture
def products(db):
    return [
        create_product(price=Decimal(price), title=f"Product {n}", num_in_stock=10)
        for n, price in enumerate(["9.90", "24.50", "3.33", "61.00"])
    ]


@pytest.fixture
def network(company):
    return write_network(plan_network(200, seed=2), company=company)


def generate(count=300, **kwargs):
    kwargs.setdefault("months", MONTHS)
    kwargs.setdefault("seed", 5)
    return generator.generate_orders(count, **kwargs)


def snapshot():
    return (Order.objects.count(), Line.objects.count(), VolumeRecord.objects.count())


@pytest.mark.django_db
def test_orders_are_oscar_orders_with_consistent_prices(products, network):
    result = generate(300)

    assert (result.orders, Order.objects.count()) == (300, 300)
    assert result.lines == Line.objects.count() > 300
    rate = generator.DEFAULT_TAX_RATE
    for order in Order.objects.prefetch_related("lines"):
        assert order.number == f"D{order.pk}"
        assert order.currency == "EUR" and order.status == "Pending"
        lines = list(order.lines.all())
        assert 1 <= len(lines) <= 4
        assert len({line.product_id for line in lines}) == len(lines)
        for line in lines:
            assert line.unit_price_incl_tax == quantize(line.unit_price_excl_tax * (1 + rate))
            assert line.line_price_excl_tax == line.unit_price_excl_tax * line.quantity
            assert line.line_price_incl_tax == line.unit_price_incl_tax * line.quantity
            assert line.line_price_before_discounts_incl_tax == line.line_price_incl_tax
            assert line.stockrecord.product_id == line.product_id
            assert line.unit_price_excl_tax == line.stockrecord.price
            assert (line.status, line.num_allocated) == ("Pending", line.quantity)
        lines_incl = sum(line.line_price_incl_tax for line in lines)
        lines_excl = sum(line.line_price_excl_tax for line in lines)
        assert order.total_incl_tax == lines_incl + order.shipping_incl_tax
        assert order.total_excl_tax == lines_excl + order.shipping_excl_tax
        free = lines_incl >= generator.FREE_SHIPPING_FROM
        assert order.shipping_incl_tax == (Decimal("0.00") if free else Decimal("4.95"))
        assert order.shipping_excl_tax == (Decimal("0.00") if free else Decimal("4.16"))
        # Oscar's own reading of the order agrees.
        assert order.basket_total_incl_tax == lines_incl
    assert result.total_incl_tax == Order.objects.aggregate(t=Sum("total_incl_tax"))["t"]


@pytest.mark.django_db
def test_dates_are_spread_over_the_months_in_order_of_ids(products, network):
    result = generate(301)

    zone = timezone.get_current_timezone()
    placed = list(Order.objects.order_by("pk").values_list("date_placed", flat=True))
    assert placed == sorted(placed)
    months = Counter((d.astimezone(zone).year, d.astimezone(zone).month) for d in placed)
    assert months == {(2026, 9): 151, (2026, 10): 150}
    assert result.first_placed == placed[0] and result.last_placed == placed[-1]
    assert placed[0] >= datetime.datetime(2026, 9, 1, tzinfo=zone)
    assert placed[-1] < datetime.datetime(2026, 11, 1, tzinfo=zone)


@pytest.mark.django_db
def test_buyers_are_members_and_some_guests_skewed(products, network):
    result = generate(1000, guest_share=0.1)

    guests = Order.objects.filter(user=None)
    assert result.guest_orders == guests.count()
    assert 50 < guests.count() < 150
    assert not guests.filter(guest_email="").exists()
    assert not Order.objects.exclude(user=None).exclude(guest_email="").exists()
    member_users = set(Member.objects.values_list("user_id", flat=True))
    bought = Counter(Order.objects.exclude(user=None).values_list("user_id", flat=True))
    assert set(bought) <= member_users
    kinds = set(Member.objects.filter(user_id__in=bought).values_list("kind", flat=True))
    assert kinds == {Member.DISTRIBUTOR, Member.CUSTOMER}
    # A few buy a lot, most rarely: the busiest tenth of the buyers place a third or more.
    counts = sorted(bought.values(), reverse=True)
    assert sum(counts[: len(counts) // 10]) >= sum(counts) / 3


@pytest.mark.django_db
def test_buyers_can_be_limited(products, network):
    customers = Member.objects.filter(kind=Member.CUSTOMER)[:5]
    generate(100, buyers=Member.objects.filter(pk__in=customers), guest_share=0)

    users = set(Order.objects.values_list("user_id", flat=True))
    assert users <= {m.user_id for m in customers}


@pytest.mark.django_db
def test_volume_records_follow_the_ownership_rule(products, network):
    result = generate(500, guest_share=0.2)

    assert result.volume_records == VolumeRecord.objects.count() == Line.objects.count()
    company = Member.objects.get(kind=Member.COMPANY)
    members = {m.user_id: m for m in Member.objects.exclude(kind=Member.COMPANY)}
    for record in VolumeRecord.objects.select_related("order", "line"):
        order, line = record.order, record.line
        assert record.line.order_id == order.pk
        assert (record.kind, record.refund_of_id, record.commissionable) == ("sale", None, True)
        assert record.value == record.volume == line.line_price_excl_tax
        assert record.quantity == line.quantity
        assert (record.booked, record.currency) == (order.date_placed, order.currency)
        if order.user_id is None:
            assert (record.buyer_id, record.buyer_kind, record.sponsor_id) == (None, "guest", None)
            if record.owned_by == "storefront":
                assert record.storefront_id == record.owner_id
                assert Member.objects.get(pk=record.owner_id).kind == Member.DISTRIBUTOR
            else:
                assert (record.owned_by, record.owner_id) == ("company", company.pk)
                assert record.storefront_id is None
            continue
        buyer = members[order.user_id]
        assert (record.buyer_id, record.buyer_kind) == (buyer.pk, buyer.kind)
        assert record.sponsor_id == buyer.parent_id
        if buyer.kind == Member.DISTRIBUTOR:
            assert (record.owner_id, record.owned_by) == (buyer.pk, "buyer")
        else:
            assert (record.owner_id, record.owned_by) == (buyer.parent_id, "sponsor")
    owned = set(VolumeRecord.objects.values_list("owned_by", flat=True))
    assert owned == {"buyer", "sponsor", "storefront", "company"}


@pytest.mark.django_db
def test_a_customer_of_the_company_is_owned_by_the_company(products, company):
    plan = NetworkPlan(seed=1)
    plan.add(kind="distributor")
    written = write_network(plan, company=company)
    customer = Member.objects.create(
        user=UserFactory(), parent=company, kind=Member.CUSTOMER
    )  # staff may put a customer directly below the company
    generate(20, buyers=Member.objects.filter(pk=customer.pk), guest_share=0)

    assert written.member_ids
    owners = set(VolumeRecord.objects.values_list("owner_id", "owned_by", "sponsor_id"))
    # The rule of placement: the customer's sponsor owns it, and that is the company.
    assert owners == {(company.pk, "sponsor", company.pk)}


@pytest.mark.django_db
def test_volume_records_can_be_left_out(products, network):
    generate(50, volume_records=False)
    assert Order.objects.count() == 50
    assert VolumeRecord.objects.count() == 0


class Rollback(Exception):
    pass


def generated(seed):
    try:
        with transaction.atomic():
            generate(120, seed=seed)
            rows = list(
                Order.objects.order_by("pk").values_list(
                    "user_id", "guest_email", "total_incl_tax", "date_placed"
                )
            )
            raise Rollback
    except Rollback:
        return rows


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_orders(products, network):
    assert generated(3) == generated(3)
    assert generated(3) != generated(4)


@pytest.mark.django_db
def test_products_can_be_chosen_and_parents_are_never_sold(products, network):
    generate(60, products=[products[1]])
    assert set(Line.objects.values_list("product_id", flat=True)) == {products[1].pk}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"count": -1}, "0 to"),
        ({"count": generator.MAX_ORDERS + 1}, "0 to"),
        ({"months": ["2026-13"]}, "No such month"),
        ({"months": ["October"]}, "YYYY-MM"),
        ({"months": ["２０２６-10"]}, "YYYY-MM"),
        ({"guest_share": 1.5}, "share"),
        ({"currency": "XYZ"}, "No product has a price in XYZ"),
    ],
)
def test_bad_arguments_are_refused_and_write_nothing(products, network, kwargs, message):
    count = kwargs.pop("count", 10)
    with pytest.raises(ValueError) as error:
        generate(count, **kwargs)
    assert message in str(error.value)
    assert snapshot() == (0, 0, 0)


@pytest.mark.django_db
def test_no_members_no_orders(products, company):
    with pytest.raises(generator.DemoDataError) as error:
        generate(10)
    assert "no members" in str(error.value)
    assert snapshot() == (0, 0, 0)


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("mlm_demo_network", *args, stdout=out, stderr=err)
    return out.getvalue()


@pytest.mark.django_db
def test_the_demo_command_generates_orders_by_generated_people(products):
    out = run("--size", "40", "--orders", "80", "--months", "2026-09", "2026-10", "--no-progress")

    assert Order.objects.count() == 80
    assert "80 orders" in out and "volume records" in out
    demo_logins = Member.objects.filter(user__email__endswith="@example.com").filter(
        user__email__in=["anna@example.com", "ben@example.com", "carla@example.com",
                         "dora@example.com", "emil@example.com"]
    )  # fmt: skip
    assert not Order.objects.filter(user__mlm_member__in=demo_logins).exists()
    assert VolumeRecord.objects.count() == Line.objects.count()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, message",
    [
        (["--orders", "many"], "--orders must be a whole number"),
        (["--orders", "-1"], "--orders must be 0 to"),
        (["--orders", "5", "--months", "2026-13"], "No such month"),
    ],
)
def test_the_demo_command_refuses_bad_order_arguments(products, args, message):
    with pytest.raises(CommandError) as error:
        run("--size", "10", "--no-progress", *args)
    assert message in str(error.value)
    assert Member.objects.count() == 0
    assert snapshot() == (0, 0, 0)


@pytest.mark.django_db
def test_the_demo_command_without_products_builds_nothing(company):
    with pytest.raises(CommandError) as error:
        run("--size", "10", "--orders", "5", "--no-progress")
    assert "No product has a price" in str(error.value)
    assert Member.objects.count() == 1  # the company only


@pytest.mark.django_db
def test_oscar_dashboard_shows_generated_orders(client, products, network):
    generate(30)
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    order = Order.objects.filter(user__isnull=False).order_by("pk").last()

    listing = client.get("/dashboard/orders/")  # newest first
    detail = client.get(f"/dashboard/orders/{order.number}/")

    assert listing.status_code == 200 and order.number in listing.content.decode()
    assert detail.status_code == 200
    page = detail.content.decode()
    assert order.lines.first().title in page
    assert str(order.total_incl_tax) in page.replace(",", ".")
