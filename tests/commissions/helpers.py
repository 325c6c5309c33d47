"""Building networks, orders and volume records for commission tests.

Volume records are written here directly, the way the order-placement
recording writes them (one per order line, refunds as negative rows that
point at the sale): the commission run reads only these rows.
"""

import datetime as dt
from decimal import Decimal as D

from django.utils import timezone
from oscar.core.loading import get_model

from oscar_mlm.test.factories import CustomerFactory, DistributorFactory

Order = get_model("order", "Order")
Line = get_model("order", "Line")
VolumeRecord = get_model("mlm_commissions", "VolumeRecord")
Member = get_model("mlm_network", "Member")


def moment(day, hour=12):
    """An aware datetime at ``hour`` o'clock of ``day`` (``"2025-10-05"``) in TIME_ZONE."""
    day = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class Book:
    """A small world: named members, orders and their volume records."""

    def __init__(self, company, currency="EUR"):
        self.company = company
        self.currency = currency
        self.members = {"company": company}
        self.orders = {}
        self.records = {}  # order number -> [records]

    def __getitem__(self, name):
        return self.members[name]

    def name_of(self, member_id):
        for name, member in self.members.items():
            if member.pk == member_id:
                return name
        return member_id

    def distributor(self, name, sponsor="company", status="active"):
        member = DistributorFactory(
            parent=self.members[sponsor], status=status, user__first_name=name,
            handle=name.lower().replace(" ", ""),
        )
        self.members[name] = member
        return member

    def customer(self, name, sponsor):
        member = CustomerFactory(parent=self.members[sponsor], user__first_name=name)
        self.members[name] = member
        return member

    def sale(self, number, volume, *, buyer=None, owner=None, day="2025-10-15", lines=None,
             currency=None):
        """Order ``number`` with one line of ``volume`` (or ``lines``: [(volume, commissionable)]).

        ``buyer`` is a member name (None: a guest); ``owner`` defaults to the
        buyer if a distributor, else the buyer's sponsor, else the company.
        """
        buyer_member = self.members[buyer] if buyer else None
        if owner is not None:
            owner_member = self.members[owner]
        elif buyer_member is None:
            owner_member = self.company
        elif buyer_member.kind == Member.DISTRIBUTOR:
            owner_member = buyer_member
        else:
            owner_member = buyer_member.parent
        booked = moment(day)
        lines = lines or [(volume, True)]
        total = sum(D(str(v)) for v, _ in lines)
        order = Order.objects.create(
            number=str(number), currency=currency or self.currency, total_incl_tax=total,
            total_excl_tax=total, date_placed=booked,
            user=buyer_member.user if buyer_member else None,
        )
        records = []
        for i, (value, commissionable) in enumerate(lines):
            value = D(str(value))
            line = Line.objects.create(
                order=order, partner_sku=f"SKU{i}", title=f"Product {i}", quantity=1,
                line_price_incl_tax=value, line_price_excl_tax=value,
                line_price_before_discounts_incl_tax=value,
                line_price_before_discounts_excl_tax=value, num_allocated=1,
            )
            if buyer_member is None:
                buyer_kind, owned_by = VolumeRecord.GUEST, (
                    VolumeRecord.STOREFRONT if owner_member != self.company
                    else VolumeRecord.COMPANY)
            elif buyer_member.kind == Member.DISTRIBUTOR:
                buyer_kind, owned_by = VolumeRecord.DISTRIBUTOR, VolumeRecord.BUYER
            else:
                buyer_kind, owned_by = VolumeRecord.CUSTOMER, VolumeRecord.SPONSOR
            records.append(
                VolumeRecord.objects.create(
                    order=order, line=line, buyer=buyer_member, buyer_kind=buyer_kind,
                    sponsor=buyer_member.parent if buyer_member else None,
                    owner=owner_member, owned_by=owned_by, quantity=1, value=value,
                    volume=value if commissionable else D("0.00"),
                    commissionable=commissionable, currency=currency or self.currency,
                    booked=booked, placed=booked,
                    idempotency_key=f"order:{number}:line:{line.pk}",
                )
            )
        self.orders[number] = order
        self.records[number] = records
        return order

    def refund(self, number, *, day, volume=None, line=0):
        """Refund (part of) line ``line`` of order ``number``; default: all of it."""
        sale = self.records[number][line]
        volume = D(str(volume)) if volume is not None else sale.value
        share = volume / sale.value if sale.value else D(1)
        count = sale.refunds.count()
        return VolumeRecord.objects.create(
            kind=VolumeRecord.REFUND, order=sale.order, line=sale.line, refund_of=sale,
            buyer=sale.buyer, buyer_kind=sale.buyer_kind, sponsor=sale.sponsor,
            owner=sale.owner, owned_by=sale.owned_by, quantity=-1, value=-volume,
            volume=-(sale.volume * share).quantize(D("0.01")), commissionable=sale.commissionable,
            currency=sale.currency, booked=moment(day), placed=sale.placed,
            idempotency_key=f"order:{number}:line:{sale.line_id}:refund:{count}",
        )
