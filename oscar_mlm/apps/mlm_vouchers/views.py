from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import generic
from oscar.core.loading import get_class, get_model

from oscar_mlm.apps.mlm_network.mixins import CurrentMemberMixin
from oscar_mlm.conf import get_setting
from oscar_mlm.exceptions import MlmError
from oscar_mlm.parsing import parse_id

from . import services
from .entry import check_entered_code
from .exceptions import VoucherError

OscarVoucherAddView = get_class("basket.views", "VoucherAddView")
DistributorVoucher = get_model("mlm_vouchers", "DistributorVoucher")


class VoucherAddView(OscarVoucherAddView):
    """Oscar's "add voucher to basket", with plain reasons for partner codes.

    Unknown and deactivated codes get one message, and failed attempts are
    throttled per session and IP, so codes cannot be probed.
    """

    def form_valid(self, form):
        try:
            code = check_entered_code(
                self.request, form.cleaned_data["code"], basket=self.request.basket
            )
        except VoucherError as exc:
            messages.error(self.request, exc.message)
            return redirect("basket:summary")
        form.cleaned_data["code"] = code
        return super().form_valid(form)


class DistributorRequiredMixin(CurrentMemberMixin):
    distributors_only = True

    def refuse(self, request):
        raise PermissionDenied(_("Only distributors have voucher codes."))


def buyer_label(redemption):
    user = redemption.buyer.user if redemption.buyer else None
    if get_setting("OSCAR_MLM_VOUCHER_SHOW_BUYER") == "full_name" and user:
        return user.get_full_name() or user.email
    if user and user.first_name:
        return user.first_name
    return _("a new customer")


class VoucherListView(DistributorRequiredMixin, generic.TemplateView):
    """A partner's codes: generate, see uses and who used them, deactivate."""

    template_name = "oscar_mlm/mlm_vouchers/voucher_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        codes = (
            DistributorVoucher.objects.filter(issuer=self.member)
            .select_related("voucher", "program")
            .prefetch_related("redemptions__buyer__user")
        )
        rows = []
        for dv in codes:
            used = [(buyer_label(r), r.created) for r in dv.redemptions.all()]
            rows.append({"dv": dv, "used": used, "uses_left": max(0, dv.uses_allowed - len(used))})
        try:
            program = services.default_program()
        except MlmError:
            program = None
        ctx.update(
            {
                "now": timezone.now(),
                "active_tab": "vouchers",
                "page_title": _("My voucher codes"),
                "rows": rows,
                "program": program,
                "active_count": services.active_codes(self.member).count(),
            }
        )
        return ctx

    def post(self, request, *args, **kwargs):
        try:
            if "deactivate" in request.POST:
                # The button's value is the code's id; another value is no code of this partner.
                dv = get_object_or_404(
                    DistributorVoucher, pk=parse_id(request.POST["deactivate"]), issuer=self.member
                )
                services.deactivate_voucher(distributor_voucher=dv, member=self.member)
                messages.success(
                    request, _("The code %(code)s was deactivated.") % {"code": dv.code}
                )
            else:
                dv = services.issue_voucher(member=self.member)
                messages.success(request, _("Your new code: %(code)s") % {"code": dv.code})
        except MlmError as exc:
            messages.error(request, exc.message)
        return redirect("mlm_vouchers:mlm-voucher-list")
