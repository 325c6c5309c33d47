"""Money helpers: one rounding rule for the whole package.

Amounts are ``Decimal`` in the currency of the basket or order, stored with
two decimal places. They are rounded once, to the cent, half up
(2.345 -> 2.35), wherever a computation produces fractions of a cent.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from oscar_mlm.conf import get_setting

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
ROUNDING = ROUND_HALF_UP


def quantize(value):
    """``value`` rounded to the cent, half up."""
    return Decimal(value).quantize(CENT, rounding=ROUNDING)


def shop_currencies():
    """The shop's currencies as upper-case ISO codes: ``OSCAR_DEFAULT_CURRENCY`` first,
    then ``OSCAR_MLM_CURRENCIES``, without repeats."""
    codes = [settings.OSCAR_DEFAULT_CURRENCY, *get_setting("OSCAR_MLM_CURRENCIES")]
    return list(dict.fromkeys(str(code).strip().upper() for code in codes))
