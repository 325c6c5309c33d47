"""The programme report: per month earned, released, spent, returned, reversed, expired,
adjusted, and what the company owes at each month's end; the dashboard page and its CSV."""

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from oscar_mlm.apps.mlm_credit import services
from oscar_mlm.apps.mlm_credit.services import ledger
from oscar_mlm.test.factories import UserFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1  # a whole past year: every month is in the report


def at(month, day=15):
    return timezone.make_aware(datetime(YEAR, month, day, 12, 0))


def book(account, n, when, kind, amount="0", pending="0"):
    with transaction.atomic():
        ledger.book(
            ledger.lock(account),
            kind=kind,
            key=f"test:{account.pk}:{n}",
            amount=D(amount),
            pending=D(pending),
            created=when,
        )


@pytest.fixture
def books():
    """Two customers' bookings over a year, in EUR, and one in CHF that must not count."""
    a = services.open_account(UserFactory(), "EUR")
    b = services.open_account(UserFactory(), "EUR")
    book(a, 1, at(1), "adjusted", amount="10.00")
    book(a, 2, at(2), "earned", pending="3.00")
    book(b, 3, at(2), "earned", pending="2.00")
    book(a, 4, at(3), "released", amount="3.00", pending="-3.00")
    book(b, 5, at(3), "reversed", pending="-2.00")
    book(a, 6, at(4), "spent", amount="-5.00")
    book(a, 7, at(4), "returned", amount="1.00")
    book(a, 8, at(6, 30), "expired", amount="-4.00")
    book(a, 9, at(12, 31), "adjusted", amount="-1.00")
    chf = services.open_account(UserFactory(), "CHF")
    book(chf, 10, at(2), "adjusted", amount="99.00")
    # Later bookings (this year) must not change last year's month-end figures.
    book(b, 11, timezone.now(), "adjusted", amount="7.00")
    return a, b


def months():
    return [date(YEAR, m, 1) for m in range(1, 13)]


def test_the_months_figures_and_the_liability_at_each_months_end(books):
    rows = services.programme_report(currency="EUR", months=months())
    by_month = {row.month.month: row for row in rows}
    assert len(rows) == 12
    assert by_month[1].adjusted == D("10.00") and by_month[1].liability == D("10.00")
    assert (by_month[2].earned, by_month[2].pending, by_month[2].liability) == (
        D("5.00"),
        D("5.00"),
        D("10.00"),
    )
    assert (by_month[3].released, by_month[3].reversed) == (D("3.00"), D("2.00"))
    assert (by_month[3].liability, by_month[3].pending) == (D("13.00"), D("0.00"))
    assert (by_month[4].spent, by_month[4].returned, by_month[4].liability) == (
        D("5.00"),
        D("1.00"),
        D("9.00"),
    )
    assert by_month[5].liability == D("9.00")  # a month without bookings
    assert (by_month[6].expired, by_month[6].liability) == (D("4.00"), D("5.00"))
    assert (by_month[12].adjusted, by_month[12].liability) == (D("-1.00"), D("4.00"))
    # The same as summing the whole ledger at every month's end.
    naive = services.programme_report_naive(currency="EUR", months=months())
    assert [vars(r) for r in rows] == [vars(r) for r in naive]


def report_staff():
    """Staff holding the report's permission (the network dashboard section's mechanism)."""
    from django.contrib.auth.models import Permission

    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="mlm_credit", codename="view_creditentry")
    )
    return user


def test_the_dashboard_page_and_its_csv(client, books):
    client.force_login(report_staff())
    url = reverse("mlm_dashboard:mlm-credit-report")
    page = client.get(url, {"year": YEAR})
    assert page.status_code == 200
    content = " ".join(page.content.decode().split())
    assert "Programme report" in content and "Owed at month end" in content
    assert "€13.00" in content

    csv = client.get(url, {"year": YEAR, "currency": "EUR", "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    lines = b"".join(csv.streaming_content).decode().splitlines()
    assert lines[0].startswith("Month,Earned (pending),Released,Spent")
    assert lines[4] == f"{YEAR}-04,0.00,0.00,5.00,1.00,0.00,0.00,0.00,9.00,0.00,EUR"
    assert len(lines) == 13


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": "²"}, "Please choose a year between 2000"),
        ({"year": "1999"}, "Please choose a year between 2000"),
        ({"year": "99999999999999999999"}, "Please choose a year between 2000"),
        ({"year": "20\x0026"}, "Please choose a year between 2000"),
        ({"currency": "XYZ"}, "The shop does not keep credit in XYZ"),
        ({"currency": "E\x00R"}, "is not a currency"),
    ],
)
def test_bad_input_gets_a_message(client, books, query, message):
    client.force_login(report_staff())
    response = client.get(reverse("mlm_dashboard:mlm-credit-report"), query, follow=True)
    assert response.status_code == 200
    assert message in " ".join(response.content.decode().split())


def test_only_staff_with_the_permission(client):
    url = reverse("mlm_dashboard:mlm-credit-report")
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/dashboard/login/")
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code == 403
