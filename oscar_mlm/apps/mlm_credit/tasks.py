"""Background work (django-tasks) started from the dashboard."""

from django_tasks import task


@task()
def expire_credit():
    """The expiry run of ``manage.py mlm_credit_expire``, for the dashboard button."""
    from . import services

    booked, total = services.expire_all()
    return {"bookings": booked, "total": str(total)}


@task()
def return_orphan_spends():
    """``manage.py mlm_credit_return_orphans``, for the dashboard button."""
    from . import services

    count, total = services.return_orphan_spends()
    return {"returned": count, "total": str(total)}
