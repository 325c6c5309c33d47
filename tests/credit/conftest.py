from decimal import Decimal as D

import pytest
from oscar.apps.partner.strategy import Selector
from oscar.core.loading import get_model
from oscar.test import factories as oscar_factories
from oscar.test.basket import add_product

from oscar_mlm.test.factories import UserFactory

CreditRule = get_model("mlm_credit", "CreditRule")
Basket = get_model("basket", "Basket")

PIPELINE = {
    "Pending": ("Being processed", "Complete", "Cancelled"),
    "Being processed": ("Complete", "Cancelled"),
    "Complete": ("Refunded",),
    "Cancelled": (),
    "Refunded": (),
}
LINE_PIPELINE = {
    "Pending": ("Shipped", "Cancelled", "Refunded"),
    "Shipped": ("Returned", "Refunded"),
    "Cancelled": (),
    "Returned": (),
    "Refunded": (),
}


@pytest.fixture(autouse=True)
def credit_settings(settings):
    settings.OSCAR_INITIAL_ORDER_STATUS = "Pending"
    settings.OSCAR_INITIAL_LINE_STATUS = "Pending"
    settings.OSCAR_ORDER_STATUS_PIPELINE = PIPELINE
    settings.OSCAR_LINE_STATUS_PIPELINE = LINE_PIPELINE
    settings.OSCAR_ORDER_STATUS_CASCADE = {}
    settings.OSCAR_MLM_CREDIT_AVAILABLE_STATUS = "Complete"
    settings.OSCAR_MLM_CREDIT_EXPIRY_MONTHS = None
    settings.OSCAR_MLM_CREDIT_AUTO_APPLY = True
    return settings


@pytest.fixture
def customer(db):
    return UserFactory()


def product_with_credit(price, *, value=None, type="fixed", on="product", product_class=None):
    extra = {"product_class": product_class} if product_class else {}
    product = oscar_factories.create_product(price=D(price), num_in_stock=1000, **extra)
    if value is not None:
        if on == "product":
            CreditRule.objects.create(product=product, type=type, value=D(value))
        else:
            CreditRule.objects.create(
                product_class=product.get_product_class(), type=type, value=D(value)
            )
    return product


def place_order(user, *items, number=None, status=None):
    """An order through Oscar's OrderCreator (sends order_placed): items are (product, qty)."""
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy()
    for product, quantity in items:
        add_product(basket, product=product, quantity=quantity)
    kwargs = {"status": status} if status else {}
    return oscar_factories.create_order(number=number, basket=basket, user=user, **kwargs)
