"""Amounts and currencies as the books accept them, or a clear error."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from oscar_mlm.money import CENT, ZERO, quantize

from ..exceptions import CurrencyMismatch, InvalidAmount

MAX_AMOUNT = Decimal("9999999999.99")


def parse_amount(value, *, allow_zero=False):
    """A positive amount of money as a Decimal with two places, or ``InvalidAmount``.

    Refuses floats (binary fractions), text that is no number, NaN/infinity,
    negative numbers, more than two decimal places and absurd sizes.
    """
    if isinstance(value, float) or isinstance(value, bool) or value is None:
        raise InvalidAmount()
    try:
        amount = Decimal(str(value).strip().replace(",", ".") if isinstance(value, str) else value)
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidAmount() from None
    if not amount.is_finite():
        raise InvalidAmount()
    if amount < 0:
        raise InvalidAmount(_("The amount must be positive."))
    if amount == 0 and not allow_zero:
        raise InvalidAmount(_("The amount must be more than zero."))
    if amount != amount.quantize(CENT) or amount > MAX_AMOUNT:
        raise InvalidAmount()
    return quantize(amount)


def normalise_currency(currency):
    code = (currency or "").strip().upper()
    if not (3 <= len(code) <= 12) or not code.isalpha():
        raise CurrencyMismatch(_("“%(currency)s” is not a currency.") % {"currency": currency})
    return code


def check_currency(account, currency):
    if normalise_currency(currency) != account.currency:
        raise CurrencyMismatch(
            _(
                "This credit account is kept in %(account)s and cannot book an amount in "
                "%(currency)s."
            )
            % {"account": account.currency, "currency": currency}
        )


def exact(total):
    """A database sum as an exact amount (SQLite adds decimals as floats; PostgreSQL does not)."""
    return quantize(total) if total is not None else ZERO
