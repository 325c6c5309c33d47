"""The one-statement recording (PostgreSQL, SQLite) writes exactly what the Python rules write.

Each case places an order without the receiver, records it with the
``INSERT ... SELECT`` inside a rolled-back transaction, then with the rules in
Python (:mod:`oscar_mlm.apps.mlm_commissions.ownership`, the path of other
databases), and compares every stored field.
"""

from decimal import Decimal as D

import pytest
from django.db import transaction
from oscar.apps.order.signals import order_placed
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_commissions import services
from oscar_mlm.apps.mlm_commissions.receivers import record_volume
from oscar_mlm.apps.mlm_commissions.services import recording
from oscar_mlm.placement import Placement
from oscar_mlm.test.factories import CustomerFactory, UserFactory

from .conftest import place_order, product

pytestmark = pytest.mark.django_db

VolumeRecord = get_model("mlm_commissions", "VolumeRecord")
ProductClass = get_model("catalogue", "ProductClass")

FIELDS = [
    field.attname
    for field in VolumeRecord._meta.concrete_fields
    if field.name not in ("id", "created")
]


def unrecorded(user, *items, **kwargs):
    order_placed.disconnect(dispatch_uid="mlm_commissions_record")
    try:
        return place_order(user, *items, **kwargs)
    finally:
        order_placed.connect(record_volume, dispatch_uid="mlm_commissions_record")


def stored(order):
    return list(VolumeRecord.objects.filter(order=order).order_by("line_id").values(*FIELDS))


def assert_both_ways_alike(order, placement=None, lines=None):
    with transaction.atomic():
        returned = recording._insert_records(order, placement)
        in_one_statement = stored(order)
        transaction.set_rollback(True)
    assert not VolumeRecord.objects.filter(order=order).exists()
    assert [{f: getattr(r, f) for f in FIELDS} for r in returned] == in_one_statement
    assert all(isinstance(r.volume, D) and isinstance(r.commissionable, bool) for r in returned)
    recording._record_in_python(order, placement)
    assert in_one_statement == stored(order)
    assert len(in_one_statement) == (lines or order.lines.count())
    return in_one_statement


def test_the_buyer_kinds_alike(company, anna, ben, dora):
    for user in (ben.user, dora.user, CustomerFactory(parent=company).user, UserFactory()):
        assert_both_ways_alike(unrecorded(user, (product("12.34"), 2), (product("0.00"), 1)))


def test_guests_alike(company, anna, ben):
    guest = {"guest_email": " Gast@Example.COM "}
    for placement in (
        None,
        Placement(storefront=anna, attributed=ben),
        Placement(storefront=None, attributed=ben),
    ):
        (row,) = assert_both_ways_alike(unrecorded(None, (product(), 1), **guest), placement)
        assert row["guest_email"] == "gast@example.com"


def test_a_guest_with_a_voucher_alike(company, anna):
    from oscar_mlm.apps.mlm_vouchers import services as vouchers

    Redemption = get_model("mlm_vouchers", "Redemption")
    DistributorVoucher = get_model("mlm_vouchers", "DistributorVoucher")
    vouchers.create_program(name="New customers", value=D("10.00"))
    code = vouchers.issue_voucher(member=anna)
    order = unrecorded(None, (product(), 1), guest_email="eva@example.com")
    Redemption.objects.create(
        distributor_voucher=DistributorVoucher.objects.get(voucher__code=code),
        order=order,
        email="eva@example.com",
    )
    (row,) = assert_both_ways_alike(order)
    assert (row["owner_id"], row["owned_by"]) == (anna.pk, "voucher")


def test_the_rules_alike(anna, ben):
    kits = ProductClass.objects.create(name="Kits", track_stock=False)
    points = ProductClass.objects.create(name="Points", track_stock=False)
    services.set_volume_rule(target=kits, type="none")
    services.set_volume_rule(target=points, type="points", points="2.50")
    valued = product("99.00", product_class=kits)
    services.set_volume_rule(target=valued, type="value")
    own_points = product("29.90")
    services.set_volume_rule(target=own_points, type="points", points="12.34")
    items = [
        (product("49.00", product_class=kits), 1),  # class: none
        (valued, 1),  # the product's rule beats its class
        (product("10.00", product_class=points), 3),  # class: points per unit
        (own_points, 7),
        (product("10.00"), 1),  # no rule
    ]
    rows = assert_both_ways_alike(unrecorded(ben.user, *items))
    assert [(r["volume"], r["commissionable"]) for r in rows] == [
        (D("0.00"), False),
        (D("99.00"), True),
        (D("7.50"), True),
        (D("86.38"), True),
        (D("10.00"), True),
    ]


def test_a_parent_products_rules_alike(anna, ben):
    from oscar.test import factories as oscar_factories

    Product = get_model("catalogue", "Product")
    kits = ProductClass.objects.create(name="Kits", track_stock=False)
    services.set_volume_rule(target=kits, type="none")
    parent = oscar_factories.create_product(structure="parent", product_class="Kits")
    child = product("20.00", parent=parent, structure="child")
    # Oscar's rule: a child product has no class of its own.
    Product.objects.filter(pk=child.pk).update(product_class=None)
    rows = assert_both_ways_alike(unrecorded(ben.user, (child, 1)))
    assert (rows[0]["volume"], rows[0]["commissionable"]) == (D("0.00"), False)
    services.set_volume_rule(target=parent, type="points", points="5")
    rows = assert_both_ways_alike(unrecorded(ben.user, (child, 2)))
    assert (rows[0]["volume"], rows[0]["commissionable"]) == (D("10.00"), True)


def test_an_order_recorded_already_writes_nothing_in_one_statement(anna, ben):
    order = place_order(ben.user, (product(), 1))
    assert recording._insert_records(order, None) == []


def test_without_a_company_root_the_statement_leaves_the_order_to_the_python_path(db):
    order = unrecorded(UserFactory(), (product(), 1))
    assert recording._insert_records(order, None) == []
    (record,) = services.record_order(order)
    assert record.owned_by == "company" and record.owner.kind == "company"


@pytest.mark.parametrize(
    "buyer", ["distributor", "customer", "not_member", "guest", "guest_on_storefront"]
)
def test_recording_is_one_statement_for_every_kind_of_buyer(
    buyer, company, anna, ben, dora, django_assert_num_queries
):
    user = {
        "distributor": ben.user,
        "customer": dora.user,
        "not_member": UserFactory(),
    }.get(buyer)
    placement = Placement(storefront=anna) if buyer == "guest_on_storefront" else None
    order = unrecorded(user, (product(), 1), (product(), 2), guest_email="g@example.com")
    with django_assert_num_queries(1):
        assert len(services.record_order(order, placement)) == 2


def prepared_runs():
    """How often this connection ran the recording statement as a prepared statement."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(generic_plans + custom_plans), 0) FROM pg_prepared_statements"
            " WHERE statement LIKE 'INSERT INTO \"mlm_commissions_volumerecord\"%%'"
        )
        return cursor.fetchone()[0]


@pytest.mark.parametrize("threshold", [5, None])
def test_the_statement_is_prepared_where_the_project_allows_it(
    threshold, company, anna, ben, dora, is_postgres
):
    # The sandbox's (and the tests') database options allow prepared statements;
    # Django's default (None) does not: then nothing is prepared, records alike.
    if not is_postgres:
        pytest.skip("prepared statements are PostgreSQL's")
    from django.db import connection

    connection.ensure_connection()
    assert connection.connection.prepare_threshold == 5
    connection.connection.prepare_threshold = threshold
    before = prepared_runs()
    try:
        orders = [place_order(dora.user, (product(), 1), (product(), 2)) for _ in range(8)]
    finally:
        connection.connection.prepare_threshold = 5
    # psycopg prepares a statement on its sixth execution (or earlier in this
    # connection, in an earlier test): at least the last three ran prepared.
    if threshold:
        assert prepared_runs() - before >= 3
    else:
        assert prepared_runs() == before
    for order in orders:
        records = VolumeRecord.objects.filter(order=order)
        assert records.count() == 2
        assert {(r.owner_id, r.owned_by, r.sponsor_id) for r in records} == {
            (anna.pk, "sponsor", anna.pk)
        }
