from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from oscar.apps.customer.utils import normalise_email
from oscar.core.loading import get_class, get_model

from . import services
from .exceptions import InactiveSponsor, InvalidSponsor, NetworkError, SponsorNotFound
from .validators import normalise_handle

EmailUserCreationForm = get_class("customer.forms", "EmailUserCreationForm")
Member = get_model("mlm_network", "Member")


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


class SignupForm(EmailUserCreationForm):
    """Oscar's registration form plus the sponsor.

    ``signup`` is what the request's resolvers answered (e.g. the storefront);
    without an answer the company site's policy ``sponsor_id`` adds a required
    ``sponsor_id`` field. Who becomes the sponsor is decided by the one
    precedence of ``services.sign_up``. User and member are saved in one
    transaction: a failed sign-up leaves no user behind.
    """

    def __init__(self, *args, signup=None, **kwargs):
        self.signup = signup
        super().__init__(*args, **kwargs)
        if signup is None:
            self.fields["sponsor_id"] = SponsorIdField(required=True)
            self.order_fields(["sponsor_id", "email", "password1", "password2"])
        elif signup.kind == Member.DISTRIBUTOR:
            self.fields["handle"] = forms.CharField(
                label=_("Your storefront name"),
                max_length=63,
                required=False,
                help_text=_(
                    "Your shop will be at <name>.<our domain>. Leave blank to derive it "
                    "from your name."
                ),
            )

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

    def save(self, commit=True):
        with transaction.atomic():
            if commit:
                # clean_email checked without a lock: check again under it.
                services.claim_email(self.cleaned_data["email"])
            user = super().save(commit=commit)
            if commit:
                services.sign_up(
                    user=user,
                    signup=self.signup,
                    sponsor=self.cleaned_data.get("sponsor_id"),
                    handle=self.cleaned_data.get("handle") or None,
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
