from django.contrib.auth.decorators import login_required
from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarConfig

from oscar_mlm.core.loading import get_class
from oscar_mlm.navigation import BUSINESS, AccountTab, distributors_only


def _tab(name, label, url_name, order):
    return AccountTab(
        name, label, f"mlm_backoffice:{url_name}", section=BUSINESS, order=order,
        access_fn=distributors_only,
    )  # fmt: skip


class MlmBackofficeConfig(OscarConfig):
    """The partner back office: "My business" in the account area (docs/backoffice.rst)."""

    label = "mlm_backoffice"
    name = "oscar_mlm.apps.mlm_backoffice"
    namespace = "mlm_backoffice"
    verbose_name = _("Partner back office")
    default_auto_field = "django.db.models.BigAutoField"
    # What this app holds about a person (oscar_mlm.personal_data).
    personal_data_erasers = ["oscar_mlm.apps.mlm_backoffice.personal_data.erase_crm"]
    personal_data_exporters = ["oscar_mlm.apps.mlm_backoffice.personal_data.export_crm"]
    # First in "My business"; the other apps' pages follow (network 10, storefront 20,
    # vouchers 30, credit 40, statements 50).
    account_navigation = [
        _tab("business", _("Overview"), "mlm-backoffice-overview", 1),
        _tab("structure", _("Structure"), "mlm-backoffice-structure", 2),
        _tab("customers", _("My customers"), "mlm-backoffice-customer-list", 3),
        _tab("follow-ups", _("Follow-ups"), "mlm-backoffice-followup-list", 4),
    ]

    # pylint: disable=attribute-defined-outside-init
    def ready(self):
        load = lambda name: get_class("mlm_backoffice.views", name)  # noqa: E731
        self.overview_view = load("OverviewView")
        self.structure_view = load("StructureView")
        self.node_view = load("NodeView")
        self.structure_list_view = load("StructureListView")
        self.structure_export_view = load("StructureExportView")
        self.member_view = load("MemberView")
        self.customer_list_view = load("CustomerListView")
        self.customer_export_view = load("CustomerExportView")
        self.customer_view = load("CustomerView")
        self.note_create_view = load("NoteCreateView")
        self.followup_create_view = load("FollowUpCreateView")
        self.tags_view = load("TagsView")
        self.followup_done_view = load("FollowUpDoneView")
        self.followup_list_view = load("FollowUpListView")
        staff = lambda name: get_class("mlm_backoffice.dashboard_views", name)  # noqa: E731
        self.staff_tree_view = staff("StaffTreeView")
        self.staff_node_view = staff("StaffNodeView")
        self.staff_notes_view = staff("StaffNotesView")

    # Staff pages: the network dashboard (mlm_dashboard) mounts them under dashboard/mlm/
    # and guards each with Oscar's permission mechanism, using these entries.
    VIEW_MEMBERS = ["is_staff", "mlm_network.view_member"]
    dashboard_permissions = {
        "mlm-member-tree": VIEW_MEMBERS,
        "mlm-member-tree-node": VIEW_MEMBERS,
        # Private notes: a permission of their own; each read is logged.
        "mlm-member-notes": ["is_staff", "mlm_backoffice.view_customernote"],
    }

    def get_dashboard_urls(self):
        return [
            path("members/<int:pk>/tree/", self.staff_tree_view.as_view(), name="mlm-member-tree"),
            path(
                "members/<int:pk>/tree/nodes/<int:node_pk>/",
                self.staff_node_view.as_view(),
                name="mlm-member-tree-node",
            ),
            path(
                "members/<int:pk>/notes/", self.staff_notes_view.as_view(), name="mlm-member-notes"
            ),
        ]

    def get_urls(self):
        # Mounted at the site root like the other account pages (docs/backoffice.rst).
        account = login_required
        base = "accounts/business/"
        urls = [
            path(base, account(self.overview_view.as_view()), name="mlm-backoffice-overview"),
            path(
                base + "structure/",
                account(self.structure_view.as_view()),
                name="mlm-backoffice-structure",
            ),
            path(
                base + "structure/nodes/<int:pk>/",
                account(self.node_view.as_view()),
                name="mlm-backoffice-node",
            ),
            path(
                base + "structure/list/",
                account(self.structure_list_view.as_view()),
                name="mlm-backoffice-structure-list",
            ),
            path(
                base + "structure/export.csv",
                account(self.structure_export_view.as_view()),
                name="mlm-backoffice-structure-export",
            ),
            path(
                base + "members/<int:pk>/",
                account(self.member_view.as_view()),
                name="mlm-backoffice-member",
            ),
            path(
                base + "customers/",
                account(self.customer_list_view.as_view()),
                name="mlm-backoffice-customer-list",
            ),
            path(
                base + "customers/export.csv",
                account(self.customer_export_view.as_view()),
                name="mlm-backoffice-customer-export",
            ),
            path(
                base + "customers/<int:pk>/",
                account(self.customer_view.as_view()),
                name="mlm-backoffice-customer",
            ),
            path(
                base + "customers/<int:pk>/notes/",
                account(self.note_create_view.as_view()),
                name="mlm-backoffice-note-create",
            ),
            path(
                base + "customers/<int:pk>/follow-ups/",
                account(self.followup_create_view.as_view()),
                name="mlm-backoffice-followup-create",
            ),
            path(
                base + "customers/<int:pk>/tags/",
                account(self.tags_view.as_view()),
                name="mlm-backoffice-customer-tags",
            ),
            path(
                base + "follow-ups/",
                account(self.followup_list_view.as_view()),
                name="mlm-backoffice-followup-list",
            ),
            path(
                base + "follow-ups/<int:pk>/done/",
                account(self.followup_done_view.as_view()),
                name="mlm-backoffice-followup-done",
            ),
        ]
        return self.post_process_urls(urls)
