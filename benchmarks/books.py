"""The books after a load test: nothing lost, nothing doubled.

Run with the shop's settings (``benchmarks/load.py`` runs it through ``manage.py shell``
against the stack's database). ``check()`` returns ``{"problems": [...], "figures": {...}}``:

* every order has exactly its records: a credit payment source and one standing spend of
  the same amount, or neither; an earning booking per line whose product earns credit; one
  redemption if a new-customer code discounted it, none otherwise; one volume record per
  line (``mlm_commissions``, written at placement);
* every credit account's balance and pending amount equal the sum of its bookings;
* no code used more often than it allows, and Oscar's use counter agrees;
* every spend without an order was given back, once;
* one member without a sponsor (the company), no cycle (every member is reachable from it);
* the orders and sign-ups the visitors saw completed exist, once.
"""

from collections import Counter, defaultdict
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Sum
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_credit import services as credit
from oscar_mlm.conf import get_setting

Order = get_model("order", "Order")
Line = get_model("order", "Line")
OrderDiscount = get_model("order", "OrderDiscount")
Source = get_model("payment", "Source")
CreditAccount = get_model("mlm_credit", "CreditAccount")
CreditEntry = get_model("mlm_credit", "CreditEntry")
Member = get_model("mlm_network", "Member")
DistributorVoucher = get_model("mlm_vouchers", "DistributorVoucher")
Redemption = get_model("mlm_vouchers", "Redemption")
VoucherApplication = get_model("voucher", "VoucherApplication")
ZERO = Decimal("0.00")


def check(seen_orders=(), signups=(), since=None):
    """The books; per-order checks for the orders placed since ``since`` (an ISO time: the
    load test's start), since generated demo orders carry no payments or credit."""
    problems = []
    figures = {}
    placed = Order.objects.all()
    if since:
        placed = placed.filter(date_placed__gte=since)
    orders = dict(placed.values_list("number", "pk"))
    everything = set(Order.objects.values_list("number", flat=True))
    figures["orders"] = len(orders)

    # -- credit per order ----------------------------------------------------------------
    source_name = get_setting("OSCAR_MLM_CREDIT_SOURCE_TYPE")
    paid = defaultdict(lambda: ZERO)
    for number, amount in Source.objects.filter(source_type__name=source_name).values_list(
        "order__number", "amount_debited"
    ):
        paid[number] += amount
    reversed_ = CreditEntry.objects.filter(reverses=OuterRef("pk"))
    standing = defaultdict(list)
    spends = CreditEntry.objects.filter(kind=CreditEntry.SPENT).annotate(back=Exists(reversed_))
    returned_twice = (
        CreditEntry.objects.filter(reverses__isnull=False)
        .values("reverses")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    for number, amount, back in spends.values_list("order_number", "amount", "back"):
        if not back:
            standing[number].append(-amount)
    for number in set(paid) | set(standing):
        if number not in everything:
            problems.append(f"credit spent on {number}, which is no order, never given back")
            continue
        if number not in orders:
            continue
        if len(standing[number]) > 1:
            problems.append(f"order {number}: {len(standing[number])} standing credit spends")
        if sum(standing[number], ZERO) != paid[number]:
            problems.append(
                f"order {number}: credit source {paid[number]} but standing spends "
                f"{sum(standing[number], ZERO)}"
            )
    if returned_twice:
        problems.append(f"{returned_twice} bookings reversed more than once")
    figures["orders_with_credit"] = sum(1 for n in paid if paid[n] > 0)

    # Earning: one booking per line whose product earns credit (the key makes two impossible).
    earned = Counter(
        CreditEntry.objects.filter(kind=CreditEntry.EARNED).values_list("line_id", flat=True)
    )
    lines = list(Line.objects.filter(order__in=placed).select_related("product__parent", "order"))
    rules = credit.rules_for([line.product for line in lines if line.product_id])
    for line in lines:
        rule = rules.get(line.product_id) if line.product_id else None
        expected = 1 if rule is not None and line.line_price_excl_tax else 0
        if earned[line.pk] != expected:
            problems.append(
                f"order {line.order.number} line {line.pk}: {earned[line.pk]} earning "
                f"bookings, expected {expected}"
            )
    figures["order_lines"] = len(lines)

    # -- balances ------------------------------------------------------------------------
    wrong = credit.check_books()
    for account, sums in wrong:
        problems.append(
            f"credit account {account.pk}: balance {account.balance} but bookings {sums['amount']}"
        )
    figures["credit_accounts"] = CreditAccount.objects.count()

    # -- vouchers ------------------------------------------------------------------------
    codes = dict(DistributorVoucher.objects.values_list("voucher_id", "pk"))
    discounted = defaultdict(set)
    for number, voucher_id in OrderDiscount.objects.filter(voucher_id__in=codes).values_list(
        "order__number", "voucher_id"
    ):
        discounted[number].add(codes[voucher_id])
    redeemed = defaultdict(set)
    for number, dv in Redemption.objects.values_list("order__number", "distributor_voucher_id"):
        redeemed[number].add(dv)
    for number in (set(discounted) | set(redeemed)) & set(orders):
        if discounted[number] != redeemed[number]:
            problems.append(
                f"order {number}: discount by code(s) {sorted(discounted[number])} "
                f"but redemption(s) {sorted(redeemed[number])}"
            )
    uses = dict(
        Redemption.objects.values("distributor_voucher")
        .annotate(n=Count("id"))
        .values_list("distributor_voucher", "n")
    )
    applications = dict(
        VoucherApplication.objects.values("voucher")
        .annotate(n=Count("id"))
        .values_list("voucher", "n")
    )
    for dv in DistributorVoucher.objects.select_related("voucher"):
        used = uses.get(dv.pk, 0)
        if used > dv.uses_allowed:
            problems.append(f"code {dv.voucher.code} used {used} times, allowed {dv.uses_allowed}")
        if dv.voucher.num_orders != applications.get(dv.voucher_id, 0):
            problems.append(
                f"code {dv.voucher.code}: Oscar counts {dv.voucher.num_orders} "
                f"orders, {applications.get(dv.voucher_id, 0)} applications"
            )
    figures["redemptions"] = sum(uses.values())

    # -- volumes ---------------------------------------------------------------------------
    VolumeRecord = get_model("mlm_commissions", "VolumeRecord")
    sales = Counter(
        VolumeRecord.objects.filter(kind=VolumeRecord.SALE, order__in=placed).values_list(
            "line_id", flat=True
        )
    )
    for line in lines:
        if sales[line.pk] != 1:
            problems.append(
                f"order {line.order.number} line {line.pk}: {sales[line.pk]} volume records"
            )
    figures["volume_records"] = sum(sales.values())

    # -- the network -----------------------------------------------------------------------
    roots = Member.objects.filter(parent__isnull=True).count()
    if roots != 1:
        problems.append(f"{roots} members without a sponsor (only the company may be one)")
    table = Member._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE t(id) AS (SELECT id FROM {table} WHERE parent_id IS NULL "
            f"UNION ALL SELECT m.id FROM {table} m JOIN t ON m.parent_id = t.id) "
            "SELECT count(*) FROM t"
        )
        reachable = cursor.fetchone()[0]
    members = Member.objects.count()
    if reachable != members:
        problems.append(f"{members - reachable} members are not below the company (a cycle)")
    figures["members"] = members

    # -- what the visitors saw -------------------------------------------------------------
    missing = sorted(set(seen_orders) - everything)
    if missing:
        problems.append(f"{len(missing)} orders confirmed to visitors are missing: {missing[:5]}")
    if signups:
        User = get_user_model()
        found = Counter(
            User.objects.filter(email__in=list(signups)).values_list("email", flat=True)
        )
        members_of = set(
            Member.objects.filter(user__email__in=list(signups), parent__isnull=False).values_list(
                "user__email", flat=True
            )
        )
        for email in signups:
            if found[email] != 1 or email not in members_of:
                problems.append(
                    f"sign-up {email}: {found[email]} users, member with sponsor: "
                    f"{email in members_of}"
                )
    figures["signups_checked"] = len(signups)
    figures["orders_confirmed_to_visitors"] = len(seen_orders)
    total = Source.objects.filter(source_type__name=source_name).aggregate(s=Sum("amount_debited"))
    figures["credit_spent_on_orders"] = str(total["s"] or ZERO)
    return {"problems": problems, "figures": figures}
