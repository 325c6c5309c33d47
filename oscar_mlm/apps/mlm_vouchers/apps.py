from django.contrib.auth.decorators import login_required
from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarConfig

from oscar_mlm.core.loading import get_class


class MlmVouchersConfig(OscarConfig):
    label = "mlm_vouchers"
    name = "oscar_mlm.apps.mlm_vouchers"
    namespace = "mlm_vouchers"
    verbose_name = _("New-customer vouchers")
    default_auto_field = "django.db.models.BigAutoField"

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
