"""Dashboard menu entries of the volume pages (appended to MLM_DASHBOARD_NAVIGATION).

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


def permission_access(user, url_name, url_args=None, url_kwargs=None):
    """Shown to users who pass the page's entry in the app's ``permissions_map``.

    The same check as Oscar's ``default_access_fn`` makes for dashboard apps,
    which only knows ``OscarDashboardConfig`` apps.
    """
    from django.apps import apps
    from oscar.views.decorators import check_permissions

    config = apps.get_app_config("mlm_commissions")
    return check_permissions(user, config.get_permissions(url_name))


COMMISSION_NAVIGATION = {
    "label": _("Commissions"),
    "icon": "fas fa-hand-holding-usd",
    "children": [
        {
            "label": _("Periods and statements"),
            "url_name": "mlm_commissions:mlm-commission-period-list",
            "access_fn": permission_access,
        },
        {
            "label": _("Commission plan"),
            "url_name": "mlm_commissions:mlm-commission-plan-list",
            "access_fn": permission_access,
        },
    ],
}
