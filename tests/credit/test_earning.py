"""Earning at placement stays lean: rules in one query, fixed queries per order."""

from decimal import Decimal as D

import pytest
from factory.django import mute_signals
from oscar.apps.order.signals import order_placed
from oscar.core.loading import get_model
from oscar.test import factories as oscar_factories

from oscar_mlm.apps.mlm_credit import services

from .conftest import place_order, product_with_credit

pytestmark = pytest.mark.django_db

CreditEntry = get_model("mlm_credit", "CreditEntry")
CreditRule = get_model("mlm_credit", "CreditRule")
Product = get_model("catalogue", "Product")


def test_rules_of_many_products_come_in_one_query(django_assert_num_queries):
    own = product_with_credit("10.00", value="1.00")
    by_class = product_with_credit("10.00", value="2.00", on="class")
    parent = oscar_factories.create_product(structure="parent")
    CreditRule.objects.create(product=parent, type="fixed", value=D("3.00"))
    child = oscar_factories.create_product(parent=parent, structure="child", price=D("5.00"))
    plain = oscar_factories.create_product(price=D("5.00"), product_class="Without credit")
    products = list(
        Product.objects.filter(pk__in=[own.pk, by_class.pk, child.pk, plain.pk]).select_related(
            "parent"
        )
    )
    with django_assert_num_queries(1):
        rules = services.rules_for(products)
    assert rules[own.pk].value == D("1.00")
    assert rules[by_class.pk].product_class_id == by_class.product_class_id
    assert rules[child.pk].product_id == parent.pk
    assert rules[plain.pk] is None
    assert services.rule_for(child).product_id == parent.pk


def test_a_rule_on_the_product_beats_its_parent_and_its_class():
    parent = oscar_factories.create_product(structure="parent")
    child = oscar_factories.create_product(parent=parent, structure="child", price=D("5.00"))
    CreditRule.objects.create(product_class=parent.product_class, type="fixed", value=D("1"))
    assert services.rule_for(child).value == D("1.00")
    CreditRule.objects.create(product=parent, type="fixed", value=D("2"))
    assert services.rule_for(child).value == D("2.00")
    CreditRule.objects.create(product=child, type="fixed", value=D("3"))
    assert services.rule_for(child).value == D("3.00")


def test_earning_takes_the_same_queries_for_one_line_and_for_five(
    customer, django_assert_num_queries
):
    products = [product_with_credit("10.00", value="1.00") for _ in range(5)]
    with mute_signals(order_placed):
        one = place_order(customer, (products[0], 1))
        five = place_order(customer, *[(p, 1) for p in products])
    services.open_account(customer, "EUR")  # opened on first use otherwise: more queries
    for order in (one, five):
        # lines, rules; then inside a savepoint (the test runs in a transaction):
        # lock, the known keys, one insert, the totals
        with django_assert_num_queries(8):
            entries = services.earn_for_order(order)
        assert all(entry.was_created for entry in entries)
    assert services.get_account(customer, "EUR").pending == D("6.00")
    # Again: nothing is booked twice; no insert, no totals.
    with django_assert_num_queries(6):
        again = services.earn_for_order(five)
    assert [entry.was_created for entry in again] == [False] * 5
    assert services.get_account(customer, "EUR").pending == D("6.00")
    assert CreditEntry.objects.filter(kind="earned").count() == 6


def test_an_order_without_credit_books_nothing_and_opens_no_transaction(
    customer, django_assert_num_queries
):
    with mute_signals(order_placed):
        order = place_order(customer, (oscar_factories.create_product(product_class="Plain"), 1))
    with django_assert_num_queries(2):  # lines and rules
        assert services.earn_for_order(order) == []
    assert services.get_account(customer, "EUR") is None
