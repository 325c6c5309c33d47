"""Loyalty credit as a payment of an order: the one place both checkouts spend it.

:class:`CreditPlacementMixin` goes on anything that places orders with Oscar's
``OrderPlacementMixin``: the web checkout's ``PaymentDetailsView`` (our checkout
fork, :mod:`oscar_mlm.apps.checkout.mixins`) and django-oscar-api's
``CheckoutSerializer`` (``mlm_api``'s override of it). Both therefore spend,
record, hold and give back credit in exactly the same way:

1. :meth:`~CreditPlacementMixin.spend_credit` books the spend before the order
   exists (``services.spend_for_order``: the account row locked, key
   ``order:<number>:spend``), refuses a duplicate submit of the same order
   number, and records Oscar's payment source and event for it;
2. :meth:`~CreditPlacementMixin.place_order` runs Oscar's order creation and
   ``save_payment_details`` in one transaction that first locks the spend's row
   and checks it still stands (``services.hold_spend``, the pair of
   ``return_orphan``);
3. :meth:`~CreditPlacementMixin.compensating` wraps everything after the
   spend: on any exception the spend is given back (``services.return_orphan``
   checks, under the lock, that no order with that number exists).
"""

import logging
from contextlib import contextmanager

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.apps.payment.exceptions import UnableToTakePayment
from oscar.core.loading import get_class, get_model
from oscar.core.utils import slugify

from oscar_mlm.conf import get_setting
from oscar_mlm.money import ZERO

from . import services as credit
from .exceptions import CreditError

UnableToPlaceOrder = get_class("order.exceptions", "UnableToPlaceOrder")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")

logger = logging.getLogger("oscar_mlm.credit")


class DuplicateSubmit(UnableToTakePayment):
    """Another request is placing (or has placed) this very order."""


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


class CreditPlacementMixin:
    """Mix in before Oscar's ``OrderPlacementMixin`` (or a class built on it)."""

    _mlm_credit_entry = None

    def spend_credit(self, user, order_number, total, amount=None):
        """Spend credit on the order ``order_number`` of ``total`` (an Oscar ``Price``).

        ``amount`` None spends what is available up to the total; an amount
        spends exactly that (at most the total) or refuses. Returns the amount
        spent (``ZERO`` when there is nothing to spend). Refusals raise
        Oscar's ``UnableToTakePayment`` with the reason, :class:`DuplicateSubmit`
        when another request's spend for this order stands; nothing is booked then.
        """
        self._mlm_credit_entry = None
        if user is None or not user.is_authenticated:
            return ZERO
        try:
            # Reads the balance under the account lock and books in the same transaction.
            entry = credit.spend_for_order(
                user=user,
                currency=total.currency,
                order_number=order_number,
                up_to=total.incl_tax,
                amount=amount,
            )
        except CreditError as exc:
            raise UnableToTakePayment(str(exc.message)) from exc
        if entry is None:
            return ZERO
        if not entry.was_created:
            raise DuplicateSubmit(_("This order is already being placed."))
        self._mlm_credit_entry = entry
        with self.compensating(order_number):
            self.record_credit_payment(entry, -entry.amount, total.currency)
        return -entry.amount

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

    @contextmanager
    def compensating(self, order_number):
        """Give the spend back if the block raises (and no order ``order_number`` exists)."""
        try:
            yield
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
