"""Spends whose order never came into being (the process died in between) are given back."""

from datetime import timedelta
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_credit import services
from oscar_mlm.test.factories import UserFactory, grant_dashboard_permissions

from .conftest import place_order, product_with_credit

pytestmark = pytest.mark.django_db

CreditEntry = get_model("mlm_credit", "CreditEntry")
LATER = timedelta(hours=2)


@pytest.fixture
def account(customer):
    account = services.open_account(customer, "EUR")
    services.adjust(account=account, amount="10.00", currency="EUR", reason="x", created_by=None)
    return account


def test_a_spend_without_order_is_an_orphan_only_after_the_grace_period(customer, account):
    spend = services.spend_for_order(
        user=customer, currency="EUR", order_number="GONE-1", up_to=D("4.00")
    )
    assert not services.orphan_spends().exists()  # may still be in flight
    assert list(services.orphan_spends(now=timezone.now() + LATER)) == [spend]
    # A spend whose order exists is no orphan.
    order = place_order(customer, (product_with_credit("5.00"), 1))
    services.spend_for_order(
        user=customer, currency="EUR", order_number=order.number, up_to=D("1.00")
    )
    assert list(services.orphan_spends(now=timezone.now() + LATER)) == [spend]


def test_returning_orphans_gives_the_credit_back_once(customer, account):
    services.spend_for_order(user=customer, currency="EUR", order_number="GONE-2", up_to=D("4.00"))
    later = timezone.now() + LATER
    assert services.return_orphan_spends(now=later) == (1, D("4.00"))
    assert services.return_orphan_spends(now=later) == (0, D("0.00"))
    account.refresh_from_db()
    assert account.balance == D("10.00")
    returned = CreditEntry.objects.get(kind="returned")
    assert returned.reason == "Order was never placed" and returned.order_number == "GONE-2"
    assert services.check_books() == []


def test_the_lookback_window_limits_the_scan(customer, account):
    services.spend_for_order(user=customer, currency="EUR", order_number="OLD-1", up_to=D("1.00"))
    ten_days_later = timezone.now() + timedelta(days=10)
    assert not services.orphan_spends(now=ten_days_later).exists()  # default: 7 days back
    assert services.orphan_spends(now=ten_days_later, lookback_days=0).count() == 1


def backdate(order_number, by=LATER):
    """Age a spend past the grace period (entries are append-only: only a test may do this)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {CreditEntry._meta.db_table} SET created = %s WHERE order_number = %s",
            [timezone.now() - by, order_number],
        )


def test_command_returns_orphans_and_refuses_bad_input(customer, account):
    services.spend_for_order(user=customer, currency="EUR", order_number="GONE-3", up_to=D("3.00"))
    backdate("GONE-3")
    out = StringIO()
    call_command("mlm_credit_return_orphans", "--dry-run", stdout=out)
    assert "order:GONE-3:spend: 3.00 EUR" in out.getvalue()
    account.refresh_from_db()
    assert account.balance == D("7.00")  # a dry run books nothing
    with pytest.raises(CommandError, match="--days"):
        call_command("mlm_credit_return_orphans", "--days", "-1")
    account.refresh_from_db()
    assert account.balance == D("7.00")
    out = StringIO()
    call_command("mlm_credit_return_orphans", "--no-progress", stdout=out, stderr=StringIO())
    assert "1 orphan spends returned, 3.00 in total." in out.getvalue()
    account.refresh_from_db()
    assert account.balance == D("10.00")


def test_check_command_lists_orphans_and_returns_them_on_request(customer, account):
    services.spend_for_order(user=customer, currency="EUR", order_number="OLD-9", up_to=D("2.00"))
    backdate("OLD-9", by=timedelta(days=30))  # older than the look-back: the check sees it
    err = StringIO()
    call_command("mlm_credit_check", stdout=StringIO(), stderr=err)
    assert "order:OLD-9:spend has no order" in err.getvalue()
    account.refresh_from_db()
    assert account.balance == D("8.00")
    out = StringIO()
    call_command("mlm_credit_check", "--reverse-orphans", stdout=out, stderr=StringIO())
    assert "1 orphan spends returned, 2.00 in total." in out.getvalue()
    assert "The books balance." in out.getvalue()
    account.refresh_from_db()
    assert account.balance == D("10.00")


def test_system_check_refuses_a_grace_period_shorter_than_a_checkout(settings):
    from oscar_mlm.apps.mlm_credit.checks import check_settings

    assert check_settings(None) == []
    settings.OSCAR_MLM_CREDIT_ORPHAN_MINUTES = 0
    settings.OSCAR_MLM_CREDIT_ORPHAN_LOOKBACK_DAYS = -1
    assert [e.id for e in check_settings(None)] == ["oscar_mlm.E101", "oscar_mlm.E102"]


def test_dashboard_lists_orphans_and_the_button_enqueues_the_task(client, customer, account):
    from django_tasks_db.models import DBTaskResult

    from oscar_mlm.apps.mlm_credit.tasks import return_orphan_spends

    staff = grant_dashboard_permissions(UserFactory(is_staff=True))
    client.force_login(staff)
    url = reverse("mlm_dashboard:mlm-credit-orphans")
    assert b"mlm-credit-no-orphans" in client.get(url).content
    services.spend_for_order(user=customer, currency="EUR", order_number="GONE-4", up_to=D("2.00"))
    backdate("GONE-4")
    page = client.get(url)
    assert (
        b"GONE-4" in page.content
        and "€2.00".encode() in page.content
        and b"-2.00" not in page.content
    )
    assert client.post(url, {}).status_code == 200  # not confirmed: nothing queued
    assert not DBTaskResult.objects.exists()
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.balance == D("8.00")  # queued, not run in the request
    assert DBTaskResult.objects.get().task_path.endswith("mlm_credit.tasks.return_orphan_spends")
    assert return_orphan_spends.call() == {"returned": 1, "total": "2.00"}
    account.refresh_from_db()
    assert account.balance == D("10.00")
