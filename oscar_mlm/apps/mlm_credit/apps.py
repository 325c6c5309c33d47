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
    # What this app holds about a person (oscar_mlm.personal_data).
    personal_data_erasers = [
        "oscar_mlm.apps.mlm_credit.personal_data.erase_credit",
    ]
    personal_data_exporters = [
        "oscar_mlm.apps.mlm_credit.personal_data.export_credit",
    ]
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

    # Staff pages: the network dashboard (mlm_dashboard) mounts them under dashboard/mlm/
    # and guards each with Oscar's permission mechanism, using these entries.
    VIEW_ACCOUNTS = ["is_staff", "mlm_credit.view_creditaccount"]
    BOOK = ["is_staff", "mlm_credit.add_creditentry"]
    dashboard_permissions = {
        "mlm-credit-account-list": VIEW_ACCOUNTS,
        "mlm-credit-account-detail": VIEW_ACCOUNTS,
        "mlm-credit-adjust": BOOK,
        "mlm-credit-rule-list": ["is_staff", "mlm_credit.view_creditrule"],
        "mlm-credit-product-rule": ["is_staff", "mlm_credit.change_creditrule"],
        "mlm-credit-class-rule": ["is_staff", "mlm_credit.change_creditrule"],
        "mlm-credit-expiry": BOOK,
        "mlm-credit-orphans": BOOK,
        "mlm-credit-report": ["is_staff", "mlm_credit.view_creditentry"],
    }

    def get_urls(self):
        # The shop mounts these at the site root ahead of Oscar's URLs (see docs/credit.rst).
        account = login_required
        urls = [
            path("accounts/credit/", account(self.ledger_view.as_view()), name="mlm-credit-ledger"),
            path(
                "accounts/credit/export.csv",
                account(self.ledger_csv_view.as_view()),
                name="mlm-credit-export",
            ),
        ]
        return self.post_process_urls(urls)

    def get_dashboard_urls(self):
        return [
            path(
                "credit/",
                self.staff_account_list_view.as_view(),
                name="mlm-credit-account-list",
            ),
            path(
                "credit/accounts/<int:pk>/",
                self.staff_account_view.as_view(),
                name="mlm-credit-account-detail",
            ),
            path(
                "credit/users/<int:user_pk>/adjust/",
                self.staff_adjust_view.as_view(),
                name="mlm-credit-adjust",
            ),
            path("credit/rules/", self.staff_rule_list_view.as_view(), name="mlm-credit-rule-list"),
            path(
                "credit/products/<int:product_pk>/",
                self.staff_product_rule_view.as_view(),
                name="mlm-credit-product-rule",
            ),
            path(
                "credit/product-types/<int:class_pk>/",
                self.staff_class_rule_view.as_view(),
                name="mlm-credit-class-rule",
            ),
            path("credit/expiry/", self.staff_expiry_view.as_view(), name="mlm-credit-expiry"),
            path("credit/orphans/", self.staff_orphan_view.as_view(), name="mlm-credit-orphans"),
            path("credit/report/", self.staff_report_view.as_view(), name="mlm-credit-report"),
        ]
