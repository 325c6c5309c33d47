"""The shop's own URLconf, ``settings.ROOT_URLCONF``, looked up when it is used.

The hosts (``hosts.py``) point here instead of copying ``ROOT_URLCONF`` when
the host configuration is imported: a shop's tests that change the URLconf
(``override_settings(ROOT_URLCONF=...)``) then reach their own URLs on the
company site and on every storefront, not a 404. Django rebuilds its URL
resolvers when ``ROOT_URLCONF`` changes, and each rebuild reads this module's
``urlpatterns`` (and error handlers) anew.
"""

from importlib import import_module

from django.conf import settings

ATTRIBUTES = ("urlpatterns", "handler400", "handler403", "handler404", "handler500")


def shop_urlconf():
    urlconf = settings.ROOT_URLCONF
    return import_module(urlconf) if isinstance(urlconf, str) else urlconf


def __getattr__(name):
    if name in ATTRIBUTES:
        return getattr(shop_urlconf(), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
