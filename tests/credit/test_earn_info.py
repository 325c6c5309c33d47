"""Customers are told how credit is earned and used (seed 003): what a product and the basket
earn, and the rules on the account page."""

import pytest
from django.urls import reverse

from oscar_mlm.test.factories import UserFactory

from .conftest import product_with_credit

pytestmark = pytest.mark.django_db


def text(response):
    return " ".join(response.content.decode().split())


def test_the_product_page_shows_what_a_unit_earns(client):
    percent = product_with_credit("34.50", value="5", type="percentage")
    fixed = product_with_credit("10.00", value="1.00")
    none = product_with_credit("10.00")
    assert "Earns €1.73 of loyalty credit" in text(client.get(percent.get_absolute_url()))
    assert "Earns €1.00 of loyalty credit" in text(client.get(fixed.get_absolute_url()))
    assert 'id="mlm-credit-earns"' not in text(client.get(none.get_absolute_url()))


def test_the_basket_shows_what_its_lines_earn(client):
    fixed = product_with_credit("10.00", value="1.00")
    percent = product_with_credit("20.00", value="5", type="percentage")
    client.post(reverse("basket:add", kwargs={"pk": fixed.pk}), {"quantity": 3})
    client.post(reverse("basket:add", kwargs={"pk": percent.pk}), {"quantity": 1})
    page = text(client.get(reverse("basket:summary")))
    assert 'id="mlm-basket-credit"' in page
    assert "Earns loyalty credit" in page and "€4.00" in page
    assert "Only customers with an account collect it." in page


def test_the_account_page_explains_the_rules(client, settings):
    settings.OSCAR_MLM_CREDIT_EXPIRY_MONTHS = 24
    settings.OSCAR_MLM_CREDIT_MAX_SHARE = "0.5"
    client.force_login(UserFactory())
    page = text(client.get(reverse("mlm_credit:mlm-credit-ledger")))
    assert "How loyalty credit works" in page
    assert "it becomes available when the order reaches “Complete”" in page
    assert "up to 50 % of an order" in page
    assert "expires 24 months after it was booked" in page

    settings.OSCAR_MLM_CREDIT_EXPIRY_MONTHS = None
    settings.OSCAR_MLM_CREDIT_MAX_SHARE = None
    page = text(client.get(reverse("mlm_credit:mlm-credit-ledger")))
    assert "Credit does not expire." in page and "up to" not in page
