"""The production stack, started once for these tests with ``bash dev.sh prod``.

``MLM_STACK_ENV=/path/to/env`` uses a stack that already runs (the file ``dev.sh prod``
writes, see ``MLM_PROD_ENV_FILE``) and leaves it running. Otherwise the stack starts here
(a few minutes: migrations and demo data on a fresh PostgreSQL), and the last thing these
tests check is that Ctrl-C stops all of it.
"""

import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from oscar_mlm.test.stack import read_env

from .helpers import ROOT, START_SECONDS, Stack, alive, free_port


def _start():
    env_file = Path(tempfile.mkdtemp(prefix="mlm-stack-")) / "env"
    log = open(env_file.with_name("dev-sh.log"), "w")
    env = {
        **os.environ,
        "PORT": os.environ.get("MLM_PROD_PORT") or str(free_port()),
        "MLM_PROD_ENV_FILE": str(env_file),
        "MLM_GUNICORN_WORKERS": "4",
        "MLM_TASK_WORKERS": "2",
    }
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "MLM_TEST_DATABASE_URL"):
        env.pop(name, None)
    process = subprocess.Popen(
        ["bash", "dev.sh", "prod"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        # As from a terminal, whatever the test runner inherited: Ctrl-C reaches the stack.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + START_SECONDS
    while not env_file.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGINT)
                process.wait(120)
            log.close()
            tail = env_file.with_name("dev-sh.log").read_text()[-3000:]
            pytest.fail(f"bash dev.sh prod did not come up:\n{tail}")
        time.sleep(1)
    return process, env_file, log


@pytest.fixture(scope="session")
def stack():
    given = os.environ.get("MLM_STACK_ENV")
    if given:
        yield Stack(read_env(given))
        return
    process, env_file, log = _start()
    running = Stack(read_env(env_file))
    yield running
    # Ctrl-C: a SIGINT to the terminal's process group.
    pids = running.all_pids()
    os.killpg(process.pid, signal.SIGINT)
    process.wait(180)
    log.close()
    time.sleep(1)
    left = sorted(pid for pid in pids if alive(pid))
    assert not left, f"Ctrl-C left processes running: {left}"
    assert not running.dir.exists(), "the stack's directory was not removed"
