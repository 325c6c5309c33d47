"""What a storefront needs from the shop's settings, said at start-up.

Without the hosts middleware and the host configuration nobody ever reaches a
storefront: partner links answer the company site and sign-ups there get no
sponsor, with no error anywhere. These checks name what is missing.
"""

from django.conf import settings
from django.core.checks import Warning, register

REQUEST_MIDDLEWARE = "django_hosts.middleware.HostsRequestMiddleware"
STOREFRONT_MIDDLEWARE = "oscar_mlm.apps.mlm_storefront.middleware.StorefrontMiddleware"
CONTEXT_PROCESSOR = "oscar_mlm.apps.mlm_storefront.context_processors.storefront"
GUIDE = "See 'Installing into an existing Oscar shop' in the django-oscar-mlm docs."


def _context_processors():
    for engine in getattr(settings, "TEMPLATES", []):
        if engine.get("BACKEND") == "django.template.backends.django.DjangoTemplates":
            yield from engine.get("OPTIONS", {}).get("context_processors", [])


@register()
def check_storefront_settings(app_configs, **kwargs):
    middleware = list(getattr(settings, "MIDDLEWARE", []))
    warnings = []
    if REQUEST_MIDDLEWARE not in middleware or not getattr(settings, "ROOT_HOSTCONF", None):
        warnings.append(
            Warning(
                "Storefronts need django-hosts: HostsRequestMiddleware (first in MIDDLEWARE) "
                "and ROOT_HOSTCONF = 'oscar_mlm.apps.mlm_storefront.hosts'. Without them "
                "every storefront address shows the company site and sign-ups there get "
                "no sponsor.",
                hint=GUIDE,
                id="oscar_mlm.W201",
            )
        )
    if STOREFRONT_MIDDLEWARE not in middleware:
        warnings.append(
            Warning(
                f"{STOREFRONT_MIDDLEWARE} is not in MIDDLEWARE: storefront visits set no "
                "attribution cookie and the partner link is not kept during a visit.",
                hint=GUIDE,
                id="oscar_mlm.W202",
            )
        )
    if CONTEXT_PROCESSOR not in _context_processors():
        warnings.append(
            Warning(
                f"{CONTEXT_PROCESSOR} is not among the template context processors: "
                "storefronts do not show the partner's name, photo and colours.",
                hint=GUIDE,
                id="oscar_mlm.W203",
            )
        )
    return warnings
