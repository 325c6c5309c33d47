import base64

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from oscar_mlm.apps.mlm_network import services
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory, UserFactory

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


__all__ = ["api", "basic", "services"]
