"""The API checkout with credit under real concurrent transactions on PostgreSQL.

The same checks as the web checkout's (tests/credit/test_concurrency.py): fifty
orders of one customer placed at once spend the credit exactly once, and the
same order submitted ten times at once is placed once with one debit.
"""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone
from oscar.apps.partner.strategy import Selector
from oscar.core.loading import get_model
from oscar.test.basket import add_product

from oscar_mlm.apps.mlm_credit import services as credit
from oscar_mlm.test.factories import CustomerFactory
from tests.network.test_concurrency import run_at_once

from .conftest import api
from .helpers import checkout, fill_basket, fund, product

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
CreditEntry = get_model("mlm_credit", "CreditEntry")


@pytest.fixture
def shopper(company, settings):
    settings.OSCAR_MLM_CREDIT_AUTO_APPLY = True
    return CustomerFactory(parent=company).user


def baskets(user, item, count):
    made = []
    for _ in range(count):
        basket = Basket.objects.create(owner=user)
        basket.strategy = Selector().strategy()
        add_product(basket, product=item, quantity=1)
        made.append(f"http://testserver/api/baskets/{basket.pk}/")
    return made


def credit_paid(user):
    orders = Order.objects.filter(user=user)
    return sum((s.amount_debited for o in orders for s in o.sources.all()), D("0.00"))


@pytest.mark.parametrize("asked", ["all", "2.00"])
def test_fifty_api_checkouts_at_once_spend_the_credit_exactly_once(shopper, asked):
    account = fund(shopper, "10.00")
    item = product("2.00")
    calls = [
        lambda url=url: checkout(api(shopper), url, credit=asked).status_code
        for url in baskets(shopper, item, 50)
    ]
    results = run_at_once(*calls)
    assert all(kind == "ok" for kind, _ in results), results
    statuses = [status for _, status in results]
    assert set(statuses) <= {200, 406}, statuses
    assert credit_paid(shopper) == D("10.00")
    assert CreditEntry.objects.filter(kind="spent", reversals__isnull=True).count() == 5
    if asked == "all":
        assert statuses.count(200) == 50  # the others simply had no credit left
    else:
        assert statuses.count(200) == 5  # an amount that cannot be had is refused
    account.refresh_from_db()
    assert account.balance == D("0.00")
    assert credit.check_books() == []
    assert not credit.orphan_spends(now=timezone.now() + timedelta(days=1)).exists()


def test_the_same_order_submitted_ten_times_is_placed_once_with_one_debit(shopper):
    account = fund(shopper, "5.00")
    client = api(shopper)
    url = fill_basket(client, product("10.00"))
    results = run_at_once(
        *(lambda: checkout(api(shopper), url, credit="all").status_code for _ in range(10))
    )
    assert all(kind == "ok" for kind, _ in results), results
    statuses = [status for _, status in results]
    assert statuses.count(200) == 1, statuses
    assert set(statuses) <= {200, 401, 406}, statuses  # 401: the basket is frozen by then
    order = Order.objects.get()
    assert order.sources.get().amount_debited == D("5.00")
    assert CreditEntry.objects.filter(kind="spent").count() == 1
    account.refresh_from_db()
    assert account.balance == D("0.00")
    assert credit.check_books() == []
    assert not credit.orphan_spends(now=timezone.now() + timedelta(days=1)).exists()


def test_ten_identical_submits_without_credit_place_one_order(shopper):
    client = api(shopper)
    url = fill_basket(client, product("10.00"))
    results = run_at_once(
        *(lambda: checkout(api(shopper), url, credit="none").status_code for _ in range(10))
    )
    statuses = [status for _, status in results]
    assert statuses.count(200) == 1, statuses
    assert set(statuses) <= {200, 401, 406}, statuses
    assert Order.objects.count() == 1
