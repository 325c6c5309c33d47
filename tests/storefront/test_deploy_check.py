"""The documented production settings (sandbox/settings_production.py, docs/hosting.rst).

Each test runs Django in a subprocess with those settings: they read the environment at
import and cannot be loaded next to the test settings.
"""

import json
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "sandbox.settings_production"


def env(**overrides):
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    values = dict(os.environ)
    values.pop("DJANGO_SETTINGS_MODULE", None)  # pytest-django's; --settings decides
    values.update(
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(60)),
        DATABASE_URL="postgresql://u:p@127.0.0.1:1/x",  # never connected to
        REDIS_URL="redis://127.0.0.1:1/0",
        PYTHONPATH=str(ROOT),
    )
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def run(args, **overrides):
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env(**overrides),
        capture_output=True,
        text=True,
        timeout=300,
    )


def manage(*args, **overrides):
    return run(["sandbox/manage.py", *args, f"--settings={SETTINGS}"], **overrides)


def test_check_deploy_is_clean():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output, output


def test_secret_key_database_url_and_redis_url_are_required():
    for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL"):
        result = manage("check", **{name: None})
        assert result.returncode != 0
        assert f"Set the environment variable {name}" in result.stderr


PROBE = """
import json
import django
from django.conf import settings
from django.http.request import validate_host

django.setup()
from django_hosts.middleware import HostsRequestMiddleware

middleware = HostsRequestMiddleware(lambda request: None)
hosts = ["shop.example", "www.shop.example", "anna.shop.example", "anna.shop.example:443",
         "anna.shop.example.evil.com", "shop.example.evil.com", "evilshop.example", "evil.com",
         "a.b.shop.example"]
print(json.dumps({
    "allowed": {h: validate_host(h.rsplit(":", 1)[0], settings.ALLOWED_HOSTS) for h in hosts},
    "pattern": {h: [middleware.get_host(h)[0].name, middleware.get_host(h)[1]] for h in hosts},
    "cookies": [settings.SESSION_COOKIE_DOMAIN, settings.CSRF_COOKIE_DOMAIN,
                settings.OSCAR_MLM_ATTRIBUTION_COOKIE_DOMAIN,
                settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE],
    "database": settings.DATABASES["default"]["ENGINE"],
    "health_checks": settings.DATABASES["default"]["CONN_HEALTH_CHECKS"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "sessions": settings.SESSION_ENGINE,
    "storefront_domains": settings.OSCAR_MLM_STOREFRONT_DOMAINS,
    "storefront": [middleware.get_host(h)[0].name for h in ["anna.shop.example"]],
    "debug": settings.DEBUG,
}))
"""


def test_production_hosts_parent_domain_is_the_only_gate():
    result = run(["-c", PROBE], DJANGO_SETTINGS_MODULE=SETTINGS)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["allowed"] == {
        "shop.example": True,
        "www.shop.example": True,
        "anna.shop.example": True,
        "anna.shop.example:443": True,
        "anna.shop.example.evil.com": False,
        "shop.example.evil.com": False,
        "evilshop.example": False,
        "evil.com": False,
        "a.b.shop.example": True,  # allowed, but answered by the callback as nobody's (404)
    }
    pattern = found["pattern"]
    assert pattern["anna.shop.example"] == ["storefront", {"handle": "anna"}]
    assert pattern["anna.shop.example:443"] == ["storefront", {"handle": "anna"}]
    assert pattern["www.shop.example"] == ["www", {}]
    assert pattern["shop.example"] == ["www", {}]  # DEFAULT_HOST
    # The host pattern alone accepts a foreign suffix: only ALLOWED_HOSTS refuses it.
    assert pattern["anna.shop.example.evil.com"] == ["storefront", {"handle": "anna"}]
    assert found["cookies"] == [".shop.example", ".shop.example", ".shop.example", True, True]
    assert found["database"] == "django.db.backends.postgresql"
    # Shared state of several server processes lives in Redis (docs/hosting.rst).
    assert found["health_checks"] is True
    assert found["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert found["sessions"] == "django.contrib.sessions.backends.cache"
    # Storefronts are <handle>.shop.example, not the sandbox's localhost aliases.
    assert found["storefront_domains"] is None
    assert found["debug"] is False
