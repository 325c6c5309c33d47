from decimal import Decimal

import pytest

from oscar_mlm.exceptions import MlmError, PlacementRefused
from oscar_mlm.exports import csv_cell, csv_lines
from oscar_mlm.money import ZERO, quantize
from oscar_mlm.parsing import clean_text, parse_id


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
