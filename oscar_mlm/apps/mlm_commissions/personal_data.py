"""Erasure in the commissions app: volume records and commission lines stay (other
members' figures do not change); a guest order's recorded e-mail is pseudonymised."""

from oscar.core.loading import get_model

VolumeRecord = get_model("mlm_commissions", "VolumeRecord")


def erase_volumes(person):
    # Append-only rows: the plain update is the one rewrite erasure needs.
    VolumeRecord._base_manager.filter(guest_email__iexact=person.email).update(
        guest_email=person.pseudonym_email
    )


def export_volumes(user):
    """The volume of the person's own purchases and of the sales that count for them."""
    records = VolumeRecord.objects.filter(owner__user=user).select_related("order")
    return {
        "volumes": [
            {
                "order_number": record.order.number,
                "placed": record.placed,
                "kind": record.kind,
                "owned_through": record.owned_by,
                "currency": record.currency,
                "value": record.value,
                "volume": record.volume,
            }
            for record in records.order_by("placed", "pk")
        ]
    }
