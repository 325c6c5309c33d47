"""State changes of storefronts: the owner's edits and the company's control."""

from django.db import transaction
from oscar.core.loading import get_model

from .abstract_models import OWNER_FIELDS
from .exceptions import NotADistributor, StorefrontLocked

Member = get_model("mlm_network", "Member")
Storefront = get_model("mlm_storefront", "Storefront")

STAFF_FIELDS = ("is_hidden", "is_locked", "staff_note")


def _locked_storefront(member):
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.kind != Member.DISTRIBUTOR:
        raise NotADistributor()
    storefront, _created = Storefront.objects.select_for_update().get_or_create(member=member)
    return storefront


def update_storefront(*, member, by_staff=False, **values):
    """Change theme and location fields (owner), or those plus control fields (staff)."""
    allowed = OWNER_FIELDS + (STAFF_FIELDS if by_staff else ())
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValueError(f"Not storefront fields: {sorted(unknown)}")
    with transaction.atomic():
        storefront = _locked_storefront(member)
        if storefront.is_locked and not by_staff:
            raise StorefrontLocked()
        if values.get("photo") is False:  # a form's "clear" checkbox: no photo
            values["photo"] = ""
        for name, value in values.items():
            setattr(storefront, name, value)
        storefront.full_clean(exclude=["member"])
        storefront.save()
    return storefront
