"""The production stack as the tests see it: its processes, HTTP as the proxy sends it, SQL."""

import os
import socket
import subprocess
import time
from pathlib import Path

import psycopg
import requests

from oscar_mlm.test.stack import behind_proxy, csrf_token, form_fields, host

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 900


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid):
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                stat = (proc / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid ...: comm may hold spaces and parentheses.
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(proc.name))
    return found


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has ended; only its parent has not collected it yet.
    try:
        return (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]) != "Z"
    except OSError:
        return False


class Stack:
    def __init__(self, env):
        self.env = env
        self.url = env["MLM_PROD_URL"]
        self.dir = Path(env["MLM_PROD_DIR"])
        self.gunicorn = int(env["MLM_PROD_GUNICORN_PID"])
        self._client_ip = 0

    # -- processes --------------------------------------------------------------------------

    def web_workers(self):
        return sorted(children(self.gunicorn))

    def task_worker(self, name):
        return int((self.dir / f"{name}.pid").read_text())

    def task_worker_names(self):
        return [f"task-worker-{i}" for i in range(1, int(self.env["MLM_PROD_TASK_WORKERS"]) + 1)]

    def postmaster(self):
        return int((self.dir / "pg" / "data" / "postmaster.pid").read_text().split()[0])

    def all_pids(self):
        pids = {self.gunicorn, int(self.env["MLM_PROD_REDIS_PID"]), self.postmaster()}
        pids.update(self.web_workers())
        pids.update(int(p) for p in self.env["MLM_PROD_SUPERVISOR_PIDS"].split())
        pids.update(self.task_worker(name) for name in self.task_worker_names())
        return pids

    def restart_database(self, down_seconds=0):
        subprocess.run(
            [
                str(ROOT / "scripts/throwaway-pg.sh"),
                "restart",
                str(self.dir / "pg"),
                str(down_seconds),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )

    # -- HTTP -------------------------------------------------------------------------------

    def new_client_ip(self):
        # 198.18.0.0/15 is set aside for benchmarks (RFC 2544): never a real visitor.
        self._client_ip += 1
        return f"198.18.{self._client_ip // 250}.{self._client_ip % 250 + 1}"

    def session(self):
        return behind_proxy(requests.Session(), self.new_client_ip())

    def get(self, session, handle, path, headers=None, **kwargs):
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 30)
        headers = {"Host": host(handle), **(headers or {})}
        return session.get(self.url + path, headers=headers, **kwargs)

    def post(self, session, handle, path, data, **kwargs):
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 30)
        headers = {"Host": host(handle), "Referer": f"https://{host(handle)}{path}"}
        return session.post(self.url + path, data=data, headers=headers, **kwargs)

    def login(self, email, password, handle=None):
        session = self.session()
        page = self.get(session, handle, "/accounts/login/")
        fields = form_fields(page.text, form_id="login_form")
        fields.update({"login-username": email, "login-password": password, "login_submit": "1"})
        response = self.post(session, handle, "/accounts/login/", fields)
        assert response.status_code == 302, response.text[:500]
        return session

    def submit(self, session, handle, path, form_id, changes=None, button=None):
        """GET the page, POST its form back with ``changes``; the response."""
        page = self.get(session, handle, path)
        assert page.status_code == 200, (path, page.status_code)
        fields = form_fields(page.text, form_id=form_id) if form_id else {}
        fields.setdefault("csrfmiddlewaretoken", csrf_token(page.text))
        fields.update(changes or {})
        if button:
            fields.update(button)
        return self.post(session, handle, path, fields)

    def served_by(self, marker, since):
        """gunicorn worker pids that logged a request line containing ``marker``."""
        pids = set()
        with open(self.dir / "access.log") as log:
            log.seek(since)
            for line in log:
                if marker in line:
                    pids.add(int(line.split()[1].strip("<>")))
        return pids

    def log_position(self):
        return (self.dir / "access.log").stat().st_size

    # -- the database -----------------------------------------------------------------------

    def sql(self, query, params=()):
        with psycopg.connect(self.env["DATABASE_URL"], autocommit=True) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else cursor.rowcount

    def django(self, code, timeout=300):
        """Run Python with the stack's settings (``manage.py shell -c``); its stdout."""
        env = {**os.environ, **self.env}
        result = subprocess.run(
            [str(ROOT / ".venv/bin/python"), "sandbox/manage.py", "shell", "-v", "0", "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout


def wait_until(condition, timeout, what, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")
