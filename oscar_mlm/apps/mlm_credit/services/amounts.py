"""Amounts and currencies as the books accept them, or a clear error."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from oscar_mlm.conf import get_setting
from oscar_mlm.money import CENT, ZERO, quantize, shop_currencies
from oscar_mlm.parsing import has_nul

from ..exceptions import (
    CurrencyMismatch,
    InvalidAmount,
    ReasonRequired,
    ReasonTooLong,
    UnknownCurrency,
)

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
    if not amount.is_finite() or abs(amount) > MAX_AMOUNT:
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


def shop_currency(currency):
    """``currency`` as an upper-case code if it is one of the shop's currencies.

    The shop's currencies are ``OSCAR_DEFAULT_CURRENCY`` and ``OSCAR_MLM_CURRENCIES``
    (:func:`oscar_mlm.money.shop_currencies`); anything else is ``UnknownCurrency``.
    """
    allowed = shop_currencies()
    code = normalise_currency(currency)
    if code not in allowed:
        raise UnknownCurrency(
            _("The shop does not keep credit in %(currency)s; its currencies: %(allowed)s.")
            % {"currency": code, "allowed": ", ".join(allowed)}
        )
    return code


def clean_reason(reason):
    """The reason of a staff booking, stripped: required, at most
    ``OSCAR_MLM_CREDIT_REASON_MAX_LENGTH`` characters, no NUL byte."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired()
    limit = get_setting("OSCAR_MLM_CREDIT_REASON_MAX_LENGTH")
    if len(reason) > limit:
        raise ReasonTooLong(
            ngettext(
                "Please keep the reason to %(limit)s character (it has %(length)s).",
                "Please keep the reason to %(limit)s characters (it has %(length)s).",
                limit,
            )
            % {"limit": limit, "length": len(reason)}
        )
    if has_nul(reason):
        raise ReasonRequired(_("The reason contains a character that cannot be stored."))
    return reason


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
