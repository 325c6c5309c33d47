from django.apps import apps
from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarDashboardConfig

from oscar_mlm.core.loading import get_class


class MlmDashboardConfig(OscarDashboardConfig):
    label = "mlm_dashboard"
    name = "oscar_mlm.apps.mlm_dashboard"
    namespace = "mlm_dashboard"
    verbose_name = _("Network dashboard")

    # Every page of the section names its permissions (Django model permissions, which
    # superusers hold). A page without an entry is for superusers only.
    default_permissions = ["is_superuser"]
    VIEW_MEMBERS = ["is_staff", "mlm_network.view_member"]
    CHANGE_MEMBERS = ["is_staff", "mlm_network.change_member"]
    CHANGE_STOREFRONTS = ["is_staff", "mlm_storefront.change_storefront"]
    VIEW_REDEMPTIONS = ["is_staff", "mlm_vouchers.view_redemption"]
    permissions_map = {
        "mlm-member-list": VIEW_MEMBERS,
        "mlm-member-detail": VIEW_MEMBERS,
        "mlm-member-create": ["is_staff", "mlm_network.add_member"],
        "mlm-member-reassign": CHANGE_MEMBERS,
        "mlm-member-promote": CHANGE_MEMBERS,
        "mlm-member-status": CHANGE_MEMBERS,
        "mlm-member-erase": ["is_staff", "mlm_network.add_erasure"],
        "mlm-member-storefront": CHANGE_STOREFRONTS,
        "mlm-member-handle": CHANGE_STOREFRONTS,
        "mlm-sponsorchange-list": ["is_staff", "mlm_network.view_sponsorchange"],
        "mlm-report-growth": VIEW_MEMBERS,
        "mlm-report-top": ["is_staff", "mlm_commissions.view_volumerecord"],
        "mlm-voucherprogram-list": ["is_staff", "mlm_vouchers.view_voucherprogram"],
        "mlm-voucherprogram-create": ["is_staff", "mlm_vouchers.add_voucherprogram"],
        "mlm-voucherprogram-update": ["is_staff", "mlm_vouchers.change_voucherprogram"],
        "mlm-voucher-report": VIEW_REDEMPTIONS,
        "mlm-voucher-report-distributor": VIEW_REDEMPTIONS,
        # Recording money received changes an order: Oscar's permission for that, as on
        # Oscar's own order page.
        "mlm-order-mark-paid": ["is_staff", "order.change_order"],
    }

    def contributing_apps(self):
        """Installed apps that add staff pages to this section (``get_dashboard_urls``)."""
        return [
            config
            for config in apps.get_app_configs()
            if config is not self and callable(getattr(config, "get_dashboard_urls", None))
        ]

    def section_permissions(self):
        """Permissions of every page: the contributing apps' entries, then this app's map
        (a fork of this app overrides any page in its ``permissions_map``)."""
        permissions = {}
        for config in self.contributing_apps():
            permissions.update(getattr(config, "dashboard_permissions", {}))
        permissions.update(self.permissions_map)
        return permissions

    def get_permissions(self, url):
        name = url.split(":")[-1] if url else url
        return self.section_permissions().get(name, self.default_permissions)

    # pylint: disable=attribute-defined-outside-init
    def ready(self):
        load = lambda name: get_class("mlm_dashboard.views", name)  # noqa: E731
        self.member_list_view = load("MemberListView")
        self.member_detail_view = load("MemberDetailView")
        self.member_create_view = load("MemberCreateView")
        self.member_reassign_view = load("MemberReassignView")
        self.member_promote_view = load("MemberPromoteView")
        self.member_status_view = load("MemberStatusView")
        self.member_erase_view = load("MemberEraseView")
        self.member_storefront_view = load("MemberStorefrontView")
        self.member_handle_view = load("MemberRenameHandleView")
        self.sponsorchange_list_view = load("SponsorChangeListView")
        self.growth_report_view = load("GrowthReportView")
        self.top_report_view = load("TopDistributorsView")
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
                "members/<int:pk>/erase/",
                self.member_erase_view.as_view(),
                name="mlm-member-erase",
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
            path("reports/growth/", self.growth_report_view.as_view(), name="mlm-report-growth"),
        ]
        if apps.is_installed("oscar_mlm.apps.mlm_commissions"):  # live volumes
            urls.append(path("reports/top/", self.top_report_view.as_view(), name="mlm-report-top"))
        for config in self.contributing_apps():
            urls += config.get_dashboard_urls()
        return self.post_process_urls(urls)
