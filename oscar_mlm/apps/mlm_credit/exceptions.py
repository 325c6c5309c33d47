"""Domain errors of the loyalty credit account.

Each carries a translated, user-facing ``message``; forms, views and commands
show it as it is. Whenever one is raised, nothing was booked.
"""

from django.utils.translation import gettext_lazy as _

from oscar_mlm.exceptions import MlmError


class CreditError(MlmError):
    default_message = _("The credit account could not be changed.")


class InsufficientCredit(CreditError):
    default_message = _("There is not enough credit in the account for this.")


class CreditCapExceeded(CreditError):
    default_message = _("This order may not be paid with that much credit.")


class CurrencyMismatch(CreditError):
    default_message = _("The currency does not match the currency of the credit account.")


class UnknownCurrency(CurrencyMismatch):
    default_message = _("The shop does not keep credit in this currency.")


class InvalidAmount(CreditError):
    default_message = _("Please enter a valid amount of money, e.g. 12.50.")


class ReasonRequired(CreditError):
    default_message = _("Please give a reason for this booking.")


class ReasonTooLong(CreditError):
    default_message = _("The reason is too long.")


class NoAccount(CreditError):
    default_message = _("Only a signed-in customer has a credit account.")


class SpendReturned(CreditError):
    default_message = _(
        "The credit for this order was given back meanwhile. Please place the order again."
    )


class KeyReused(CreditError):
    default_message = _(
        "This idempotency key was already used for a different booking; use a new key."
    )
