"""The customer's ledger page (keyset pages, CSV) and the staff pages."""

import csv
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_credit import services
from oscar_mlm.apps.mlm_credit.exceptions import ReasonTooLong, UnknownCurrency
from oscar_mlm.test.factories import UserFactory, grant_dashboard_permissions

from .conftest import place_order, product_with_credit

pytestmark = pytest.mark.django_db

CreditAccount = get_model("mlm_credit", "CreditAccount")
CreditEntry = get_model("mlm_credit", "CreditEntry")
CreditRule = get_model("mlm_credit", "CreditRule")


@pytest.fixture
def staff_client(client):
    staff = grant_dashboard_permissions(UserFactory(is_staff=True))
    client.force_login(staff)
    client.staff = staff
    return client


def test_ledger_shows_every_booking_with_running_balance(client, customer, settings):
    settings.OSCAR_MLM_CREDIT_ENTRIES_PER_PAGE = 3
    order = place_order(customer, (product_with_credit("10.00", value="2.00"), 1))
    order.set_status("Complete")
    account = services.get_account(customer, "EUR")
    for n in range(4):
        services.adjust(
            account=account, amount="1.00", currency="EUR", reason=f"goodwill {n}", created_by=None
        )
    client.force_login(customer)
    page = client.get(reverse("mlm_credit:mlm-credit-ledger"))
    assert page.status_code == 200
    entries = page.context["entries"]
    assert [e.reason for e in entries] == ["goodwill 3", "goodwill 2", "goodwill 1"]
    assert entries[0].balance_after == D("6.00")
    assert page.context["next_before"] == entries[-1].pk
    older = client.get(
        page.context["next_before"]
        and f"{reverse('mlm_credit:mlm-credit-ledger')}?before={entries[-1].pk}"
    )
    kinds = [e.kind for e in older.context["entries"]]
    assert kinds == ["adjusted", "released", "earned"]
    assert older.context["next_before"] is None
    assert str(order.number).encode() in older.content
    assert (
        reverse("customer:order", kwargs={"order_number": order.number}).encode() in older.content
    )


def test_ledger_needs_login_and_shows_only_own_account(client, customer):
    response = client.get(reverse("mlm_credit:mlm-credit-ledger"))
    assert response.status_code == 302
    other = UserFactory()
    services.adjust(
        account=services.open_account(other, "EUR"),
        amount="9.00",
        currency="EUR",
        reason="secret",
        created_by=None,
    )
    client.force_login(customer)
    page = client.get(reverse("mlm_credit:mlm-credit-ledger"))
    assert page.context["account"] is None
    assert b"secret" not in page.content


def test_csv_export_has_every_booking(client, customer):
    account = services.open_account(customer, "EUR")
    for n in range(3):
        services.adjust(
            account=account, amount="1.10", currency="EUR", reason=f"r{n}", created_by=None
        )
    client.force_login(customer)
    response = client.get(reverse("mlm_credit:mlm-credit-export"))
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "Date"
    assert [r[3] for r in rows[1:]] == ["r0", "r1", "r2"]
    assert rows[-1][6] == "3.30"


def test_csv_export_defuses_formulas_and_keeps_numbers(client, customer):
    account = services.open_account(customer, "EUR")
    services.adjust(
        account=account, amount="2.00", currency="EUR", reason="=HYPERLINK(1)", created_by=None
    )
    services.adjust(
        account=account,
        amount="0.50",
        currency="EUR",
        reason="@SUM(A1)",
        created_by=None,
        direction="debit",
    )
    client.force_login(customer)
    response = client.get(reverse("mlm_credit:mlm-credit-export"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r[3] for r in rows[1:]] == ["'=HYPERLINK(1)", "'@SUM(A1)"]
    assert [r[4] for r in rows[1:]] == ["2.00", "-0.50"]  # numbers stay numbers


def test_staff_adjustment_books_with_reason(staff_client, customer):
    url = reverse("mlm_dashboard:mlm-credit-adjust", kwargs={"user_pk": customer.pk})
    response = staff_client.post(
        url, {"direction": "credit", "amount": "12,50", "currency": "EUR", "reason": "Apology"}
    )
    assert response.status_code == 302
    entry = CreditEntry.objects.get()
    assert (entry.amount, entry.reason, entry.created_by) == (
        D("12.50"),
        "Apology",
        staff_client.staff,
    )


@pytest.mark.parametrize(
    "data, message",
    [
        ({"direction": "credit", "amount": "-5", "currency": "EUR", "reason": "x"}, "positive"),
        (
            {"direction": "credit", "amount": "abc", "currency": "EUR", "reason": "x"},
            "valid amount",
        ),
        ({"direction": "credit", "amount": "5", "currency": "EUR", "reason": " "}, "reason"),
        ({"direction": "debit", "amount": "5", "currency": "EUR", "reason": "x"}, "available"),
        (
            {"direction": "credit", "amount": "5", "currency": "1x", "reason": "x"},
            "does not keep credit in 1x; its currencies: EUR.",
        ),
        (
            {"direction": "credit", "amount": "5", "currency": "XYZ", "reason": "x"},
            "does not keep credit in XYZ; its currencies: EUR.",
        ),
        (
            {"direction": "credit", "amount": "5", "currency": "usd", "reason": "x"},
            "does not keep credit in usd; its currencies: EUR.",
        ),
        (
            {"direction": "credit", "amount": "5", "currency": "", "reason": "x"},
            "This field is required.",
        ),
        (
            {"direction": "credit", "amount": "5", "currency": "EUR", "reason": "x" * 501},
            "Please keep the reason to 500 characters (it has 501).",
        ),
        (
            {"direction": "credit", "amount": "5", "currency": "EUR", "reason": "a\x00b"},
            "Null characters are not allowed.",
        ),
    ],
)
def test_bad_staff_adjustments_show_a_message_and_book_nothing(
    staff_client, customer, data, message
):
    url = reverse("mlm_dashboard:mlm-credit-adjust", kwargs={"user_pk": customer.pk})
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CreditEntry.objects.exists()
    # Nor was an account opened: a refused currency never shows up as a tab.
    assert not CreditAccount.objects.exists()


def test_staff_choose_the_currency_from_the_shops_currencies(staff_client, customer, settings):
    settings.OSCAR_MLM_CURRENCIES = ("chf", "EUR")
    url = reverse("mlm_dashboard:mlm-credit-adjust", kwargs={"user_pk": customer.pk})

    page = staff_client.get(url)

    field = page.context["form"]["currency"]
    assert [value for value, _label in field.field.choices] == ["EUR", "CHF"]
    assert field.value() == "EUR"
    response = staff_client.post(
        url, {"direction": "credit", "amount": "5", "currency": "CHF", "reason": "Goodwill"}
    )
    assert response.status_code == 302
    assert CreditAccount.objects.get().currency == "CHF"
    refused = staff_client.post(
        url, {"direction": "credit", "amount": "5", "currency": "USD", "reason": "Goodwill"}
    )
    assert "does not keep credit in USD; its currencies: EUR, CHF." in refused.content.decode()
    assert CreditAccount.objects.count() == 1


def test_the_service_refuses_a_currency_the_shop_does_not_keep(customer, settings):
    settings.OSCAR_MLM_CURRENCIES = ("CHF",)
    account = services.open_account(customer, "XYZ")  # an account from before the check

    with pytest.raises(UnknownCurrency) as info:
        services.adjust(account=account, amount="5", currency="XYZ", reason="x", created_by=None)

    assert str(info.value.message) == (
        "The shop does not keep credit in XYZ; its currencies: EUR, CHF."
    )
    assert not CreditEntry.objects.exists()


def test_the_reason_has_a_length_limit_in_the_service_too(customer, settings):
    settings.OSCAR_MLM_CREDIT_REASON_MAX_LENGTH = 10
    account = services.open_account(customer, "EUR")

    with pytest.raises(ReasonTooLong) as info:
        services.adjust(
            account=account, amount="5", currency="EUR", reason="x" * 11, created_by=None
        )

    assert "10 characters (it has 11)" in str(info.value.message)
    entry = services.adjust(
        account=account, amount="5", currency="EUR", reason=" " + "x" * 10 + " ", created_by=None
    )
    assert entry.reason == "x" * 10


def test_staff_pages_are_for_staff_only(client, customer):
    client.force_login(customer)
    for name, kwargs in [
        ("mlm-credit-account-list", {}),
        ("mlm-credit-rule-list", {}),
        ("mlm-credit-expiry", {}),
        ("mlm-credit-adjust", {"user_pk": customer.pk}),
    ]:
        # Oscar's dashboard permission check: a logged-in user who is not staff gets 403
        response = client.get(reverse(f"mlm_dashboard:{name}", kwargs=kwargs))
        assert response.status_code == 403


def test_staff_sets_credit_per_product_and_per_product_type(staff_client, customer):
    product = product_with_credit("20.00")
    url = reverse(
        "mlm_dashboard:mlm-credit-class-rule", kwargs={"class_pk": product.product_class_id}
    )
    staff_client.post(url, {"type": "fixed", "value": "1.00"})
    url = reverse("mlm_dashboard:mlm-credit-product-rule", kwargs={"product_pk": product.pk})
    page = staff_client.get(url)
    assert "1.00 per unit" in page.content.decode()
    staff_client.post(url, {"type": "percentage", "value": "10"})
    assert services.rule_for(product).describe() == "10.00 % of the price"
    bad = staff_client.post(url, {"type": "percentage", "value": "101"})
    assert "100" in bad.content.decode()
    assert services.rule_for(product).value == D("10.00")
    staff_client.post(url, {"type": "fixed", "value": ""})  # remove: the class rule applies
    assert services.rule_for(product).product_class_id == product.product_class_id
    listing = staff_client.get(reverse("mlm_dashboard:mlm-credit-rule-list"), {"q": product.title})
    assert product.title in listing.content.decode()


def test_staff_account_pages(staff_client, customer):
    account = services.open_account(customer, "EUR")
    services.adjust(account=account, amount="3.00", currency="EUR", reason="hi", created_by=None)
    listing = staff_client.get(
        reverse("mlm_dashboard:mlm-credit-account-list"), {"q": customer.email}
    )
    assert list(listing.context["accounts"]) == [account]
    detail = staff_client.get(
        reverse("mlm_dashboard:mlm-credit-account-detail", kwargs={"pk": account.pk})
    )
    assert [e.reason for e in detail.context["entries"]] == ["hi"]


def test_dashboard_expiry_button_enqueues_the_task(staff_client, customer, settings):
    from datetime import timedelta

    from django.utils import timezone

    from .test_refunds import backdated

    settings.OSCAR_MLM_CREDIT_EXPIRY_MONTHS = 1
    account = services.open_account(customer, "EUR")
    backdated(account, "4.00", timezone.now() - timedelta(days=60))
    response = staff_client.post(reverse("mlm_dashboard:mlm-credit-expiry"), {"confirm": "on"})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.balance == D("4.00")  # queued, not run in the request
    from django_tasks_db.models import DBTaskResult

    from oscar_mlm.apps.mlm_credit.tasks import expire_credit

    queued = DBTaskResult.objects.get()
    assert queued.task_path.endswith("mlm_credit.tasks.expire_credit")
    assert expire_credit.call() == {"bookings": 1, "total": "4.00"}  # what the worker runs
    account.refresh_from_db()
    assert account.balance == D("0.00")


def test_dashboard_menu_lists_the_credit_pages(staff_client):
    response = staff_client.get(reverse("dashboard:index"))
    assert reverse("mlm_dashboard:mlm-credit-account-list").encode() in response.content


def test_oscars_product_dashboard_page_shows_the_credit(staff_client):
    staff_client.staff.is_superuser = True  # Oscar's catalogue dashboard asks for permissions
    staff_client.staff.save()
    product = product_with_credit("20.00")
    url = reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})
    page = staff_client.get(url).content.decode()
    assert 'href="#mlm_credit"' in page
    assert "No credit" in page
    rule_url = reverse("mlm_dashboard:mlm-credit-product-rule", kwargs={"product_pk": product.pk})
    assert rule_url in page

    CreditRule.objects.create(product_class=product.get_product_class(), type="fixed", value=1)
    page = staff_client.get(url).content.decode()
    assert "1.00 per unit" in page and "set on the product type" in page

    CreditRule.objects.create(product=product, type="percentage", value=D("7.5"))
    page = staff_client.get(url).content.decode()
    assert "7.50 % of the price" in page and "set on the product type" not in page
    # Oscar's own tabs are all still there.
    assert 'href="#product_details"' in page and 'href="#seo"' in page


def test_product_create_page_has_no_credit_tab_yet(staff_client):
    staff_client.staff.is_superuser = True
    staff_client.staff.save()
    from oscar.test import factories as oscar_factories

    product_class = oscar_factories.ProductClassFactory()
    url = reverse(
        "dashboard:catalogue-product-create", kwargs={"product_class_slug": product_class.slug}
    )
    page = staff_client.get(url)
    assert page.status_code == 200
    assert 'href="#mlm_credit"' not in page.content.decode()
