"""Production settings: the worked example of docs/hosting.rst.

The company site is https://shop.example/ (and https://www.shop.example/), partner
storefronts are https://<handle>.shop.example/. Everything else comes from
``sandbox/settings.py``. Check it with::

    SECRET_KEY=... DATABASE_URL=postgresql://... \\
        python sandbox/manage.py check --deploy --settings=sandbox.settings_production

Required environment: ``SECRET_KEY`` (at least 50 random characters),
``DATABASE_URL`` (``postgresql://user:password@host:5432/name``) and ``REDIS_URL``
(``redis://127.0.0.1:6379/0``). ``bash dev.sh prod`` runs exactly these settings under
gunicorn with PostgreSQL, Redis and two task workers (docs/hosting.rst).
"""

import os

from django.core.exceptions import ImproperlyConfigured

from sandbox.settings import *  # noqa: F403
from sandbox.settings import MIDDLEWARE, database_from_url


def required_env(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Set the environment variable {name} (see docs/hosting.rst).")
    return value


DEBUG = False
SECRET_KEY = required_env("SECRET_KEY")

# -- Hosts ------------------------------------------------------------------------------------
# The parent domain and its subdomains, nothing else. This is the only gate against a
# foreign Host header: the django-hosts storefront pattern alone would also match
# anna.shop.example.evil.com. Never add "*" or a bare IP here.
ALLOWED_HOSTS = [".shop.example"]
# The reverse proxy passes the client's Host header through; don't trust X-Forwarded-Host.
USE_X_FORWARDED_HOST = False

PARENT_HOST = "shop.example"
# Storefronts live under PARENT_HOST only (the sandbox adds localhost aliases).
OSCAR_MLM_STOREFRONT_DOMAINS = None
# The package's hostconf: "www" and the bare parent host are the company site, any other
# single label a storefront. (sandbox/hosts.py only adds the shop.localhost alias.)
ROOT_HOSTCONF = "oscar_mlm.apps.mlm_storefront.hosts"
DEFAULT_HOST = "www"

# -- Cookies ----------------------------------------------------------------------------------
# Shared login: one session (and one CSRF cookie) for the company site and every storefront,
# so a customer who logged in on shop.example is still logged in on anna.shop.example and
# checkout works on either. Without these two lines both cookies are host-only (the
# default) and every storefront has its own login. The price: all subdomains of
# shop.example are one trust zone, which holds because every one of them is served by this
# shop (partners edit texts and a photo, never HTML or scripts). Don't delegate a subdomain
# of shop.example to anybody else. Oscar's anonymous basket cookie stays host-only.
SESSION_COOKIE_DOMAIN = ".shop.example"
CSRF_COOKIE_DOMAIN = ".shop.example"
# A visit to anna.shop.example is remembered on the company site too (signed cookie).
OSCAR_MLM_ATTRIBUTION_COOKIE_DOMAIN = ".shop.example"

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Forms posted from one of our hosts to another (a storefront page posting to the company
# site). With the shared CSRF cookie above the subdomains already trust each other; this
# extends that to the Origin check. The pattern also covers the bare shop.example.
CSRF_TRUSTED_ORIGINS = ["https://*.shop.example"]

# -- HTTPS ------------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = True
# One year of HSTS for shop.example and every storefront below it: the wildcard certificate
# covers all of them. PRELOAD only sends the "preload" token; submitting the domain to
# https://hstspreload.org/ is a separate, hard-to-undo decision.
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Behind a reverse proxy (nginx, a load balancer) that terminates TLS: the proxy must set
# X-Forwarded-Proto itself and drop any value sent by the client, otherwise a client can
# claim HTTPS. Delete this line if Django (gunicorn with certificates) terminates TLS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# -- Database and e-mail ----------------------------------------------------------------------
DATABASES = {"default": database_from_url(required_env("DATABASE_URL"))}
# Each server process keeps its connection for a minute instead of opening one per request,
# and checks it before reuse: after a database restart the next request reconnects instead
# of failing on the dead connection.
DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# -- Cache and sessions: one Redis for every server process and task worker ------------------
# Shared state must be shared: the storefront lookup (cleared on save), the voucher throttle's
# counters and the sessions live in the cache. With Django's default local-memory cache each
# process would have its own: an edited storefront would show its old face in the other
# processes until their copy expires, and each process would count failed codes separately.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": required_env("REDIS_URL"),
        "KEY_PREFIX": "shop",
    }
}
# Sessions in Redis (no session table queries). Run that Redis with persistence
# (appendonly yes) and without eviction, or a restart logs everybody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cache"

# -- Behind the reverse proxy -----------------------------------------------------------------
# The proxy appends the client's address to X-Forwarded-For: the voucher throttle counts per
# client, not per proxy (REMOTE_ADDR is the proxy for everybody).
OSCAR_MLM_REVERSE_PROXIES = 1

# -- Static files: WhiteNoise, from the server processes ----------------------------------------
# ``manage.py collectstatic`` writes hashed, compressed copies to STATIC_ROOT; WhiteNoise serves
# them with far-future cache headers (a CDN in front can keep them for a year).
MIDDLEWARE = [*MIDDLEWARE]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STATIC_ROOT = os.environ.get("STATIC_ROOT", STATIC_ROOT)  # noqa: F405
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", MEDIA_ROOT)  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR"},
        "django_tasks": {"handlers": ["console"], "level": "INFO"},
    },
}

# Links in e-mails come from the Sites framework (Site.domain = "shop.example"), never
# from a request's Host header.
# SMTP to the mail relay (EMAIL_HOST). ``bash dev.sh prod`` has none and writes the mails to
# files instead (EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend with
# EMAIL_FILE_PATH). Oscar sends its mails inside the request: a slow relay slows sign-ups and
# checkouts, so use one close by (a local postfix, or the provider's relay).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
if os.environ.get("EMAIL_FILE_PATH"):
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "1") == "1"
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587" if EMAIL_USE_TLS else "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "shop@shop.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
OSCAR_URL_SCHEMA = "https"  # Oscar's e-mail templates (password reset)
