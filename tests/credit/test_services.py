"""Rules of the credit books (F4), one test per rule, and bad input with nothing booked."""

from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import Sum
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_credit import services
from oscar_mlm.apps.mlm_credit.exceptions import (
    CurrencyMismatch,
    InsufficientCredit,
    InvalidAmount,
    ReasonRequired,
)
from oscar_mlm.money import quantize
from oscar_mlm.test.factories import UserFactory

from .conftest import place_order, product_with_credit

pytestmark = pytest.mark.django_db

CreditAccount = get_model("mlm_credit", "CreditAccount")
CreditEntry = get_model("mlm_credit", "CreditEntry")


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True)


def funded(user, amount="10.00", staff=None):
    account = services.open_account(user, "EUR")
    services.adjust(
        account=account, amount=amount, currency="EUR", reason="welcome", created_by=staff
    )
    account.refresh_from_db()
    return account


def assert_books_balance():
    assert services.check_books() == []
    for account in CreditAccount.objects.all():
        sums = account.entries.aggregate(a=Sum("amount"), p=Sum("pending_amount"))
        assert account.balance == quantize(sums["a"] or 0)
        assert account.pending == quantize(sums["p"] or 0)
        assert account.balance >= 0 and account.pending >= 0


# -- the books ---------------------------------------------------------------------------------


def test_balance_is_the_sum_of_bookings_with_running_balance(customer, staff):
    account = funded(customer, "10.00", staff)
    services.spend_for_order(user=customer, currency="EUR", order_number="1001", up_to=D("3.50"))
    services.adjust(
        account=account, amount="1.25", currency="EUR", reason="goodwill", created_by=staff
    )
    account.refresh_from_db()
    assert account.balance == D("7.75")
    assert [e.balance_after for e in account.entries.order_by("id")] == [
        D("10.00"),
        D("6.50"),
        D("7.75"),
    ]
    assert_books_balance()
    call_command("mlm_credit_check")


def test_check_command_fails_when_the_cache_is_wrong(customer, staff):
    account = funded(customer, "10.00", staff)
    CreditAccount.objects.filter(pk=account.pk).update(balance=D("11.00"))
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("mlm_credit_check")


def test_entries_are_append_only(customer, staff):
    funded(customer, "10.00", staff)
    entry = CreditEntry.objects.get()
    entry.amount = D("99.00")
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        CreditEntry.objects.filter(pk=entry.pk).update(amount=D("1.00"))
    with pytest.raises(TypeError):
        CreditEntry.objects.all().delete()
    assert CreditEntry.objects.get().amount == D("10.00")


def test_the_database_refuses_a_negative_balance(customer, staff):
    account = funded(customer, "1.00", staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditAccount.objects.filter(pk=account.pk).update(balance=D("-0.01"))


def test_one_account_per_user_and_currency(customer):
    a = services.open_account(customer, "eur")
    assert services.open_account(customer, "EUR") == a
    assert a.currency == "EUR"
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditAccount.objects.create(user=customer, currency="EUR")
    assert services.open_account(customer, "USD") != a


def test_same_idempotency_key_books_once(customer, staff):
    account = funded(customer, "10.00", staff)
    first = services.adjust(
        account=account, amount="2.00", currency="EUR", reason="x", created_by=staff, key="k1"
    )
    again = services.adjust(
        account=account, amount="2.00", currency="EUR", reason="x", created_by=staff, key="k1"
    )
    assert again.pk == first.pk
    account.refresh_from_db()
    assert account.balance == D("12.00")
    assert_books_balance()


def test_a_spend_is_idempotent_per_order(customer, staff):
    funded(customer, "10.00", staff)
    a = services.spend_for_order(user=customer, currency="EUR", order_number="N1", up_to=D("4.00"))
    b = services.spend_for_order(user=customer, currency="EUR", order_number="N1", up_to=D("4.00"))
    assert a.pk == b.pk and a.idempotency_key == "order:N1:spend"
    assert b.was_created is False
    assert services.available_credit(customer, "EUR") == D("6.00")


def test_retry_after_compensation_books_a_new_spend(customer, staff):
    funded(customer, "10.00", staff)
    first = services.spend_for_order(
        user=customer, currency="EUR", order_number="N2", up_to=D("4.00")
    )
    reversal = services.reverse_entry(first, reason="order failed")
    assert reversal.kind == CreditEntry.RETURNED and reversal.reverses == first
    assert services.reverse_entry(first).pk == reversal.pk  # at most once
    second = services.spend_for_order(
        user=customer, currency="EUR", order_number="N2", up_to=D("4.00")
    )
    assert second.pk != first.pk and second.idempotency_key == "order:N2:spend:2"
    assert services.available_credit(customer, "EUR") == D("6.00")
    assert_books_balance()


def test_spend_for_order_spends_what_is_there_up_to_the_total(customer, staff):
    assert (
        services.spend_for_order(user=customer, currency="EUR", order_number="S0", up_to=D("5.00"))
        is None
    )  # no account: nothing to spend, no error
    funded(customer, "10.00", staff)
    part = services.spend_for_order(
        user=customer, currency="EUR", order_number="S1", up_to=D("3.455")
    )
    assert part.amount == D("-3.46") and part.was_created  # the total, rounded to the cent
    rest = services.spend_for_order(
        user=customer, currency="EUR", order_number="S2", up_to=D("100.00")
    )
    assert rest.amount == D("-6.54")  # all that was left
    assert (
        services.spend_for_order(user=customer, currency="EUR", order_number="S3", up_to=D("1.00"))
        is None
    )  # the account is empty
    again = services.spend_for_order(
        user=customer, currency="EUR", order_number="S2", up_to=D("100.00")
    )
    assert again.pk == rest.pk and again.was_created is False  # a duplicate submit
    assert services.available_credit(customer, "EUR") == D("0.00")
    assert (
        services.spend_for_order(user=customer, currency="USD", order_number="S4", up_to=D("1.00"))
        is None
    )  # no credit in that currency
    assert_books_balance()


def test_quantize_rounds_half_up():
    assert quantize(D("2.345")) == D("2.35")
    assert quantize(D("2.344")) == D("2.34")
    assert quantize(D("0.005")) == D("0.01")


# -- bad input: a clear message, nothing booked ---------------------------------------------


def nothing_booked(account, balance):
    account.refresh_from_db()
    assert account.balance == D(balance)
    assert_books_balance()


@pytest.mark.parametrize(
    "amount", ["-5", "-0.01", "abc", "", "1.234", "NaN", "Infinity", "1e3x", None, 1.5, "0"]
)
def test_bad_adjustment_amounts_are_refused(customer, staff, amount):
    account = funded(customer, "10.00", staff)
    count = CreditEntry.objects.count()
    with pytest.raises(InvalidAmount) as info:
        services.adjust(
            account=account, amount=amount, currency="EUR", reason="r", created_by=staff
        )
    assert str(info.value.message)
    assert CreditEntry.objects.count() == count
    nothing_booked(account, "10.00")


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_adjustment_needs_a_reason(customer, staff, reason):
    account = funded(customer, "10.00", staff)
    with pytest.raises(ReasonRequired) as info:
        services.adjust(
            account=account, amount="1", currency="EUR", reason=reason, created_by=staff
        )
    assert "reason" in str(info.value.message)
    nothing_booked(account, "10.00")


def test_deducting_more_than_the_balance_is_refused(customer, staff):
    account = funded(customer, "10.00", staff)
    with pytest.raises(InsufficientCredit) as info:
        services.adjust(
            account=account,
            amount="10.01",
            currency="EUR",
            reason="r",
            created_by=staff,
            direction="debit",
        )
    assert "10.00" in str(info.value.message)
    nothing_booked(account, "10.00")


def test_a_spend_never_takes_more_than_the_balance(customer, staff):
    account = funded(customer, "10.00", staff)
    spend = services.spend_for_order(
        user=customer, currency="EUR", order_number="X1", up_to=D("10.01")
    )
    assert spend.amount == D("-10.00")
    nothing_booked(account, "0.00")


@pytest.mark.parametrize("up_to", [D("0"), D("-1.00")])
def test_a_spend_of_nothing_books_nothing(customer, staff, up_to):
    account = funded(customer, "10.00", staff)
    assert (
        services.spend_for_order(user=customer, currency="EUR", order_number="X0", up_to=up_to)
        is None
    )
    nothing_booked(account, "10.00")


def test_spending_without_an_account_books_nothing(customer):
    assert (
        services.spend_for_order(user=customer, currency="EUR", order_number="X", up_to=D("1"))
        is None
    )
    assert not CreditEntry.objects.exists()
    assert services.get_account(customer, "EUR") is None  # no account opened by a spend


def test_spending_in_a_bad_currency_is_a_clear_error(customer, staff):
    account = funded(customer, "10.00", staff)
    with pytest.raises(CurrencyMismatch) as info:
        services.spend_for_order(user=customer, currency="E1", order_number="U0", up_to=D("1"))
    assert "E1" in str(info.value.message)
    nothing_booked(account, "10.00")


def test_currency_mismatch_is_a_clear_error(customer, staff):
    account = funded(customer, "10.00", staff)
    with pytest.raises(CurrencyMismatch) as info:
        services.adjust(
            account=account, amount="1.00", currency="USD", reason="r", created_by=staff
        )
    assert "EUR" in str(info.value.message) and "USD" in str(info.value.message)
    # Credit in EUR does not pay for an order in USD: there is nothing to spend.
    assert (
        services.spend_for_order(user=customer, currency="USD", order_number="U1", up_to=D("1"))
        is None
    )
    with pytest.raises(CurrencyMismatch):
        services.adjust(account=account, amount="1.00", currency="E1", reason="r", created_by=staff)
    nothing_booked(account, "10.00")


# -- earning rules ---------------------------------------------------------------------------


def test_no_credit_without_a_rule(customer):
    order = place_order(customer, (product_with_credit("10.00"), 1))
    assert not CreditEntry.objects.filter(order_number=order.number).exists()


def test_fixed_credit_per_unit(customer):
    order = place_order(customer, (product_with_credit("10.00", value="1.50"), 3))
    account = services.get_account(customer, order.currency)
    assert (account.balance, account.pending) == (D("0.00"), D("4.50"))


def test_percentage_of_the_line_price_rounded_half_up(customer):
    # 3 x 3.35 = 10.05; 5 % = 0.5025 -> 0.50; 2 x 0.45 = 0.90; 5 % = 0.045 -> 0.05
    a = product_with_credit("3.35", value="5", type="percentage")
    b = product_with_credit("0.45", value="5", type="percentage")
    order = place_order(customer, (a, 3), (b, 2))
    account = services.get_account(customer, order.currency)
    assert account.pending == D("0.55")


def test_product_rule_beats_class_rule(customer):
    from oscar.core.loading import get_model as gm

    CreditRule = gm("mlm_credit", "CreditRule")
    product = product_with_credit("10.00", value="1.00", on="class")
    other = product_with_credit("10.00", product_class=product.get_product_class())
    CreditRule.objects.create(product=product, type="fixed", value=D("2.00"))
    assert services.rule_for(product).value == D("2.00")
    assert services.rule_for(other).value == D("1.00")
    order = place_order(customer, (product, 1), (other, 1))
    assert services.get_account(customer, order.currency).pending == D("3.00")


def test_earning_is_idempotent(customer):
    order = place_order(customer, (product_with_credit("10.00", value="1.00"), 2))
    services.earn_for_order(order)
    services.earn_for_order(order)
    assert services.get_account(customer, order.currency).pending == D("2.00")
    assert_books_balance()


def test_anonymous_orders_earn_nothing(db):
    from django.contrib.auth.models import AnonymousUser

    product = product_with_credit("10.00", value="1.00")
    order = place_order(None, (product, 1))
    assert order.user is None
    assert AnonymousUser().is_authenticated is False
    assert not CreditEntry.objects.exists()


def test_credit_is_pending_until_the_available_status(customer):
    order = place_order(customer, (product_with_credit("10.00", value="1.00"), 2))
    account = services.get_account(customer, order.currency)
    # Pending credit cannot be spent.
    assert (
        services.spend_for_order(user=customer, currency="EUR", order_number="Z", up_to=D("1"))
        is None
    )
    order.set_status("Being processed")
    account.refresh_from_db()
    assert (account.balance, account.pending) == (D("0.00"), D("2.00"))
    order.set_status("Complete")
    account.refresh_from_db()
    assert (account.balance, account.pending) == (D("2.00"), D("0.00"))
    services.release_for_order(order)  # idempotent
    account.refresh_from_db()
    assert account.balance == D("2.00")
    assert_books_balance()


def test_order_created_at_the_available_status_is_available_at_once(customer, settings):
    settings.OSCAR_MLM_CREDIT_AVAILABLE_STATUS = ("Complete", "Pending")
    order = place_order(customer, (product_with_credit("10.00", value="1.00"), 1))
    account = services.get_account(customer, order.currency)
    assert (account.balance, account.pending) == (D("1.00"), D("0.00"))


# -- layout ----------------------------------------------------------------------------------


def test_every_service_is_on_the_package_and_loadable_the_oscar_way():
    from oscar_mlm.core.loading import get_class

    for name in services.__all__:
        assert get_class("mlm_credit.services", name) is getattr(services, name), name


def test_only_the_ledger_writes_entries():
    import importlib
    import inspect
    import pkgutil

    writes = ("CreditEntry(", ".save(", "bulk_create", ".create(", ".update(")
    for module in pkgutil.iter_modules(services.__path__):
        if module.name == "ledger":
            continue
        source = inspect.getsource(importlib.import_module(f"{services.__name__}.{module.name}"))
        assert not [w for w in writes if w in source], module.name
