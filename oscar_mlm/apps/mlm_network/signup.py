"""Who becomes the sponsor of a new sign-up, and as what.

A resolver is a callable ``(request) -> SignupContext | None`` named by dotted
path in ``OSCAR_MLM_SIGNUP_RESOLVERS``; the first one that answers wins. The
storefront app answers on a partner subdomain. Without an answer the
company-site policy ``OSCAR_MLM_COMPANY_SIGNUP`` applies: no sign-up, or a
sponsor id typed into the form.
"""

from dataclasses import dataclass, field

from django.utils.module_loading import import_string

from oscar_mlm.conf import get_setting

COMPANY_SIGNUP_NONE = "none"
COMPANY_SIGNUP_SPONSOR_ID = "sponsor_id"


@dataclass
class SignupContext:
    sponsor: object
    kind: str = "customer"
    source: str = "signup"
    # How the sponsor was found, stored on the member: "storefront", "cookie"...
    attribution: str = "sponsor_id"
    storefront: object = None  # the member whose storefront brought the person
    attributed_at: object = None
    extra: dict = field(default_factory=dict)


def resolve_signup(request):
    for path in get_setting("OSCAR_MLM_SIGNUP_RESOLVERS"):
        context = import_string(path)(request)
        if context is not None:
            return context
    return None


def company_policy():
    policy = get_setting("OSCAR_MLM_COMPANY_SIGNUP")
    if policy not in (COMPANY_SIGNUP_NONE, COMPANY_SIGNUP_SPONSOR_ID):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"OSCAR_MLM_COMPANY_SIGNUP must be 'none' or 'sponsor_id', not {policy!r}."
        )
    return policy
