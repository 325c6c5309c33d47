"""The sandbox's commissions: a closed month with a credit note, a run month with corrections."""

from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories import create_product

from oscar_mlm.demo import orders as generator
from oscar_mlm.demo.commissions import build_commission_demo
from oscar_mlm.demo.network import write_network
from oscar_mlm.demo.plan import plan_network

Statement = get_model("mlm_commissions", "CommissionStatement")
Line = get_model("mlm_commissions", "CommissionLine")
CreditNote = get_model("mlm_commissions", "CreditNote")
Member = get_model("mlm_network", "Member")


@pytest.mark.django_db
def test_commission_demo(company, settings):
    settings.OSCAR_MLM_COMMISSION_MAX_TOTAL_RATE = "40"
    for n, price in enumerate(["19.90", "24.50", "33.30", "61.00"]):
        create_product(price=Decimal(price), title=f"Product {n}", num_in_stock=10)
    write_network(plan_network(80, seed=2), company=company)
    assert build_commission_demo() is None  # no orders yet
    generator.generate_orders(300, seed=5)  # this month and the two before
    demo = build_commission_demo()
    assert demo.closed.is_closed and not demo.open.is_closed
    assert demo.open.start > demo.closed.start and demo.open.start < timezone.localdate()
    anna = Member.objects.get(handle="anna")
    closed = Statement.objects.get(period=demo.closed, member=anna)
    assert closed.personal_volume > 0 and closed.total > 0
    note = CreditNote.objects.get(member=anna)
    assert (note.period, note.number, note.net) == (demo.closed, "GS-000001", closed.total)
    # The refund after the close became corrections in the open month.
    corrections = Line.objects.filter(period=demo.open, kind=Line.CORRECTION,
                                      order=demo.refunded_order)
    assert corrections.exists() and all(c.corrects_id == demo.closed.pk for c in corrections)
    assert build_commission_demo() is None  # once
