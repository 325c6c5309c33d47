"""A guest who ordered and later signs up with the same e-mail address joins the
distributor their guest order belonged to (seed 000: every address has a sponsor).

The app declares it in its config (``signup_email_resolvers``), so it is wired when the
app is installed; it is asked after the voucher app's resolver (a new-customer voucher
binds its buyer to the issuer explicitly), since the voucher app comes first in
``INSTALLED_APPS``.

The binding is the guest order's own volume record (``guest_email``, indexed):
no second table of e-mail addresses.
"""

from oscar.apps.customer.utils import normalise_email
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_network.signup import SignupContext

VolumeRecord = get_model("mlm_commissions", "VolumeRecord")
Member = get_model("mlm_network", "Member")

# Orders of one address looked at; a guest with more attributed orders than this
# whose distributors are all inactive joins the usual way.
LOOK_AT = 20


def guest_order_sponsor(email):
    """``SignupContext`` of the first attributed guest order of ``email`` whose distributor
    may sponsor now, or ``None``. Orders attributed to the company bind nobody."""
    email = normalise_email(email or "").lower()
    if not email:
        return None
    rows = list(
        VolumeRecord.objects.filter(guest_email=email, kind=VolumeRecord.SALE)
        .exclude(owned_by=VolumeRecord.COMPANY)
        .order_by("id")
        .values_list("owner_id", "owned_by", "placed")[:LOOK_AT]
    )
    owners = Member.objects.in_bulk({owner_id for owner_id, _by, _at in rows})
    for owner_id, owned_by, placed in rows:
        owner = owners.get(owner_id)
        if owner is not None and owner.kind == Member.DISTRIBUTOR and owner.can_sponsor:
            return SignupContext(
                sponsor=owner,
                kind=Member.CUSTOMER,
                attribution=owned_by,
                storefront=owner,
                attributed_at=placed,
            )
    return None
