from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from . import services
from .exceptions import CreditError

CreditRule = get_model("mlm_credit", "CreditRule")


class AdjustForm(forms.Form):
    """Staff adjustment. The amount is text: the service parses it (one set of rules)."""

    direction = forms.ChoiceField(
        label=_("Booking"),
        choices=[(services.CREDIT, _("Add credit")), (services.DEBIT, _("Deduct credit"))],
    )
    amount = forms.CharField(label=_("Amount"), max_length=20)
    currency = forms.CharField(label=_("Currency"), max_length=12)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].initial = settings.OSCAR_DEFAULT_CURRENCY

    def clean_amount(self):
        try:
            return services.parse_amount(self.cleaned_data["amount"])
        except CreditError as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Please give a reason for this booking."))
        return reason

    def clean_currency(self):
        try:
            return services.normalise_currency(self.cleaned_data["currency"])
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
