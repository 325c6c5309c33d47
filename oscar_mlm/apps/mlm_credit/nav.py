"""Dashboard menu entries of the credit pages (appended to MLM_DASHBOARD_NAVIGATION)."""

from django.utils.translation import gettext_lazy as _


def staff_access(user, url_name, url_args=None, url_kwargs=None):
    # The credit pages are staff_member_required views of the mlm_credit app,
    # not an OscarDashboardConfig, so Oscar's default_access_fn cannot judge them.
    return user.is_active and user.is_staff


CREDIT_NAVIGATION = {
    "label": _("Loyalty credit"),
    "icon": "fas fa-coins",
    "children": [
        {
            "label": _("Credit accounts"),
            "url_name": "mlm_credit:mlm-credit-account-list",
            "access_fn": staff_access,
        },
        {
            "label": _("Credit per product"),
            "url_name": "mlm_credit:mlm-credit-rule-list",
            "access_fn": staff_access,
        },
        {
            "label": _("Credit expiry"),
            "url_name": "mlm_credit:mlm-credit-expiry",
            "access_fn": staff_access,
        },
        {
            "label": _("Programme report"),
            "url_name": "mlm_credit:mlm-credit-report",
            "access_fn": staff_access,
        },
        {
            "label": _("Spends without an order"),
            "url_name": "mlm_credit:mlm-credit-orphans",
            "access_fn": staff_access,
        },
    ],
}
