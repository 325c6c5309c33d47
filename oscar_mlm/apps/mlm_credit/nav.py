"""Dashboard menu entries of the credit pages (appended to MLM_DASHBOARD_NAVIGATION).

The pages belong to the network dashboard section, so Oscar's ``default_access_fn``
shows each entry to those holding the page's permissions.
"""

from django.utils.translation import gettext_lazy as _

CREDIT_NAVIGATION = {
    "label": _("Loyalty credit"),
    "icon": "fas fa-coins",
    "children": [
        {"label": _("Credit accounts"), "url_name": "mlm_dashboard:mlm-credit-account-list"},
        {"label": _("Credit per product"), "url_name": "mlm_dashboard:mlm-credit-rule-list"},
        {"label": _("Credit expiry"), "url_name": "mlm_dashboard:mlm-credit-expiry"},
        {"label": _("Programme report"), "url_name": "mlm_dashboard:mlm-credit-report"},
        {
            "label": _("Spends without an order"),
            "url_name": "mlm_dashboard:mlm-credit-orphans",
        },
    ],
}
