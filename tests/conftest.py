import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL-only tests on other databases, unless they are required."""
    import os

    # The production stack takes minutes to start: only in its own stage (dev.sh test
    # production) or against a running stack (MLM_STACK_ENV).
    if not (os.environ.get("MLM_PRODUCTION_TESTS") or os.environ.get("MLM_STACK_ENV")):
        skip = pytest.mark.skip(reason="the production stack: run ./dev.sh test production")
        for item in items:
            if "production" in item.keywords:
                item.add_marker(skip)
    on_postgres = os.environ.get("MLM_TEST_DATABASE_URL", "").startswith("postgres")
    if on_postgres:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (run the suite with ./dev.sh test)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _empty_caches():
    """Django's caches outlive a test's database: no page or lookup of one test in the next."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()


@pytest.fixture
def company(db):
    from oscar_mlm.apps.mlm_network import services

    return services.ensure_company()


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language.

    A request in German (cookie or Accept-Language) leaves German active in the test's
    thread: Django's LocaleMiddleware activates the language and nothing deactivates it.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
