"""Erasure in the commissions app: volume records, commission lines and statements stay
(other members' figures do not change); a guest order's recorded e-mail is pseudonymised,
the tax details are deleted, credit notes keep number, dates and amounts but no longer
name the person (unless ``OSCAR_MLM_ERASURE_KEEPS_CREDIT_NOTES`` keeps them whole for the
legal retention), and the results of queued commission work no longer name them."""

from django.apps import apps
from oscar.core.loading import get_model

from oscar_mlm.conf import get_setting
from oscar_mlm.personal_data import ERASED, scrub_value

VolumeRecord = get_model("mlm_commissions", "VolumeRecord")
Statement = get_model("mlm_commissions", "CommissionStatement")
TaxProfile = get_model("mlm_commissions", "TaxProfile")
CreditNote = get_model("mlm_commissions", "CreditNote")

TASKS_MODULE = "oscar_mlm.apps.mlm_commissions.tasks."


def erase_volumes(person):
    # Append-only rows: the plain update is the one rewrite erasure needs.
    VolumeRecord._base_manager.filter(guest_email__iexact=person.email).update(
        guest_email=person.pseudonym_email
    )


def erase_statements(person):
    if person.member_id is None:
        return
    TaxProfile.objects.filter(member_id=person.member_id).delete()
    if get_setting("OSCAR_MLM_ERASURE_KEEPS_CREDIT_NOTES"):
        return  # kept whole: a record the law obliges the company to keep (GDPR art. 17(3)(b))
    # Credit notes are frozen at issue (append-only); the number, period, amounts and VAT
    # stay for the books, the recipient's name, address and tax identifiers go.
    CreditNote._base_manager.filter(member_id=person.member_id).update(
        name=ERASED, address=ERASED, vat_id="", tax_number=""
    )


def erase_job_results(person):
    """The queued runs' results list distributors by name (highest totals, what-if rows)."""
    if not apps.is_installed("django_tasks_db"):
        return  # other task backends keep no results in this database
    from django_tasks_db.models import DBTaskResult

    # A few rows per period: read them in Python, as JSON text differs between databases.
    results = DBTaskResult.objects.filter(
        task_path__startswith=TASKS_MODULE, return_value__isnull=False
    )
    for pk, value in results.values_list("pk", "return_value"):
        scrubbed = scrub_value(value, person)
        if scrubbed != value:
            DBTaskResult.objects.filter(pk=pk).update(return_value=scrubbed)


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


def export_statements(user):
    """The person's commission statements, tax details and credit notes."""
    member_id = get_model("mlm_network", "Member").objects.filter(user=user).values_list(
        "pk", flat=True
    ).first()
    if member_id is None:
        return {}
    statements = Statement.objects.filter(member_id=member_id).select_related("period")
    profile = TaxProfile.objects.filter(member_id=member_id).first()
    notes = CreditNote.objects.filter(member_id=member_id).select_related("period")
    return {
        "commission_statements": [
            {
                "period": str(statement.period),
                "status": statement.period.status,
                "currency": statement.currency,
                "own_volume": statement.own_volume,
                "group_volume": statement.group_volume,
                "qualified": statement.qualified,
                "commission": statement.commission,
                "corrections": statement.corrections,
                "opening_balance": statement.opening_balance,
                "total": statement.total,
            }
            for statement in statements.order_by("period__start", "pk")
        ],
        "tax_details": [
            {
                "tax_status": profile.tax_status,
                "name": profile.name,
                "street": profile.street,
                "postcode": profile.postcode,
                "city": profile.city,
                "country": profile.country,
                "vat_id": profile.vat_id,
                "tax_number": profile.tax_number,
            }
        ]
        if profile
        else [],
        "credit_notes": [
            {
                "number": note.number,
                "period": str(note.period),
                "issued": note.issued,
                "currency": note.currency,
                "net": note.net,
                "vat_rate": note.vat_rate,
                "vat": note.vat,
                "gross": note.gross,
                "name": note.name,
                "address": note.address,
            }
            for note in notes.order_by("period__start", "pk")
        ],
    }
