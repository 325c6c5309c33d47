"""The storefront of an API request, for headless storefronts.

A storefront's own web pages know their storefront from the host
(``anna.shop.example``, django-hosts sets ``request.storefront``). A headless
front end (a single-page app, a mobile app) calls the API on any host and
names the storefront in the ``X-Storefront`` header or a ``storefront``
parameter (query or body): :func:`apply_storefront` then sets
``request.storefront`` exactly as the host would, so sign-up (the sign-up
resolvers) and order placement (``oscar_mlm.placement``) treat the request
like one on that storefront. The storefront's host wins over the header.
"""

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from oscar_mlm.apps.mlm_network.validators import normalise_handle
from oscar_mlm.parsing import has_nul

HEADER = "HTTP_X_STOREFRONT"
PARAMETER = "storefront"
UNKNOWN = _("There is no open storefront with this name.")
LINKS = ("customer", "partner")


def named_storefront(request, data=None):
    """The storefront handle the request names (header, then body, then query), or ""."""
    value = request.META.get(HEADER)
    if not value and data is not None and hasattr(data, "get"):
        value = data.get(PARAMETER)
    if not value:
        value = request.query_params.get(PARAMETER)
    return value if isinstance(value, str) else ""


def find_storefront(handle, link="customer"):
    """An open storefront's context for ``handle`` (renamed handles forward), or None."""
    if not apps.is_installed("oscar_mlm.apps.mlm_storefront"):
        return None
    from oscar_mlm.apps.mlm_storefront.callbacks import forwarded_handle, open_storefront
    from oscar_mlm.apps.mlm_storefront.context import CUSTOMER, DISTRIBUTOR

    handle = normalise_handle(handle)
    # PostgreSQL refuses a NUL byte in a query parameter; no handle has one.
    if not handle or len(handle) > 63 or has_nul(handle):
        return None
    found = open_storefront(handle)
    if found is None:
        forward = forwarded_handle(handle)
        found = open_storefront(forward) if forward else None
    if found is not None:
        found.mode = DISTRIBUTOR if link == "partner" else CUSTOMER
    return found


def apply_storefront(request, data=None, link="customer", field=PARAMETER):
    """Set ``request.storefront`` from the header or parameter unless the host set it.

    An unknown, hidden or inactive storefront is refused with a field error
    (400; the checkout turns it into oscarapi's 406): a headless shop that
    names a storefront must not silently sell as the company.
    """
    if getattr(request, "storefront", None) is not None:
        return request.storefront
    handle = named_storefront(request, data)
    if not handle:
        return None
    found = find_storefront(handle, link)
    if found is None:
        raise ValidationError({field: [UNKNOWN]})
    request.storefront = found
    # Code that reads the plain Django request (resolvers, placement) sees it too.
    django_request = getattr(request, "_request", None)
    if django_request is not None:
        django_request.storefront = found
    return found
