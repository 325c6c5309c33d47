from django.utils.translation import gettext_lazy as _

from oscar_mlm.apps.mlm_commissions.nav import COMMISSION_NAVIGATION, VOLUME_NAVIGATION
from oscar_mlm.apps.mlm_credit.nav import CREDIT_NAVIGATION

# Append to OSCAR_DASHBOARD_NAVIGATION in the shop's settings:
#     OSCAR_DASHBOARD_NAVIGATION += MLM_DASHBOARD_NAVIGATION
MLM_DASHBOARD_NAVIGATION = [
    {
        "label": _("Network"),
        "icon": "fas fa-sitemap",
        "children": [
            {"label": _("Members"), "url_name": "mlm_dashboard:mlm-member-list"},
            {"label": _("Add a person"), "url_name": "mlm_dashboard:mlm-member-create"},
            {"label": _("Sponsor changes"), "url_name": "mlm_dashboard:mlm-sponsorchange-list"},
            {"label": _("Network growth"), "url_name": "mlm_dashboard:mlm-report-growth"},
            {"label": _("Top distributors"), "url_name": "mlm_dashboard:mlm-report-top"},
        ],
    },
    {
        "label": _("New-customer vouchers"),
        "icon": "fas fa-ticket-alt",
        "children": [
            {"label": _("Programmes"), "url_name": "mlm_dashboard:mlm-voucherprogram-list"},
            {"label": _("Redemptions"), "url_name": "mlm_dashboard:mlm-voucher-report"},
        ],
    },
    CREDIT_NAVIGATION,
    VOLUME_NAVIGATION,
    COMMISSION_NAVIGATION,
]
