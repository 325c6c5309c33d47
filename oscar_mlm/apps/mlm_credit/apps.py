from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarConfig

from oscar_mlm.core.loading import get_class
from oscar_mlm.navigation import BUSINESS, AccountTab, distributors_only, not_distributors
from oscar_mlm.product_tabs import ProductTab


class MlmCreditConfig(OscarConfig):
    label = "mlm_credit"
    name = "oscar_mlm.apps.mlm_credit"
    verbose_name = _("Loyalty credit")
    namespace = "mlm_credit"
    default_auto_field = "django.db.models.BigAutoField"
    # Every logged-in user may hold credit, members or not; distributors find it in
    # "My business" (oscar_mlm.navigation), everyone else among the account's own tabs.
    account_navigation = [
        AccountTab(
            "credit",
            _("My credit"),
            "mlm_credit:mlm-credit-ledger",
            order=40,
            access_fn=not_distributors,
        ),
        AccountTab(
            "credit",
            _("My credit"),
            "mlm_credit:mlm-credit-ledger",
            section=BUSINESS,
            order=40,
            access_fn=distributors_only,
        ),
    ]
    # A tab on Oscar's product page in the dashboard (oscar_mlm.product_tabs).
    dashboard_product_tabs = [
        ProductTab(
            "mlm_credit", _("Loyalty credit"), "oscar_mlm/mlm_credit/dashboard/product_tab.html"
        ),
    ]

    # pylint: disable=attribute-defined-outside-init
    def ready(self):
        from . import checks, receivers  # noqa: F401  (settings checks, order signals)

        load = lambda name: get_class("mlm_credit.views", name)  # noqa: E731
        self.ledger_view = load("LedgerView")
        self.ledger_csv_view = load("LedgerCsvView")
        self.staff_account_list_view = load("StaffAccountListView")
        self.staff_account_view = load("StaffAccountView")
        self.staff_adjust_view = load("StaffAdjustView")
        self.staff_rule_list_view = load("StaffRuleListView")
        self.staff_product_rule_view = load("StaffProductRuleView")
        self.staff_class_rule_view = load("StaffClassRuleView")
        self.staff_expiry_view = load("StaffExpiryView")
        self.staff_orphan_view = load("StaffOrphanView")
        self.staff_report_view = load("StaffReportView")

    def get_urls(self):
        # The shop mounts these at the site root ahead of Oscar's URLs (see docs/credit.rst).
        account = login_required
        staff = staff_member_required
        urls = [
            path("accounts/credit/", account(self.ledger_view.as_view()), name="mlm-credit-ledger"),
            path(
                "accounts/credit/export.csv",
                account(self.ledger_csv_view.as_view()),
                name="mlm-credit-export",
            ),
            path(
                "dashboard/mlm/credit/",
                staff(self.staff_account_list_view.as_view()),
                name="mlm-credit-account-list",
            ),
            path(
                "dashboard/mlm/credit/accounts/<int:pk>/",
                staff(self.staff_account_view.as_view()),
                name="mlm-credit-account-detail",
            ),
            path(
                "dashboard/mlm/credit/users/<int:user_pk>/adjust/",
                staff(self.staff_adjust_view.as_view()),
                name="mlm-credit-adjust",
            ),
            path(
                "dashboard/mlm/credit/rules/",
                staff(self.staff_rule_list_view.as_view()),
                name="mlm-credit-rule-list",
            ),
            path(
                "dashboard/mlm/credit/products/<int:product_pk>/",
                staff(self.staff_product_rule_view.as_view()),
                name="mlm-credit-product-rule",
            ),
            path(
                "dashboard/mlm/credit/product-types/<int:class_pk>/",
                staff(self.staff_class_rule_view.as_view()),
                name="mlm-credit-class-rule",
            ),
            path(
                "dashboard/mlm/credit/expiry/",
                staff(self.staff_expiry_view.as_view()),
                name="mlm-credit-expiry",
            ),
            path(
                "dashboard/mlm/credit/orphans/",
                staff(self.staff_orphan_view.as_view()),
                name="mlm-credit-orphans",
            ),
            path(
                "dashboard/mlm/credit/report/",
                staff(self.staff_report_view.as_view()),
                name="mlm-credit-report",
            ),
        ]
        return self.post_process_urls(urls)
