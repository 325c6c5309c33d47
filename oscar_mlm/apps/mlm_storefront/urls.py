"""Absolute URLs across hosts: the company site and each storefront.

Built from ``PARENT_HOST`` and the port of the current request, never from a
foreign Host header (the request's host passed ``ALLOWED_HOSTS``).
"""

from django.conf import settings


def hostname(request):
    """The request's host without the port ("" for an IPv6 literal)."""
    host = request.get_host()
    return "" if "]" in host else host.rsplit(":", 1)[0]


def _scheme(request):
    return "https" if request is not None and request.is_secure() else "http"


def _port(request):
    host = request.get_host() if request is not None else ""
    if host and not host.endswith("]") and ":" in host:
        return ":" + host.rsplit(":", 1)[1]
    port = str(getattr(settings, "HOST_PORT", "") or "")
    return f":{port}" if port else ""


def company_host_name():
    return getattr(settings, "PARENT_HOST", "").lstrip(".")


def company_url(request, path="/"):
    return f"{_scheme(request)}://{company_host_name()}{_port(request)}{path}"


def storefront_url(request, handle, path="/"):
    return f"{_scheme(request)}://{handle}.{company_host_name()}{_port(request)}{path}"


def partner_url(request, handle):
    return storefront_url(request, handle, "/join/")
