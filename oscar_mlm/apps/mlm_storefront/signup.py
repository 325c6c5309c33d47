"""Sign-up resolvers (``OSCAR_MLM_SIGNUP_RESOLVERS``) of the storefront app.

Precedence, first answer wins: the storefront of this request, then the
attribution cookie. The company-site policy (sponsor id) comes after both.
"""

from datetime import UTC, datetime

from django.utils import timezone

from oscar_mlm.apps.mlm_network.signup import SignupContext, self_signup_kind
from oscar_mlm.conf import get_setting

from .attribution import attributed_member


def storefront_signup(request):
    storefront = getattr(request, "storefront", None)
    if storefront is None:
        return None
    kind = (
        self_signup_kind(get_setting("OSCAR_MLM_DISTRIBUTOR_LINK_SIGNUP_KIND"))
        if storefront.is_distributor_link
        else "customer"
    )
    return SignupContext(
        sponsor=storefront.member,
        kind=kind,
        attribution="storefront",
        storefront=storefront.member,
        attributed_at=timezone.now(),
    )


def attribution_signup(request):
    if getattr(request, "storefront", None) is not None:
        return None
    member, visited = attributed_member(request)
    if member is None:
        return None
    return SignupContext(
        sponsor=member,
        kind="customer",
        attribution="cookie",
        storefront=member,
        attributed_at=datetime.fromtimestamp(visited, tz=UTC),
    )
