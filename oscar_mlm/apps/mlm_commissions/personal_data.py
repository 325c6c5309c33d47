"""Erasure in the commissions app: volume records and commission lines stay (other
members' figures do not change); a guest order's recorded e-mail is pseudonymised."""

from oscar.core.loading import get_model

VolumeRecord = get_model("mlm_commissions", "VolumeRecord")


def erase_volumes(person):
    # Append-only rows: the plain update is the one rewrite erasure needs.
    VolumeRecord._base_manager.filter(guest_email__iexact=person.email).update(
        guest_email=person.pseudonym_email
    )
