"""Credit note numbers under concurrent issue, on PostgreSQL."""

import datetime as dt

import pytest
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_commissions import services
from oscar_mlm.apps.mlm_network import services as network
from tests.commissions.helpers import Book
from tests.network.test_concurrency import run_at_once

from .conftest import TAX
from .helpers import clear_commissions

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CreditNote = get_model("mlm_commissions", "CreditNote")


@pytest.fixture
def closed_month(settings):
    settings.OSCAR_MLM_COMMISSION_MAX_TOTAL_RATE = "40"
    book = Book(network.ensure_company())
    names = [f"D{i}" for i in range(6)]
    for i, name in enumerate(names):
        book.distributor(name)
        book.sale(100 + i, "100.00", buyer=name, day="2025-10-10")
    services.create_plan(valid_from=dt.date(2025, 10, 1), levels=1, rates=["10"],
                         own_volume_rate="5")
    period = services.month_period("2025-10")
    services.run_period(period)
    services.close_period(period)
    book.names = names
    yield book
    clear_commissions()


def test_simultaneous_tax_details_get_distinct_numbers_without_gaps(closed_month):
    book = closed_month
    results = run_at_once(*[
        (lambda name=name: services.save_tax_profile(book[name], **TAX)) for name in book.names
    ])
    assert [kind for kind, _value in results] == ["ok"] * len(book.names)
    notes = list(CreditNote.objects.order_by("sequence"))
    assert [n.sequence for n in notes] == list(range(1, len(book.names) + 1))
    assert sorted(n.member_id for n in notes) == sorted(book[n].pk for n in book.names)
    assert {n.number for n in notes} == {f"GS-{i:06d}" for i in range(1, 7)}
