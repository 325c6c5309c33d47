from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_network import services
from oscar_mlm.apps.mlm_network.exceptions import NetworkError, SponsorNotFound
from oscar_mlm.apps.mlm_network.validators import normalise_handle
from oscar_mlm.apps.mlm_storefront.abstract_models import THEME_FIELDS
from oscar_mlm.apps.mlm_storefront.services import STAFF_FIELDS
from oscar_mlm.apps.mlm_vouchers import services as voucher_services
from oscar_mlm.core.loading import get_class
from oscar_mlm.parsing import parse_int

SponsorIdField = get_class("mlm_network.forms", "SponsorIdField")
PersonForm = get_class("mlm_network.forms", "PersonForm")
StorefrontForm = get_class("mlm_storefront.forms", "StorefrontForm")
Member = get_model("mlm_network", "Member")
SponsorChange = get_model("mlm_network", "SponsorChange")
Benefit = get_model("offer", "Benefit")
VoucherProgram = get_model("mlm_vouchers", "VoucherProgram")

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


# -- new-customer vouchers -------------------------------------------------------------------

# A choice of our own: Oscar's "shipping percentage" benefit at 100 %.
FREE_SHIPPING = "free-shipping"
PERCENT_TYPES = (Benefit.PERCENTAGE, Benefit.SHIPPING_PERCENTAGE)
DISCOUNT_CHOICES = [
    (Benefit.PERCENTAGE, _("Percentage off the products")),
    (Benefit.FIXED, _("Fixed amount off the basket")),
    (FREE_SHIPPING, _("Free shipping")),
    (Benefit.SHIPPING_PERCENTAGE, _("Percentage off the shipping cost")),
    (Benefit.SHIPPING_ABSOLUTE, _("Fixed amount off the shipping cost")),
]
# Upper bounds keep the numbers sensible (and a validity date within the calendar).
MAX_ACTIVE_CODES = 1000
MAX_VALIDITY_DAYS = 3650
MAX_USES_PER_CODE = 1000


class ProgramLimitsForm(forms.Form):
    """The company's limits for partners; the discount lives on the Oscar offer."""

    max_active_codes = forms.IntegerField(
        label=_("Active codes per partner"),
        min_value=1,
        max_value=MAX_ACTIVE_CODES,
        initial=5,
        help_text=_("How many unexpired, active codes a partner may hold at once."),
    )
    validity_days = forms.IntegerField(
        label=_("Validity in days"),
        min_value=1,
        max_value=MAX_VALIDITY_DAYS,
        initial=30,
        help_text=_("A new code can be used for this many days."),
    )
    uses_per_code = forms.IntegerField(
        label=_("Uses per code"),
        min_value=1,
        max_value=MAX_USES_PER_CODE,
        initial=1,
        help_text=_("How many new customers can order with one code."),
    )
    min_basket = forms.DecimalField(
        label=_("Minimum basket"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        initial=Decimal("0.00"),
        help_text=_("The basket must reach this value for the code to apply. 0: no minimum."),
    )
    is_active = forms.BooleanField(
        label=_("Partners may generate codes"),
        required=False,
        initial=True,
    )

    limit_fields = ["max_active_codes", "validity_days", "uses_per_code", "min_basket", "is_active"]

    def limits(self):
        return {name: self.cleaned_data[name] for name in self.limit_fields}


class ProgramCreateForm(ProgramLimitsForm):
    """A new programme: its Oscar offer with the discount, and the limits.

    A new programme is active; staff can switch it off on its page.
    """

    is_active = None
    limit_fields = ["max_active_codes", "validity_days", "uses_per_code", "min_basket"]

    name = forms.CharField(
        label=_("Name"),
        max_length=128,
        help_text=_('For example "New customers, summer". Also the name of the Oscar offer.'),
    )
    discount_type = forms.ChoiceField(label=_("Discount"), choices=DISCOUNT_CHOICES)
    value = forms.DecimalField(
        label=_("Value"),
        required=False,
        max_digits=12,
        decimal_places=2,
        help_text=_("A percentage or an amount, depending on the discount. Not for free shipping."),
    )
    is_default = forms.BooleanField(
        label=_("Make this the default programme"),
        required=False,
        initial=False,
        help_text=_(
            "Partners generate their codes from the default programme: ticking this switches "
            "all partners to this one. The first programme becomes the default by itself."
        ),
    )

    field_order = ["name", "discount_type", "value"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Please enter a name."), code="required")
        if voucher_services.program_name_taken(name):
            raise forms.ValidationError(
                _("A programme or offer with this name already exists. Please choose another."),
                code="taken",
            )
        return name

    def clean(self):
        data = super().clean()
        kind = data.get("discount_type")
        value = data.get("value")
        if kind == FREE_SHIPPING:
            data["benefit_type"], data["value"] = Benefit.SHIPPING_PERCENTAGE, Decimal("100.00")
        elif kind:
            data["benefit_type"] = kind
            if value is None:
                if "value" not in self.errors:
                    self.add_error("value", _("Please enter the discount value."))
            elif value <= 0:
                self.add_error("value", _("The discount must be more than zero."))
            elif kind in PERCENT_TYPES and value > 100:
                self.add_error("value", _("A percentage cannot be more than 100."))
        return data


class VoucherReportForm(forms.Form):
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    program = forms.ModelChoiceField(
        label=_("Programme"),
        required=False,
        queryset=VoucherProgram.objects.order_by("name"),
        empty_label=_("All programmes"),
    )

    def clean(self):
        data = super().clean()
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_from > date_to:
            raise forms.ValidationError(
                _("The start date must not be after the end date."), code="range"
            )
        return data


class EraseForm(forms.Form):
    """Erase a member's personal data: the reason, and the e-mail typed again to confirm."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("When and how the person asked, e.g. “e-mail of 30 November”. Kept."),
    )
    confirm_email = forms.CharField(
        label=_("The member's e-mail address, to confirm"),
        max_length=254,
        help_text=_("The erasure cannot be undone."),
    )

    def __init__(self, *args, email="", **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean_confirm_email(self):
        value = self.cleaned_data["confirm_email"].strip()
        if value.lower() != (self.email or "").lower():
            raise forms.ValidationError(_("This is not the member's e-mail address."))
        return value


class WholeNumberField(forms.CharField):
    """A whole number in bounds, ASCII digits only (``oscar_mlm.parsing.parse_int``)."""

    def __init__(self, *, minimum, maximum, **kwargs):
        self.minimum, self.maximum = minimum, maximum
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in ("", None):
            return None
        number = parse_int(value, self.minimum, self.maximum)
        if number is None:
            raise forms.ValidationError(
                _("Give a whole number from %(min)s to %(max)s.")
                % {"min": self.minimum, "max": self.maximum}
            )
        return number


class GrowthReportForm(forms.Form):
    """The growth report's choices; every field optional, bad values answer with a message."""

    months = WholeNumberField(label=_("Months"), minimum=1, maximum=36, required=False)
    member = forms.CharField(
        label=_("Below member"),
        required=False,
        max_length=63,
        help_text=_("Member number or handle; empty: the whole network."),
    )
    levels = WholeNumberField(label=_("Levels"), minimum=1, maximum=10, required=False)

    def clean_member(self):
        value = (self.cleaned_data.get("member") or "").strip()
        if not value:
            return None
        member = services.find_sponsor(value)
        if member is None:
            raise forms.ValidationError(_("No member with this number or handle."))
        return member


class TopDistributorsForm(forms.Form):
    month = forms.RegexField(
        label=_("Month"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        error_messages={"invalid": _("Give the month as YYYY-MM, e.g. 2026-11.")},
    )
    limit = WholeNumberField(label=_("How many"), minimum=1, maximum=100, required=False)
