"""Dashboard menu entries of the volume and commission pages (appended to MLM_DASHBOARD_NAVIGATION).

The pages belong to the network dashboard section, so Oscar's ``default_access_fn``
shows each entry to those holding the page's permissions.
"""

from django.utils.translation import gettext_lazy as _

VOLUME_NAVIGATION = {
    "label": _("Volumes"),
    "icon": "fas fa-chart-line",
    "children": [
        {"label": _("Volume per product"), "url_name": "mlm_dashboard:mlm-volume-rule-list"},
    ],
}


COMMISSION_NAVIGATION = {
    "label": _("Commissions"),
    "icon": "fas fa-hand-holding-usd",
    "children": [
        {
            "label": _("Periods and statements"),
            "url_name": "mlm_dashboard:mlm-commission-period-list",
        },
        {"label": _("Commission plan"), "url_name": "mlm_dashboard:mlm-commission-plan-list"},
    ],
}
