"""Who becomes the sponsor of a new sign-up, and as what: the resolvers.

Two kinds of resolver feed the one precedence in ``services.sign_up``:

* request resolvers ``(request) -> SignupContext | None``: the storefront of
  the request, the attribution cookie (the storefront app);
* e-mail resolvers ``(email) -> SignupContext | None``: a sponsor bound to the
  address earlier, e.g. a guest order with a partner's voucher (the voucher app).

Each app names its own in its app config (``signup_resolvers``,
``signup_email_resolvers``), so an installed app is wired by being installed.
``OSCAR_MLM_SIGNUP_RESOLVERS`` / ``OSCAR_MLM_SIGNUP_EMAIL_RESOLVERS`` are
``None`` by default, meaning exactly those; a list replaces them (a system
check warns when the list leaves out an installed app's resolver).

Without any answer the company-site policy ``OSCAR_MLM_COMPANY_SIGNUP``
applies: no sign-up, or a sponsor id typed into the form.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from oscar_mlm.conf import get_setting

COMPANY_SIGNUP_NONE = "none"
COMPANY_SIGNUP_SPONSOR_ID = "sponsor_id"

REQUEST_RESOLVERS = ("OSCAR_MLM_SIGNUP_RESOLVERS", "signup_resolvers")
EMAIL_RESOLVERS = ("OSCAR_MLM_SIGNUP_EMAIL_RESOLVERS", "signup_email_resolvers")


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


def app_resolvers(attribute):
    """The dotted paths the installed apps declare, in INSTALLED_APPS order."""
    return [path for config in apps.get_app_configs() for path in getattr(config, attribute, ())]


def resolver_paths(kind):
    setting, attribute = kind
    configured = get_setting(setting)
    return app_resolvers(attribute) if configured is None else list(configured)


def _first_answer(kind, argument):
    for path in resolver_paths(kind):
        context = import_string(path)(argument)
        if context is not None:
            return context
    return None


def resolve_signup(request):
    """What the request says about the sponsor (storefront, cookie), or None."""
    return _first_answer(REQUEST_RESOLVERS, request)


def resolve_email(email):
    """A sponsor bound to this e-mail address earlier, or None."""
    return _first_answer(EMAIL_RESOLVERS, email) if email else None


def company_policy():
    policy = get_setting("OSCAR_MLM_COMPANY_SIGNUP")
    if policy not in (COMPANY_SIGNUP_NONE, COMPANY_SIGNUP_SPONSOR_ID):
        raise ImproperlyConfigured(
            f"OSCAR_MLM_COMPANY_SIGNUP must be 'none' or 'sponsor_id', not {policy!r}."
        )
    return policy
