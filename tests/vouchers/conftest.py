from decimal import Decimal as D

import pytest

from oscar_mlm.apps.mlm_vouchers import services
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory


@pytest.fixture
def program(db):
    return services.create_program(name="New customers 10%", value=D("10.00"))


@pytest.fixture
def anna(company):
    return DistributorFactory(parent=company, handle="anna", user__first_name="Anna")


@pytest.fixture
def ben(company):
    return DistributorFactory(parent=company, handle="ben", user__first_name="Ben")


@pytest.fixture
def code(anna, program):
    return services.issue_voucher(member=anna)


@pytest.fixture
def newbie(ben):
    """A customer who signed up under Ben and has never ordered."""
    return CustomerFactory(parent=ben, user__first_name="Nina", user__email="nina@example.com")
