"""Settings of the sandbox shop: Oscar plus django-oscar-mlm.

SQLite by default; PostgreSQL when ``DATABASE_URL`` is set, e.g.
``postgresql://user:password@127.0.0.1:5432/oscar_mlm``.
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.utils.translation import gettext_lazy as _
from oscar.defaults import *  # noqa: F403

from oscar_mlm import MLM_APPS
from oscar_mlm.apps.mlm_dashboard.nav import MLM_DASHBOARD_NAVIGATION

BASE_DIR = Path(__file__).resolve().parent

DEBUG = os.environ.get("SANDBOX_DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("SANDBOX_SECRET_KEY", "sandbox-only-not-secret")
# The parent domain and its subdomains (storefronts) only: ALLOWED_HOSTS is what
# refuses foreign Host headers such as anna.localhost.evil.com.
ALLOWED_HOSTS = ["localhost", ".localhost", "127.0.0.1", "testserver"]


def database_from_url(url):
    parsed = urlparse(url)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parsed.path.lstrip("/"),
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        "ATOMIC_REQUESTS": False,
        # Django turns psycopg's prepared statements off (for connection poolers in
        # transaction mode); its own queries bind on the client and are never
        # prepared anyway. The volume record's statement, run in every placement,
        # is prepared once per connection with this (docs/hosting.rst).
        "OPTIONS": {"prepare_threshold": 5},
    }


if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SANDBOX_SQLITE", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {"timeout": 20},
        }
    }

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    # Ours first, so our account-menu template wins over Oscar's.
    *MLM_APPS,
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    # Oscar's checkout, thinly forked: loyalty credit as a payment source (docs/credit.rst).
    "oscar_mlm.apps.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "oscar.apps.shipping.apps.ShippingConfig",
    "oscar.apps.catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "oscar.apps.partner.apps.PartnerConfig",
    "oscar.apps.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "oscar.apps.order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "oscar.apps.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "oscar.apps.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig",
    "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    "haystack",
    "treebeard",
    "sorl.thumbnail",
    "django_tables2",
    "django_hosts",
    # The REST API: django-oscar-api and ours next to it (docs/api.rst).
    "rest_framework",
    "oscarapi",
    "oscar_mlm.apps.mlm_api.apps.MlmApiConfig",
    # drf-spectacular's management command writes the API schema (docs/api.rst).
    "drf_spectacular",
    # Background tasks started from the dashboard (credit expiry): django-tasks, database queue.
    "django_tasks",
    "django_tasks_db",
    "sandbox",
]

SITE_ID = 1

MIDDLEWARE = [
    # Storefront subdomains: normalise the Host header, then let django-hosts
    # resolve the handle (request.storefront) before anything else runs.
    "oscar_mlm.apps.mlm_storefront.middleware.NormaliseHostMiddleware",
    "django_hosts.middleware.HostsRequestMiddleware",
    # The page cache (docs/hosting.rst): anonymous pages shared per host and language;
    # each visitor's CSRF token and cookies are added after it.
    "oscar_mlm.apps.mlm_storefront.cache.UpdateCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "oscar_mlm.apps.mlm_storefront.middleware.StorefrontMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "oscar_mlm.apps.mlm_storefront.cache.FetchFromCacheMiddleware",
    "django_hosts.middleware.HostsResponseMiddleware",
]
# How long an anonymous page is served from the cache (Django's local-memory cache here;
# production uses a shared one, see docs/hosting.rst).
CACHE_MIDDLEWARE_SECONDS = 60

ROOT_URLCONF = "sandbox.urls"

# django-hosts: the company site is http://localhost:8000/, storefronts are
# http://anna.localhost:8000/. sandbox/hosts.py also answers the same under
# shop.localhost (company) and anna.shop.localhost, where browsers accept a
# cookie for the parent domain (they refuse one for "localhost").
ROOT_HOSTCONF = "sandbox.hosts"
DEFAULT_HOST = "www"
PARENT_HOST = "localhost"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
                "oscar_mlm.apps.mlm_storefront.context_processors.storefront",
            ],
        },
    },
]

AUTHENTICATION_BACKENDS = (
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
)

# Oscar's catalogue page filters its search (is_public, structure), which haystack's
# SimpleEngine cannot do: it would list no products. Whoosh needs no server.
HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
        "PATH": os.environ.get("SANDBOX_WHOOSH_PATH", str(BASE_DIR / "whoosh_index")),
        # sandbox/search_indexes.py replaces it, with facets that read well on Whoosh.
        "EXCLUDED_INDEXES": ["oscar.apps.search.search_indexes.ProductIndex"],
    }
}
# Facets of the catalogue pages: the product type, from the sandbox's index. Oscar's rating
# facet is left out: Whoosh lists every product without reviews as "None", and it cannot
# count query facets such as Oscar's price ranges. Solr or Elasticsearch can do both.
OSCAR_SEARCH_FACETS = {
    "fields": {"product_type": {"name": _("Type"), "field": "product_type"}},
    "queries": {},
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = []
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Berlin"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"

DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
EMAIL_BACKEND = os.environ.get(
    "SANDBOX_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = "shop@localhost"

LOGIN_REDIRECT_URL = "/accounts/"

OSCAR_SHOP_NAME = "MLM Sandbox"
OSCAR_DEFAULT_CURRENCY = "EUR"
OSCAR_ALLOW_ANON_CHECKOUT = True
OSCAR_DASHBOARD_NAVIGATION = OSCAR_DASHBOARD_NAVIGATION + MLM_DASHBOARD_NAVIGATION  # noqa: F405

# -- django-oscar-mlm -------------------------------------------------------------------------
OSCAR_MLM_COMPANY_NAME = "MLM Sandbox GmbH"
# The sandbox lets visitors sign up on the company site with a sponsor id
# (the default, "none", sends them to a partner's storefront).
OSCAR_MLM_COMPANY_SIGNUP = "sponsor_id"
OSCAR_MLM_STOREFRONT_DOMAINS = ["localhost", "shop.localhost"]
OSCAR_MLM_ATTRIBUTION_COOKIE_DOMAIN = ".shop.localhost"

# Loyalty credit (docs/credit.rst): earned credit becomes spendable when staff
# mark the order "Complete" (after the return period); cancelling or refunding
# reverses it. Oscar has no order pipeline by default, so the sandbox sets one.
OSCAR_MLM_CREDIT_AVAILABLE_STATUS = "Complete"
# The payment step offers credit beside a way to pay the rest: the sandbox's is the
# invoice (nothing is charged online); a shop lists its provider's method instead.
OSCAR_MLM_PAYMENT_METHODS = ("oscar_mlm.apps.checkout.methods.Invoice",)
OSCAR_INITIAL_ORDER_STATUS = "Pending"
OSCAR_INITIAL_LINE_STATUS = "Pending"
OSCAR_ORDER_STATUS_PIPELINE = {
    "Pending": ("Being processed", "Complete", "Cancelled"),
    "Being processed": ("Complete", "Cancelled"),
    "Complete": ("Refunded",),
    "Cancelled": (),
    "Refunded": (),
}
OSCAR_ORDER_STATUS_CASCADE = {"Cancelled": "Cancelled", "Refunded": "Refunded"}
# django-tasks: the dashboard's "run the expiry now" button enqueues here; a worker
# (``manage.py db_worker``) runs the queue.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
OSCAR_LINE_STATUS_PIPELINE = {
    "Pending": ("Shipped", "Cancelled", "Refunded"),
    "Shipped": ("Returned", "Refunded"),
    "Cancelled": (),
    "Returned": (),
    "Refunded": (),
}

# The REST API (docs/api.rst): our overrides of django-oscar-api's checkout (credit),
# voucher redemption (partner codes) and registration (closed: sign-up needs a sponsor).
OSCARAPI_OVERRIDE_MODULES = ["oscar_mlm.apps.mlm_api"]
# Orders placed through the API start in the pipeline's first status, as web orders do.
OSCARAPI_INITIAL_ORDER_STATUS = OSCAR_INITIAL_ORDER_STATUS
REST_FRAMEWORK = {
    # Basic first: an anonymous request is answered 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.BasicAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # The API's OpenAPI schema (api/mlm/schema/) is drf-spectacular's.
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

# drf-spectacular: the schema of our endpoints (also for its deploy check).
SPECTACULAR_SETTINGS = {"PREPROCESSING_HOOKS": ["oscar_mlm.apps.mlm_api.schema.our_endpoints"]}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
