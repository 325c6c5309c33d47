"""Referral credit (seed 003): a new customer's first order earns their sponsor credit,
pending, released and reversed with that order, once per customer."""

from decimal import Decimal as D

import pytest
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_credit import services
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory
from tests.network.test_concurrency import run_at_once

from .conftest import place_order, product_with_credit

CreditAccount = get_model("mlm_credit", "CreditAccount")
CreditEntry = get_model("mlm_credit", "CreditEntry")


@pytest.fixture
def referral(settings):
    settings.OSCAR_MLM_CREDIT_REFERRAL_AMOUNT = "5.00"
    return settings


def sponsor_account(anna):
    return CreditAccount.objects.filter(user=anna.user, currency="EUR").first()


@pytest.mark.django_db
def test_the_first_order_earns_the_sponsor_pending_credit_released_with_it(company, referral):
    anna = DistributorFactory(parent=company)
    eva = CustomerFactory(parent=anna)
    product = product_with_credit("10.00")
    first = place_order(eva.user, (product, 1))
    account = sponsor_account(anna)
    assert (account.balance, account.pending) == (D("0.00"), D("5.00"))
    place_order(eva.user, (product, 1))  # a second order earns nothing more
    account.refresh_from_db()
    assert account.pending == D("5.00")
    assert CreditEntry.objects.filter(idempotency_key__startswith="referral:").count() == 1

    first.set_status("Being processed")
    first.set_status("Complete")
    account.refresh_from_db()
    assert (account.balance, account.pending) == (D("5.00"), D("0.00"))
    services.release_referral(first)  # idempotent
    account.refresh_from_db()
    assert account.balance == D("5.00")
    assert services.check_books() == []


@pytest.mark.django_db
def test_a_cancelled_first_order_takes_the_referral_credit_back(company, referral):
    anna = DistributorFactory(parent=company)
    eva = CustomerFactory(parent=anna)
    order = place_order(eva.user, (product_with_credit("10.00"), 1))
    order.set_status("Cancelled")
    account = sponsor_account(anna)
    assert (account.balance, account.pending) == (D("0.00"), D("0.00"))
    services.reverse_referral(order)  # once only
    assert CreditEntry.objects.filter(kind="reversed", account=account).count() == 1
    assert services.release_referral(order) is None  # nothing to release after a reversal
    assert services.check_books() == []


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["distributor buyer", "company sponsor", "off"])
def test_no_referral_credit(company, settings, who):
    settings.OSCAR_MLM_CREDIT_REFERRAL_AMOUNT = None if who == "off" else "5.00"
    anna = DistributorFactory(parent=company)
    if who == "distributor buyer":
        buyer = DistributorFactory(parent=anna)
    elif who == "company sponsor":
        buyer = CustomerFactory(parent=company)
    else:
        buyer = CustomerFactory(parent=anna)
    place_order(buyer.user, (product_with_credit("10.00"), 1))
    assert not CreditEntry.objects.filter(idempotency_key__startswith="referral:").exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_first_orders_at_once_earn_the_referral_once(company, referral):
    anna = DistributorFactory(parent=company)
    eva = CustomerFactory(parent=anna)
    product = product_with_credit("10.00")
    results = run_at_once(
        lambda: place_order(eva.user, (product, 1), number="R1"),
        lambda: place_order(eva.user, (product, 1), number="R2"),
    )
    assert all(kind == "ok" for kind, _ in results), results
    account = sponsor_account(anna)
    assert (account.balance, account.pending) == (D("0.00"), D("5.00"))
    assert CreditEntry.objects.filter(idempotency_key=f"referral:{eva.user_id}").count() == 1
    assert services.check_books() == []


@pytest.mark.django_db
def test_the_sponsor_sees_the_referral_without_a_link_to_someone_elses_order(
    client, company, referral
):
    anna = DistributorFactory(parent=company)
    eva = CustomerFactory(parent=anna)
    order = place_order(eva.user, (product_with_credit("10.00"), 1))
    client.force_login(anna.user)
    page = client.get("/accounts/credit/").content.decode()
    assert str(order.number) in page
    assert f"/accounts/orders/{order.number}/" not in page
