"""Loyalty credit as an Oscar payment source.

``handle_payment`` books the spend (``services.spend_for_order``, key
``order:<number>:spend``) and records a payment source and event for it; the
rest of the order total goes to ``handle_remaining_payment`` (the shop's
ordinary payment, Oscar's no-op by default). An order fully covered by
credit needs no other payment.

Compensation: the debit commits before the order exists. If the remaining
payment, recording the source or placing the order fails, the debit is
reversed (a ``returned`` booking referencing it) unless an order with that
number exists. ``place_order`` runs in one transaction together with
``save_payment_details``, so an order without its payment details never
stays behind.
"""

import logging

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.apps.payment.exceptions import UnableToTakePayment
from oscar.core import prices
from oscar.core.loading import get_class, get_model
from oscar.core.utils import slugify

from oscar_mlm.apps.mlm_credit import services as credit
from oscar_mlm.apps.mlm_credit.exceptions import CreditError
from oscar_mlm.conf import get_setting
from oscar_mlm.money import ZERO, quantize

UnableToPlaceOrder = get_class("order.exceptions", "UnableToPlaceOrder")
Order = get_model("order", "Order")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")

logger = logging.getLogger("oscar_mlm.credit")


def credit_source_type(name):
    """Oscar's payment source type ``name``, created on first use.

    Oscar's ``SourceType.name`` is not unique, so ``get_or_create(name=...)`` lets
    simultaneous first checkouts create it twice (and then fail on ``get()``);
    its ``code`` is unique, so creation goes by code.
    """
    return (
        SourceType.objects.filter(name=name).order_by("pk").first()
        or SourceType.objects.get_or_create(code=slugify(name), defaults={"name": name})[0]
    )


class CreditPaymentMixin:
    """Mix in before Oscar's ``PaymentDetailsView`` (or any ``OrderPlacementMixin`` view)."""

    credit_session_namespace = "mlm_credit"
    _mlm_credit_entry = None

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
        self._mlm_credit_entry = None
        amount = ZERO
        if self.request.user.is_authenticated and self.wants_credit():
            # Reads the balance under the account lock and books in the same transaction.
            try:
                entry = credit.spend_for_order(
                    user=self.request.user,
                    currency=total.currency,
                    order_number=order_number,
                    up_to=total.incl_tax,
                )
            except CreditError as exc:
                raise UnableToTakePayment(str(exc.message)) from exc
            if entry is not None and not entry.was_created:
                # Another request is placing (or has placed) this very order: a duplicate submit.
                raise UnableToTakePayment(_("This order is already being placed."))
            if entry is not None:
                amount = -entry.amount
                self._mlm_credit_entry = entry
                try:
                    self.record_credit_payment(entry, amount, total.currency)
                except BaseException:
                    self.compensate_credit(order_number)
                    raise
        rest = total.incl_tax - amount
        if rest > 0 or amount == 0:
            try:
                rest_total = self.remaining_total(total, amount)
                self.handle_remaining_payment(order_number, rest_total, **kwargs)
            except BaseException:
                self.compensate_credit(order_number)
                raise

    def record_credit_payment(self, entry, amount, currency):
        name = get_setting("OSCAR_MLM_CREDIT_SOURCE_TYPE")
        source_type = credit_source_type(name)
        self.add_payment_source(
            Source(
                source_type=source_type,
                currency=currency,
                amount_allocated=amount,
                amount_debited=amount,
                reference=entry.idempotency_key,
            )
        )
        self.add_payment_event(name, amount, reference=entry.idempotency_key)

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

    # -- placement and compensation -----------------------------------------------------------

    def place_order(self, *args, **kwargs):
        # The order and its payment details commit together or not at all, and the
        # spend stays locked until then, so the orphan return cannot give back the
        # credit of an order that is being placed (services.hold_spend).
        with transaction.atomic():
            if self._mlm_credit_entry is not None:
                try:
                    credit.hold_spend(self._mlm_credit_entry)
                except CreditError as exc:
                    raise UnableToPlaceOrder(str(exc.message)) from exc
            return super().place_order(*args, **kwargs)

    def handle_order_placement(self, order_number, *args, **kwargs):
        try:
            return super().handle_order_placement(order_number, *args, **kwargs)
        except BaseException:
            self.compensate_credit(order_number)
            raise

    def compensate_credit(self, order_number):
        entry = self._mlm_credit_entry
        if entry is None:
            return
        # The orphan return's check, made now: nothing if the order exists after all.
        if credit.return_orphan(entry, reason=_("Order could not be placed")) is not None:
            logger.warning(
                "Order #%s not placed: returned %s of credit", order_number, -entry.amount
            )
        self._mlm_credit_entry = None

    def restore_frozen_basket(self):
        # A duplicate submission must not reopen a basket whose order was placed.
        try:
            basket = self.get_submitted_basket()
        except Exception:  # noqa: BLE001 - Oscar's own method handles a missing basket
            basket = None
        if basket is not None and Order._default_manager.filter(basket_id=basket.pk).exists():
            return
        super().restore_frozen_basket()
