"""Order signals -> credit bookings. Each receiver only calls a service.

* ``order_placed`` (web checkout, API and ``create_order`` alike) books the
  earned credit as pending, and a new customer's first order the sponsor's
  referral credit (``OSCAR_MLM_CREDIT_REFERRAL_AMOUNT``). It never reads
  payment sources: they are saved after the signal (STYLE.md, "Signal facts").
* ``order_status_changed`` releases it at ``OSCAR_MLM_CREDIT_AVAILABLE_STATUS``
  and cancels the order's credit at ``OSCAR_MLM_CREDIT_CANCELLED_STATUSES``.
* ``order_line_status_changed`` refunds a line at
  ``OSCAR_MLM_CREDIT_REFUNDED_LINE_STATUSES``.
"""

from django.dispatch import receiver
from oscar.apps.order.signals import (
    order_line_status_changed,
    order_placed,
    order_status_changed,
)


def _services():
    # Imported late: services reads models, which are not ready while apps load.
    from . import services

    return services


@receiver(order_placed, dispatch_uid="mlm_credit_earn")
def earn_credit(sender, order, **kwargs):
    services = _services()
    services.earn_for_order(order)
    services.earn_referral(order)


@receiver(order_status_changed, dispatch_uid="mlm_credit_order_status")
def order_status(sender, order, old_status, new_status, **kwargs):
    services = _services()
    if services.is_available_status(new_status):
        services.release_for_order(order)
        services.release_referral(order)
    if services.is_cancelled_status(new_status):
        services.cancel_order(order, reason=str(new_status))
        services.reverse_referral(order, reason=str(new_status))


@receiver(order_line_status_changed, dispatch_uid="mlm_credit_line_status")
def line_status(sender, line, old_status, new_status, **kwargs):
    services = _services()
    if services.is_refunded_line_status(new_status):
        services.refund_lines(
            line.order,
            {line: line.quantity},
            key=f"line:{line.pk}:{new_status}",
            reason=str(new_status),
        )
