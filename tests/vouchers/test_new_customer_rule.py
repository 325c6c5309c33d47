"""The new-customer rule: who counts as having ordered, in one index-backed query."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model
from oscar.test.factories import create_order, create_product

from oscar_mlm.apps.mlm_vouchers import rules
from oscar_mlm.apps.mlm_vouchers.exceptions import NotNewCustomer, OwnCode
from oscar_mlm.demo.network import write_network
from oscar_mlm.demo.orders import generate_orders
from oscar_mlm.demo.plan import plan_network
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory, UserFactory

Member = get_model("mlm_network", "Member")


@pytest.fixture
def chain(company):
    """company > boss > anna > sub; a customer of anna's."""
    boss = DistributorFactory(parent=company)
    anna = DistributorFactory(parent=boss)
    sub = DistributorFactory(parent=anna)
    return boss, anna, sub


def test_own_code_is_the_issuer_and_the_upline_only(chain, company):
    boss, anna, sub = chain
    stranger = CustomerFactory(parent=company)
    customer = CustomerFactory(parent=anna)
    assert rules.buyer_facts(anna.pk, user=anna.user) == (True, False)
    assert rules.buyer_facts(anna.pk, user=boss.user) == (True, False)
    assert rules.buyer_facts(anna, user=sub.user) == (False, False)  # below: not own
    assert rules.buyer_facts(anna, user=customer.user) == (False, False)
    assert rules.buyer_facts(anna, user=stranger.user) == (False, False)
    assert rules.buyer_facts(anna, user=UserFactory()) == (False, False)  # not a member
    assert rules.buyer_facts(anna, email="x@example.com") == (False, False)  # a guest


def test_ordered_by_account_by_guest_address_or_by_another_account_in_any_case(company):
    nina = UserFactory(email="nina@example.com")
    fresh = UserFactory(email="fresh@example.com")
    assert not rules.has_ordered(user=nina)

    order = create_order(user=nina)
    assert rules.has_ordered(user=nina)
    assert rules.has_ordered(email="NINA@Example.com")  # as a guest with her address
    assert not rules.has_ordered(user=nina, exclude_order=order)  # the order being placed
    twin = UserFactory(email="Nina@EXAMPLE.com")  # a second account, same address
    assert rules.has_ordered(user=twin)

    create_order(guest_email="Fresh@Example.COM")
    assert rules.has_ordered(user=fresh)
    assert rules.has_ordered(email="fresh@example.com")
    assert not rules.has_ordered(email="other@example.com")
    assert not rules.has_ordered()
    assert not rules.has_ordered(email="")  # no address matches no order of a user


def test_users_orders_without_guest_address_never_match_an_empty_address(company):
    create_order(user=UserFactory())  # guest_email is "" on a user's order
    anonymous = type("Anonymous", (), {"is_authenticated": False})()
    assert not rules.has_ordered(user=anonymous, email="")


def test_check_buyer_is_one_query(chain, company):
    boss, anna, sub = chain
    dv = type("Code", (), {"issuer_id": anna.pk})()
    customer = CustomerFactory(parent=sub)
    create_order(user=UserFactory(email="guest@example.com"))

    for user, email, error in (
        (customer.user, None, None),
        (boss.user, None, OwnCode),
        (None, "GUEST@example.com", NotNewCustomer),
        (None, "new@example.com", None),
    ):
        with CaptureQueriesContext(connection) as queries:
            if error:
                with pytest.raises(error):
                    rules.check_buyer(dv, user=user, email=email)
            else:
                rules.check_buyer(dv, user=user, email=email)
        assert len(queries.captured_queries) == 1, queries.captured_queries


@pytest.mark.postgres
def test_the_rule_reads_indexes_only_in_a_shop_with_history(company):
    """20 000 orders of 2 000 members: no sequential scan of orders or users."""
    create_product(price=D("20.00"), num_in_stock=10)
    written = write_network(plan_network(2_000, seed=3), company=company)
    generate_orders(20_000, months=["2026-10"], guest_share=0.2, volume_records=False)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    buyer = Member.objects.filter(kind=Member.CUSTOMER).select_related("user").last()
    issuer = written.member_ids[-1]
    with CaptureQueriesContext(connection) as queries:
        rules.buyer_facts(issuer, user=buyer.user)
    (query,) = queries.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + query["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan" not in plan, plan
    assert "mlm_order_guest_email_upper" in plan and "mlm_user_email_upper" in plan, plan
