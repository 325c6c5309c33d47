"""Order pages in the customer's language: status names and the credit paid.

Oscar shows ``order.status`` as stored, so a German customer read "Pending". The
status names below are the ones our settings' defaults and the sandbox's order
pipeline use; they are in our catalogue, and any other name a shop uses is
shown as it is unless a catalogue of the shop translates it.
"""

from django import template
from django.utils.translation import pgettext, pgettext_lazy

from oscar_mlm.conf import get_setting

register = template.Library()

# The context keeps them apart from the same words elsewhere ("Pending" credit).
STATUS_CONTEXT = "order status"
STATUS_NAMES = (
    pgettext_lazy("order status", "Pending"),
    pgettext_lazy("order status", "Being processed"),
    pgettext_lazy("order status", "Complete"),
    pgettext_lazy("order status", "Cancelled"),
    pgettext_lazy("order status", "Refunded"),
    pgettext_lazy("order status", "Shipped"),
    pgettext_lazy("order status", "Returned"),
)


class TranslatedStatus:
    """``obj`` as it is, except that ``status`` reads in the current language."""

    def __init__(self, obj):
        self._obj = obj

    def __getattr__(self, name):
        return getattr(self._obj, name)

    @property
    def status(self):
        status = self._obj.status
        return pgettext(STATUS_CONTEXT, status) if status else status


@register.filter
def translated_status(obj):
    """For ``{% with order=order|translated_status %}{{ block.super }}{% endwith %}``."""
    return TranslatedStatus(obj) if obj is not None else obj


@register.filter
def is_credit_source(source):
    """Whether a payment source is the loyalty credit spent at checkout."""
    return source.source_type.name == get_setting("OSCAR_MLM_CREDIT_SOURCE_TYPE")


@register.simple_tag
def order_payment(order):
    """How ``order`` is paid, for the customer: ``{"credit", "rest", "settled", "method",
    "instructions", "currency", "others"}``.

    ``credit`` is what loyalty credit paid, ``rest`` what is left of the total,
    ``method`` the name (in the customer's language) of the payment method of the
    rest, ``settled`` whether staff recorded the rest as received, and
    ``instructions`` what the customer still has to do; ``others`` lists sources of
    no configured method as ``(name, amount)``. Internal references
    (the ledger's ``order:<number>:spend``) are never part of it.
    """
    from oscar_mlm.apps.checkout.methods import method_for_source
    from oscar_mlm.money import ZERO

    credit, method, others, received = ZERO, None, [], ZERO
    for source in order.sources.all():
        if is_credit_source(source):
            credit += source.amount_allocated
            continue
        found = method_for_source(source)
        if found is not None and method is None:
            method = found
            received += source.amount_debited
        else:
            others.append((source.source_type.name, source.amount_allocated))
    rest = order.total_incl_tax - credit
    return {
        "credit": credit,
        "rest": rest,
        # Staff marked the rest paid (checkout.services.mark_paid): nothing left to do.
        "settled": method is not None and rest > 0 and received >= rest,
        "method": method.name if method is not None else "",
        "instructions": method.instructions(order, rest) if method is not None else "",
        "currency": order.currency,
        "others": others,
        "has_sources": bool(credit or method or others),
    }


@register.simple_tag
def open_payment(order):
    """For staff: what the order's invoice (or transfer) sources still await, ``{"amount",
    "currency"}``, or None when nothing is open (``checkout.services.open_sources``)."""
    from django.apps import apps

    # Oscar's order page renders this in every shop with the network dashboard; only our
    # checkout or a fork of it (both need the credit app) records invoice sources.
    if not get_setting("OSCAR_MLM_PAYMENT_METHODS") or not apps.is_installed(
        "oscar_mlm.apps.mlm_credit"
    ):
        return None
    from oscar_mlm.apps.checkout.services import open_sources
    from oscar_mlm.money import ZERO

    sources = open_sources(order)
    if not sources:
        return None
    amount = sum((s.amount_allocated - s.amount_debited for s in sources), ZERO)
    return {"amount": amount, "currency": order.currency}
