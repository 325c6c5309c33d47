"""Erasure in the credit app: the bookings stay (the books do not change); their reasons
no longer name the person."""

from oscar.core.loading import get_model

from oscar_mlm.personal_data import scrub_rows

CreditEntry = get_model("mlm_credit", "CreditEntry")


def erase_credit(person):
    scrub_rows(CreditEntry.objects.all(), person, "reason")
