from types import SimpleNamespace

import pytest

from oscar_mlm.test.factories import (
    CustomerFactory,
    DistributorFactory,
    UserFactory,
    grant_dashboard_permissions,
)


def _person(factory, parent, first_name, last_name, **kwargs):
    return factory(
        parent=parent,
        user__email=f"{first_name.lower()}@example.com",
        user__first_name=first_name,
        user__last_name=last_name,
        **kwargs,
    )


@pytest.fixture
def network(company):
    """company > anna (distributor) > ben (distributor) > carl (customer);
    anna > dora (customer)."""
    anna = _person(DistributorFactory, company, "Anna", "Schmidt", handle="anna")
    ben = _person(DistributorFactory, anna, "Ben", "Becker", handle="ben-shop")
    carl = _person(CustomerFactory, ben, "Carl", "Clausen")
    dora = _person(CustomerFactory, anna, "Dora", "Decker")
    return SimpleNamespace(company=company, anna=anna, ben=ben, carl=carl, dora=dora)


@pytest.fixture
def staff(db):
    return grant_dashboard_permissions(
        UserFactory(
            is_staff=True, email="stella@example.com", first_name="Stella", last_name="Staff"
        )
    )


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client
