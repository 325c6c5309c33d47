"""The voucher app's sign-up resolver (e-mail), declared in its app config.

A guest who ordered with a partner's code joins that partner when they
create an account later, on any site and whatever sponsor id they type.
"""

from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_network.signup import SignupContext

GuestAttribution = get_model("mlm_vouchers", "GuestAttribution")


def guest_signup(email):
    found = GuestAttribution.objects.filter(email=(email or "").lower()).select_related("issuer")
    attribution = found.first()
    if attribution is None or not attribution.issuer.can_sponsor:
        return None
    return SignupContext(
        sponsor=attribution.issuer,
        source="voucher",
        attribution="voucher",
        storefront=attribution.issuer,
        attributed_at=attribution.created,
    )
