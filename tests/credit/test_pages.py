"""How the credit pages read: the customer's ledger (heading, breadcrumb, order links, CSV)
and the staff pages (breadcrumbs, who booked, long reasons)."""

import csv
import io
import re
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.urls import reverse
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_credit import services
from oscar_mlm.test.factories import UserFactory, grant_dashboard_permissions

from .conftest import place_order, product_with_credit

pytestmark = pytest.mark.django_db

CreditEntry = get_model("mlm_credit", "CreditEntry")
LEDGER = "mlm_credit:mlm-credit-ledger"


def breadcrumb(html):
    """The breadcrumb's items as text, in order."""
    trail = re.search(r'<ol class="breadcrumb"[^>]*>(.*?)</ol>', html, re.S).group(1)
    items = re.findall(r"<li[^>]*>(.*?)</li>", trail, re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in items]


@pytest.fixture
def staff(db):
    return grant_dashboard_permissions(
        UserFactory(is_staff=True, first_name="Sam", last_name="Staff")
    )


def spend_and_earn(customer, staff):
    """An order paid partly with credit that also earns credit: a spend and an earning."""
    account = services.open_account(customer, "EUR")
    services.adjust(account=account, amount="5.00", currency="EUR", reason="gift", created_by=staff)
    spend = services.spend_for_order(
        user=customer, currency="EUR", order_number="100042", up_to=D("3.00")
    )
    order = place_order(customer, (product_with_credit("10.00", value="1.00"), 1), number="100042")
    return account, spend, order


def test_ledger_has_a_heading_a_full_breadcrumb_and_links_both_bookings_to_the_order(
    client, customer, staff
):
    _account, spend, order = spend_and_earn(customer, staff)
    client.force_login(customer)

    html = client.get(reverse(LEDGER)).content.decode()

    assert breadcrumb(html) == ["Home", "Account", "My credit"]
    assert re.search(r"<h1>\s*My credit\s*</h1>", html)
    assert "<title>" in html and "My credit | Account" in " ".join(html.split())
    order_url = reverse("customer:order", kwargs={"order_number": order.number})
    rows = {
        kind: re.search(rf'class="mlm-credit-entry mlm-credit-{kind}">(.*?)</tr>', html, re.S)
        for kind in ("spent", "earned")
    }
    for kind, row in rows.items():
        assert f'<a href="{order_url}">100042</a>' in row.group(1), kind
    # Internal references never reach the customer.
    assert spend.idempotency_key not in html and "order:100042" not in html


def test_a_spend_without_an_order_shows_its_number_without_a_link(client, customer, staff):
    services.adjust(
        account=services.open_account(customer, "EUR"),
        amount="5.00",
        currency="EUR",
        reason="gift",
        created_by=staff,
    )
    services.spend_for_order(user=customer, currency="EUR", order_number="100077", up_to=D("2"))
    client.force_login(customer)

    html = client.get(reverse(LEDGER)).content.decode()

    row = re.search(r'class="mlm-credit-entry mlm-credit-spent">(.*?)</tr>', html, re.S).group(1)
    assert "100077" in row and "<a " not in row


def test_csv_has_local_times_to_the_second_and_one_name_per_column(
    client, customer, staff, settings
):
    settings.TIME_ZONE = "Europe/Berlin"
    account = services.open_account(customer, "EUR")
    entry = services.adjust(
        account=account, amount="2.50", currency="EUR", reason="=cmd()", created_by=staff
    )
    # 11:30:15.123456 UTC is 12:30:15 in Berlin (winter time).
    moment = datetime(2026, 1, 15, 11, 30, 15, 123456, tzinfo=UTC)
    with connection.cursor() as cursor:  # append-only rows: only a test may do this
        cursor.execute(
            f"UPDATE {CreditEntry._meta.db_table} SET created = %s WHERE id = %s",
            [moment, entry.pk],
        )
    client.force_login(customer)

    response = client.get(reverse("mlm_credit:mlm-credit-export"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header, row = rows
    assert header == [
        "Date",
        "Type",
        "Order",
        "Reason",
        "Amount",
        "Pending amount",
        "Balance",
        "Pending balance",
        "Currency",
    ]
    assert len(set(header)) == len(header)
    assert row[0] == "2026-01-15 12:30:15"
    assert row[3] == "'=cmd()"  # the formula guard of oscar_mlm.exports
    assert row[4:] == ["2.50", "0.00", "2.50", "0.00", "EUR"]


def test_every_credit_dashboard_page_has_a_breadcrumb(client, customer, staff):
    account, _spend, order = spend_and_earn(customer, staff)
    product = order.lines.get().product
    client.force_login(staff)
    name = customer.get_full_name() or customer.email
    pages = {
        reverse("mlm_dashboard:mlm-credit-account-list"): ["Dashboard", "Credit accounts"],
        reverse("mlm_dashboard:mlm-credit-account-detail", kwargs={"pk": account.pk}): [
            "Dashboard",
            "Credit accounts",
            f"{name} (EUR)",
        ],
        reverse("mlm_dashboard:mlm-credit-adjust", kwargs={"user_pk": customer.pk}): [
            "Dashboard",
            "Credit accounts",
            name,
            "Adjust credit",
        ],
        reverse("mlm_dashboard:mlm-credit-rule-list"): ["Dashboard", "Credit per product"],
        reverse("mlm_dashboard:mlm-credit-product-rule", kwargs={"product_pk": product.pk}): [
            "Dashboard",
            "Credit per product",
            product.get_title(),
        ],
        reverse(
            "mlm_dashboard:mlm-credit-class-rule", kwargs={"class_pk": product.product_class_id}
        ): ["Dashboard", "Credit per product", product.product_class.name],
        reverse("mlm_dashboard:mlm-credit-expiry"): ["Dashboard", "Credit expiry"],
        reverse("mlm_dashboard:mlm-credit-orphans"): ["Dashboard", "Spends without an order"],
    }
    for url, expected in pages.items():
        html = client.get(url).content.decode()
        assert breadcrumb(html) == expected, url
        # Every item but the last links somewhere.
        trail = re.search(r'<ol class="breadcrumb"[^>]*>(.*?)</ol>', html, re.S).group(1)
        assert trail.count("<a ") == len(expected) - 1, url


def test_staff_see_who_made_each_adjustment_and_long_reasons_wrap(client, customer, staff):
    other = UserFactory(is_staff=True, first_name="", last_name="", email="kim@example.com")
    account = services.open_account(customer, "EUR")
    services.adjust(
        account=account, amount="1.00", currency="EUR", reason="By Sam", created_by=staff
    )
    services.adjust(
        account=account, amount="1.00", currency="EUR", reason="x" * 500, created_by=other
    )
    services.adjust(
        account=account, amount="1.00", currency="EUR", reason="Imported", created_by=None
    )
    client.force_login(staff)

    html = client.get(
        reverse("mlm_dashboard:mlm-credit-account-detail", kwargs={"pk": account.pk})
    ).content.decode()

    booked_by = re.findall(r'<td class="text-break mlm-credit-booked-by">(.*?)</td>', html)
    assert booked_by == ["the system", "kim@example.com", "Sam Staff"]
    assert html.count('class="text-break mlm-credit-reason"') == 3
    # The customer's own ledger names no staff member.
    client.force_login(customer)
    own = client.get(reverse(LEDGER)).content.decode()
    assert "Sam Staff" not in own and "kim@example.com" not in own
    assert own.count('class="text-break mlm-credit-reason"') == 3
