"""Order signals -> volume records. Each receiver only calls a service.

* ``order_placed`` (web checkout, API and ``create_order`` alike) records the
  order's lines with the placement captured by the checkout
  (:mod:`oscar_mlm.placement`).
* ``order_status_changed`` to one of ``OSCAR_MLM_CREDIT_CANCELLED_STATUSES``
  takes back the order's volume; ``order_line_status_changed`` to one of
  ``OSCAR_MLM_CREDIT_REFUNDED_LINE_STATUSES`` takes back the line's (the same
  statuses as credit: a cancelled order neither earns credit nor counts).
"""

from django.dispatch import receiver
from oscar.apps.order.signals import (
    order_line_status_changed,
    order_placed,
    order_status_changed,
)

from oscar_mlm.conf import setting_values
from oscar_mlm.placement import current_placement


def _services():
    # Imported late: services read models, which are not ready while apps load.
    from . import services

    return services


def _in(name, status):
    return status in setting_values(name)


@receiver(order_placed, dispatch_uid="mlm_commissions_record")
def record_volume(sender, order, **kwargs):
    _services().record_order(order, current_placement())


@receiver(order_status_changed, dispatch_uid="mlm_commissions_order_status")
def order_status(sender, order, old_status, new_status, **kwargs):
    if _in("OSCAR_MLM_CREDIT_CANCELLED_STATUSES", new_status):
        _services().cancel_order(order, key=f"order:{order.number}:{new_status}")


@receiver(order_line_status_changed, dispatch_uid="mlm_commissions_line_status")
def line_status(sender, line, old_status, new_status, **kwargs):
    if _in("OSCAR_MLM_CREDIT_REFUNDED_LINE_STATUSES", new_status):
        _services().refund_lines(
            line.order, {line: line.quantity}, key=f"line:{line.pk}:{new_status}"
        )
