from decimal import Decimal

import pytest

from oscar_mlm.exceptions import MlmError, PlacementRefused
from oscar_mlm.exports import csv_cell, csv_lines
from oscar_mlm.money import ZERO, quantize
from oscar_mlm.parsing import clean_text, int_argument, parse_id, parse_int


@pytest.mark.parametrize(
    "value, expected",
    [
        ("12", 12),
        (" 7 ", 7),
        (5, 5),
        ("²", None),
        ("١٢", None),
        ("0", None),
        ("-3", None),
        ("", None),
        (None, None),
        ("1\x00", None),
        ("9" * 40, None),
        (str(2**63), None),
        (True, None),
        ("<b>1</b>", None),
        ("1.5", None),
    ],
)
def test_parse_id(value, expected):
    assert parse_id(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("0", 0),
        ("-5", None),
        ("12", 12),
        ("101", None),
        ("²", None),
        ("١٢", None),
        ("-", None),
        ("--1", None),
        ("1\x00", None),
        ("9" * 400, None),
        (7, 7),
        (-1, None),
    ],
)
def test_parse_int(value, expected):
    assert parse_int(value, 0, 100) == expected


def test_parse_int_with_negative_bounds():
    assert parse_int("-5", -10, 10) == -5
    assert parse_int("-11", -10, 10) is None


def test_int_argument_refuses_with_a_message():
    import argparse

    days = int_argument(0, 365)
    assert days(" 30 ") == 30
    for value in ["²", "١٢", "-1", "366", "\x00", ""]:
        with pytest.raises(argparse.ArgumentTypeError, match="whole number from 0 to 365"):
            days(value)


def test_clean_text():
    assert clean_text("  anna ") == "anna"
    assert clean_text("a\x00b") is None
    assert clean_text("abc", max_length=2) is None
    assert clean_text(None) == ""


def test_quantize_rounds_half_up():
    assert quantize(Decimal("2.345")) == Decimal("2.35")
    assert quantize(Decimal("2.335")) == Decimal("2.34")
    assert quantize(Decimal("-2.345")) == Decimal("-2.35")
    assert ZERO == Decimal("0.00")


def test_csv_guards_formulas_but_not_numbers():
    assert csv_cell("=SUM(A1)") == "'=SUM(A1)"
    assert csv_cell("-1+1") == "'-1+1"
    assert csv_cell("@x") == "'@x"
    assert csv_cell(Decimal("-4.00")) == Decimal("-4.00")
    assert csv_cell(None) == ""
    text = "".join(csv_lines(["Name", "Amount"], [["+49 30 1", Decimal("-4.00")]]))
    assert text == "Name,Amount\r\n'+49 30 1,-4.00\r\n"


def test_placement_refusal_is_oscars_unable_to_place_order():
    from oscar.apps.order.exceptions import UnableToPlaceOrder

    error = PlacementRefused("No.")
    assert isinstance(error, UnableToPlaceOrder)
    assert isinstance(error, MlmError)
    assert str(error) == "No."
    assert MlmError().message
    # django-oscar-api's checkout answers a ValueError with 406 and its message.
    assert isinstance(error, ValueError)


@pytest.mark.parametrize(
    "module, base",
    [
        ("oscar_mlm.apps.mlm_network.exceptions", "NetworkError"),
        ("oscar_mlm.apps.mlm_storefront.exceptions", "StorefrontError"),
        ("oscar_mlm.apps.mlm_vouchers.exceptions", "VoucherError"),
        ("oscar_mlm.apps.mlm_credit.exceptions", "CreditError"),
        ("oscar_mlm.apps.mlm_commissions.exceptions", "CommissionError"),
    ],
)
def test_every_apps_errors_extend_the_one_base(module, base):
    import importlib

    errors = importlib.import_module(module)
    assert issubclass(getattr(errors, base), MlmError)
    domain = [
        cls
        for cls in vars(errors).values()
        if isinstance(cls, type) and issubclass(cls, Exception) and cls.__module__ == module
    ]
    assert len(domain) > 1
    for cls in domain:
        assert issubclass(cls, getattr(errors, base)), cls
        # Each keeps its own translated message, and shows it as it is.
        assert str(cls()) == str(cls.default_message)
        assert cls().message == cls.default_message


def test_a_voucher_refused_at_placement_is_a_placement_refusal_with_the_rules_message():
    from oscar_mlm.apps.mlm_vouchers.exceptions import NotNewCustomer, RedemptionRefused

    error = RedemptionRefused(NotNewCustomer.default_message)
    assert isinstance(error, PlacementRefused)
    assert str(error) == str(NotNewCustomer.default_message)
