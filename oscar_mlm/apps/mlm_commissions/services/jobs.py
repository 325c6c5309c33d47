"""Dashboard jobs: runs, previews, closes, what-ifs and credit notes as django-tasks tasks.

The web request only queues (:func:`queue_job`); a worker carries out
:func:`carry_out` through ``tasks.run_commission_job``. The job row keeps the
task's id, so :func:`job_state` can tell the page how far it is and what came
out. A refusal of the work (a :class:`CommissionError`) is a result too:
``{"ok": False, "error": message}``.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from ..exceptions import CommissionError
from . import closing, commissions, statements

#: Rows of a what-if result kept with the job (the largest differences first).
WHAT_IF_ROWS = 500


def _job_model():
    return get_model("mlm_commissions", "CommissionJob")


def queue_job(period, action, *, user=None, parameters=None):
    """Queue ``action`` for ``period``; the job. What-if parameters are checked first."""
    Job = _job_model()
    if action not in dict(Job.ACTION_CHOICES):
        raise CommissionError(_("Unknown action."))
    parameters = dict(parameters or {})
    if action == Job.WHAT_IF:
        if not period.is_closed:
            raise CommissionError(
                _("What-if runs use a closed period's frozen data; %(period)s is open.")
                % {"period": period})
        fields = commissions.validate_plan(**parameters)
        parameters = {
            "levels": fields["levels"],
            "rates": fields["level_rates"],
            "own_volume_rate": str(fields["own_volume_rate"]),
            "minimum_own_volume": str(fields["minimum_own_volume"]),
            "unqualified_share": fields["unqualified_share"],
        }
    elif action in (Job.RUN, Job.PREVIEW, Job.CLOSE) and period.is_closed:
        raise CommissionError(_("The period %(period)s is closed.") % {"period": period})
    elif action == Job.CREDIT_NOTES and not period.is_closed:
        raise CommissionError(_("Credit notes are issued for closed periods only."))
    from ..tasks import run_commission_job

    with transaction.atomic():
        job = Job.objects.create(period=period, action=action, parameters=parameters,
                                 queued_by=user)
        # The database backend writes the task in this transaction: a worker
        # sees task and job together, after the commit.
        result = run_commission_job.enqueue(job.pk)
        job.task_id = str(result.id)
        job.save(update_fields=["task_id"])
    return job


def carry_out(job):
    """Do what ``job`` asks (in the worker); a JSON-able result."""
    Job = _job_model()
    period = job.period
    try:
        if job.action in (Job.RUN, Job.PREVIEW):
            run = commissions.run_period(period, preview=job.action == Job.PREVIEW)
            return {"ok": True, "checksum": run.checksum, **run.summary,
                    "top": _top_totals(run.totals())}
        if job.action == Job.CLOSE:
            period, notes = closing.close_and_issue_credit_notes(period, user=job.queued_by)
            return {"ok": True, "checksum": period.checksum, **period.summary,
                    "credit_notes": len(notes)}
        if job.action == Job.CREDIT_NOTES:
            notes = statements.issue_credit_notes(period=period)
            return {"ok": True, "credit_notes": len(notes)}
        if job.action == Job.WHAT_IF:
            return {"ok": True, **_what_if(period, job.parameters)}
    except CommissionError as exc:
        return {"ok": False, "error": str(exc.message)}
    return {"ok": False, "error": str(_("Unknown action."))}


def _names(member_ids):
    Member = get_model("mlm_network", "Member")
    members = Member.objects.filter(pk__in=member_ids).select_related("user")
    return {m.pk: m.display_name for m in members}


def _top_totals(totals, count=20):
    top = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:count]
    names = _names([m for m, _t in top])
    return [{"member": m, "name": names.get(m, str(m)), "total": str(t)} for m, t in top]


def _what_if(period, parameters):
    plan = commissions.build_plan(currency=period.currency, **parameters)
    result = commissions.what_if(period, plan)
    changed = [r for r in result.rows if r.difference]
    shown = sorted(result.rows, key=lambda r: (-abs(r.difference), -r.paid, r.member))
    shown = shown[:WHAT_IF_ROWS]
    names = _names([r.member for r in shown])
    return {
        "plan": parameters,
        "paid_total": str(result.paid_total),
        "what_if_total": str(result.what_if_total),
        "difference": str(result.what_if_total - result.paid_total),
        "distributors": len(result.rows),
        "changed": len(changed),
        "rows": [{"member": r.member, "name": names.get(r.member, str(r.member)),
                  "paid": str(r.paid), "what_if": str(r.what_if),
                  "difference": str(r.difference)} for r in shown],
    }


@dataclass
class JobState:
    job: object
    status: str  # READY, RUNNING, SUCCESSFUL, FAILED, or UNKNOWN
    result: dict | None
    error: str = ""

    @property
    def finished(self):
        return self.status in ("SUCCESSFUL", "FAILED", "UNKNOWN")

    @property
    def ok(self):
        return self.status == "SUCCESSFUL" and bool(self.result and self.result.get("ok"))


def job_state(job):
    """How far the task of ``job`` is, and its result once it has one."""
    from django_tasks.exceptions import TaskResultDoesNotExist

    from ..tasks import run_commission_job

    if not job.task_id:
        return JobState(job, "READY", None)
    try:
        result = run_commission_job.get_result(job.task_id)
    except (NotImplementedError, TaskResultDoesNotExist):
        # A backend that keeps no results (e.g. the immediate one), or results pruned.
        return JobState(job, "UNKNOWN", None)
    status = str(result.status)
    if status == "SUCCESSFUL":
        value = result.return_value or {}
        return JobState(job, status, value, "" if value.get("ok") else value.get("error", ""))
    if status == "FAILED":
        error = ""
        if result.errors:
            lines = result.errors[-1].traceback.strip().splitlines()
            error = lines[-1] if lines else ""
        return JobState(job, status, None, error or str(_("The task failed.")))
    return JobState(job, status, None)
