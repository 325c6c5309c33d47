from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

VolumeRule = get_model("mlm_commissions", "VolumeRule")

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
