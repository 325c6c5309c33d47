"""Loyalty credit and the payment step of the web checkout.

The spend, its payment source, its hold in the order's transaction and its
compensation are :class:`oscar_mlm.apps.mlm_credit.payment.CreditPlacementMixin`,
shared with the API's checkout, so both spend credit through the one service
``spend_for_order`` (which also applies the cap ``OSCAR_MLM_CREDIT_MAX_SHARE``).
This mixin adds what belongs to the web pages: the payment step (Oscar's
payment details page) asks how much credit to use (all, an amount, or none)
and how to pay the rest; the preview repeats both. The choice is kept in the
checkout session; the amount is checked again when the credit is spent,
under the account lock, against the credit available then and the cap.
``handle_payment`` spends the credit and hands the rest of the order total to
``handle_remaining_payment``: the payment method the customer chose
(``OSCAR_MLM_PAYMENT_METHODS``, :mod:`.methods`), or Oscar's no-op when the shop
offers none. An order fully covered by credit needs no other payment.
"""

from django.shortcuts import redirect
from oscar.core import prices
from oscar.core.loading import get_class, get_model

from oscar_mlm.apps.mlm_credit import services as credit
from oscar_mlm.apps.mlm_credit.exceptions import CreditError
from oscar_mlm.apps.mlm_credit.payment import CreditPlacementMixin, credit_source_type
from oscar_mlm.conf import get_setting
from oscar_mlm.exceptions import PlacementRefused
from oscar_mlm.money import ZERO, quantize

from .forms import USE_AMOUNT, USE_NONE, PaymentForm
from .methods import payment_methods

UnableToPlaceOrder = get_class("order.exceptions", "UnableToPlaceOrder")
Order = get_model("order", "Order")

__all__ = ["CreditPaymentMixin", "credit_source_type"]


class CreditPaymentMixin(CreditPlacementMixin):
    """Mix in before Oscar's ``PaymentDetailsView`` (or any ``OrderPlacementMixin`` view)."""

    credit_session_namespace = "mlm_credit"
    payment_session_namespace = "mlm_payment"
    payment_form_class = PaymentForm

    # -- the customer's choice ------------------------------------------------------------

    def wants_credit(self):
        choice = self.checkout_session._get(self.credit_session_namespace, "use")
        if choice is None:
            return bool(get_setting("OSCAR_MLM_CREDIT_AUTO_APPLY"))
        return bool(choice)

    def set_wants_credit(self, use, amount=None):
        """Use credit (as much as possible, or exactly ``amount``) or keep it for later."""
        self.checkout_session._set(self.credit_session_namespace, "use", bool(use))
        self.checkout_session._set(
            self.credit_session_namespace, "amount", str(amount) if use and amount else None
        )

    def wanted_credit_amount(self):
        """The amount of credit the customer asked for, or None for as much as possible."""
        value = self.checkout_session._get(self.credit_session_namespace, "amount")
        try:
            return credit.parse_amount(value) if value else None
        except CreditError:
            return None

    def payment_methods(self):
        """The methods of ``OSCAR_MLM_PAYMENT_METHODS`` (override to offer others)."""
        return payment_methods()

    def chosen_payment_method(self):
        """The method chosen on the payment step, else the first one offered, else None."""
        methods = self.payment_methods()
        code = self.checkout_session._get(self.payment_session_namespace, "method")
        chosen = next((m for m in methods if m.code == code), None)
        return chosen or (methods[0] if methods else None)

    def credit_summary(self, order_total):
        """What the payment step and the preview show: available credit, the cap, the
        part that pays now, the rest."""
        user = self.request.user
        available = (
            credit.available_credit(user, order_total.currency) if user.is_authenticated else ZERO
        )
        use = self.wants_credit()
        total = order_total.incl_tax
        amount = self.wanted_credit_amount()
        wanted = min(amount, total) if amount is not None else total
        applied = credit.credit_to_apply(available, wanted, total) if use else ZERO
        cap = credit.credit_cap(total)
        return {
            "available": available,
            "applied": applied,
            "rest": total - applied,
            "use": use,
            "amount": amount,
            "cap": cap,
            "capped": credit.max_share() is not None,
            "max_share_percent": (
                quantize(credit.max_share() * 100) if credit.max_share() is not None else None
            ),
            "total": total,
            "currency": order_total.currency,
        }

    def get_payment_form(self, summary, data=None):
        credit_info = summary if summary is not None and summary["available"] > 0 else None
        initial = {"method": getattr(self.chosen_payment_method(), "code", None)}
        if summary is not None:
            if not summary["use"]:
                initial["credit_choice"] = USE_NONE
            elif summary["amount"] is not None:
                initial.update(credit_choice=USE_AMOUNT, credit_amount=summary["amount"])
            else:
                initial["credit_choice"] = "all"
        return self.payment_form_class(
            data=data, credit=credit_info, methods=self.payment_methods(), initial=initial
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        total = ctx.get("order_total")
        summary = None
        if total is not None and getattr(total, "is_tax_known", False):
            summary = self.credit_summary(total)
            ctx["mlm_credit"] = summary
        ctx["mlm_payment_method"] = self.chosen_payment_method()
        if not getattr(self, "preview", False) and "payment_form" not in ctx:
            ctx["payment_form"] = self.get_payment_form(summary)
        return ctx

    def post(self, request, *args, **kwargs):
        if self.preview and request.POST.get("action") == "mlm_credit":
            self.set_wants_credit(request.POST.get("use_credit") == "1")
            return self.render_preview(request)
        return super().post(request, *args, **kwargs)

    def handle_payment_details_submission(self, request):
        """The payment step's form (posted to the preview URL, as Oscar's docs say):
        kept in the session and on to the preview, or shown again with its errors."""
        total = self.build_submission().get("order_total")
        summary = (
            self.credit_summary(total)
            if total is not None and getattr(total, "is_tax_known", False)
            else None
        )
        form = self.get_payment_form(summary, data=request.POST)
        if not form.is_valid():
            return self.render_payment_details(request, payment_form=form)
        data = form.cleaned_data
        if "credit_choice" in data:
            self.set_wants_credit(data["credit_choice"] != USE_NONE, data.get("amount"))
        if data.get("method"):
            self.checkout_session._set(self.payment_session_namespace, "method", data["method"])
        return redirect("checkout:preview")

    # -- payment ----------------------------------------------------------------------------

    def handle_payment(self, order_number, total, **kwargs):
        amount = ZERO
        if self.wants_credit():
            amount = self.spend_credit(
                self.request.user, order_number, total, amount=self.wanted_credit_amount()
            )
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
        """Take the rest: by the method chosen on the payment step, else Oscar's way.

        A shop's fork overrides this (not ``handle_payment``) to call its provider.
        """
        method = self.chosen_payment_method()
        if method is not None and total.incl_tax > 0:
            return method.take(self, order_number, total)
        return super().handle_payment(order_number, total, **kwargs)

    # -- placement ----------------------------------------------------------------------------

    def place_order(self, *args, **kwargs):
        try:
            return super().place_order(*args, **kwargs)
        except UnableToPlaceOrder:
            raise
        except ValueError as exc:
            # Oscar's OrderCreator refuses with a bare ValueError whose message is
            # meant for the customer (a single-use voucher another order took first,
            # an order number in use): show it and keep the basket.
            raise PlacementRefused(str(exc)) from exc

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
