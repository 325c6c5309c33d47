from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.templatetags.currency_filters import currency

from oscar_mlm.apps.mlm_credit import services as credit
from oscar_mlm.apps.mlm_credit.exceptions import CreditError, InvalidAmount

USE_ALL, USE_AMOUNT, USE_NONE = "all", "amount", "none"


class PaymentForm(forms.Form):
    """The payment step: how much loyalty credit to use, and how to pay the rest.

    ``credit`` is the customer's credit summary (``available``, ``cap``, ``total``,
    ``currency``) or None without credit; ``methods`` the payment methods on offer.
    Nothing is booked here: the spend happens at placement, under the account lock,
    and never takes more than the credit available then or the cap.
    """

    credit_choice = forms.ChoiceField(
        label=_("Loyalty credit"),
        choices=[
            (USE_ALL, _("Use as much credit as possible")),
            (USE_AMOUNT, _("Use this amount:")),
            (USE_NONE, _("Keep my credit for later")),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    credit_amount = forms.CharField(label=_("Amount of credit"), required=False, max_length=20)
    method = forms.ChoiceField(label=_("Pay the rest by"), widget=forms.RadioSelect)

    def __init__(self, *args, credit=None, methods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.credit = credit
        self.methods = list(methods)
        if credit is None:
            del self.fields["credit_choice"]
            del self.fields["credit_amount"]
        if self.methods:
            self.fields["method"].choices = [(m.code, m.name) for m in self.methods]
        else:
            del self.fields["method"]

    def clean(self):
        data = super().clean()
        if self.credit is None:
            return data
        choice = data.get("credit_choice") or USE_ALL
        data["credit_choice"] = choice
        data["amount"] = None
        if choice != USE_AMOUNT:
            return data
        raw = data.get("credit_amount") or ""
        try:
            if not raw.strip().replace(",", "").replace(".", "").isascii():
                raise InvalidAmount()
            amount = credit.parse_amount(raw)
        except CreditError as exc:
            self.add_error("credit_amount", exc.message)
            return data
        currency = self.credit["currency"]
        if amount > self.credit["available"]:
            self.add_error(
                "credit_amount",
                _("You have %(available)s of credit.")
                % {"available": currency_text(self.credit["available"], currency)},
            )
        else:
            try:
                credit.check_cap(min(amount, self.credit["total"]), self.credit["total"], currency)
            except CreditError as exc:
                self.add_error("credit_amount", exc.message)
            else:
                data["amount"] = amount
        return data


def currency_text(amount, currency_code):
    return currency(amount, currency_code)
