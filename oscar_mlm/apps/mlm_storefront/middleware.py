from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from oscar_mlm.apps.mlm_network.signup import is_company_shop_closed

from .attribution import remember
from .context import CUSTOMER

# URL namespaces that make up "the shop" the company site does without under
# OSCAR_MLM_COMPANY_SITE = "storefronts_only" (catalogue pages stay, to be browsed).
SHOP_NAMESPACES = ("basket", "checkout")

MODE_SESSION_KEY = "mlm_storefront_mode"


class NormaliseHostMiddleware:
    """Lower-case the Host header and drop a trailing dot before django-hosts matches it.

    Host names are case-insensitive, but django-hosts matches the raw header:
    ``ANNA.shop.example`` would silently fall back to the company site. Put this
    first, before ``HostsRequestMiddleware``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for key in ("HTTP_HOST", "HTTP_X_FORWARDED_HOST", "SERVER_NAME"):
            value = request.META.get(key)
            if value:
                name, sep, port = value.lower().rpartition(":")
                if not sep or "]" in port:  # no port (or a bare IPv6 address)
                    name, port = value.lower(), ""
                request.META[key] = name.rstrip(".") + (f":{port}" if port else "")
        return self.get_response(request)


class StorefrontMiddleware:
    """On a storefront: the link mode of this visit, and the attribution cookie.

    Goes after the session middleware. The mode (customer or partner link) is
    chosen by the entry link and kept in the session per storefront. With the
    page cache (``cache.UpdateCacheMiddleware``), the attribution cookie is set
    there instead, after the cache, so pages served from it set it too. On a
    company site without a shop (``OSCAR_MLM_COMPANY_SITE = "storefronts_only"``)
    the basket and the checkout send the visitor to *Find your consultant*.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        storefront = getattr(request, "storefront", None)
        if storefront is not None:
            modes = request.session.get(MODE_SESSION_KEY, {})
            storefront.mode = modes.get(storefront.handle, CUSTOMER)
        response = self.get_response(request)
        if storefront is not None and response.status_code < 400:
            if getattr(request, "mlm_page_cache_layer", False):
                request.mlm_attribute_after_cache = True  # pages from the cache too
            else:
                remember(request, response, storefront.handle)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.namespace not in SHOP_NAMESPACES:
            return None
        if not is_company_shop_closed(request):
            return None
        messages.info(request, _("Orders are placed in the storefront of a consultant."))
        return redirect(reverse("mlm_storefront:mlm-storefront-find"))


def set_mode(request, mode):
    """Keep ``mode`` for the rest of this visit to the current storefront."""
    storefront = request.storefront
    modes = dict(request.session.get(MODE_SESSION_KEY, {}))
    modes[storefront.handle] = mode
    request.session[MODE_SESSION_KEY] = modes
    storefront.mode = mode
