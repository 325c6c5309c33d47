from django.contrib.auth.decorators import login_required
from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarConfig

from oscar_mlm.core.loading import get_class
from oscar_mlm.navigation import BUSINESS, AccountTab, distributors_only
from oscar_mlm.product_tabs import ProductTab


class MlmCommissionsConfig(OscarConfig):
    label = "mlm_commissions"
    name = "oscar_mlm.apps.mlm_commissions"
    namespace = "mlm_commissions"
    verbose_name = _("Volumes and commissions")
    default_auto_field = "django.db.models.BigAutoField"
    # What this app holds about a person (oscar_mlm.personal_data).
    personal_data_erasers = [
        "oscar_mlm.apps.mlm_commissions.personal_data.erase_volumes",
        "oscar_mlm.apps.mlm_commissions.personal_data.erase_statements",
        "oscar_mlm.apps.mlm_commissions.personal_data.erase_job_results",
    ]
    personal_data_exporters = [
        "oscar_mlm.apps.mlm_commissions.personal_data.export_volumes",
        "oscar_mlm.apps.mlm_commissions.personal_data.export_statements",
    ]
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

    # The distributor's statements in "My business" (oscar_mlm.navigation).
    account_navigation = [
        AccountTab(
            "statements",
            _("Commission statements"),
            "mlm_commissions:mlm-statement-list",
            section=BUSINESS,
            order=50,
            access_fn=distributors_only,
        ),
    ]

    # pylint: disable=attribute-defined-outside-init
    def ready(self):
        from . import receivers  # noqa: F401  (order signals -> volume records)

        load = lambda name: get_class("mlm_commissions.views", name)  # noqa: E731
        self.volume_rule_list_view = load("StaffVolumeRuleListView")
        self.product_volume_rule_view = load("StaffProductVolumeRuleView")
        self.class_volume_rule_view = load("StaffClassVolumeRuleView")
        staff = lambda name: get_class("mlm_commissions.dashboard_views", name)  # noqa: E731
        self.plan_list_view = staff("PlanListView")
        self.plan_create_view = staff("PlanCreateView")
        self.period_list_view = staff("PeriodListView")
        self.period_create_view = staff("PeriodCreateView")
        self.period_detail_view = staff("PeriodDetailView")
        self.job_create_view = staff("JobCreateView")
        self.job_detail_view = staff("JobDetailView")
        self.what_if_view = staff("WhatIfView")
        self.payout_csv_view = staff("PayoutCsvView")
        self.staff_statement_view = staff("StaffStatementView")
        self.staff_statement_csv_view = staff("StaffStatementCsvView")
        self.staff_statement_pdf_view = staff("StaffStatementPdfView")
        account = lambda name: get_class("mlm_commissions.statement_views", name)  # noqa: E731
        self.statement_list_view = account("StatementListView")
        self.statement_detail_view = account("StatementDetailView")
        self.statement_csv_view = account("StatementCsvView")
        self.statement_pdf_view = account("StatementPdfView")
        self.tax_profile_view = account("TaxProfileView")

    # Staff pages: the network dashboard (mlm_dashboard) mounts them under dashboard/mlm/
    # and guards each with Oscar's permission mechanism, using these entries.
    VIEW_PERIODS = ["is_staff", "mlm_commissions.view_commissionperiod"]
    CHANGE_PERIODS = ["is_staff", "mlm_commissions.change_commissionperiod"]
    dashboard_permissions = {
        "mlm-volume-rule-list": ["is_staff", "mlm_commissions.view_volumerule"],
        "mlm-volume-product-rule": ["is_staff", "mlm_commissions.change_volumerule"],
        "mlm-volume-class-rule": ["is_staff", "mlm_commissions.change_volumerule"],
        "mlm-commission-plan-list": VIEW_PERIODS,
        "mlm-commission-plan-create": ["is_staff", "mlm_commissions.add_commissionplan"],
        "mlm-commission-period-list": VIEW_PERIODS,
        "mlm-commission-period-create": ["is_staff", "mlm_commissions.add_commissionperiod"],
        "mlm-commission-period-detail": VIEW_PERIODS,
        "mlm-commission-job-create": CHANGE_PERIODS,
        "mlm-commission-job-detail": VIEW_PERIODS,
        "mlm-commission-whatif": CHANGE_PERIODS,
        "mlm-commission-payout-export": CHANGE_PERIODS,
        "mlm-commission-statement-detail": VIEW_PERIODS,
        "mlm-commission-statement-export": VIEW_PERIODS,
        "mlm-commission-statement-pdf": VIEW_PERIODS,
    }

    def get_dashboard_urls(self):
        return [
            path(
                "volumes/rules/",
                self.volume_rule_list_view.as_view(),
                name="mlm-volume-rule-list",
            ),
            path(
                "volumes/products/<int:product_pk>/",
                self.product_volume_rule_view.as_view(),
                name="mlm-volume-product-rule",
            ),
            path(
                "volumes/product-types/<int:class_pk>/",
                self.class_volume_rule_view.as_view(),
                name="mlm-volume-class-rule",
            ),
        ] + self.commission_staff_urls()

    def get_urls(self):
        # The shop mounts these at the site root ahead of Oscar's URLs (see docs/commissions.rst).
        return self.post_process_urls(self.statement_urls())

    def commission_staff_urls(self):
        """Staff pages under dashboard/mlm/commissions/ (dashboard_permissions above)."""
        base = "commissions/"
        statement = base + "periods/<int:pk>/statements/<int:member_pk>/"
        return [
            path(base, self.period_list_view.as_view(), name="mlm-commission-period-list"),
            path(base + "periods/add/", self.period_create_view.as_view(),
                 name="mlm-commission-period-create"),
            path(base + "periods/<int:pk>/", self.period_detail_view.as_view(),
                 name="mlm-commission-period-detail"),
            path(base + "periods/<int:pk>/jobs/", self.job_create_view.as_view(),
                 name="mlm-commission-job-create"),
            path(base + "periods/<int:pk>/what-if/", self.what_if_view.as_view(),
                 name="mlm-commission-whatif"),
            path(base + "periods/<int:pk>/payouts.csv", self.payout_csv_view.as_view(),
                 name="mlm-commission-payout-export"),
            path(statement, self.staff_statement_view.as_view(),
                 name="mlm-commission-statement-detail"),
            path(statement + "statement.csv", self.staff_statement_csv_view.as_view(),
                 name="mlm-commission-statement-export"),
            path(statement + "statement.pdf", self.staff_statement_pdf_view.as_view(),
                 name="mlm-commission-statement-pdf"),
            path(base + "jobs/<int:pk>/", self.job_detail_view.as_view(),
                 name="mlm-commission-job-detail"),
            path(base + "plans/", self.plan_list_view.as_view(), name="mlm-commission-plan-list"),
            path(base + "plans/add/", self.plan_create_view.as_view(),
                 name="mlm-commission-plan-create"),
        ]

    def statement_urls(self):
        """The distributor's statements and tax details in the account area."""
        account = login_required
        base = "accounts/commissions/"
        return [
            path(base, account(self.statement_list_view.as_view()), name="mlm-statement-list"),
            path(base + "tax-details/", account(self.tax_profile_view.as_view()),
                 name="mlm-tax-profile"),
            path(base + "<int:period_pk>/", account(self.statement_detail_view.as_view()),
                 name="mlm-statement-detail"),
            path(base + "<int:period_pk>/statement.csv",
                 account(self.statement_csv_view.as_view()), name="mlm-statement-export"),
            path(base + "<int:period_pk>/statement.pdf",
                 account(self.statement_pdf_view.as_view()), name="mlm-statement-pdf"),
        ]
