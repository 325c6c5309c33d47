"""The worked example of COMMISSIONS.md as pages: October closed, November run.

D1 ends November at -4.00 (the correction of order 1002), B2 earns in both
months, E1 and D1 are distributors with statements in both periods.
"""

import datetime as dt

import pytest
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_commissions import services
from oscar_mlm.test.factories import UserFactory
from tests.commissions.helpers import Book
from tests.commissions.test_worked_example import PLAN, build_network, november, october

Permission = get_model("auth", "Permission")

TAX = {
    "tax_status": "small_business",
    "name": "Dieter Eins",
    "street": "Hauptstraße 1",
    "postcode": "10115",
    "city": "Berlin",
    "country": "DE",
    "tax_number": "21/815/08150",
    "vat_id": "",
}


@pytest.fixture
def company_settings(settings):
    settings.OSCAR_MLM_COMMISSION_MAX_TOTAL_RATE = "40"
    settings.OSCAR_MLM_COMMISSION_LEVELS = 10
    settings.OSCAR_MLM_COMPANY_LEGAL_NAME = "Muster Vertrieb GmbH"
    settings.OSCAR_MLM_COMPANY_ADDRESS = ["Musterweg 5", "80331 München", "Deutschland"]
    settings.OSCAR_MLM_COMPANY_VAT_ID = "DE999999999"
    settings.OSCAR_MLM_COMPANY_TAX_NUMBER = "143/123/45678"
    return settings


@pytest.fixture
def world(company, company_settings):
    book = Book(company)
    build_network(book)
    october(book)
    services.create_plan(valid_from=dt.date(2025, 10, 1), **PLAN)
    book.october = services.month_period("2025-10")
    services.run_period(book.october)
    services.close_period(book.october)
    november(book)
    book.november = services.month_period("2025-11")
    services.run_period(book.november)
    return book


def login(client, member):
    client.force_login(member.user)
    return client


@pytest.fixture
def staff_user(db):
    """Staff with the commission permissions (view, change, add)."""
    user = UserFactory(is_staff=True, email="stella@example.com")
    user.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="mlm_commissions",
        codename__in=["view_commissionperiod", "change_commissionperiod",
                      "add_commissionperiod", "add_commissionplan"],
    ))
    return user


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def plain_staff_client(client, db):
    """Staff without the commission permissions."""
    client.force_login(UserFactory(is_staff=True, email="sam@example.com"))
    return client
