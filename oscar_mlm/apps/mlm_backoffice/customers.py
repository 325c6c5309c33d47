"""Reads of a distributor's own customers and their contact records (CRM) for the back office.

Own customers are the customers whose sponsor the distributor is (their first line's
customers). Lists page by member number (newest first, keyset); each page reads the
orders, tags and next follow-ups of its customers in one query each.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_network import privacy
from oscar_mlm.conf import get_setting
from oscar_mlm.money import quantize
from oscar_mlm.parsing import parse_id

from .structure import page_size


@dataclass
class CustomerRow:
    member: object
    contact: object = None
    orders: int = 0
    totals: list = field(default_factory=list)  # [(currency, Decimal)]
    last_order: object = None
    tags: list = field(default_factory=list)
    next_follow_up: object = None

    @property
    def pk(self):
        return self.member.pk


def _models():
    return (
        get_model("mlm_network", "Member"),
        get_model("mlm_backoffice", "CustomerNote"),
        get_model("mlm_backoffice", "FollowUp"),
        get_model("mlm_backoffice", "CustomerTag"),
    )


def own_customers(distributor):
    Member, *_rest = _models()
    return Member.objects.filter(parent_id=distributor.pk, kind=Member.CUSTOMER)


def own_customer(distributor, customer_id):
    """The customer ``customer_id`` if it is one of ``distributor``'s own, else ``None``."""
    pk = parse_id(customer_id)
    if pk is None or distributor is None:
        return None
    return own_customers(distributor).select_related("user").filter(pk=pk).first()


def tags_of(distributor):
    """The distributor's tags, with how many customers carry each."""
    _Member, _Note, _FollowUp, CustomerTag = _models()
    return list(
        CustomerTag.objects.filter(distributor=distributor)
        .annotate(count=Count("customers"))
        .order_by("name", "pk")
    )


def customer_page(distributor, *, q="", tag=None, after=None, limit=None):
    """One page of the distributor's own customers, newest first, and the next page's key."""
    limit = limit or page_size()
    rows = own_customers(distributor).select_related("user")
    for word in (q or "").split():
        match = Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word)
        if privacy.contact_scope() != privacy.NONE:  # an address only where it would show
            match |= Q(user__email__icontains=word)
        rows = rows.filter(match)
    if tag is not None:
        rows = rows.filter(pk__in=tag.customers.values("pk"))
    after = parse_id(after)
    if after is not None:
        rows = rows.filter(pk__lt=after)
    members = list(rows.order_by("-pk")[: limit + 1])
    more = len(members) > limit
    members = members[:limit]
    return decorate(distributor, members), (members[-1].pk if more else None)


def iter_customers(distributor, *, q="", tag=None, batch=1000):
    after = None
    while True:
        rows, after = customer_page(distributor, q=q, tag=tag, after=after, limit=batch)
        yield from rows
        if after is None:
            return


def order_stats(user_ids):
    """``{user id: (count, [(currency, total)], last placed)}`` of Oscar's orders."""
    Order = get_model("order", "Order")
    stats = defaultdict(lambda: [0, [], None])
    rows = (
        Order.objects.filter(user_id__in=user_ids)
        .values_list("user_id", "currency")
        .annotate(n=Count("id"), total=Sum("total_incl_tax"), last=Max("date_placed"))
        .order_by("user_id", "currency")
    )
    for user_id, currency, count, total, last in rows:
        entry = stats[user_id]
        entry[0] += count
        # SQLite sums NUMERIC columns as floats; PostgreSQL gives exact Decimals.
        entry[1].append((currency, quantize(Decimal(str(total or 0)))))
        entry[2] = last if entry[2] is None or (last and last > entry[2]) else entry[2]
    return stats


def decorate(distributor, members):
    _Member, _Note, FollowUp, CustomerTag = _models()
    ids = [m.pk for m in members]
    stats = order_stats([m.user_id for m in members if m.user_id])
    contacts = privacy.contacts(distributor, members)
    tags = defaultdict(list)
    through = CustomerTag.customers.through
    for customer_id, name in (
        through.objects.filter(customertag__distributor=distributor, member_id__in=ids)
        .values_list("member_id", "customertag__name")
        .order_by("customertag__name")
    ):
        tags[customer_id].append(name)
    follow_ups = dict(
        FollowUp.objects.filter(distributor=distributor, customer_id__in=ids, done__isnull=True)
        .values_list("customer_id")
        .annotate(due=Min("due"))
        .order_by()
    )
    rows = []
    for member in members:
        count, totals, last = stats.get(member.user_id, (0, [], None))
        rows.append(
            CustomerRow(
                member=member,
                contact=contacts.get(member.pk),
                orders=count,
                totals=totals,
                last_order=last,
                tags=tags.get(member.pk, []),
                next_follow_up=follow_ups.get(member.pk),
            )
        )
    return rows


def recent_orders(customer, limit=10):
    Order = get_model("order", "Order")
    if not customer.user_id:
        return []
    return list(Order.objects.filter(user_id=customer.user_id).order_by("-date_placed")[:limit])


def notes(distributor, customer):
    """The distributor's own notes about ``customer``, newest contact first."""
    _Member, CustomerNote, _FollowUp, _Tag = _models()
    return list(CustomerNote.objects.filter(distributor=distributor, customer=customer))


def follow_ups(distributor, customer):
    """Open follow-ups first (earliest due first), then the last done ones."""
    _Member, _Note, FollowUp, _Tag = _models()
    mine = FollowUp.objects.filter(distributor=distributor, customer=customer)
    return list(mine.filter(done__isnull=True).order_by("due", "pk")), list(
        mine.filter(done__isnull=False).order_by("-done", "-pk")[:10]
    )


def due_follow_ups(distributor, today=None, within_days=None):
    """The distributor's open follow-ups due by ``today`` + ``within_days``
    (``OSCAR_MLM_CRM_DUE_DAYS``), overdue first, of customers who are still theirs."""
    _Member, _Note, FollowUp, _Tag = _models()
    today = today or timezone.localdate()
    days = int(get_setting("OSCAR_MLM_CRM_DUE_DAYS") if within_days is None else within_days)
    return list(
        FollowUp.objects.filter(
            distributor=distributor,
            done__isnull=True,
            due__lte=today + dt.timedelta(days=max(0, days)),
            customer__parent_id=distributor.pk,
            customer__kind="customer",
        )
        .select_related("customer__user")
        .order_by("due", "pk")
    )


def due_count(distributor, today=None):
    return len(due_follow_ups(distributor, today=today, within_days=0))
