from decimal import Decimal as D

from oscar.apps.offer.applicator import Applicator
from oscar.apps.partner.strategy import Default
from oscar.core.loading import get_model
from oscar.test.factories import create_order, create_product, create_stockrecord

Basket = get_model("basket", "Basket")


def basket_with(user=None, dv=None, price=D("50.00")):
    basket = Basket.objects.create(owner=user if user and user.is_authenticated else None)
    basket.strategy = Default()
    product = create_product()
    create_stockrecord(product, num_in_stock=1000, price=price)
    basket.add_product(product)
    if dv is not None:
        basket.vouchers.add(dv.voucher)
    Applicator().apply(basket, user)
    return basket


def place(basket, user=None, **kwargs):
    return create_order(basket=basket, user=user, **kwargs)
