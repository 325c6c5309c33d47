"""Every way of closing a period issues its credit notes, not only the dashboard's job."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.test import override_settings
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_commissions import services
from oscar_mlm.apps.mlm_commissions.exceptions import CommissionError, InvalidTaxProfile

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


def test_the_dashboards_close_job_issues_the_credit_notes(world):
    Job = get_model("mlm_commissions", "CommissionJob")
    services.save_tax_profile(world["B2"], **TAX)
    job = Job.objects.create(period=world.november, action=Job.CLOSE)
    result = services.carry_out(job)
    assert (result["ok"], result["credit_notes"]) == (True, 1)
    assert _notes(world["B2"])[-1] == (dt.date(2025, 11, 1), D("3.80"))


def test_a_refused_credit_note_issue_leaves_the_period_closed_and_the_notes_come_later(
    world, monkeypatch
):
    from oscar_mlm.apps.mlm_commissions.services import statements

    services.save_tax_profile(world["B2"], **TAX)
    issue = statements.issue_credit_notes

    def busy(**kwargs):
        raise InvalidTaxProfile("Credit notes are being issued elsewhere; try again.")

    monkeypatch.setattr(statements, "issue_credit_notes", busy)
    with pytest.raises(CommissionError, match="elsewhere"):
        services.close_and_issue_credit_notes(world.november)
    world.november.refresh_from_db()
    assert world.november.is_closed
    monkeypatch.setattr(statements, "issue_credit_notes", issue)
    (note,) = services.issue_credit_notes(period=world.november)
    assert (note.member, note.net) == (world["B2"], D("3.80"))


def test_closing_twice_is_refused_before_any_credit_note(world):
    services.save_tax_profile(world["B2"], **TAX)
    with pytest.raises(CommissionError):
        services.close_and_issue_credit_notes(world.october)
    assert _notes(world["B2"]) == [(dt.date(2025, 10, 1), D("19.50"))]
