"""Every way of closing a period issues its credit notes, not only the dashboard's job."""

import datetime as dt
import io
from decimal import Decimal as D

from django.core.management import call_command
from django.test import override_settings
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_commissions import services

from .conftest import TAX

CreditNote = get_model("mlm_commissions", "CreditNote")
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _notes(member):
    return list(
        CreditNote.objects.filter(member=member)
        .order_by("sequence")
        .values_list("period__start", "net")
    )


def test_the_close_command_issues_the_credit_notes(world):
    services.save_tax_profile(world["B2"], **TAX)
    out = io.StringIO()
    call_command("mlm_commission_close", "--period", "2025-11", "--no-progress", stdout=out)
    assert "Credit notes issued: 1." in out.getvalue()
    assert _notes(world["B2"]) == [
        (dt.date(2025, 10, 1), D("19.50")),
        (dt.date(2025, 11, 1), D("3.80")),
    ]


@override_settings(TASKS=IMMEDIATE)
def test_the_queued_close_of_the_api_issues_the_credit_notes(world):
    services.save_tax_profile(world["B2"], **TAX)
    result = services.queue_close(world.november)
    assert result.return_value["status"] == "closed"
    assert result.return_value["credit_notes"] == 1
    assert _notes(world["B2"])[-1] == (dt.date(2025, 11, 1), D("3.80"))
