"""Carrying out queued tasks in tests, the way ``manage.py db_worker`` does."""

import io

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader


def worker(worker_id="test-worker", batch=True):
    return Worker(queue_names=["default"], interval=0.2, batch=batch, backend_name="default",
                  startup_delay=False, max_tasks=None, worker_id=worker_id,
                  excluded_queue_names=[])


def work_off_queue():
    """Run every queued task now (in this thread and transaction); how many ran."""
    runner = worker()
    count = 0
    for result in DBTaskResult.objects.ready().order_by("enqueued_at"):
        result.claim(runner.worker_id)
        runner.run_task(result)
        count += 1
    return count


def pdf_text(content):
    """The text of every page of a PDF (bytes), extracted by pypdf."""
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def clear_commissions():
    """Delete every commission row, closed periods included, then restore the guards.

    A test on ``transactional_db`` that closes a period must call this before
    pytest-django flushes the database: on SQLite the close guards (row-level
    triggers of migration 0004) refuse the flush's deletes.
    """
    import importlib

    from django.apps import apps
    from django.db import connection

    guards = importlib.import_module(
        "oscar_mlm.apps.mlm_commissions.migrations.0004_commission_guards")
    with connection.schema_editor() as editor:
        guards.backwards(apps, editor)
    try:
        for name in ("CreditNote", "CommissionJob", "SettledRefund", "CommissionLine",
                     "CommissionStatement", "CommissionSnapshot", "CommissionPeriod",
                     "CommissionPlan"):
            apps.get_model("mlm_commissions", name).objects.all()._raw_delete("default")
    finally:
        with connection.schema_editor() as editor:
            guards.forwards(apps, editor)
