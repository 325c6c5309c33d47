"""Odd values for every option of the package's management commands: a clear refusal, no traceback.

The commands are found through Django's command registry, their options in
their own argument parsers, so commands added later are covered too. A
refused value (``CommandError``) must not have written to the database.
"""

import argparse

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from .crawler import net_writes
from .test_odd_input import ODD

pytestmark = pytest.mark.django_db

# Free-text options (a password) are tried with what no text may hold.
ODD_TEXT = ["\x00", ""]


def package_commands():
    return sorted(
        (name, app) for name, app in get_commands().items() if app.startswith("oscar_mlm")
    )


def value_options(command, name):
    parser = command.create_parser("manage.py", name)
    for action in parser._actions:
        if (
            not action.option_strings
            or action.nargs == 0
            or isinstance(action, argparse._HelpAction)
        ):
            continue
        option = max(action.option_strings, key=len)
        if option in {"--settings", "--pythonpath", "--verbosity"}:
            continue  # Django's own options
        yield option, (ODD if action.type is not None else ODD_TEXT)


def test_the_package_has_commands_with_options():
    names = [name for name, _app in package_commands()]
    assert "mlm_credit_return_orphans" in names
    assert "mlm_demo_network" in names


@pytest.mark.parametrize("name, app", package_commands())
def test_odd_option_values_are_refused_cleanly(company, name, app):
    command = load_command_class(app, name)
    failures = []
    quiet = (
        ["--no-progress"]
        if "--no-progress" in command.create_parser("m", name).format_usage()
        else []
    )
    for option, values in value_options(command, name):
        for value in values:
            connection.queries_log.clear()
            with transaction.atomic():
                with CaptureQueriesContext(connection) as queries:
                    try:
                        call_command(
                            name, f"{option}={value}", *quiet, stdout=_Null(), stderr=_Null()
                        )
                        refused = False
                    except CommandError as error:
                        refused = True
                        assert str(error), (option, value)
                    except Exception as error:  # noqa: BLE001 - what this test looks for
                        failures.append(
                            f"{name} {option}={value[:20]!r}: {type(error).__name__}: {error}"
                        )
                        refused = False
                transaction.set_rollback(True)
            writes = net_writes(queries.captured_queries)
            if refused and writes:
                failures.append(
                    f"{name} {option}={value[:20]!r} refused but wrote {sorted(writes)}"
                )
    assert not failures, "\n".join(failures)


class _Null:
    def write(self, text):
        return len(text)

    def flush(self):
        pass
