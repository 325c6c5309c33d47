from django.apps import apps
from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarConfig

from oscar_mlm.core.loading import get_classes


def installed(label):
    return apps.is_installed(f"oscar_mlm.apps.{label}") or any(
        config.label == label for config in apps.get_app_configs()
    )


class MlmApiConfig(OscarConfig):
    """The REST API of django-oscar-mlm, next to django-oscar-api (docs/api.rst).

    Mount ``urls`` under ``api/mlm/`` and name ``"oscar_mlm.apps.mlm_api"`` in
    ``OSCARAPI_OVERRIDE_MODULES``: our ``serializers.checkout``,
    ``serializers.basket`` and ``views`` modules then replace oscarapi's
    checkout (credit), voucher redemption (partner codes) and registration
    (closed: people sign up through ours, with a sponsor). Endpoints of an
    app that is not installed are not mounted.
    """

    label = "mlm_api"
    name = "oscar_mlm.apps.mlm_api"
    namespace = "mlm_api"
    verbose_name = _("REST API")

    # pylint: disable=attribute-defined-outside-init
    def ready(self):
        from . import checks  # noqa: F401  (registers the API checks)

    def get_urls(self):
        urls = self.core_urls()
        if installed("mlm_dashboard"):  # the staff endpoints use the dashboard's forms
            urls += self.staff_urls()
        if installed("mlm_storefront"):
            urls += self.storefront_urls()
        if installed("mlm_vouchers"):
            urls += self.voucher_urls()
        if installed("mlm_credit"):
            urls += self.credit_urls()
        if installed("mlm_commissions"):
            urls += self.commission_urls()
        return self.post_process_urls(urls)

    def core_urls(self):
        (schema,) = get_classes("mlm_api.views.schema", ["SchemaView"])
        (signup,) = get_classes("mlm_api.views.signup", ["SignupView"])
        (me, summary, first_line, downline, upline, levels) = get_classes(
            "mlm_api.views.network",
            [
                "MeView",
                "StructureView",
                "FirstLineView",
                "DownlineView",
                "UplineView",
                "LevelsView",
            ],
        )
        return [
            path("schema/", schema.as_view(), name="mlm-api-schema"),
            path("me/", me.as_view(), name="mlm-me-detail"),
            path("signup/", signup.as_view(), name="mlm-signup-create"),
            path("structure/<str:member>/", summary.as_view(), name="mlm-structure-detail"),
            path(
                "structure/<str:member>/first-line/",
                first_line.as_view(),
                name="mlm-structure-first-line",
            ),
            path(
                "structure/<str:member>/downline/",
                downline.as_view(),
                name="mlm-structure-downline",
            ),
            path("structure/<str:member>/upline/", upline.as_view(), name="mlm-structure-upline"),
            path("structure/<str:member>/levels/", levels.as_view(), name="mlm-structure-levels"),
        ]

    def staff_urls(self):
        (create, detail, reassign, promote, deactivate, reactivate) = get_classes(
            "mlm_api.views.staff",
            [
                "StaffMemberCreateView",
                "StaffMemberView",
                "StaffReassignView",
                "StaffPromoteView",
                "StaffDeactivateView",
                "StaffReactivateView",
            ],
        )
        urls = [
            path("staff/members/", create.as_view(), name="mlm-staff-member-create"),
            path("staff/members/<str:id>/", detail.as_view(), name="mlm-staff-member-detail"),
            path(
                "staff/members/<str:id>/reassign/",
                reassign.as_view(),
                name="mlm-staff-member-reassign",
            ),
            path(
                "staff/members/<str:id>/promote/",
                promote.as_view(),
                name="mlm-staff-member-promote",
            ),
            path(
                "staff/members/<str:id>/deactivate/",
                deactivate.as_view(),
                name="mlm-staff-member-deactivate",
            ),
            path(
                "staff/members/<str:id>/reactivate/",
                reactivate.as_view(),
                name="mlm-staff-member-reactivate",
            ),
        ]
        if installed("mlm_credit"):
            (adjust,) = get_classes("mlm_api.views.staff_credit", ["StaffCreditAdjustView"])
            urls.append(
                path(
                    "staff/members/<str:id>/credit/",
                    adjust.as_view(),
                    name="mlm-staff-credit-adjust",
                )
            )
        if installed("mlm_commissions"):
            (periods, period, run, close, task) = get_classes(
                "mlm_api.views.staff_periods",
                [
                    "StaffPeriodListView",
                    "StaffPeriodView",
                    "StaffPeriodRunView",
                    "StaffPeriodCloseView",
                    "StaffTaskView",
                ],
            )
            urls += [
                path("staff/periods/", periods.as_view(), name="mlm-staff-period-list"),
                path(
                    "staff/periods/<str:month>/",
                    period.as_view(),
                    name="mlm-staff-period-detail",
                ),
                path("staff/periods/<str:month>/run/", run.as_view(), name="mlm-staff-period-run"),
                path(
                    "staff/periods/<str:month>/close/",
                    close.as_view(),
                    name="mlm-staff-period-close",
                ),
                path("staff/tasks/<str:task_id>/", task.as_view(), name="mlm-staff-task-detail"),
            ]
        return urls

    def storefront_urls(self):
        (public, settings_view) = get_classes(
            "mlm_api.views.storefronts", ["PublicStorefrontView", "StorefrontSettingsView"]
        )
        return [
            path("me/storefront/", settings_view.as_view(), name="mlm-storefront-settings"),
            path("storefronts/<str:handle>/", public.as_view(), name="mlm-storefront-public"),
        ]

    def voucher_urls(self):
        (codes, code, deactivate, redemptions, code_redemptions) = get_classes(
            "mlm_api.views.vouchers",
            [
                "VoucherListView",
                "VoucherDetailView",
                "VoucherDeactivateView",
                "RedemptionListView",
                "VoucherRedemptionListView",
            ],
        )
        return [
            path("vouchers/", codes.as_view(), name="mlm-voucher-list"),
            path("vouchers/redemptions/", redemptions.as_view(), name="mlm-redemption-list"),
            path("vouchers/<str:id>/", code.as_view(), name="mlm-voucher-detail"),
            path(
                "vouchers/<str:id>/deactivate/",
                deactivate.as_view(),
                name="mlm-voucher-deactivate",
            ),
            path(
                "vouchers/<str:id>/redemptions/",
                code_redemptions.as_view(),
                name="mlm-voucher-redemptions",
            ),
        ]

    def credit_urls(self):
        (balance, ledger) = get_classes(
            "mlm_api.views.credit", ["CreditBalanceView", "CreditLedgerView"]
        )
        return [
            path("credit/", balance.as_view(), name="mlm-credit-balance"),
            path("credit/ledger/", ledger.as_view(), name="mlm-credit-ledger"),
        ]

    def commission_urls(self):
        (volumes, statements, statement, lines, csv, pdf, tax) = get_classes(
            "mlm_api.views.commissions",
            [
                "VolumeView",
                "StatementListView",
                "StatementView",
                "StatementLineListView",
                "StatementCsvView",
                "StatementPdfView",
                "TaxDetailsView",
            ],
        )
        return [
            path("commissions/volumes/", volumes.as_view(), name="mlm-volume-detail"),
            path("commissions/tax-details/", tax.as_view(), name="mlm-tax-details"),
            path("commissions/statements/", statements.as_view(), name="mlm-statement-list"),
            path(
                "commissions/statements/<str:month>/",
                statement.as_view(),
                name="mlm-statement-detail",
            ),
            path(
                "commissions/statements/<str:month>/lines/",
                lines.as_view(),
                name="mlm-statement-lines",
            ),
            path(
                "commissions/statements/<str:month>/statement.csv",
                csv.as_view(),
                name="mlm-statement-csv",
            ),
            path(
                "commissions/statements/<str:month>/statement.pdf",
                pdf.as_view(),
                name="mlm-statement-pdf",
            ),
        ]
