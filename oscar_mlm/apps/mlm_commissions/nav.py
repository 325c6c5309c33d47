"""Dashboard menu entries of the volume pages (appended to MLM_DASHBOARD_NAVIGATION)."""

from django.utils.translation import gettext_lazy as _


def staff_access(user, url_name, url_args=None, url_kwargs=None):
    # staff_member_required views of a plain OscarConfig: Oscar's default_access_fn
    # cannot judge them.
    return user.is_active and user.is_staff


VOLUME_NAVIGATION = {
    "label": _("Volumes"),
    "icon": "fas fa-chart-line",
    "children": [
        {
            "label": _("Volume per product"),
            "url_name": "mlm_commissions:mlm-volume-rule-list",
            "access_fn": staff_access,
        },
    ],
}
