"""Property-based fuzzing of the API against its own schema (schemathesis).

Hypothesis generates requests for every operation of the schema, valid and
invalid, and sends them to the sandbox's WSGI application as a distributor and
as staff. Every answer must be no server error, have a documented status
code and content type, and match the documented response schema. The run is
bounded (``MLM_FUZZ_EXAMPLES`` examples per operation, default 8) and
derandomized, so it gives the same result on every run.
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from oscar_mlm.apps.mlm_vouchers import services as vouchers
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory, UserFactory

from .conftest import basic

EXAMPLES = int(os.environ.get("MLM_FUZZ_EXAMPLES", "8"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def users(company):
    anna = DistributorFactory(parent=company, handle="anna")
    ben = DistributorFactory(parent=anna, handle="ben")
    CustomerFactory(parent=ben)
    vouchers.create_program(name="Fuzz", max_active_codes=3)
    vouchers.issue_voucher(member=anna)
    return {"distributor": anna.user, "staff": UserFactory(is_staff=True)}


def fuzz(user):
    """Every operation of the served schema, ``EXAMPLES`` generated requests each."""
    schema = schemathesis.openapi.from_wsgi("/api/mlm/schema/?format=json", WSGIHandler())
    headers = {"Authorization": basic(user)}
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure
            failures.append(f"{operation.label}: {exc}")
    assert operations >= 30
    assert not failures, "\n\n".join(failures)


@pytest.fixture
def keep_connection():
    """Keep the test's database connection across the WSGI requests.

    Django's WSGI handler closes the connection after each request when it is not
    in autocommit (close_old_connections), which the test's transaction never
    is; on PostgreSQL every later request would find it closed. Django's test
    client disconnects the same receivers for the same reason.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_as_a_distributor(users, keep_connection):
    fuzz(users["distributor"])


def test_as_staff(users, keep_connection):
    fuzz(users["staff"])
