from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarDashboardConfig

from oscar_mlm.core.loading import get_class


class MlmDashboardConfig(OscarDashboardConfig):
    label = "mlm_dashboard"
    name = "oscar_mlm.apps.mlm_dashboard"
    namespace = "mlm_dashboard"
    verbose_name = _("Network dashboard")

    default_permissions = ["is_staff"]
    # Recording money received changes an order: Oscar's permission for that, as on
    # Oscar's own order page.
    permissions_map = {"mlm-order-mark-paid": ["is_staff", "order.change_order"]}

    # pylint: disable=attribute-defined-outside-init
    def ready(self):
        load = lambda name: get_class("mlm_dashboard.views", name)  # noqa: E731
        self.member_list_view = load("MemberListView")
        self.member_detail_view = load("MemberDetailView")
        self.member_create_view = load("MemberCreateView")
        self.member_reassign_view = load("MemberReassignView")
        self.member_promote_view = load("MemberPromoteView")
        self.member_status_view = load("MemberStatusView")
        self.member_storefront_view = load("MemberStorefrontView")
        self.member_handle_view = load("MemberRenameHandleView")
        self.sponsorchange_list_view = load("SponsorChangeListView")
        self.voucherprogram_list_view = load("VoucherProgramListView")
        self.voucherprogram_create_view = load("VoucherProgramCreateView")
        self.voucherprogram_update_view = load("VoucherProgramUpdateView")
        self.voucher_report_view = load("VoucherReportView")
        self.voucher_distributor_report_view = load("VoucherDistributorReportView")
        self.order_mark_paid_view = load("OrderMarkPaidView")

    def get_urls(self):
        urls = [
            path("members/", self.member_list_view.as_view(), name="mlm-member-list"),
            path("members/add/", self.member_create_view.as_view(), name="mlm-member-create"),
            path("members/<int:pk>/", self.member_detail_view.as_view(), name="mlm-member-detail"),
            path(
                "members/<int:pk>/reassign/",
                self.member_reassign_view.as_view(),
                name="mlm-member-reassign",
            ),
            path(
                "members/<int:pk>/promote/",
                self.member_promote_view.as_view(),
                name="mlm-member-promote",
            ),
            path(
                "members/<int:pk>/status/",
                self.member_status_view.as_view(),
                name="mlm-member-status",
            ),
            path(
                "members/<int:pk>/storefront/",
                self.member_storefront_view.as_view(),
                name="mlm-member-storefront",
            ),
            path(
                "members/<int:pk>/handle/",
                self.member_handle_view.as_view(),
                name="mlm-member-handle",
            ),
            path(
                "sponsor-changes/",
                self.sponsorchange_list_view.as_view(),
                name="mlm-sponsorchange-list",
            ),
            path(
                "vouchers/programs/",
                self.voucherprogram_list_view.as_view(),
                name="mlm-voucherprogram-list",
            ),
            path(
                "vouchers/programs/add/",
                self.voucherprogram_create_view.as_view(),
                name="mlm-voucherprogram-create",
            ),
            path(
                "vouchers/programs/<int:pk>/",
                self.voucherprogram_update_view.as_view(),
                name="mlm-voucherprogram-update",
            ),
            path(
                "vouchers/redemptions/",
                self.voucher_report_view.as_view(),
                name="mlm-voucher-report",
            ),
            path(
                "vouchers/redemptions/<int:pk>/",
                self.voucher_distributor_report_view.as_view(),
                name="mlm-voucher-report-distributor",
            ),
            path(
                "orders/<str:number>/mark-paid/",
                self.order_mark_paid_view.as_view(),
                name="mlm-order-mark-paid",
            ),
        ]
        return self.post_process_urls(urls)
