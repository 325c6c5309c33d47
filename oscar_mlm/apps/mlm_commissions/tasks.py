"""Background work (django-tasks) started from the dashboard."""

from django_tasks import task


@task()
def run_commission_period(period_id, preview=False):
    """``manage.py mlm_commission_run`` for one period, for a dashboard button."""
    from oscar.core.loading import get_model

    from . import services

    period = get_model("mlm_commissions", "CommissionPeriod").objects.get(pk=period_id)
    run = services.run_period(period, preview=preview)
    return {"period": str(period), "checksum": run.checksum, **run.summary}


@task()
def close_commission_period(period_id, user_id=None):
    """``manage.py mlm_commission_close`` for one period, in the background."""
    from django.contrib.auth import get_user_model
    from oscar.core.loading import get_model

    from . import services

    period = get_model("mlm_commissions", "CommissionPeriod").objects.get(pk=period_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    period, notes = services.close_and_issue_credit_notes(period, user=user)
    return {"period": str(period), "checksum": period.checksum, "status": period.status,
            "credit_notes": len(notes)}


@task()
def run_commission_job(job_id):
    """A run, preview, close, what-if or credit-note issue queued from the dashboard."""
    from oscar.core.loading import get_model

    from .services import jobs

    job = get_model("mlm_commissions", "CommissionJob").objects.select_related(
        "period", "queued_by").get(pk=job_id)
    return jobs.carry_out(job)
