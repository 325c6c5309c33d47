import base64
import datetime as dt

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from oscar_mlm.apps.mlm_commissions import services as commissions
from oscar_mlm.apps.mlm_network import services
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory, UserFactory
from tests.commissions.helpers import Book

PASSWORD = "secret-pass-123"  # oscar_mlm.test.factories.UserFactory's


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters live in the cache, which outlives each test's database."""
    cache.clear()
    yield
    cache.clear()


def basic(user):
    token = base64.b64encode(f"{user.email}:{PASSWORD}".encode()).decode()
    return f"Basic {token}"


def api(user=None):
    """An API client that logs in with HTTP Basic, as the curl examples do."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=basic(user))
    return client


class Network:
    """company ─ anna ─ ben ─ carla ─ emil (customer)
                 │     └ dora (customer of anna? no: of ben)
                 └ dora (customer of anna)
       company ─ otto (another distributor, not in anna's downline)"""


@pytest.fixture
def network(company):
    net = Network()
    net.company = company
    net.anna = DistributorFactory(parent=company, handle="anna")
    net.ben = DistributorFactory(parent=net.anna, handle="ben")
    net.carla = DistributorFactory(parent=net.ben, handle="carla")
    net.dora = CustomerFactory(parent=net.anna)
    net.emil = CustomerFactory(parent=net.carla)
    net.otto = DistributorFactory(parent=company, handle="otto")
    net.staff = UserFactory(is_staff=True)
    return net


@pytest.fixture
def as_(network):
    """``as_("anna")`` → an API client logged in as Anna (``as_(None)``: anonymous)."""

    def client(name):
        if name is None:
            return api()
        if name == "staff":
            return api(network.staff)
        return api(getattr(network, name).user)

    return client


@pytest.fixture
def run_book(company, network):
    """A plan from October 2025; Dora buys 100.00 from Anna, Ben 40.00 (Anna's level 1)."""
    commissions.create_plan(valid_from=dt.date(2025, 10, 1), levels=2, rates=["10", "5"],
                            own_volume_rate="5", minimum_own_volume="0")
    book = Book(company)
    book.members.update(anna=network.anna, ben=network.ben, dora=network.dora)
    book.sale(1, "100.00", buyer="dora", day="2025-10-05")
    book.sale(2, "40.00", buyer="ben", day="2025-10-06")
    return book


__all__ = ["api", "basic", "services"]
