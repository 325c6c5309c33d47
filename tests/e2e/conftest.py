"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Everything in this directory carries the ``e2e`` marker. Plain ``pytest`` runs
leave these tests out; ``pytest -m e2e`` (what ``./dev.sh test`` does in its
browser stage) or naming a path under ``tests/e2e`` runs them.

The live server serves static files (pytest-django uses the staticfiles
handler when ``django.contrib.staticfiles`` is installed), so pages get
Oscar's CSS. Tests use ``transactional_db``: the server thread must see what
the test wrote.
"""

import os
from pathlib import Path

import pytest

E2E_DIR = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("MLM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    # Storefront hosts of later tests; *.localhost resolves to loopback anyway.
    "--host-resolver-rules=MAP *.shop.test 127.0.0.1",
]


def _e2e_requested(config):
    """True if this run asks for browser tests: ``-m`` names e2e, or a path does."""
    if "e2e" in (config.option.markexpr or ""):
        return True
    if config.args_source == pytest.Config.ArgsSource.ARGS:
        return any(
            Path(arg.split("::")[0]).resolve().is_relative_to(E2E_DIR) for arg in config.args
        )
    return False


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.is_relative_to(E2E_DIR):
            item.add_marker(pytest.mark.e2e)
    if _e2e_requested(config):
        return
    kept = [item for item in items if "e2e" not in item.keywords]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if "e2e" in i.keywords])
        items[:] = kept


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright():
    """Playwright's sync API runs an asyncio loop in this thread; Django would refuse the ORM."""
    old = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if old is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = old


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, headless (unless --headed), never a downloaded browser."""
    if not os.access(CHROMIUM, os.X_OK):
        message = f"Chromium not found at {CHROMIUM} (Debian package 'chromium')"
        if os.environ.get("MLM_REQUIRE_BROWSER") or os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def live_port(live_server):
    return live_server.thread.port


@pytest.fixture(scope="session")
def live_url(live_port):
    """The live server as ``http://localhost:PORT``.

    Chromium resolves ``NAME.localhost`` to loopback too, so storefront tests can
    use ``http://NAME.localhost:PORT`` (Python's resolver does not).
    """
    return f"http://localhost:{live_port}"


@pytest.fixture(scope="session")
def base_url(live_url):
    """pytest-playwright's base URL: ``page.goto("/accounts/")`` opens the live server."""
    return live_url
