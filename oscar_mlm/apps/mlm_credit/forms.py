from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from oscar_mlm.conf import get_setting
from oscar_mlm.money import shop_currencies

from . import services
from .exceptions import CreditError

CreditRule = get_model("mlm_credit", "CreditRule")


class AdjustForm(forms.Form):
    """Staff adjustment. Amount and reason are checked by the service (one set of rules);
    the currency is one of the shop's (``oscar_mlm.money.shop_currencies``)."""

    direction = forms.ChoiceField(
        label=_("Booking"),
        choices=[(services.CREDIT, _("Add credit")), (services.DEBIT, _("Deduct credit"))],
    )
    amount = forms.CharField(label=_("Amount"), max_length=20)
    currency = forms.ChoiceField(label=_("Currency"))
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("The customer sees it in their ledger."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        currencies = shop_currencies()
        field = self.fields["currency"]
        field.choices = [(code, code) for code in currencies]
        field.initial = currencies[0]
        field.error_messages["invalid_choice"] = _(
            "The shop does not keep credit in %(value)s; its currencies: {allowed}."
        ).format(allowed=", ".join(currencies))
        limit = get_setting("OSCAR_MLM_CREDIT_REASON_MAX_LENGTH")
        self.fields["reason"].widget.attrs["maxlength"] = str(limit)

    def clean_amount(self):
        try:
            return services.parse_amount(self.cleaned_data["amount"])
        except CreditError as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean_reason(self):
        try:
            return services.clean_reason(self.cleaned_data["reason"])
        except CreditError as exc:
            raise forms.ValidationError(exc.message) from exc


class RuleForm(forms.ModelForm):
    """Credit per article for one product or product type; empty value removes the rule."""

    value = forms.DecimalField(
        label=_("Value"), max_digits=12, decimal_places=2, min_value=0, required=False
    )

    class Meta:
        model = CreditRule
        fields = ["type", "value"]

    def clean(self):
        data = super().clean()
        if (
            data.get("type") == CreditRule.PERCENTAGE
            and data.get("value") is not None
            and data["value"] > 100
        ):
            self.add_error("value", _("A percentage cannot be more than 100."))
        return data


class ExpiryForm(forms.Form):
    confirm = forms.BooleanField(label=_("Book the expiry of old credit now"), required=True)


class OrphanForm(forms.Form):
    confirm = forms.BooleanField(label=_("Give the credit of these spends back now"), required=True)
