"""Read-only queries behind the staff pages of new-customer vouchers.

Each is one aggregated query (subqueries per distributor), so a page of distributors
costs the same however many codes and orders they have.
"""

from datetime import datetime, time, timedelta

from django.db.models import Count, DecimalField, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from oscar.core.loading import get_model

from oscar_mlm.money import ZERO

Member = get_model("mlm_network", "Member")
VoucherProgram = get_model("mlm_vouchers", "VoucherProgram")
DistributorVoucher = get_model("mlm_vouchers", "DistributorVoucher")
Redemption = get_model("mlm_vouchers", "Redemption")

MONEY = DecimalField(max_digits=12, decimal_places=2)

# Only the discount of the programme's own offer counts, not other offers on the order.
PROGRAM_DISCOUNT = Q(order__discounts__offer_id=F("distributor_voucher__program__offer_id"))


def day_bounds(date_from=None, date_to=None):
    """Aware datetimes for whole days in the current time zone: [start, end)."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(date_from, time.min, tzinfo=tz) if date_from else None
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=tz) if date_to else None
    return start, end


def _in_range(field, start, end):
    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": start})
    if end is not None:
        q &= Q(**{f"{field}__lt": end})
    return q


def _per_issuer(queryset, group, **aggregate):
    """A correlated subquery: one aggregated value of ``queryset`` for the outer issuer."""
    ((name, expression),) = aggregate.items()
    return Subquery(
        queryset.order_by().values(group).annotate(**{name: expression}).values(name)[:1]
    )


def program_list():
    """Programmes with their offer and the number of codes issued and redeemed."""
    return (
        VoucherProgram.objects.select_related("offer", "offer__benefit", "offer__benefit__range")
        .annotate(
            codes_issued=Count("vouchers", distinct=True),
            codes_redeemed=Count("vouchers__redemptions", distinct=True),
        )
        .order_by("-is_default", "-is_active", "name")
    )


def _filtered(date_from, date_to, program, now):
    """The codes, the codes usable now and the redemptions the filter selects."""
    start, end = day_bounds(date_from, date_to)
    codes = DistributorVoucher.objects.all()
    redemptions = Redemption.objects.filter(_in_range("created", start, end))
    if program is not None:
        codes = codes.filter(program=program)
        redemptions = redemptions.filter(distributor_voucher__program=program)
    usable = codes.filter(
        is_active=True,
        voucher__end_datetime__gt=now,
        voucher__num_orders__lt=F("uses_allowed"),
    )
    return codes.filter(_in_range("created", start, end)), usable, redemptions


def redemption_report(date_from=None, date_to=None, program=None, now=None):
    """Per distributor (issuer): codes issued, active codes, redemptions, customers moved and
    the discount given through the programme offers.

    The date range (whole days, inclusive) applies to when codes were issued and when
    orders were placed. "Active codes" is the state now: not deactivated, not expired,
    not used up.
    """
    issued, usable, redemptions = _filtered(date_from, date_to, program, now or timezone.now())
    mine = {"issuer": OuterRef("pk")}
    theirs = {"distributor_voucher__issuer": OuterRef("pk")}
    group = "distributor_voucher__issuer"
    count = lambda qs, g: Coalesce(  # noqa: E731
        _per_issuer(qs, g, n=Count("pk")), Value(0), output_field=IntegerField()
    )
    queryset = (
        Member.objects.filter(pk__in=DistributorVoucher.objects.values("issuer_id"))
        .select_related("user")
        .annotate(
            issued=count(issued.filter(**mine), "issuer"),
            active=count(usable.filter(**mine), "issuer"),
            redemptions=count(redemptions.filter(**theirs), group),
            moved=count(redemptions.filter(moved=True, **theirs), group),
            discount=Coalesce(
                _per_issuer(
                    redemptions.filter(**theirs),
                    group,
                    total=Sum("order__discounts__amount", filter=PROGRAM_DISCOUNT),
                ),
                Value(ZERO),
                output_field=MONEY,
            ),
        )
    )
    return queryset.filter(Q(issued__gt=0) | Q(active__gt=0) | Q(redemptions__gt=0)).order_by(
        "-redemptions", "-issued", "pk"
    )


def report_totals(date_from=None, date_to=None, program=None, now=None):
    """The sums of ``redemption_report``'s columns over all distributors (three queries)."""
    issued, usable, redemptions = _filtered(date_from, date_to, program, now or timezone.now())
    totals = redemptions.aggregate(
        redemptions=Count("pk", distinct=True),
        moved=Count("pk", distinct=True, filter=Q(moved=True)),
        discount=Sum("order__discounts__amount", filter=PROGRAM_DISCOUNT),
    )
    totals["discount"] = totals["discount"] or ZERO
    totals["issued"] = issued.count()
    totals["active"] = usable.count()
    return totals


def distributor_redemptions(member, date_from=None, date_to=None, program=None):
    """One distributor's redemptions, newest first, each with the programme discount given."""
    start, end = day_bounds(date_from, date_to)
    queryset = Redemption.objects.filter(distributor_voucher__issuer=member).filter(
        _in_range("created", start, end)
    )
    if program is not None:
        queryset = queryset.filter(distributor_voucher__program=program)
    return (
        queryset.select_related(
            "order",
            "buyer",
            "buyer__user",
            "distributor_voucher__voucher",
            "distributor_voucher__program",
        )
        .annotate(
            discount=Coalesce(
                Sum("order__discounts__amount", filter=PROGRAM_DISCOUNT),
                Value(ZERO),
                output_field=MONEY,
            )
        )
        .order_by("-created", "-pk")
    )
