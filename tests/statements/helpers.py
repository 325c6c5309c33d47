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
