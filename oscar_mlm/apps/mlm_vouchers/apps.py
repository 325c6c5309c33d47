from django.contrib.auth.decorators import login_required
from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarConfig

from oscar_mlm.core.loading import get_class
from oscar_mlm.navigation import BUSINESS, AccountTab, distributors_only


class MlmVouchersConfig(OscarConfig):
    label = "mlm_vouchers"
    name = "oscar_mlm.apps.mlm_vouchers"
    namespace = "mlm_vouchers"
    verbose_name = _("New-customer vouchers")
    default_auto_field = "django.db.models.BigAutoField"
    # What this app holds about a person (oscar_mlm.personal_data).
    personal_data_erasers = [
        "oscar_mlm.apps.mlm_vouchers.personal_data.erase_vouchers",
    ]
    personal_data_exporters = [
        "oscar_mlm.apps.mlm_vouchers.personal_data.export_vouchers",
    ]
    account_navigation = [
        AccountTab(
            "vouchers",
            _("My voucher codes"),
            "mlm_vouchers:mlm-voucher-list",
            section=BUSINESS,
            order=30,
            access_fn=distributors_only,
        ),
    ]
    # A guest who ordered with a partner's code joins that partner on sign-up.
    signup_email_resolvers = ["oscar_mlm.apps.mlm_vouchers.signup.guest_signup"]

    # pylint: disable=attribute-defined-outside-init
    def ready(self):
        self.voucher_add_view = get_class("mlm_vouchers.views", "VoucherAddView")
        self.voucher_list_view = get_class("mlm_vouchers.views", "VoucherListView")

    def get_urls(self):
        # "basket/vouchers/add/" answers Oscar's own "basket:vouchers-add" path.
        urls = [
            path("basket/vouchers/add/", self.voucher_add_view.as_view(), name="mlm-voucher-add"),
            path(
                "accounts/vouchers/",
                login_required(self.voucher_list_view.as_view()),
                name="mlm-voucher-list",
            ),
        ]
        return self.post_process_urls(urls)
