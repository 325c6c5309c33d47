"""Network marketing for django-oscar."""

__version__ = "0.1.0"

# The apps a shop adds to INSTALLED_APPS, in this order, before Oscar's own apps.
MLM_APPS = [
    # The package itself, so Django finds oscar_mlm/locale (one catalogue for all our apps).
    "oscar_mlm",
    "oscar_mlm.apps.mlm_network.apps.MlmNetworkConfig",
    "oscar_mlm.apps.mlm_storefront.apps.MlmStorefrontConfig",
    "oscar_mlm.apps.mlm_vouchers.apps.MlmVouchersConfig",
    "oscar_mlm.apps.mlm_dashboard.apps.MlmDashboardConfig",
    "oscar_mlm.apps.mlm_credit.apps.MlmCreditConfig",
    "oscar_mlm.apps.mlm_commissions.apps.MlmCommissionsConfig",
    "oscar_mlm.apps.mlm_backoffice.apps.MlmBackofficeConfig",
]
