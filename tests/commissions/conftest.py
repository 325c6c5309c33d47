import pytest

from .helpers import Book


@pytest.fixture
def book(company):
    return Book(company)


@pytest.fixture
def commission_settings(settings):
    settings.OSCAR_MLM_COMMISSION_MAX_TOTAL_RATE = "40"
    settings.OSCAR_MLM_COMMISSION_LEVELS = 10
    return settings
