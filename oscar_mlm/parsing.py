"""Parsing of ids, cursors and text from user input, in one way for every view.

``str.isdigit()`` accepts characters that ``int()`` refuses (``"²"``), and a
NUL byte makes PostgreSQL refuse a query: input is checked here before it
reaches ``int()`` or the database.
"""

MAX_ID = 2**63 - 1  # PostgreSQL bigint


def parse_id(value, maximum=MAX_ID):
    """A positive integer id from ``value`` (str or int), or ``None`` if it is not one.

    Only ASCII digits count; surrounding spaces are ignored.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= maximum else None
    if value is None:
        return None
    text = str(value).strip()
    if not text or len(text) > len(str(maximum)) or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= maximum else None


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
