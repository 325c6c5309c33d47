"""How the new-customer voucher reads: the discount in words, the partner's code page with
proper plural forms, the code once in the basket; in English and German."""

import re
from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.utils import translation
from oscar.core.loading import get_model
from oscar.test.factories import create_product, create_stockrecord

from oscar_mlm.apps.mlm_vouchers import services
from oscar_mlm.apps.mlm_vouchers.offers import discount_text

Benefit = get_model("offer", "Benefit")
Range = get_model("offer", "Range")
VoucherProgram = get_model("mlm_vouchers", "VoucherProgram")

MINE = "/accounts/vouchers/"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def program_with(benefit_type, value, name="Programme"):
    return services.create_program(name=name, benefit_type=benefit_type, value=D(value))


@pytest.mark.parametrize(
    "benefit_type, value, english, german",
    [
        (Benefit.PERCENTAGE, "10.00", "10% off", "10 % Rabatt"),
        (Benefit.PERCENTAGE, "12.50", "12.50% off", "12,50 % Rabatt"),
        (Benefit.FIXED, "5.00", "€5.00 off", "5,00\xa0€ Rabatt"),
        (Benefit.SHIPPING_PERCENTAGE, "100.00", "free shipping", "kostenloser Versand"),
        (Benefit.SHIPPING_PERCENTAGE, "50.00", "50% off shipping", "50 % Rabatt auf den Versand"),
        (
            Benefit.SHIPPING_ABSOLUTE,
            "3.00",
            "€3.00 off shipping",
            "3,00\xa0€ Rabatt auf den Versand",
        ),
    ],
)
def test_the_discount_in_words(db, benefit_type, value, english, german):
    program = program_with(benefit_type, value)
    benefit = program.offer.benefit.proxy()

    with translation.override("en"):
        assert benefit.name == benefit.description == english
    with translation.override("de"):
        assert benefit.description == german
    # The name of the range our programmes create never shows.
    with translation.override("de"):
        assert "All products" not in benefit.description


def test_a_discount_on_part_of_the_catalogue_names_the_range(db):
    program = program_with(Benefit.PERCENTAGE, "20")
    skin_care = Range.objects.create(name="Skin care")
    Benefit.objects.filter(pk=program.offer.benefit_id).update(range=skin_care)
    program.offer.benefit.refresh_from_db()

    assert discount_text(program.offer.benefit.proxy()) == "20% off Skin care"


def test_other_benefit_types_keep_oscars_wording(db):
    program = program_with(Benefit.PERCENTAGE, "20")
    Benefit.objects.filter(pk=program.offer.benefit_id).update(type=Benefit.MULTIBUY, value=None)
    benefit = Benefit.objects.get(pk=program.offer.benefit_id).proxy()

    assert discount_text(benefit) is None
    assert benefit.name == "Cheapest product from all products is free"


def terms(client):
    html = client.get(MINE).content.decode()
    text = re.search(r'<p id="mlm-voucher-terms">(.*?)</p>', html, re.S).group(1)
    return " ".join(text.split())


@pytest.mark.parametrize(
    "limits, english, german",
    [
        (
            {"validity_days": 1, "uses_per_code": 1, "max_active_codes": 1},
            "New customers get 10% off on their first order with your code, and whoever "
            "orders with it becomes your customer. A code is valid for 1 day. It can be used "
            "for 1 order. You can hold up to 1 active code at a time.",
            "Neue Kunden erhalten mit Ihrem Code auf ihre erste Bestellung: 10 % Rabatt. Wer "
            "damit bestellt, wird Ihr Kunde. Ein Code gilt 1 Tag. Er kann für 1 Bestellung "
            "verwendet werden. Sie können bis zu 1 aktiven Code gleichzeitig haben.",
        ),
        (
            {"validity_days": 30, "uses_per_code": 3, "max_active_codes": 5},
            "New customers get 10% off on their first order with your code, and whoever "
            "orders with it becomes your customer. A code is valid for 30 days. It can be "
            "used for 3 orders. You can hold up to 5 active codes at a time.",
            "Neue Kunden erhalten mit Ihrem Code auf ihre erste Bestellung: 10 % Rabatt. Wer "
            "damit bestellt, wird Ihr Kunde. Ein Code gilt 30 Tage. Er kann für 3 "
            "Bestellungen verwendet werden. Sie können bis zu 5 aktive Codes gleichzeitig "
            "haben.",
        ),
    ],
)
def test_the_code_page_reads_naturally_with_plural_forms(
    client, anna, program, limits, english, german
):
    VoucherProgram.objects.filter(pk=program.pk).update(**limits)
    client.force_login(anna.user)

    assert terms(client) == english
    client.cookies["django_language"] = "de"
    assert terms(client) == german
    assert "(s)" not in english + german


def test_the_basket_shows_a_partners_code_once(client, newbie, code):
    client.force_login(newbie.user)
    product = create_product()
    create_stockrecord(product, num_in_stock=100, price=D("40.00"))
    client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    client.post("/basket/vouchers/add/", {"code": code.code})

    for language, label in (("en", "New-customer voucher"), ("de", "Neukundengutschein")):
        client.cookies["django_language"] = language
        html = client.get("/basket/").content.decode()
        cell = re.search(r'<td class="mlm-basket-voucher">(.*?)</td>', html, re.S).group(1)
        assert cell.count(code.code) == 1, cell
        assert f"{label} ({code.code})" in " ".join(cell.split())
