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
applies: no sign-up, or a sponsor id typed into the form (and, per
``OSCAR_MLM_COMPANY_SIGNUP_KINDS``, the choice of customer or partner). A company
site without a shop (``OSCAR_MLM_COMPANY_SITE = "storefronts_only"``) has no
sign-up at all, and ``OSCAR_MLM_DISTRIBUTOR_SIGNUP = "internal"`` makes every
self sign-up a customer.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from oscar_mlm.conf import get_setting

COMPANY_SIGNUP_NONE = "none"
COMPANY_SIGNUP_SPONSOR_ID = "sponsor_id"
COMPANY_SITE_SHOP = "shop"
COMPANY_SITE_STOREFRONTS_ONLY = "storefronts_only"
DISTRIBUTOR_SIGNUP_SELF = "self"
DISTRIBUTOR_SIGNUP_INTERNAL = "internal"
CUSTOMER, DISTRIBUTOR = "customer", "distributor"

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


def _choice(name, allowed):
    value = get_setting(name)
    if value not in allowed:
        choices = " or ".join(repr(a) for a in allowed)
        raise ImproperlyConfigured(f"{name} must be {choices}, not {value!r}.")
    return value


def company_site():
    """``"shop"`` or ``"storefronts_only"`` (``OSCAR_MLM_COMPANY_SITE``)."""
    return _choice("OSCAR_MLM_COMPANY_SITE", (COMPANY_SITE_SHOP, COMPANY_SITE_STOREFRONTS_ONLY))


def is_company_shop_closed(request):
    """True on the company site (no storefront) when it offers no shop and no sign-up."""
    return (
        getattr(request, "storefront", None) is None
        and company_site() == COMPANY_SITE_STOREFRONTS_ONLY
    )


def company_policy():
    """Who may sign up on the company site: ``"none"`` or ``"sponsor_id"``.

    A company site that sends everyone to the storefronts has no sign-up at all.
    """
    policy = _choice("OSCAR_MLM_COMPANY_SIGNUP", (COMPANY_SIGNUP_NONE, COMPANY_SIGNUP_SPONSOR_ID))
    if company_site() == COMPANY_SITE_STOREFRONTS_ONLY:
        return COMPANY_SIGNUP_NONE
    return policy


def distributors_sign_up_themselves():
    """False when distributors are only entered by their sponsor or staff."""
    value = _choice(
        "OSCAR_MLM_DISTRIBUTOR_SIGNUP", (DISTRIBUTOR_SIGNUP_SELF, DISTRIBUTOR_SIGNUP_INTERNAL)
    )
    return value == DISTRIBUTOR_SIGNUP_SELF


def company_signup_kinds():
    """What a company-site sign-up with a sponsor id may make, customer first."""
    configured = set(get_setting("OSCAR_MLM_COMPANY_SIGNUP_KINDS") or ())
    if not distributors_sign_up_themselves():
        configured.discard(DISTRIBUTOR)
    return tuple(kind for kind in (CUSTOMER, DISTRIBUTOR) if kind in configured)


def self_signup_kind(kind):
    """The kind a self sign-up asking for ``kind`` gets: never a distributor when they
    are entered only by their sponsor (``OSCAR_MLM_DISTRIBUTOR_SIGNUP = "internal"``)."""
    if kind == DISTRIBUTOR and not distributors_sign_up_themselves():
        return CUSTOMER
    return kind
