"""A small network for the back office: seed 001's shape, with orders placed through Oscar.

    company
    ├── Anna (distributor)              <- the viewer in most tests
    │   ├── Ben (distributor)           first line
    │   │   └── Carla (distributor)     level 2
    │   │       └── Emil (customer)     level 3, Carla's customer
    │   └── Dora (customer)             first line, Anna's own customer
    └── Zoe (distributor)               another leg
        └── Yara (customer)             Zoe's customer
"""

from decimal import Decimal as D

import pytest
from oscar.apps.partner.strategy import Selector
from oscar.core.loading import get_model
from oscar.test import factories as oscar_factories
from oscar.test.basket import add_product

from oscar_mlm.test.factories import CustomerFactory, DistributorFactory

Basket = get_model("basket", "Basket")


def person(factory, parent, first, last, **kwargs):
    return factory(
        parent=parent,
        user__first_name=first,
        user__last_name=last,
        user__email=f"{first.lower()}@example.com",
        **kwargs,
    )


@pytest.fixture
def net(company):
    anna = person(DistributorFactory, company, "Anna", "Berger", handle="anna")
    ben = person(DistributorFactory, anna, "Ben", "Brandt", handle="ben")
    carla = person(DistributorFactory, ben, "Carla", "Conrad", handle="carla")
    emil = person(CustomerFactory, carla, "Emil", "Engel")
    dora = person(CustomerFactory, anna, "Dora", "Decker")
    zoe = person(DistributorFactory, company, "Zoe", "Zander", handle="zoe")
    yara = person(CustomerFactory, zoe, "Yara", "Yilmaz")
    return {
        "company": company,
        "anna": anna,
        "ben": ben,
        "carla": carla,
        "emil": emil,
        "dora": dora,
        "zoe": zoe,
        "yara": yara,
    }


def place_order(user, price="10.00", quantity=1):
    """An order through Oscar's OrderCreator: order_placed records its volume."""
    item = oscar_factories.create_product(price=D(price), num_in_stock=1000)
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy()
    add_product(basket, product=item, quantity=quantity)
    return oscar_factories.create_order(basket=basket, user=user)


@pytest.fixture
def login(client):
    def as_(member_or_user):
        user = getattr(member_or_user, "user", member_or_user)
        client.force_login(user)
        return client

    return as_
