"""The network app alone, and each feature app alone on top of it, each in its own process.

A Django process cannot change its installed apps, so each combination runs
``tests/standalone/cases`` in a pytest process of its own with the settings
module of that combination (SQLite in memory).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMBINATIONS = [
    "network",
    "storefront",
    "vouchers",
    "credit",
    "commissions",
    "backoffice",
    "forked_checkout",
]


@pytest.mark.skipif(
    os.environ.get("MLM_TEST_DATABASE_URL", "").startswith("postgres"),
    reason="app combinations run once, in the SQLite stage (their own SQLite databases)",
)
@pytest.mark.parametrize("combination", COMBINATIONS)
def test_the_apps_stand_alone(combination):
    env = {
        **os.environ,
        "MLM_STANDALONE": "1",
        "MLM_TEST_DATABASE_URL": "",
        "DJANGO_SETTINGS_MODULE": f"tests.standalone.settings_{combination}",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/standalone/cases",
            f"--ds=tests.standalone.settings_{combination}",
            "-q",
            "-p",
            "no:randomly",
            "--no-header",
            "-o",
            "addopts=--strict-markers -p no:cacheprovider",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert " passed" in result.stdout
