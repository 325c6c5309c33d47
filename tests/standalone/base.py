"""Settings of a shop with only some of our apps: Oscar's documented settings plus ours.

Nothing comes from ``sandbox/``: each ``settings_<app>.py`` lists the apps of one
combination (``MLM``) and calls :func:`shop_settings`. Run by
``tests/standalone/test_standalone.py`` in a separate pytest process per
combination, since a Django process cannot change its installed apps.
"""

import tempfile

SHOP_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "oscar.apps.checkout.apps.CheckoutConfig",
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
]

NETWORK = ["oscar_mlm", "oscar_mlm.apps.mlm_network.apps.MlmNetworkConfig"]
STOREFRONT = "oscar_mlm.apps.mlm_storefront.apps.MlmStorefrontConfig"
VOUCHERS = "oscar_mlm.apps.mlm_vouchers.apps.MlmVouchersConfig"
CREDIT = "oscar_mlm.apps.mlm_credit.apps.MlmCreditConfig"
COMMISSIONS = "oscar_mlm.apps.mlm_commissions.apps.MlmCommissionsConfig"
BACKOFFICE = "oscar_mlm.apps.mlm_backoffice.apps.MlmBackofficeConfig"
OUR_CHECKOUT = "oscar_mlm.apps.checkout.apps.CheckoutConfig"


def shop_settings(mlm_apps):
    """The settings of a shop with ``mlm_apps`` (after the network) installed."""
    apps = [*NETWORK, *mlm_apps, *SHOP_APPS]
    if CREDIT in mlm_apps:  # credit is spent in our checkout
        apps[apps.index("oscar.apps.checkout.apps.CheckoutConfig")] = OUR_CHECKOUT
    middleware = [
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "oscar.apps.basket.middleware.BasketMiddleware",
        "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    ]
    context_processors = [
        "django.template.context_processors.debug",
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.template.context_processors.i18n",
        "django.contrib.messages.context_processors.messages",
        "oscar.apps.search.context_processors.search_form",
        "oscar.apps.checkout.context_processors.checkout",
        "oscar.apps.communication.notifications.context_processors.notifications",
        "oscar.core.context_processors.metadata",
    ]
    extra = {}
    if STOREFRONT in mlm_apps:
        apps.append("django_hosts")
        middleware = [
            "oscar_mlm.apps.mlm_storefront.middleware.NormaliseHostMiddleware",
            "django_hosts.middleware.HostsRequestMiddleware",
            *middleware,
            "django_hosts.middleware.HostsResponseMiddleware",
        ]
        middleware.insert(
            middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
            "oscar_mlm.apps.mlm_storefront.middleware.StorefrontMiddleware",
        )
        context_processors.append("oscar_mlm.apps.mlm_storefront.context_processors.storefront")
        extra = {
            "ROOT_HOSTCONF": "oscar_mlm.apps.mlm_storefront.hosts",
            "DEFAULT_HOST": "www",
            "PARENT_HOST": "shop.example",
        }
    return {
        "SECRET_KEY": "standalone-tests-only",
        "DEBUG": False,
        "ALLOWED_HOSTS": [".shop.example", "testserver"],
        "INSTALLED_APPS": apps,
        "SITE_ID": 1,
        "MIDDLEWARE": middleware,
        "ROOT_URLCONF": "tests.standalone.urls",
        "TEMPLATES": [
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "DIRS": [],
                "APP_DIRS": True,
                "OPTIONS": {"context_processors": context_processors},
            }
        ],
        "AUTHENTICATION_BACKENDS": (
            "oscar.apps.customer.auth_backends.EmailBackend",
            "django.contrib.auth.backends.ModelBackend",
        ),
        "HAYSTACK_CONNECTIONS": {
            "default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}
        },
        "DATABASES": {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        "DEFAULT_AUTO_FIELD": "django.db.models.AutoField",
        "STATIC_URL": "/static/",
        "MEDIA_URL": "/media/",
        "MEDIA_ROOT": tempfile.mkdtemp(prefix="mlm-standalone-media-"),
        "USE_TZ": True,
        "LANGUAGE_CODE": "en",
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "OSCAR_DEFAULT_CURRENCY": "EUR",
        "OSCAR_MLM_COMPANY_SIGNUP": "sponsor_id",
        "OSCAR_MLM_STOREFRONT_CACHE_SECONDS": 0,
        **extra,
    }
