"""What a storefront needs from the shop's settings, said at start-up.

Without the hosts middleware and the host configuration nobody ever reaches a
storefront: partner links answer the company site and sign-ups there get no
sponsor, with no error anywhere. These checks name what is missing.
"""

from django.conf import settings
from django.core.checks import Error, Warning, register

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


# -- the page cache (cache.py) ------------------------------------------------------------

UPDATE = "oscar_mlm.apps.mlm_storefront.cache.UpdateCacheMiddleware"
FETCH = "oscar_mlm.apps.mlm_storefront.cache.FetchFromCacheMiddleware"
# What must run between the two halves of the page cache (docs/hosting.rst).
BETWEEN = (
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "oscar_mlm.apps.mlm_storefront.middleware.StorefrontMiddleware",
)
GZIP = "django.middleware.gzip.GZipMiddleware"


@register()
def check_page_cache(app_configs, **kwargs):
    """The page cache in the wrong place would share what is personal: refuse to start."""
    middleware = list(settings.MIDDLEWARE)
    if UPDATE not in middleware and FETCH not in middleware:
        return []
    if UPDATE not in middleware or FETCH not in middleware:
        return [
            Error(
                f"Use both halves of the page cache: {UPDATE} and {FETCH}.",
                id="oscar_mlm.E211",
            )
        ]
    errors = []
    update, fetch = middleware.index(UPDATE), middleware.index(FETCH)
    outside = [m for m in BETWEEN if m in middleware and not update < middleware.index(m) < fetch]
    if outside:
        errors.append(
            Error(
                f"{', '.join(outside)} must come after {UPDATE} and before {FETCH}.",
                hint="UpdateCacheMiddleware right after HostsRequestMiddleware, "
                "FetchFromCacheMiddleware right before HostsResponseMiddleware.",
                id="oscar_mlm.E212",
            )
        )
    if GZIP in middleware and middleware.index(GZIP) > update:
        errors.append(
            Error(
                f"{GZIP} must come before {UPDATE}: the page cache writes each visitor's "
                "CSRF token into the page, which it cannot do in a compressed one.",
                id="oscar_mlm.E213",
            )
        )
    if settings.CSRF_USE_SESSIONS:
        errors.append(
            Warning(
                "With CSRF_USE_SESSIONS the page cache stores no page with a form.",
                id="oscar_mlm.W211",
            )
        )
    return errors
