"""Erasure and download of the back office's CRM data (``oscar_mlm.personal_data``).

Notes, follow-ups and tags are a distributor's private diary about their customers; no
figure of the books depends on them. Erasing a person deletes those they wrote and those
about them, takes them out of other distributors' tags, and scrubs their name, e-mail and
handles from every other note, follow-up, tag and staff read reason. The log of staff reads
(``NoteRead``) keeps its rows. The download holds what the person wrote, never what others
wrote about them.
"""

from django.db.models import Q
from oscar.core.loading import get_model

from oscar_mlm.personal_data import scrub_rows

CustomerNote = get_model("mlm_backoffice", "CustomerNote")
FollowUp = get_model("mlm_backoffice", "FollowUp")
CustomerTag = get_model("mlm_backoffice", "CustomerTag")
NoteRead = get_model("mlm_backoffice", "NoteRead")


def erase_crm(person):
    if person.member_id is not None:
        mine = Q(distributor_id=person.member_id) | Q(customer_id=person.member_id)
        # Notes are append-only for their authors; erasure is the one deletion the law demands.
        CustomerNote._base_manager.filter(mine).delete()
        FollowUp.objects.filter(mine).delete()
        CustomerTag.customers.through.objects.filter(member_id=person.member_id).delete()
        CustomerTag.objects.filter(distributor_id=person.member_id).delete()
    scrub_rows(CustomerNote.objects.all(), person, "text")
    scrub_rows(FollowUp.objects.all(), person, "text")
    scrub_rows(CustomerTag.objects.all(), person, "name")
    scrub_rows(NoteRead.objects.all(), person, "reason")


def export_crm(user):
    """The notes, follow-ups and tags the person wrote (not what others wrote about them)."""
    member_id = (
        get_model("mlm_network", "Member")
        .objects.filter(user=user)
        .values_list("pk", flat=True)
        .first()
    )
    if member_id is None:
        return {}
    notes = CustomerNote.objects.filter(distributor_id=member_id).order_by("contacted", "pk")
    follow_ups = FollowUp.objects.filter(distributor_id=member_id).order_by("due", "pk")
    tags = CustomerTag.objects.filter(distributor_id=member_id).order_by("name", "pk")
    return {
        "crm_notes": [
            {
                "customer_number": note.customer_id,
                "contacted": note.contacted,
                "channel": note.channel,
                "text": note.text,
                "written": note.created,
            }
            for note in notes
        ],
        "crm_follow_ups": [
            {
                "customer_number": follow_up.customer_id,
                "due": follow_up.due,
                "text": follow_up.text,
                "done": follow_up.done,
            }
            for follow_up in follow_ups
        ],
        "crm_tags": [
            {
                "tag": tag.name,
                "customer_numbers": sorted(tag.customers.values_list("pk", flat=True)),
            }
            for tag in tags
        ],
    }
