"""The attribution cookie: which storefront a visitor came through, and when.

Signed (a visitor cannot forge a sponsor), first storefront wins until it
expires, and set on the parent domain where configured so the company site
sees it too.
"""

import time

from oscar.core.loading import get_model

from oscar_mlm.conf import get_setting

from .links import hostname

SALT = "oscar_mlm.attribution"

Member = get_model("mlm_network", "Member")


def _max_age():
    return int(get_setting("OSCAR_MLM_ATTRIBUTION_DAYS")) * 86400


def read(request):
    """``(handle, visited_at)`` from a valid cookie, or ``None``."""
    raw = request.get_signed_cookie(
        get_setting("OSCAR_MLM_ATTRIBUTION_COOKIE"), default=None, salt=SALT, max_age=_max_age()
    )
    if not raw or ":" not in raw:
        return None
    handle, _sep, stamp = raw.partition(":")
    try:
        return handle, int(stamp)
    except ValueError:
        return None


def attributed_member(request):
    """The active distributor the visitor was attributed to, or ``None``."""
    found = read(request)
    if not found:
        return None, None
    member = Member.objects.filter(handle=found[0], kind=Member.DISTRIBUTOR).first()
    if member is None or not member.can_sponsor:
        return None, None
    return member, found[1]


def _cookie_domain(request):
    domain = get_setting("OSCAR_MLM_ATTRIBUTION_COOKIE_DOMAIN")
    if not domain:
        return None
    # Browsers drop a cookie for a domain the host is not part of; don't send one.
    return domain if ("." + hostname(request)).endswith("." + domain.lstrip(".")) else None


def remember(request, response, handle):
    """Set the cookie for ``handle`` unless a valid one already names a storefront."""
    if read(request):
        return
    response.set_signed_cookie(
        get_setting("OSCAR_MLM_ATTRIBUTION_COOKIE"),
        f"{handle}:{int(time.time())}",
        salt=SALT,
        max_age=_max_age(),
        domain=_cookie_domain(request),
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
