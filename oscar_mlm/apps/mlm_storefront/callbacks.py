"""django-hosts callbacks: who owns the subdomain of this request.

The storefront pattern captures ``handle``; the callback does one indexed
lookup and sets ``request.storefront``. The company host sets it to ``None``.
Anything else answers like an unknown storefront: the shop's 404 page, or a
redirect to the company site (``OSCAR_MLM_UNKNOWN_STOREFRONT``). Never a server error.
"""

from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.urls import get_resolver, get_urlconf
from django.utils import timezone, translation
from oscar.core.loading import get_model

from oscar_mlm.conf import get_setting

from .context import StorefrontContext
from .links import company_url, hostname, parent_host, storefront_url
from .lookup import storefront_owner

Member = get_model("mlm_network", "Member")
HandleRedirect = get_model("mlm_network", "HandleRedirect")


def unknown_storefront(request):
    if get_setting("OSCAR_MLM_UNKNOWN_STOREFRONT") == "redirect":
        return HttpResponseRedirect(company_url(request, request.get_full_path()))
    request.storefront = None
    # The shop's own 404 page (its handler404), also under DEBUG: a mistyped shop name is
    # a visitor's slip, not a developer's error, so Django's technical page (which tells
    # visitors that DEBUG is on) would be the wrong answer on a shared test system too.
    handler = get_resolver(get_urlconf()).resolve_error_handler(404)
    # This runs before LocaleMiddleware: the page speaks the visitor's language all the same.
    with translation.override(translation.get_language_from_request(request)):
        return handler(request, Http404("Unknown storefront"))


def company_host(request):
    """The company site: the parent host, www, or any other allowed host.

    A deeper name below the parent (``a.b.shop.example``) is nobody's storefront.
    """
    request.storefront = None
    parent = parent_host()
    name = hostname(request)
    if parent and name.endswith("." + parent) and name != f"www.{parent}":
        label = name[: -len(parent) - 1]
        if "." in label or label not in get_setting("OSCAR_MLM_RESERVED_HANDLES"):
            return unknown_storefront(request)
    return None


def storefront_domains():
    return [
        d.lstrip(".").lower()
        for d in get_setting("OSCAR_MLM_STOREFRONT_DOMAINS") or [parent_host()]
    ]


def resolve_storefront(request, handle):
    handle = handle.lower()
    if handle in get_setting("OSCAR_MLM_RESERVED_HANDLES"):
        return company_host(request)
    # The host pattern also matches "anna.shop.example.shop.example": only
    # <handle>.<storefront domain> is a storefront.
    if hostname(request) not in {f"{handle}.{domain}" for domain in storefront_domains()}:
        return unknown_storefront(request)
    storefront = open_storefront(handle)
    if storefront is not None:
        request.storefront = storefront
        return None
    forward = forwarded_handle(handle)
    if forward:
        return HttpResponsePermanentRedirect(
            storefront_url(request, forward, request.get_full_path())
        )
    return unknown_storefront(request)


def open_storefront(handle):
    """The :class:`StorefrontContext` of the storefront ``handle`` if it is open to
    visitors (an active distributor's, not hidden by staff), else None."""
    member = storefront_owner(handle)
    theme = getattr(member, "storefront", None) if member else None
    if member and member.is_active and not (theme and theme.is_hidden):
        return StorefrontContext(member=member, handle=handle, theme=theme)
    return None


def forwarded_handle(handle):
    """The new handle a renamed ``handle`` still forwards to, or None."""
    forward = (
        HandleRedirect.objects.filter(old_handle=handle, expires__gt=timezone.now())
        .select_related("member")
        .first()
    )
    if forward and forward.member.is_active and forward.member.handle:
        return forward.member.handle
    return None
