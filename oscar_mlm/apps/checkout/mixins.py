"""Loyalty credit as an Oscar payment source in the web checkout.

The spend, its payment source, its hold in the order's transaction and its
compensation are :class:`oscar_mlm.apps.mlm_credit.payment.CreditPlacementMixin`,
shared with the API's checkout. This mixin adds what belongs to the web pages:
the customer's choice (kept in the checkout session), the preview's figures,
and ``handle_payment``, which spends the credit and hands the rest of the order
total to ``handle_remaining_payment`` (the shop's ordinary payment, Oscar's
no-op by default). An order fully covered by credit needs no other payment.
"""

from oscar.core import prices
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_credit import services as credit
from oscar_mlm.apps.mlm_credit.payment import CreditPlacementMixin, credit_source_type
from oscar_mlm.conf import get_setting
from oscar_mlm.money import ZERO, quantize

Order = get_model("order", "Order")

__all__ = ["CreditPaymentMixin", "credit_source_type"]


class CreditPaymentMixin(CreditPlacementMixin):
    """Mix in before Oscar's ``PaymentDetailsView`` (or any ``OrderPlacementMixin`` view)."""

    credit_session_namespace = "mlm_credit"

    # -- the customer's choice ------------------------------------------------------------

    def wants_credit(self):
        choice = self.checkout_session._get(self.credit_session_namespace, "use")
        if choice is None:
            return bool(get_setting("OSCAR_MLM_CREDIT_AUTO_APPLY"))
        return bool(choice)

    def set_wants_credit(self, use):
        self.checkout_session._set(self.credit_session_namespace, "use", bool(use))

    def credit_summary(self, order_total):
        """What the preview shows: available credit, the part that pays now, the rest."""
        user = self.request.user
        available = (
            credit.available_credit(user, order_total.currency) if user.is_authenticated else ZERO
        )
        use = self.wants_credit()
        total = order_total.incl_tax
        applied = credit.credit_to_apply(available, total) if use else ZERO
        return {
            "available": available,
            "applied": applied,
            "rest": total - applied,
            "use": use,
            "currency": order_total.currency,
        }

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        total = ctx.get("order_total")
        # Only the preview shows it (our template); the payment details page is Oscar's.
        preview = getattr(self, "preview", False)
        if preview and total is not None and getattr(total, "is_tax_known", False):
            ctx["mlm_credit"] = self.credit_summary(total)
        return ctx

    def post(self, request, *args, **kwargs):
        if self.preview and request.POST.get("action") == "mlm_credit":
            self.set_wants_credit(request.POST.get("use_credit") == "1")
            return self.render_preview(request)
        return super().post(request, *args, **kwargs)

    # -- payment ----------------------------------------------------------------------------

    def handle_payment(self, order_number, total, **kwargs):
        amount = ZERO
        if self.wants_credit():
            amount = self.spend_credit(self.request.user, order_number, total)
        rest = total.incl_tax - amount
        if rest > 0 or amount == 0:
            with self.compensating(order_number):
                rest_total = self.remaining_total(total, amount)
                self.handle_remaining_payment(order_number, rest_total, **kwargs)

    @staticmethod
    def remaining_total(total, credit):
        rest = total.incl_tax - credit
        if total.incl_tax and total.is_tax_known:
            excl = quantize(rest * total.excl_tax / total.incl_tax)
        else:
            excl = rest
        return prices.Price(currency=total.currency, excl_tax=excl, incl_tax=rest)

    def handle_remaining_payment(self, order_number, total, **kwargs):
        """Take the rest the ordinary way: override this, not ``handle_payment``."""
        return super().handle_payment(order_number, total, **kwargs)

    # -- placement ----------------------------------------------------------------------------

    def handle_order_placement(self, order_number, *args, **kwargs):
        with self.compensating(order_number):
            return super().handle_order_placement(order_number, *args, **kwargs)

    def restore_frozen_basket(self):
        # A duplicate submission must not reopen a basket whose order was placed.
        try:
            basket = self.get_submitted_basket()
        except Exception:  # noqa: BLE001 - Oscar's own method handles a missing basket
            basket = None
        if basket is not None and Order._default_manager.filter(basket_id=basket.pk).exists():
            return
        super().restore_frozen_basket()
