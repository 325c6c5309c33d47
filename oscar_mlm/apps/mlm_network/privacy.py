"""Who in the network may see whom, and how much: the one rule of the back office and the API.

Seed 004 names the concern: the company may not hand a distributor the addresses of
people they have no business relationship with (GDPR). So:

* **Whom.** A distributor sees the members of their own downline, and no one else.
  Every other member number answers 404, whether it exists or not; the check walks up
  from the member asked for (:func:`~.tree.is_below`'s walk, a path of tree depth),
  never down through a large downline. :func:`downline_member`.
* **How much.** Name, level, kind, status, join date and figures of everyone in the
  downline; contact data (e-mail address, telephone, postal address) only of the
  distributor's own first line, which holds their own customers. :func:`sees_contact`.
* ``OSCAR_MLM_NETWORK_CONTACT_DATA`` narrows it further: ``"first_line"`` (the
  default, as above), ``"customers"`` (own customers only, not first-line
  distributors) or ``"none"`` (no contact data at all).

Views, exports and API serializers ask this module and show a contact only when it
gives one; nothing else decides it.
"""

from dataclasses import dataclass, field

from django.apps import apps
from oscar.core.loading import get_model

from oscar_mlm.conf import get_setting
from oscar_mlm.parsing import parse_id

from . import tree

FIRST_LINE, CUSTOMERS, NONE = "first_line", "customers", "none"
CONTACT_DATA_CHOICES = (FIRST_LINE, CUSTOMERS, NONE)


@dataclass(frozen=True)
class Contact:
    """What a distributor may know to reach a member; empty strings for what is not known."""

    email: str = ""
    phone: str = ""
    address: list = field(default_factory=list)  # the lines of the postal address


def _member_model():
    return get_model("mlm_network", "Member")


def downline_member(viewer, member_id):
    """The member ``member_id`` if it is ``viewer`` or in ``viewer``'s downline, else ``None``.

    ``member_id`` may be raw input (parsed with :func:`oscar_mlm.parsing.parse_id`).
    The member comes with ``user`` and ``.level``, its depth below ``viewer`` (0 for
    ``viewer`` themself). Callers answer ``None`` with a 404.
    """
    pk = parse_id(member_id)
    if pk is None or viewer is None:
        return None
    member = _member_model().objects.select_related("user").filter(pk=pk).first()
    if member is None:
        return None
    if member.pk == viewer.pk:
        member.level = 0
        return member
    # is_below's walk up from the member, which also counts the levels on the way.
    level = tree.level_of(viewer, member)
    if level is None:
        return None
    member.level = level
    return member


def contact_scope():
    value = get_setting("OSCAR_MLM_NETWORK_CONTACT_DATA")
    return value if value in CONTACT_DATA_CHOICES else NONE


def sees_contact(viewer, member):
    """Whether ``viewer`` may see ``member``'s contact data (see the module's rule)."""
    if viewer is None or member is None or member.parent_id != viewer.pk:
        return False
    scope = contact_scope()
    if scope == FIRST_LINE:
        return True
    return scope == CUSTOMERS and member.kind == member.CUSTOMER


def contacts(viewer, members):
    """``{member pk: Contact}`` for those of ``members`` whose contact ``viewer`` may see.

    One query for the postal addresses of all of them (Oscar's default shipping
    address, else the default billing address, else the latest); members must come
    with their ``user``.
    """
    visible = [m for m in members if sees_contact(viewer, m) and m.user_id]
    if not visible:
        return {}
    addresses = _addresses([m.user_id for m in visible])
    result = {}
    for member in visible:
        address = addresses.get(member.user_id)
        result[member.pk] = Contact(
            email=member.user.email or "",
            phone=_phone(address.phone_number) if address is not None else "",
            address=list(address.active_address_fields()) if address is not None else [],
        )
    return result


def contact(viewer, member):
    """``member``'s :class:`Contact` if ``viewer`` may see it, else ``None``."""
    return contacts(viewer, [member]).get(member.pk)


def _phone(number):
    if not number:
        return ""
    return getattr(number, "as_international", None) or str(number)


def _addresses(user_ids):
    try:
        UserAddress = apps.get_model("address", "UserAddress")
    except LookupError:  # a shop without Oscar's address book (or a fork of it)
        return {}
    best = {}
    rows = UserAddress.objects.filter(user_id__in=user_ids).select_related("country")
    # Default shipping first, then default billing, then the newest.
    for address in rows.order_by("-is_default_for_shipping", "-is_default_for_billing", "-pk"):
        best.setdefault(address.user_id, address)
    return best
