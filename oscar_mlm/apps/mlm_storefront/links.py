"""Absolute links across hosts: the company site and each storefront.

Storefront links are reversed by django-hosts (``django_hosts.resolvers``) on
the hostconf's ``storefront`` host, which adds ``PARENT_HOST``; the company
site is ``PARENT_HOST`` itself. Scheme and port are those of the current
request, never its host name, so a forged Host header cannot leak into a link
(the request's host passed ``ALLOWED_HOSTS`` anyway). Without a port in the
request, ``HOST_PORT`` (django-hosts' setting) applies.
"""

from django.conf import settings
from django_hosts.resolvers import reverse, reverse_host
from django_hosts.utils import normalize_port

# The name of the storefront host in the hostconf (oscar_mlm.apps.mlm_storefront.hosts).
STOREFRONT_HOST = "storefront"


def parent_host():
    """The company's domain: ``PARENT_HOST``, lower case, without a leading dot.

    The one place the package reads ``PARENT_HOST`` (django-hosts reads it too, when it
    compiles the host patterns and in ``reverse_host``).
    """
    return getattr(settings, "PARENT_HOST", "").lstrip(".").lower()


def hostname(request):
    """The request's host without the port ("" for an IPv6 literal)."""
    host = request.get_host()
    return "" if "]" in host else host.rsplit(":", 1)[0]


def _scheme(request):
    return "https" if request is not None and request.is_secure() else "http"


def _port(request):
    """``":8000"``: the port of the request's host, else django-hosts' ``HOST_PORT``, else ""."""
    host = request.get_host() if request is not None else ""
    if host and not host.endswith("]") and ":" in host:
        return ":" + host.rsplit(":", 1)[1]
    return normalize_port(str(getattr(settings, "HOST_PORT", "") or ""))


def company_url(request, path="/"):
    """``path`` on the company site (the bare ``PARENT_HOST``)."""
    return f"{_scheme(request)}://{parent_host()}{_port(request)}{path}"


def storefront_url(request, handle, path="/"):
    """Any ``path`` on the storefront ``handle`` (a redirect keeps the visitor's path)."""
    host = reverse_host(STOREFRONT_HOST, kwargs={"handle": handle})
    return f"{_scheme(request)}://{host}{_port(request)}{path}"


def _storefront_reverse(request, handle, viewname):
    return reverse(
        viewname,
        host=STOREFRONT_HOST,
        host_kwargs={"handle": handle},
        scheme=_scheme(request),
        port=_port(request),
    )


def customer_link(request, handle):
    """The storefront's customer link: the shop's home page on the storefront."""
    return _storefront_reverse(request, handle, "home")


def distributor_link(request, handle):
    """The storefront's partner link (``/join/``): the opportunity and the sign-up."""
    return _storefront_reverse(request, handle, "mlm_storefront:mlm-storefront-join")
