"""Erasure in the credit app: the bookings stay (the books do not change); their reasons
no longer name the person."""

from oscar.core.loading import get_model

from oscar_mlm.personal_data import scrub_rows

CreditEntry = get_model("mlm_credit", "CreditEntry")


def erase_credit(person):
    scrub_rows(CreditEntry.objects.all(), person, "reason")


def export_credit(user):
    """Every booking of the person's credit accounts, oldest first."""
    entries = (
        CreditEntry.objects.filter(account__user=user)
        .select_related("account")
        .order_by("account__currency", "created", "pk")
    )
    return {
        "credit_ledger": [
            {
                "when": entry.created,
                "type": entry.kind,
                "currency": entry.account.currency,
                "amount": entry.amount,
                "pending_amount": entry.pending_amount,
                "balance": entry.balance_after,
                "pending_balance": entry.pending_after,
                "order_number": entry.order_number,
                "reason": entry.reason,
            }
            for entry in entries
        ]
    }
