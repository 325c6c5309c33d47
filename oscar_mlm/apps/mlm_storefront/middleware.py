from .attribution import remember
from .context import CUSTOMER

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
    there instead, after the cache, so pages served from it set it too.
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


def set_mode(request, mode):
    """Keep ``mode`` for the rest of this visit to the current storefront."""
    storefront = request.storefront
    modes = dict(request.session.get(MODE_SESSION_KEY, {}))
    modes[storefront.handle] = mode
    request.session[MODE_SESSION_KEY] = modes
    storefront.mode = mode
