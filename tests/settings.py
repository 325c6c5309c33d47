"""Test settings: the sandbox shop, on SQLite or on PostgreSQL.

``MLM_TEST_DATABASE_URL`` (postgresql://...) switches to PostgreSQL; the
test command starts a throwaway server and sets it.
"""

import os
import tempfile

from sandbox.settings import *  # noqa: F403
from sandbox.settings import database_from_url

if os.environ.get("MLM_TEST_DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["MLM_TEST_DATABASE_URL"])}
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("MLM_TEST_DATABASE_NAME", "test_oscar_mlm")
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": ":memory:",
            "TEST": {"NAME": os.environ.get("MLM_TEST_SQLITE_NAME") or None},
        }
    }

DEBUG = False
# Pictures of the demo catalogue go to a scratch directory, not into sandbox/media.
MEDIA_ROOT = tempfile.mkdtemp(prefix="mlm-media-")
# A fresh search index per test run.
HAYSTACK_CONNECTIONS["default"]["PATH"] = tempfile.mkdtemp(prefix="mlm-whoosh-")  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The documented default; tests that need the sponsor-id policy override it.
OSCAR_MLM_COMPANY_SIGNUP = "none"
LANGUAGE_CODE = "en"
# The documented default (no payment method: the rest goes to Oscar's no-op); tests of the
# payment step set the sandbox's invoice.
OSCAR_MLM_PAYMENT_METHODS = ()
# The locmem cache outlives each test's database; tests of the cache turn it on.
OSCAR_MLM_STOREFRONT_CACHE_SECONDS = 0
# The page cache runs as in the sandbox; tests/conftest.py empties every cache before
# each test, so a page stored by one test is never served in the next.
