from django import forms
from django.db import transaction
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from oscar.apps.customer.utils import normalise_email
from oscar.core.loading import get_class, get_model

from . import services
from .exceptions import InactiveSponsor, InvalidSponsor, NetworkError, SponsorNotFound
from .signup import company_signup_kinds, self_signup_kind
from .validators import normalise_handle

EmailUserCreationForm = get_class("customer.forms", "EmailUserCreationForm")
Member = get_model("mlm_network", "Member")

# What a person joins as, in the words of the sign-up form.
KIND_LABELS = (("customer", _("Customer")), ("distributor", _("Partner")))


class SponsorIdField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Sponsor ID"))
        kwargs.setdefault(
            "help_text", _("The storefront name or member number of the person who invited you.")
        )
        kwargs.setdefault("max_length", 63)
        super().__init__(**kwargs)


def clean_sponsor_id(value):
    """Turn a typed sponsor id into an active sponsor, or raise a form error."""
    sponsor = services.find_sponsor(value)
    if sponsor is None:
        raise forms.ValidationError(SponsorNotFound.default_message, code="unknown")
    try:
        services.check_sponsor(sponsor)
    except (InactiveSponsor, InvalidSponsor) as exc:
        raise forms.ValidationError(exc.message, code="inactive") from None
    return sponsor


def storefront_address_example():
    """What a new distributor's storefront address looks like, e.g. ``yourname.shop.example``."""
    from django.apps import apps

    if apps.is_installed("oscar_mlm.apps.mlm_storefront"):
        from oscar_mlm.apps.mlm_storefront.links import parent_host

        domain = parent_host()
        if domain:
            # Translators: stands for the storefront name in an address, e.g. yourname.shop.example
            name = _("yourname")
            return f"{name}.{domain}"
    return ""


class SignupForm(EmailUserCreationForm):
    """Oscar's registration form plus the person's name and the sponsor.

    ``signup`` is what the request's resolvers answered (e.g. the storefront);
    without an answer the company site's policy ``sponsor_id`` adds a required
    ``sponsor_id`` field (and a choice of customer or partner when
    ``OSCAR_MLM_COMPANY_SIGNUP_KINDS`` allows both). Who becomes the sponsor is
    decided by the one precedence of ``services.sign_up``. User and member are
    saved in one transaction: a failed sign-up leaves no user behind. After
    ``save()`` the new member is ``form.member``.
    """

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)

    member = None

    def __init__(self, *args, signup=None, kind=None, names_required=True, **kwargs):
        self.signup = signup
        super().__init__(*args, **kwargs)
        # The web page asks for the names; the API keeps them optional, as it was released.
        self.fields["first_name"].required = names_required
        self.fields["last_name"].required = names_required
        order = ["first_name", "last_name", "email", "password1", "password2"]
        joins_as = signup.kind if signup is not None else None
        if signup is None:
            self.fields["sponsor_id"] = SponsorIdField(required=True)
            kinds = company_signup_kinds()
            if len(kinds) > 1:
                labels = dict(KIND_LABELS)
                self.fields["kind"] = forms.ChoiceField(
                    label=_("I join as"),
                    choices=[(k, labels[k]) for k in kinds],
                    initial=kind if kind in kinds else kinds[0],
                    widget=forms.RadioSelect,
                )
                order.insert(0, "kind")
            order.insert(0, "sponsor_id")
            joins_as = kind if kind in kinds else None
        if self_signup_kind(joins_as) == Member.DISTRIBUTOR or "kind" in self.fields:
            address = storefront_address_example() or _("your name in front of our domain")
            # Oscar's form template shows help texts as HTML: the address is escaped.
            help_text = _(
                "Your shop will be at %(address)s. Leave blank to derive it from your name."
            ) % {"address": escape(address)}
            if "kind" in self.fields:
                help_text = _("Partners only.") + " " + help_text
            self.fields["handle"] = forms.CharField(
                label=_("Your storefront name"),
                max_length=63,
                required=False,
                help_text=help_text,
            )
            order.append("handle")
        self.order_fields(order)

    def clean_first_name(self):
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self):
        return self.cleaned_data["last_name"].strip()

    def clean_handle(self):
        handle = normalise_handle(self.cleaned_data.get("handle"))
        if handle:
            try:
                services.check_handle_free(handle)
            except NetworkError as exc:
                raise forms.ValidationError(exc.message) from None
        return handle

    def clean_sponsor_id(self):
        return clean_sponsor_id(self.cleaned_data["sponsor_id"])

    def clean(self):
        data = super().clean()
        if data.get("handle") and data.get("kind", Member.DISTRIBUTOR) != Member.DISTRIBUTOR:
            self.add_error("handle", _("Only partners have a storefront name."))
        return data

    def save(self, commit=True):
        with transaction.atomic():
            if commit:
                # clean_email checked without a lock: check again under it.
                services.claim_email(self.cleaned_data["email"])
            user = super().save(commit=False)
            user.first_name = self.cleaned_data["first_name"]
            user.last_name = self.cleaned_data["last_name"]
            if commit:
                user.save()
                self.member = services.sign_up(
                    user=user,
                    signup=self.signup,
                    sponsor=self.cleaned_data.get("sponsor_id"),
                    handle=self.cleaned_data.get("handle") or None,
                    kind=self.cleaned_data.get("kind"),
                )
        return user


class PersonForm(forms.Form):
    """A person entered by a distributor (internal sign-up) or by staff."""

    email = forms.EmailField(label=_("Email address"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    kind = forms.ChoiceField(label=_("Joins as"))
    handle = forms.CharField(
        label=_("Storefront handle"),
        max_length=63,
        required=False,
        help_text=_("Distributors only. Leave blank to derive one from the name."),
    )

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = kinds or (Member.CUSTOMER, Member.DISTRIBUTOR)
        self.fields["kind"].choices = [c for c in Member.KIND_CHOICES if c[0] in allowed]

    def clean_email(self):
        email = normalise_email(self.cleaned_data["email"])
        from django.contrib.auth import get_user_model

        if get_user_model()._default_manager.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("A user with that email address already exists"))
        return email

    def clean_handle(self):
        return normalise_handle(self.cleaned_data.get("handle"))

    def clean(self):
        data = super().clean()
        handle, kind = data.get("handle"), data.get("kind")
        if handle:
            if kind != Member.DISTRIBUTOR:
                self.add_error("handle", _("Only distributors have a storefront handle."))
            else:
                try:
                    services.check_handle_free(handle)
                except NetworkError as exc:
                    self.add_error("handle", exc.message)
        return data
