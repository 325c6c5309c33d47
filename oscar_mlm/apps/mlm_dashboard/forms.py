from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_network import services
from oscar_mlm.apps.mlm_network.exceptions import NetworkError, SponsorNotFound
from oscar_mlm.apps.mlm_network.validators import normalise_handle
from oscar_mlm.apps.mlm_storefront.abstract_models import THEME_FIELDS
from oscar_mlm.apps.mlm_storefront.services import STAFF_FIELDS
from oscar_mlm.core.loading import get_class

SponsorIdField = get_class("mlm_network.forms", "SponsorIdField")
PersonForm = get_class("mlm_network.forms", "PersonForm")
StorefrontForm = get_class("mlm_storefront.forms", "StorefrontForm")
Member = get_model("mlm_network", "Member")
SponsorChange = get_model("mlm_network", "SponsorChange")

# What staff type to name the root of the tree. "company" is a reserved
# handle, so it can never be a distributor's storefront.
COMPANY_IDS = ("0", "company")

STAFF_SPONSOR_HELP = _('Storefront handle or member number of the sponsor, or "company".')


def resolve_sponsor_id(value):
    """The member a staff user means by ``value``, or a form error.

    Only resolves the id; whether that member may sponsor is the service's
    decision, so every path refuses with the same message.
    """
    value = (value or "").strip()
    if value.lower() in COMPANY_IDS:
        try:
            return services.get_company()
        except NetworkError as exc:
            raise forms.ValidationError(exc.message) from None
    sponsor = services.find_sponsor(value)
    if sponsor is None:
        raise forms.ValidationError(SponsorNotFound.default_message, code="unknown")
    return sponsor


class MemberCreateForm(PersonForm):
    """A person entered by staff, below any sponsor (the company included)."""

    sponsor_id = SponsorIdField(required=True, help_text=STAFF_SPONSOR_HELP)

    field_order = ["sponsor_id", "email", "first_name", "last_name", "kind", "handle"]

    def clean_sponsor_id(self):
        return resolve_sponsor_id(self.cleaned_data["sponsor_id"])


class MemberSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        help_text=_("Name, e-mail address, storefront handle or member number"),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    storefront = forms.ChoiceField(
        label=_("Storefront"),
        required=False,
        choices=[
            ("", _("All storefronts")),
            ("hidden", _("Hidden storefronts")),
            ("locked", _("Locked storefronts")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds"))] + list(Member.KIND_CHOICES)
        self.fields["status"].choices = [("", _("All states"))] + list(Member.STATUS_CHOICES)


class SponsorChangeSearchForm(forms.Form):
    source = forms.ChoiceField(label=_("Through"), required=False)
    member = forms.IntegerField(
        label=_("Member number"), required=False, min_value=1, max_value=2**63 - 1
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", _("All"))] + list(SponsorChange.SOURCE_CHOICES)


class ReassignForm(forms.Form):
    sponsor_id = SponsorIdField(
        required=True,
        label=_("New sponsor ID"),
        help_text=STAFF_SPONSOR_HELP,
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the sponsor changes. Kept in the audit."),
    )

    def __init__(self, *args, **kwargs):
        # The member page shows several forms; distinct ids keep labels apart.
        kwargs.setdefault("auto_id", "id_reassign_%s")
        super().__init__(*args, **kwargs)

    def clean_sponsor_id(self):
        return resolve_sponsor_id(self.cleaned_data["sponsor_id"])


class PromoteForm(forms.Form):
    handle = forms.CharField(
        label=_("Storefront handle"),
        max_length=63,
        required=False,
        help_text=_("Leave blank to derive one from the name."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_promote_%s")
        super().__init__(*args, **kwargs)

    def clean_handle(self):
        return normalise_handle(self.cleaned_data.get("handle")) or None


class DeactivateForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit of every member who is moved to the sponsor."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_deactivate_%s")
        super().__init__(*args, **kwargs)


class StaffStorefrontForm(StorefrontForm):
    """Staff moderate a storefront: the owner's fields and checks, plus the company's control.

    The owner's form validates the photo and the colour; this one only adds the
    control fields, so both refuse the same input with the same message.
    """

    class Meta(StorefrontForm.Meta):
        fields = THEME_FIELDS + STAFF_FIELDS
        widgets = {
            **StorefrontForm.Meta.widgets,
            # A browser's colour picker always sends a colour (#000000 when
            # empty); saving the control fields must not set one by accident.
            "accent_color": forms.TextInput(attrs={"placeholder": "#1f7a4d"}),
            "staff_note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "accent_color": _("As #rrggbb, for example #1f7a4d. Blank: the shop's colour."),
            "is_hidden": _("A hidden storefront answers like an unknown one."),
            "is_locked": _("The owner cannot edit a locked storefront."),
            "staff_note": _("Shown to the owner on their storefront page."),
        }


class RenameHandleForm(forms.Form):
    handle = forms.CharField(
        label=_("New storefront handle"),
        max_length=63,
        help_text=_("The storefront moves to this subdomain; the old one forwards to it."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_rename_%s")
        super().__init__(*args, **kwargs)

    def clean_handle(self):
        return normalise_handle(self.cleaned_data.get("handle"))
