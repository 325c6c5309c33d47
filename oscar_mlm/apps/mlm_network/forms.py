from django import forms
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from oscar.apps.customer.utils import normalise_email
from oscar.core.loading import get_class, get_model

from oscar_mlm.conf import get_setting

from . import services
from .exceptions import InactiveSponsor, InvalidSponsor, NetworkError, SponsorNotFound
from .signup import SignupContext
from .validators import normalise_handle

EmailUserCreationForm = get_class("customer.forms", "EmailUserCreationForm")
Member = get_model("mlm_network", "Member")


def sponsor_by_email(email):
    """A sponsor an earlier event bound to this e-mail address (e.g. a guest order
    with a partner's voucher); it beats the storefront and the typed sponsor id.

    A resolver answers a ``Member`` (bound by a voucher) or a ``SignupContext``
    that also says how the sponsor was found.
    """
    for path in get_setting("OSCAR_MLM_SIGNUP_EMAIL_RESOLVERS"):
        sponsor = import_string(path)(email)
        if sponsor is not None:
            return sponsor
    return None


def email_placement(found):
    """``(sponsor, placement changes)`` of what :func:`sponsor_by_email` found."""
    if isinstance(found, SignupContext):
        return found.sponsor, {
            "source": found.source,
            "attribution": found.attribution,
            "attributed_storefront": found.storefront,
            "attributed": found.attributed_at,
        }
    return found, {"source": "voucher", "attribution": "voucher", "attributed_storefront": found}


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

    The sponsor comes from ``signup`` (resolved server-side, e.g. from the
    storefront) or, on the company site with policy ``sponsor_id``, from the
    required ``sponsor_id`` field. User and member are saved in one transaction:
    a failed sign-up leaves no user behind.
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

    def placement(self):
        signup = self.signup
        if signup is None:
            return {"kind": Member.CUSTOMER, "attribution": "sponsor_id"}
        return {
            "kind": signup.kind,
            "source": signup.source,
            "handle": self.cleaned_data.get("handle") or None,
            "attribution": signup.attribution,
            "attributed_storefront": signup.storefront,
            "attributed": signup.attributed_at,
        }

    def get_sponsor(self):
        return self.signup.sponsor if self.signup else self.cleaned_data["sponsor_id"]

    def save(self, commit=True):
        with transaction.atomic():
            user = super().save(commit=commit)
            if commit:
                sponsor, placement = self.get_sponsor(), self.placement()
                earlier = sponsor_by_email(user.email)
                if earlier is not None:
                    sponsor, changes = email_placement(earlier)
                    placement.update(changes)
                services.register_member(user=user, sponsor=sponsor, **placement)
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
