from django.contrib.admin.views.decorators import staff_member_required
from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarConfig

from oscar_mlm.core.loading import get_class
from oscar_mlm.product_tabs import ProductTab


class MlmCommissionsConfig(OscarConfig):
    label = "mlm_commissions"
    name = "oscar_mlm.apps.mlm_commissions"
    namespace = "mlm_commissions"
    verbose_name = _("Volumes and commissions")
    default_auto_field = "django.db.models.BigAutoField"
    # A guest whose order belonged to a distributor joins them on sign-up (mlm_network.signup);
    # after the voucher app's resolver, which comes first in INSTALLED_APPS.
    signup_email_resolvers = ["oscar_mlm.apps.mlm_commissions.signup.guest_order_sponsor"]
    # A tab on Oscar's product page in the dashboard (oscar_mlm.product_tabs).
    dashboard_product_tabs = [
        ProductTab(
            "mlm_volume",
            _("Volume"),
            "oscar_mlm/mlm_commissions/dashboard/product_tab.html",
            order=110,
        ),
    ]

    # pylint: disable=attribute-defined-outside-init
    def ready(self):
        from . import receivers  # noqa: F401  (order signals -> volume records)

        load = lambda name: get_class("mlm_commissions.views", name)  # noqa: E731
        self.volume_rule_list_view = load("StaffVolumeRuleListView")
        self.product_volume_rule_view = load("StaffProductVolumeRuleView")
        self.class_volume_rule_view = load("StaffClassVolumeRuleView")

    def get_urls(self):
        # The shop mounts these at the site root ahead of Oscar's URLs (see docs/volumes.rst).
        staff = staff_member_required
        urls = [
            path(
                "dashboard/mlm/volumes/rules/",
                staff(self.volume_rule_list_view.as_view()),
                name="mlm-volume-rule-list",
            ),
            path(
                "dashboard/mlm/volumes/products/<int:product_pk>/",
                staff(self.product_volume_rule_view.as_view()),
                name="mlm-volume-product-rule",
            ),
            path(
                "dashboard/mlm/volumes/product-types/<int:class_pk>/",
                staff(self.class_volume_rule_view.as_view()),
                name="mlm-volume-class-rule",
            ),
        ]
        return self.post_process_urls(urls)
