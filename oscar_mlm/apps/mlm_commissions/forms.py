from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from .services.commissions import rate_text

VolumeRule = get_model("mlm_commissions", "VolumeRule")
CommissionPlan = get_model("mlm_commissions", "CommissionPlan")
CommissionJob = get_model("mlm_commissions", "CommissionJob")
TaxProfile = get_model("mlm_commissions", "TaxProfile")

INHERIT = ""


class VolumeRuleForm(forms.Form):
    """What a product or product type counts for volume; the service checks the points."""

    type = forms.ChoiceField(
        label=_("Counts as"),
        choices=[(INHERIT, _("No setting here"))] + VolumeRule.TYPE_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    # Text, so the service parses it with one set of rules (and one set of messages).
    points = forms.CharField(
        label=_("Volume points per unit"),
        required=False,
        max_length=32,
        help_text=_("Only for “Volume points per unit”, e.g. 20 or 12.50."),
    )


# -- Commission plans, periods and jobs (staff) -------------------------------------------------
#
# Figures are text: the services parse and check them with one set of rules
# and messages (services.validate_plan), which the views show on the form.


class PlanFiguresForm(forms.Form):
    levels = forms.CharField(
        label=_("Levels (the level cap)"), max_length=6, help_text=_("e.g. 3")
    )
    rates = forms.CharField(
        label=_("Rate per level (percent)"),
        max_length=300,
        help_text=_("One rate per level, level 1 first, separated by commas: 10, 5, 3"),
    )
    own_volume_rate = forms.CharField(
        label=_("Rate on own volume (percent)"), max_length=40, required=False, initial="0"
    )
    minimum_own_volume = forms.CharField(
        label=_("Minimum own volume to qualify"), max_length=40, required=False, initial="0"
    )
    unqualified_share = forms.ChoiceField(
        label=_("Share of an unqualified distributor"),
        choices=CommissionPlan.UNQUALIFIED_CHOICES,
        widget=forms.RadioSelect,
        initial=CommissionPlan.COMPANY,
    )

    def clean_rates(self):
        # "10,5,3" and "10; 5; 3" alike; decimal commas are not accepted (ambiguous).
        text = self.cleaned_data["rates"].replace(";", ",")
        return [part.strip() for part in text.split(",") if part.strip()]

    def plan_figures(self):
        data = self.cleaned_data
        return {
            "levels": data["levels"],
            "rates": data["rates"],
            "own_volume_rate": data["own_volume_rate"] or "0",
            "minimum_own_volume": data["minimum_own_volume"] or "0",
            "unqualified_share": data["unqualified_share"],
        }

    @classmethod
    def initial_from(cls, plan):
        if plan is None:
            return {}
        return {
            "levels": plan.levels,
            "rates": ", ".join(rate_text(r) for r in plan.rates),
            "own_volume_rate": rate_text(plan.own_volume_rate),
            "minimum_own_volume": str(plan.minimum_own_volume),
            "unqualified_share": plan.unqualified_share,
        }


class PlanForm(PlanFiguresForm):
    valid_from = forms.DateField(
        label=_("Valid from"), help_text=_("The first day the new version applies, YYYY-MM-DD.")
    )
    name = forms.CharField(label=_("Name"), max_length=128, required=False)

    field_order = ["valid_from", "name"]


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Start"), help_text=_("YYYY-MM-DD; the 1st for a month."))
    end = forms.DateField(
        label=_("End (exclusive)"),
        required=False,
        help_text=_("Leave empty for the calendar month that starts on the start date."),
    )


class JobForm(forms.Form):
    action = forms.ChoiceField(choices=CommissionJob.ACTION_CHOICES)


# -- Tax details (distributors) ---------------------------------------------------------------


class TaxProfileForm(forms.Form):
    """What a credit note needs; services.validate_tax_profile checks it."""

    tax_status = forms.ChoiceField(
        label=_("Tax status"), choices=TaxProfile.STATUS_CHOICES, widget=forms.RadioSelect
    )
    name = forms.CharField(label=_("Name or company"), max_length=200)
    street = forms.CharField(label=_("Street and number"), max_length=200)
    postcode = forms.CharField(label=_("Postcode"), max_length=12)
    city = forms.CharField(label=_("City"), max_length=100)
    country = forms.CharField(label=_("Country"), max_length=2, initial="DE")
    tax_number = forms.CharField(
        label=_("Tax number"), max_length=20, required=False, help_text=_("e.g. 21/815/08150")
    )
    vat_id = forms.CharField(
        label=_("VAT identification number"),
        max_length=20,
        required=False,
        help_text=_("e.g. DE123456789; needed for the reverse charge."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        Country = get_model("address", "Country")
        countries = list(
            Country.objects.order_by("-display_order", "printable_name").values_list(
                "iso_3166_1_a2", "printable_name"
            )
        )
        if countries:
            self.fields["country"] = forms.ChoiceField(
                label=_("Country"), choices=countries, initial="DE"
            )
