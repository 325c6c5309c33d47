"""State changes of the payment methods, after the checkout: staff record money received.

A method such as :class:`~.methods.Invoice` records a payment source with the
rest allocated and nothing debited. When the transfer arrives, staff mark the
order paid (the button on Oscar's order dashboard page, ``mlm_dashboard``'s
``mlm-order-mark-paid``): :func:`mark_paid` debits what is still open with
Oscar's ``Source.debit`` (a transaction on the source) and records a payment
event through Oscar's ``EventHandler``, so the customer's order page, Oscar's
dashboard and any shop code reading sources and events agree.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from oscar_mlm.money import ZERO

from .exceptions import NothingToMarkPaid
from .methods import payment_methods

EventHandler = get_class("order.processing", "EventHandler")
PaymentEventType = get_model("order", "PaymentEventType")
Source = get_model("payment", "Source")

# Stored in English like Oscar's own names; shown to staff on Oscar's order page.
PAID_EVENT = "Paid"


def open_sources(order):
    """The order's sources of a configured method with money still to come, in pk order."""
    names = {m.source_type_name for m in payment_methods() if m.source_type_name}
    return [
        source
        for source in order.sources.select_related("source_type").order_by("pk")
        if source.source_type.name in names and source.amount_debited < source.amount_allocated
    ]


@transaction.atomic
def mark_paid(*, order, by, reference=""):
    """Record that what the order's invoice (or transfer) sources still await has arrived.

    Locks the order's sources, then reads them again (on PostgreSQL a statement
    that waited for a lock reads its old snapshot): a second click, or two staff
    at once, find nothing open and get ``NothingToMarkPaid``. Returns the amount
    recorded as paid.
    """
    list(Source.objects.select_for_update().filter(order=order).order_by("pk").values_list("pk"))
    sources = open_sources(order)
    if not sources:
        raise NothingToMarkPaid()
    total = ZERO
    for source in sources:
        amount = source.amount_allocated - source.amount_debited
        source.debit(amount, reference=reference or order.number)
        total += amount
    event_type, _created = PaymentEventType.objects.get_or_create(name=PAID_EVENT)
    handler = EventHandler(user=by)
    handler.handle_payment_event(order, event_type, total, reference=reference or order.number)
    handler.create_note(
        order,
        _("Marked paid: %(amount)s %(currency)s received (%(by)s).")
        % {"amount": total, "currency": order.currency, "by": by.get_username()},
    )
    return total
