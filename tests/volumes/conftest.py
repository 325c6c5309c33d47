from decimal import Decimal as D

import pytest
from django.urls import reverse
from oscar.apps.partner.strategy import Selector
from oscar.core.loading import get_model
from oscar.test import factories as oscar_factories
from oscar.test.basket import add_product

from oscar_mlm.test.factories import CustomerFactory, DistributorFactory

Basket = get_model("basket", "Basket")
VolumeRecord = get_model("mlm_commissions", "VolumeRecord")

COMPANY_HOST = "localhost:8000"
ANNA_HOST = "anna.localhost:8000"

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
def order_statuses(settings):
    settings.OSCAR_INITIAL_ORDER_STATUS = "Pending"
    settings.OSCAR_INITIAL_LINE_STATUS = "Pending"
    settings.OSCAR_ORDER_STATUS_PIPELINE = PIPELINE
    settings.OSCAR_LINE_STATUS_PIPELINE = LINE_PIPELINE
    settings.OSCAR_ORDER_STATUS_CASCADE = {}
    settings.OSCAR_MLM_CREDIT_CANCELLED_STATUSES = ("Cancelled", "Refunded")
    settings.OSCAR_MLM_CREDIT_REFUNDED_LINE_STATUSES = ("Refunded", "Returned")
    return settings


@pytest.fixture
def anna(company):
    return DistributorFactory(parent=company, handle="anna", user__first_name="Anna")


@pytest.fixture
def ben(anna):
    return DistributorFactory(parent=anna, handle="ben", user__first_name="Ben")


@pytest.fixture
def dora(anna):
    """A customer of Anna."""
    return CustomerFactory(parent=anna, user__first_name="Dora", user__email="dora@example.com")


def product(price="10.00", **kwargs):
    return oscar_factories.create_product(price=D(price), num_in_stock=1000, **kwargs)


def place_order(user, *items, strategy=None, **kwargs):
    """An order through Oscar's OrderCreator (sends order_placed): items are (product, qty)."""
    basket = Basket.objects.create(owner=user)
    basket.strategy = strategy or Selector().strategy()
    for item, quantity in items:
        add_product(basket, product=item, quantity=quantity)
    return oscar_factories.create_order(basket=basket, user=user, **kwargs)


def records(order, kind="sale"):
    return list(VolumeRecord.objects.filter(order=order, kind=kind).order_by("line_id", "pk"))


def record(order):
    (only,) = records(order)
    return only


# -- the web checkout -------------------------------------------------------------------------

ADDRESS = {
    "first_name": "Eva",
    "last_name": "Muster",
    "line1": "Hauptstr. 1",
    "line4": "Berlin",
    "postcode": "10115",
    "country": "DE",
}


@pytest.fixture
def germany(db):
    return oscar_factories.CountryFactory(
        iso_3166_1_a2="DE", printable_name="Germany", is_shipping_country=True
    )


def go_to_preview(client, item, *, host=COMPANY_HOST, quantity=1, guest_email=None, code=None):
    """Basket to preview through Oscar's views on ``host``; a guest gives ``guest_email``."""
    add = client.post(
        reverse("basket:add", kwargs={"pk": item.pk}), {"quantity": quantity}, HTTP_HOST=host
    )
    assert add.status_code == 302
    if code:
        client.post(reverse("basket:vouchers-add"), {"code": code}, HTTP_HOST=host)
    if guest_email:
        gateway = client.post(
            reverse("checkout:index"),
            {"username": guest_email, "options": "anonymous"},
            HTTP_HOST=host,
        )
        assert gateway.status_code == 302, gateway.context["form"].errors
    address = client.post(reverse("checkout:shipping-address"), ADDRESS, HTTP_HOST=host)
    assert address.status_code == 302, address.context["form"].errors
    client.get(reverse("checkout:shipping-method"), follow=True, HTTP_HOST=host)
    return client.get(reverse("checkout:preview"), HTTP_HOST=host)


def place(client, host=COMPANY_HOST):
    response = client.post(reverse("checkout:preview"), {"action": "place_order"}, HTTP_HOST=host)
    assert response.status_code == 302, response.content[:2000]
    assert response["Location"].endswith("/thank-you/"), response["Location"]
    return response
