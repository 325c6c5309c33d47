from decimal import Decimal as D

import pytest
from django.core.cache import cache
from oscar.core.loading import get_model
from oscar.test.factories import create_product, create_stockrecord

from oscar_mlm.apps.mlm_vouchers import services
from oscar_mlm.apps.mlm_vouchers.exceptions import UnknownCode

from .helpers import basket_with, place

DistributorVoucher = get_model("mlm_vouchers", "DistributorVoucher")

ADD = "/basket/vouchers/add/"
MINE = "/accounts/vouchers/"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def shopping(client, newbie):
    """The new customer logged in with a product in the basket."""
    client.force_login(newbie.user)
    product = create_product()
    create_stockrecord(product, num_in_stock=100, price=D("40.00"))
    client.post(f"/basket/add/{product.pk}/", {"quantity": 1}, follow=True)  # reads its messages
    return client


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def add(client, code):
    return client.post(ADD, {"code": code}, follow=True)


def test_code_is_case_and_space_insensitive(shopping, code):
    response = add(shopping, " " + code.code.lower().replace("-", " - ") + " ")
    assert any("added to cart" in m for m in messages_of(response))
    assert response.context["basket"].total_discount == D("4.00")


def test_unknown_and_deactivated_codes_get_the_same_message(shopping, code, anna):
    unknown = messages_of(add(shopping, "ANNA-ZZZZ-ZZZZ"))
    services.deactivate_voucher(distributor_voucher=code, member=anna)
    deactivated = messages_of(add(shopping, code.code))
    assert unknown == deactivated == [str(UnknownCode.default_message)]


def test_own_code_is_refused_in_plain_words(client, code, anna):
    client.force_login(anna.user)
    product = create_product()
    create_stockrecord(product, num_in_stock=5, price=D("40.00"))
    client.post(f"/basket/add/{product.pk}/", {"quantity": 1}, follow=True)
    assert any("your own voucher" in m for m in messages_of(add(client, code.code)))


def test_not_a_new_customer(shopping, code, newbie):
    place(basket_with(newbie.user), newbie.user)
    assert any("only for new customers" in m for m in messages_of(add(shopping, code.code)))


def test_failed_attempts_are_throttled(shopping, code, settings):
    settings.OSCAR_MLM_VOUCHER_MAX_FAILED_ATTEMPTS = 3
    for _ in range(3):
        add(shopping, "NOPE-NOPE-NOPE")
    response = add(shopping, code.code)  # even a good code waits now
    assert any("Too many invalid voucher codes" in m for m in messages_of(response))
    assert response.context["basket"].total_discount == D("0.00")


def test_blank_code(shopping):
    response = add(shopping, "")
    assert any("Please enter a" in m and "code" in m for m in messages_of(response))


# -- the partner's page ----------------------------------------------------------------------


def test_distributor_generates_and_sees_codes(client, anna, program):
    client.force_login(anna.user)
    response = client.post(MINE, follow=True)
    dv = DistributorVoucher.objects.get(issuer=anna)
    html = response.content.decode()
    assert dv.code in html and "Your new code" in html
    assert "My voucher codes" in html


def test_distributor_sees_who_used_a_code(client, anna, code, newbie):
    place(basket_with(newbie.user, code), newbie.user)
    client.force_login(anna.user)
    html = client.get(MINE).content.decode()
    assert "Nina (" in html and "Used up" in html
    assert "Tester" not in html  # first name only


def test_distributor_over_limit_gets_message_and_no_code(client, anna, program):
    program.max_active_codes = 1
    program.save()
    client.force_login(anna.user)
    client.post(MINE)
    response = client.post(MINE, follow=True)
    assert any("maximum number of active voucher codes" in m for m in messages_of(response))
    assert DistributorVoucher.objects.filter(issuer=anna).count() == 1


def test_distributor_deactivates_own_code_only(client, anna, ben, code, program):
    client.force_login(ben.user)
    assert client.post(MINE, {"deactivate": code.pk}).status_code == 404
    code.refresh_from_db()
    assert code.is_active
    client.force_login(anna.user)
    client.post(MINE, {"deactivate": code.pk})
    code.refresh_from_db()
    assert not code.is_active


def test_customers_have_no_codes_page(client, newbie):
    client.force_login(newbie.user)
    assert client.get(MINE).status_code == 403


def test_code_without_dashes_is_found(shopping, code):
    response = add(shopping, code.code.replace("-", " ").lower())
    assert any("added to cart" in m for m in messages_of(response))


def test_too_long_code_is_refused_and_changes_nothing(shopping, code):
    response = add(shopping, "X" * 200)
    assert messages_of(response)
    assert response.context["basket"].total_discount == D("0.00")
    assert not response.context["basket"].vouchers.exists()
