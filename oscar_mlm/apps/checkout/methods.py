"""Ways to pay what loyalty credit leaves of an order, offered on the payment step.

A method is a small class: a ``code`` (kept in the checkout session), a ``name``
and a ``description`` for the customer, optional ``instructions`` shown with the
order (confirmation page, order page, e-mail), and :meth:`PaymentMethod.take`,
which takes the rest the way Oscar's docs describe payment integration: charge
the provider, then record a payment source (and an event for money actually
taken) on the view, or raise ``UnableToTakePayment`` with a message for the
customer (the credit is then given back). ``OSCAR_MLM_PAYMENT_METHODS`` lists the
methods a shop offers; :class:`Invoice` is the sandbox's, common with German direct
sellers. A shop replaces it with its provider's method, or forks our checkout
and overrides ``handle_remaining_payment`` (docs/credit.rst).
"""

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

# Oscar's source type by name, created once even by simultaneous first checkouts (one helper
# for credit and every method).
from oscar_mlm.apps.mlm_credit.payment import credit_source_type as payment_source_type
from oscar_mlm.conf import get_setting
from oscar_mlm.money import ZERO

Source = get_model("payment", "Source")


class PaymentMethod:
    """Base of the payment methods of ``OSCAR_MLM_PAYMENT_METHODS``."""

    code = ""
    name = ""
    description = ""
    # Oscar's payment source type the method records (stored in English, like Oscar's).
    source_type_name = ""

    def instructions(self, order, amount):
        """What the customer needs to do to pay ``amount`` of ``order`` (or ``""``)."""
        return ""

    def take(self, view, order_number, total):
        """Take ``total`` (an Oscar ``Price``, the rest after credit) for ``order_number``."""
        raise NotImplementedError


class Invoice(PaymentMethod):
    """Pay by invoice: nothing is charged at checkout, the invoice comes with the parcel.

    Records a payment source with the rest allocated and nothing debited yet
    (staff mark it paid when the transfer arrives, with Oscar's ``Source.debit``).
    """

    code = "invoice"
    name = _("Invoice")
    description = _(
        "You receive the invoice with your parcel and pay by bank transfer within 14 days."
    )
    source_type_name = "Invoice"

    def instructions(self, order, amount):
        return _(
            "Please transfer the amount within 14 days of delivery, quoting your order "
            "number %(number)s. The invoice comes with your parcel."
        ) % {"number": order.number}

    def take(self, view, order_number, total):
        view.add_payment_source(
            Source(
                source_type=payment_source_type(self.source_type_name),
                currency=total.currency,
                amount_allocated=total.incl_tax,
                amount_debited=ZERO,
                reference=order_number,
            )
        )


def payment_methods():
    """Instances of the methods of ``OSCAR_MLM_PAYMENT_METHODS``, in the configured order."""
    return [import_string(path)() for path in get_setting("OSCAR_MLM_PAYMENT_METHODS") or ()]


def method_by_code(code):
    return next((m for m in payment_methods() if m.code == code), None)


def method_for_source(source):
    """The configured method that records sources of ``source``'s type, or None."""
    name = source.source_type.name
    return next((m for m in payment_methods() if m.source_type_name == name), None)
