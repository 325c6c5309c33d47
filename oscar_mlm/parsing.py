"""Parsing of ids, cursors, numbers and text from user input, in one way for every view.

``str.isdigit()`` accepts characters that ``int()`` refuses (``"²"``), ``int()``
itself reads other scripts' digits (``"١٢"`` is 12), and a NUL byte makes
PostgreSQL refuse a query: input is checked here before it reaches ``int()``
or the database. Views, forms and commands parse with these helpers and turn
``None`` into their own refusal (a 404, a form error, a message).
"""

import argparse

from django.utils.translation import gettext as _

MAX_ID = 2**63 - 1  # PostgreSQL bigint


def parse_int(value, minimum=0, maximum=MAX_ID):
    """A whole number from ``value`` (str or int) within ``minimum``..``maximum``, or ``None``.

    Only ASCII digits count, with an optional leading minus; surrounding spaces are ignored.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value if minimum <= value <= maximum else None
    text = str(value).strip()
    digits = text[1:] if text.startswith("-") else text
    longest = max(len(str(abs(minimum))), len(str(abs(maximum))))
    if not digits or len(digits) > longest or not (digits.isascii() and digits.isdigit()):
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def parse_id(value, maximum=MAX_ID):
    """A positive integer id (a primary key, a keyset cursor) from ``value``, or ``None``."""
    return parse_int(value, 1, maximum)


def has_nul(value):
    """True if ``value`` holds a NUL byte, which PostgreSQL text cannot store."""
    return "\x00" in str(value)


def clean_text(value, max_length=None):
    """``value`` stripped, or ``None`` if it holds a NUL byte or is longer than ``max_length``."""
    if value is None:
        return ""
    text = str(value).strip()
    if has_nul(text) or (max_length is not None and len(text) > max_length):
        return None
    return text


def int_argument(minimum=0, maximum=MAX_ID):
    """An argparse ``type`` for a whole number in bounds (``parse_int``).

    Anything else stops the management command with a clear message (argparse
    turns the error into Django's ``CommandError``), before it touches the database.
    """

    def parse(value):
        number = parse_int(value, minimum, maximum)
        if number is None:
            raise argparse.ArgumentTypeError(
                _("expected a whole number from %(minimum)s to %(maximum)s, not %(value)r")
                % {"minimum": minimum, "maximum": maximum, "value": value}
            )
        return number

    parse.__name__ = "whole number"  # argparse names the type in its message
    return parse
