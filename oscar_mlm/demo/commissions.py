"""Commissions for the demo network: a plan, a closed month, a run month, a credit note.

:func:`build_commission_demo` runs on a database that has the demo network and
generated orders of the last months (``mlm_demo_network --orders N``). With
the services a shop would use, it creates a plan valid from the month before
last, gives Anna a few orders of her own in both months (so she qualifies),
her tax details, runs and **closes the month before last** (her credit note
is issued), refunds one order of that month in the last month (a correction
there), and **runs the last month**, leaving it open for staff to close from
the dashboard. The current month stays live. Nothing happens where a plan
exists already.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_commissions import services

from .orders import generate_orders, month_bounds, recent_months

PLAN = {
    "name": "Demo plan",
    "levels": 3,
    "rates": ["10", "5", "3"],
    "own_volume_rate": "5",
    "minimum_own_volume": "50",
    "unqualified_share": "company",
}
ANNA_TAX = {
    "tax_status": "small_business",
    "name": "Anna Albers",
    "street": "Lindenstraße 3",
    "postcode": "10969",
    "city": "Berlin",
    "country": "DE",
    "tax_number": "21/815/08150",
}
REFUND_KEY = "demo:refund-after-close"


@dataclass
class CommissionDemo:
    closed: object  # the month before last, closed
    open: object  # the last month, run
    refunded_order: object  # refunded after the close: corrections in ``open``


def build_commission_demo(now=None, seed=7):
    """See the module's docstring; ``None`` if a plan exists or there are no orders yet."""
    Plan = get_model("mlm_commissions", "CommissionPlan")
    VolumeRecord = get_model("mlm_commissions", "VolumeRecord")
    Member = get_model("mlm_network", "Member")
    Line = get_model("mlm_commissions", "CommissionLine")
    if Plan.objects.exists() or not VolumeRecord.objects.exists():
        return None
    anna = Member.objects.filter(handle="anna").first()
    (y1, m1), (y2, m2), _current = recent_months(3, now=now)
    first, second = dt.date(y1, m1, 1), dt.date(y2, m2, 1)
    with transaction.atomic():
        if anna is not None:
            generate_orders(6, months=[(y1, m1), (y2, m2)], seed=seed,
                            buyers=Member.objects.filter(pk=anna.pk), guest_share=0)
        services.create_plan(valid_from=first, **PLAN)
        if anna is not None:
            services.save_tax_profile(anna, **ANNA_TAX)
    closed = services.month_period(first)
    services.run_period(closed)
    closed = services.close_and_issue_credit_notes(closed).period
    # A refund, booked in the last month, of an order of the closed month on
    # which someone was paid at a level: corrections in the last month.
    paid = (Line.objects.filter(period=closed, paid=True, level__gte=1)
            .order_by("-beneficiary_id" if anna is None else "id"))
    if anna is not None and paid.filter(beneficiary=anna).exists():
        paid = paid.filter(beneficiary=anna)
    line = paid.first()
    order = None
    if line is not None:
        order = line.order
        refund_moment = month_bounds(y2, m2)[0] + dt.timedelta(days=9, hours=12)
        services.cancel_order(order, key=REFUND_KEY, now=min(refund_moment, timezone.now()))
    run = services.month_period(second)
    services.run_period(run)
    return CommissionDemo(closed=closed, open=run, refunded_order=order)
