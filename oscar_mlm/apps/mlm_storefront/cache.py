"""Django's per-site cache for anonymous pages: shared per host and language, personal after it.

Django's own cache middleware stores nearly nothing of an Oscar shop: every
page carries a CSRF token (the language form, add-to-basket forms), so its
response sets the CSRF cookie and Django refuses to store it; and every page
reads the session or the user, so it varies on the whole ``Cookie`` header,
one entry per visitor. These two subclasses make the anonymous pages shareable:

* **Who gets a shared page**: GET and HEAD requests without a session, a basket
  or a messages cookie and without an ``Authorization`` header
  (:data:`PRIVATE_COOKIES`). Everyone else (logged-in users, visitors with a
  basket or on the partner link, which lives in the session) passes the cache
  in both directions.
* **The key** is Django's: the absolute URL (so the host: each storefront and the
  company site apart, and the scheme) and the active language, plus the value of
  **each cookie the page read** while it was rendered (the request's cookies are
  watched). A page that looked at the attribution or the recently-viewed cookie
  is kept apart for visitors who carry one; the CSRF and the language cookie are
  no part of the key (the token is added after the cache, the language is in
  the key already). A page that read a cookie the visitor *has* is not stored:
  its content is that visitor's. On a storefront, a digest of what the
  storefront shows is part of the key too, so a partner's edit shows at once.
* **Not stored**: responses that set a cookie (a new session, a message),
  responses for logged-in users, anything but 200.
* **Added after the cache, per visitor**: the CSRF token (the cached page holds
  a placeholder where ``{% csrf_token %}`` was; the visitor's own masked token
  replaces it and the CSRF cookie is set as Django would), the attribution
  cookie of a storefront visit (first storefront wins, as without the cache),
  and Oscar's ``product_viewed`` signal for a product page served from the cache
  (recently viewed products and view counts). Responses to these requests are
  ``Cache-Control: private, no-cache``: a browser or proxy must not keep a page
  holding a visitor's token, and a page seen before the basket changed must not
  come back from the browser's cache.

Everything lives in Django's cache (one shared cache such as Redis serves every
process) and in the visitor's cookies: nothing is kept per process.

In ``MIDDLEWARE``, ``UpdateCacheMiddleware`` goes right after
``HostsRequestMiddleware`` and ``FetchFromCacheMiddleware`` right before
``HostsResponseMiddleware`` (see docs/hosting.rst). Django's
``CACHE_MIDDLEWARE_SECONDS``, ``CACHE_MIDDLEWARE_ALIAS`` and
``CACHE_MIDDLEWARE_KEY_PREFIX`` apply.
"""

import functools
import hashlib

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.middleware import cache as django_cache
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils.cache import cc_delim_re, patch_cache_control, patch_vary_headers
from django.utils.crypto import salted_hmac
from oscar.apps.catalogue.signals import product_viewed
from oscar.core.loading import get_model

from .attribution import remember

# Request "headers" of our own in the cache key: the cookies a page read, and the face
# of the storefront (``storefront_face``). Never sent to the browser.
VARY_PREFIX = "Mlm-Page-"
COOKIE_VARY_PREFIX = VARY_PREFIX + "Cookie-"
STOREFRONT_VARY = VARY_PREFIX + "Storefront"
URLCONF_VARY = VARY_PREFIX + "Urlconf"
# Marks a product page, so a copy from the cache still records the product view.
PRODUCT_HEADER = "X-Mlm-Page-Cache-Product"


@functools.cache
def _placeholder(secret_key):
    return "mlm-csrf-" + salted_hmac("oscar_mlm.page_cache", "csrf", secret=secret_key).hexdigest()


def csrf_placeholder():
    """What a stored page holds where ``{% csrf_token %}`` was; each visitor's token replaces it.

    Derived from ``SECRET_KEY``, so no text a visitor can put on a page (a review, a
    search term) turns into someone's token.
    """
    return _placeholder(settings.SECRET_KEY)


def private_cookies():
    """Cookies whose visitors never share a page: the session, the basket, messages."""
    return {
        settings.SESSION_COOKIE_NAME,
        settings.OSCAR_BASKET_COOKIE_OPEN,
        getattr(settings, "MESSAGE_COOKIE_NAME", CookieStorage.cookie_name),
    }


def keyless_cookies():
    """Cookies a page may read without being kept apart by them."""
    return {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}


def shares_pages(request):
    """True if ``request`` may get (and leave) a page shared with other visitors."""
    if request.method not in ("GET", "HEAD") or request.headers.get("Authorization"):
        return False
    return not private_cookies() & request.COOKIES.keys()


def _meta_name(header):
    return "HTTP_" + header.upper().replace("-", "_")


def storefront_face(storefront):
    """A digest of what the storefront shows (theme, name, link mode).

    Part of the key: an edit by the partner or staff, which drops the storefront
    lookup cache (lookup.py), gives the pages of that host new keys at once.
    """
    shown = sorted((name, str(value or "")) for name, value in storefront.visible_theme().items())
    text = repr((storefront.handle, storefront.mode, shown))
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


class WatchedCookies(dict):
    """``request.COOKIES`` that remembers which names were looked up."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.read = set()

    def __getitem__(self, name):
        self.read.add(name)
        return super().__getitem__(name)

    def __contains__(self, name):
        self.read.add(name)
        return super().__contains__(name)

    def get(self, name, default=None):
        self.read.add(name)
        return super().get(name, default)

    def _read_all(self):
        self.read.update(dict.keys(self))

    def __iter__(self):
        self._read_all()
        return super().__iter__()

    def keys(self):
        self._read_all()
        return super().keys()

    def items(self):
        self._read_all()
        return super().items()

    def values(self):
        self._read_all()
        return super().values()


class UpdateCacheMiddleware(django_cache.UpdateCacheMiddleware):
    """Stores shareable anonymous pages; adds each visitor's token and cookies after the cache."""

    def __init__(self, get_response):
        super().__init__(get_response)
        self.csrf = CsrfViewMiddleware(get_response)

    def process_request(self, request):
        request.mlm_page_cache_layer = True  # StorefrontMiddleware leaves attribution to us
        request.mlm_page_cache = shares_pages(request)
        if request.mlm_page_cache:
            cookies = WatchedCookies(request.COOKIES)
            for name, value in dict.items(cookies):
                if name not in keyless_cookies():
                    request.META[_meta_name(COOKIE_VARY_PREFIX + name)] = value
            request.COOKIES = cookies
            storefront = getattr(request, "storefront", None)
            if storefront is not None:
                request.META[_meta_name(STOREFRONT_VARY)] = storefront_face(storefront)
            # The URLconf answering (the hosts' and the shop's, read per request: a shop's
            # tests may override ROOT_URLCONF, and a page of one is no page of another).
            urlconf = (getattr(request, "urlconf", None), settings.ROOT_URLCONF)
            request.META[_meta_name(URLCONF_VARY)] = str(urlconf)
        return None

    def process_response(self, request, response):
        # Only what went through the whole chain: not, say, a static file that WhiteNoise
        # answered early (it keeps its own caching headers and gets no cookie).
        through = hasattr(request, "_cache_update_cache")  # FetchFromCacheMiddleware ran
        if through and getattr(request, "mlm_page_cache", False):
            self.store(request, response)
            self.personalise(request, response)
        if getattr(request, "mlm_attribute_after_cache", False):
            remember(request, response, request.storefront.handle)
        return response

    # -- before the cache ---------------------------------------------------------------------

    def store(self, request, response):
        """Let Django store ``response`` if it is the same for every visitor who shares pages."""
        history = settings.OSCAR_RECENTLY_VIEWED_COOKIE_NAME
        # The product view's history cookie is set again after the cache (``personalise``).
        deferred = response.cookies.pop(history, None)
        read = request.COOKIES.read - keyless_cookies()
        if not self.shareable(request, response, read):
            request._cache_update_cache = False
        vary = response.get("Vary")
        # The key varies on the cookies the page read, not on the whole Cookie header.
        headers = [h for h in cc_delim_re.split(vary or "") if h and h.lower() != "cookie"]
        headers += [COOKIE_VARY_PREFIX + name for name in sorted(read)]
        headers += [STOREFRONT_VARY, URLCONF_VARY]
        if headers:
            response["Vary"] = ", ".join(headers)
        elif vary is not None:
            del response["Vary"]
        super().process_response(request, response)
        if vary is not None:
            response["Vary"] = vary
        if deferred is not None:
            response.cookies[history] = deferred

    def shareable(self, request, response, read):
        user = getattr(request, "user", None)
        return (
            not response.cookies
            and user is not None
            and not user.is_authenticated
            # A page made from a cookie this visitor has is this visitor's page.
            and not read & dict.keys(request.COOKIES)
        )

    # -- after the cache ----------------------------------------------------------------------

    def personalise(self, request, response):
        if not response.streaming:
            placeholder = csrf_placeholder().encode()
            if placeholder in response.content:
                token = get_token(request).encode()
                response.content = response.content.replace(placeholder, token)
                if response.has_header("Content-Length"):
                    response["Content-Length"] = str(len(response.content))
                self.csrf.process_response(request, response)  # sets the CSRF cookie
        product = response.get(PRODUCT_HEADER)
        if product is not None:
            del response[PRODUCT_HEADER]
            if getattr(request, "mlm_page_cache_hit", False):
                self.product_viewed(request, response, product)
        if response.has_header("Vary"):
            kept = [
                h
                for h in cc_delim_re.split(response["Vary"])
                if not h.lower().startswith(VARY_PREFIX.lower())
            ]
            response["Vary"] = ", ".join(kept)
        patch_vary_headers(response, ("Cookie",))
        patch_cache_control(response, private=True, no_cache=True)

    def product_viewed(self, request, response, product_id):
        """A product page from the cache: Oscar's receivers record the view as for any other."""
        Product = get_model("catalogue", "Product")
        product = Product._default_manager.filter(pk=product_id).first()
        if product is not None:
            product_viewed.send(
                sender=type(self),
                product=product,
                user=request.user,
                request=request,
                response=response,
            )
            if response.has_header(PRODUCT_HEADER):
                del response[PRODUCT_HEADER]


class FetchFromCacheMiddleware(django_cache.FetchFromCacheMiddleware):
    """Serves a stored page to visitors who share pages; the others pass."""

    def process_request(self, request):
        if not getattr(request, "mlm_page_cache", False):
            request._cache_update_cache = False
            return None
        response = super().process_request(request)
        if response is not None:
            request.mlm_page_cache_hit = True
        return response

    def process_template_response(self, request, response):
        # The shared page gets a placeholder instead of this visitor's token (and so no
        # CSRF cookie of its own); UpdateCacheMiddleware puts each visitor's token in.
        if getattr(request, "mlm_page_cache", False) and not settings.CSRF_USE_SESSIONS:
            response.context_data = {
                **(response.context_data or {}),
                "csrf_token": csrf_placeholder(),
            }
        return response


def mark_product_page(sender, product, request=None, response=None, **kwargs):
    """``product_viewed`` receiver: tag a shareable product page with its product."""
    if response is not None and getattr(request, "mlm_page_cache", False):
        response[PRODUCT_HEADER] = str(product.pk)
