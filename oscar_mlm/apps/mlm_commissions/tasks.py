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
