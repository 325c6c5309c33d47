"""Orders in bulk: real Oscar orders and lines, and (optionally) their volume records.

:func:`generate_orders` writes ``order_order`` and ``order_line`` rows the
way Oscar's ``OrderCreator`` fills them (prices excluding and including tax,
partner, stock record, product, initial statuses), dated over given months,
bought by members of the network and some guests. It sends no signals and
touches no stock, baskets, payments or credit. With ``volume_records`` it also
writes one :class:`VolumeRecord` per line (COMMISSIONS.md rule 1): the owner is
the buyer if a distributor, else the buyer's sponsor (which may be the company);
a guest's order belongs to a storefront's distributor or the company: the same
rule as placement (``mlm_commissions.ownership``).
"""

import calendar
import datetime
import itertools
import random
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_commissions import ownership
from oscar_mlm.money import ZERO, quantize

from . import bulk
from .people import DISTRIBUTOR
from .plan import DEFAULT_SEED

Member = get_model("mlm_network", "Member")
Order = get_model("order", "Order")
Line = get_model("order", "Line")
StockRecord = get_model("partner", "StockRecord")

#: German VAT: prices of stock records are read as excluding it.
DEFAULT_TAX_RATE = Decimal("0.19")
#: Shipping charged, including tax, on orders below FREE_SHIPPING_FROM (including tax).
SHIPPING_INCL_TAX = Decimal("4.95")
FREE_SHIPPING_FROM = Decimal("50.00")
#: Share of orders placed by guests.
GUEST_SHARE = 0.05
#: Share of guest orders placed on a distributor's storefront; the rest on the company site.
STOREFRONT_SHARE = 0.6
#: Generated order numbers are this prefix and the order's id: never a number Oscar gives.
NUMBER_PREFIX = "D"
#: Orders per batch (and per progress step).
BATCH_SIZE = 10_000
#: Upper limit of one call, against typos that would fill the disk.
MAX_ORDERS = 5_000_000
LINES_PER_ORDER = ((1, 2, 3, 4), (50, 30, 15, 5))
QUANTITIES = ((1, 2, 3), (70, 20, 10))
#: How much more often a distributor buys than a customer (they buy for their own use).
DISTRIBUTOR_APPETITE = 2.0


class DemoDataError(ValueError):
    """The data to generate orders from is missing or the arguments are wrong."""


@dataclass
class GeneratedOrders:
    orders: int
    lines: int
    volume_records: int
    guest_orders: int
    first_placed: datetime.datetime | None
    last_placed: datetime.datetime | None
    #: Sum of the orders' totals including tax (shipping included), per currency.
    total_incl_tax: Decimal


def volume_key(line_id):
    """Idempotency key of a generated line's sale record: the one placement would write."""
    return ownership.sale_key(line_id)


# -- months -----------------------------------------------------------------------------------


def parse_month(value):
    """``"2026-10"``, ``(2026, 10)`` or a date as ``(year, month)``; ``ValueError`` otherwise."""
    if isinstance(value, datetime.date):
        return value.year, value.month
    if isinstance(value, tuple | list) and len(value) == 2:
        year, month = value
    else:
        text = str(value).strip()
        parts = text.split("-")
        if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts):
            raise ValueError(f"A month is written YYYY-MM, for example 2026-10, not {value!r}.")
        year, month = int(parts[0]), int(parts[1])
    if not (1 <= int(month) <= 12 and 1900 <= int(year) <= 9999):
        raise ValueError(f"No such month: {value!r}.")
    return int(year), int(month)


def month_bounds(year, month):
    """The first moment of the month and of the next, in the shop's time zone."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime(year, month, 1)
    days = calendar.monthrange(year, month)[1]
    end = start + datetime.timedelta(days=days)
    return timezone.make_aware(start, zone), timezone.make_aware(end, zone)


def recent_months(count=3, now=None):
    """The current month and the ``count - 1`` before it, oldest first."""
    today = timezone.localtime(now or timezone.now())
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def _spans(months):
    """``[(start, end)]`` of the months, oldest first; the current month ends now."""
    now = timezone.now()
    spans = []
    for year, month in sorted({parse_month(m) for m in months}):
        start, end = month_bounds(year, month)
        if start <= now < end:
            end = now
        spans.append((start, end))
    return spans


# -- what is bought, by whom ------------------------------------------------------------------


@dataclass(frozen=True)
class _Product:
    product_id: int
    title: str
    upc: str | None
    stockrecord_id: int
    partner_id: int
    partner_name: str
    partner_sku: str
    price_excl_tax: Decimal
    price_incl_tax: Decimal


def priced_products(currency, tax_rate, products=None):
    """One stock record with a price in ``currency`` per product (``products``: a queryset)."""
    records = (
        StockRecord.objects.filter(price__isnull=False, price_currency=currency)
        .select_related("product", "partner")
        .order_by("product_id", "pk")
    )
    if products is not None:
        records = records.filter(product__in=products)
    found, seen = [], set()
    for record in records:
        if record.product_id in seen or record.product.is_parent:
            continue
        seen.add(record.product_id)
        price = quantize(record.price)
        found.append(
            _Product(
                record.product_id,
                record.product.get_title(),
                record.product.upc,
                record.pk,
                record.partner_id,
                record.partner.name,
                record.partner_sku,
                price,
                quantize(price * (1 + tax_rate)),
            )
        )
    return found


class _Buyers:
    """The members orders are drawn from, with a heavy-tailed appetite each."""

    def __init__(self, members, rng):
        rows = list(
            members.exclude(kind=Member.COMPANY)
            .exclude(user=None)
            .order_by("pk")
            .values_list("pk", "user_id", "kind", "parent_id")
        )
        if not rows:
            raise DemoDataError("There are no members to buy: build a network first.")
        columns = (list(c) for c in zip(*rows, strict=True))
        self.pks, self.user_ids, self.kinds, self.parents = columns
        # A few buy a lot, most rarely (Pareto); distributors more than customers.
        weights = [
            rng.paretovariate(1.2) * (DISTRIBUTOR_APPETITE if kind == DISTRIBUTOR else 1.0)
            for kind in self.kinds
        ]
        self.cum_weights = list(itertools.accumulate(weights))
        self.distributors = [i for i, kind in enumerate(self.kinds) if kind == DISTRIBUTOR]
        self.distributor_cum = list(itertools.accumulate(weights[i] for i in self.distributors))

    def draw(self, rng, count):
        return rng.choices(range(len(self.pks)), cum_weights=self.cum_weights, k=count)

    def storefront(self, rng):
        """A distributor whose storefront a guest buys on, or ``None`` (the company site)."""
        if not self.distributors or rng.random() >= STOREFRONT_SHARE:
            return None
        index = rng.choices(self.distributors, cum_weights=self.distributor_cum)[0]
        return self.pks[index]


def _dates(rng, spans, count):
    """``count`` placement times spread evenly over the spans, ascending."""
    dates = []
    share, extra = divmod(count, len(spans))
    for n, (start, end) in enumerate(spans):
        seconds = (end - start).total_seconds()
        k = share + (1 if n < extra else 0)
        dates.extend(
            sorted(start + datetime.timedelta(seconds=rng.random() * seconds) for _ in range(k))
        )
    return dates


# -- writing ----------------------------------------------------------------------------------


def generate_orders(count, *, months=None, seed=DEFAULT_SEED, buyers=None, products=None,
                    guest_share=GUEST_SHARE, tax_rate=DEFAULT_TAX_RATE, currency=None,
                    volume_records=None, status=None, progress=None):  # fmt: skip
    """Write ``count`` orders in bulk, in one transaction; a :class:`GeneratedOrders`.

    ``months``: the months the orders are placed in, spread evenly over them
    (``"2026-10"``, ``(2026, 10)`` or dates; default: this month and the two
    before, up to now). ``buyers``: a queryset of members to draw buyers from
    (default: every active member); a few buy often, most rarely,
    distributors more than customers. ``guest_share`` of the orders are
    guests'. ``products``: a queryset of products (default: every product
    with a price in ``currency``, the shop's default currency); their stock
    record's price is read as excluding ``tax_rate``. ``volume_records``
    (default: whether ``mlm_commissions`` is installed) also writes a volume
    record per line. ``status``: the orders' and lines' status (default:
    ``OSCAR_INITIAL_ORDER_STATUS``/``OSCAR_INITIAL_LINE_STATUS``).
    ``progress``: anything with ``update(n)``, told about each order.
    Deterministic for ``seed`` and the same database.
    """
    if not 0 <= count <= MAX_ORDERS:
        raise DemoDataError(f"The number of orders must be 0 to {MAX_ORDERS}, not {count}.")
    if not 0 <= guest_share <= 1:
        raise DemoDataError(f"guest_share is a share from 0 to 1, not {guest_share}.")
    rng = random.Random(seed)
    currency = currency or settings.OSCAR_DEFAULT_CURRENCY
    tax_rate = Decimal(str(tax_rate))
    spans = _spans(months or recent_months())
    if volume_records is None:
        volume_records = "mlm_commissions" in apps.app_configs  # the app or a fork of it
    VolumeRecord = get_model("mlm_commissions", "VolumeRecord") if volume_records else None
    order_status = status or getattr(settings, "OSCAR_INITIAL_ORDER_STATUS", "")
    line_status = status or getattr(settings, "OSCAR_INITIAL_LINE_STATUS", "")

    catalogue = priced_products(currency, tax_rate, products)
    if count and not catalogue:
        raise DemoDataError(
            f"No product has a price in {currency}: add products with stock records first."
        )
    # A few products sell most (Zipf), in an order of their own for each seed.
    popular = rng.sample(catalogue, len(catalogue))
    popular_cum = list(itertools.accumulate(1 / (k + 1) for k in range(len(popular))))
    shipping_excl = quantize(SHIPPING_INCL_TAX / (1 + tax_rate))
    result = GeneratedOrders(0, 0, 0, 0, None, None, ZERO)
    if not count:
        return result

    with transaction.atomic():
        people = _Buyers(
            buyers if buyers is not None else Member.objects.filter(status=Member.ACTIVE), rng
        )
        company_id = Member.objects.filter(kind=Member.COMPANY).values_list("pk", flat=True).get()
        dates = _dates(rng, spans, count)
        guests = 0
        for start in range(0, count, BATCH_SIZE):
            batch = dates[start : start + BATCH_SIZE]
            n = len(batch)
            order_ids = bulk.reserve_ids(Order, n)
            drawn = people.draw(rng, n)
            orders = {key: [] for key in (
                "id", "number", "user_id", "guest_email", "total_incl_tax", "total_excl_tax",
                "shipping_incl_tax", "shipping_excl_tax", "shipping_method", "shipping_code",
            )}  # fmt: skip
            lines = []  # (order index, product, quantity)
            # per order: buyer pk or None, buyer kind, sponsor, owner, owned by, storefront, guest
            sold_to = []
            for k, order_id in enumerate(order_ids):
                if rng.random() < guest_share:
                    guests += 1
                    storefront = people.storefront(rng)
                    orders["user_id"].append(None)
                    email = f"guest{rng.randrange(10**9)}@example.net"
                    orders["guest_email"].append(email)
                    owner, owned_by = ownership.owner_of(
                        buyer_kind=ownership.GUEST,
                        candidates={ownership.STOREFRONT: storefront},
                        company_id=company_id,
                    )
                    sold_to.append((None, "guest", None, owner, owned_by, storefront, email))
                else:
                    b = drawn[k]
                    pk, kind, parent = people.pks[b], people.kinds[b], people.parents[b]
                    orders["user_id"].append(people.user_ids[b])
                    orders["guest_email"].append("")
                    # The one owner rule of placement (COMMISSIONS.md rule 1).
                    owner, owned_by = ownership.owner_of(
                        buyer_kind=ownership.buyer_kind_of(kind),
                        buyer_id=pk,
                        sponsor_id=parent,
                        company_id=company_id,
                    )
                    sold_to.append((pk, kind, parent, owner, owned_by, None, ""))
                width = rng.choices(*LINES_PER_ORDER)[0]
                picked = rng.choices(popular, cum_weights=popular_cum, k=width)
                chosen = list(dict.fromkeys(picked))  # a product once per order
                quantities = rng.choices(*QUANTITIES, k=len(chosen))
                incl = sum(p.price_incl_tax * q for p, q in zip(chosen, quantities, strict=True))
                excl = sum(p.price_excl_tax * q for p, q in zip(chosen, quantities, strict=True))
                free = incl >= FREE_SHIPPING_FROM
                ship_incl, ship_excl = (ZERO, ZERO) if free else (SHIPPING_INCL_TAX, shipping_excl)
                orders["id"].append(order_id)
                orders["number"].append(f"{NUMBER_PREFIX}{order_id}")
                orders["total_incl_tax"].append(incl + ship_incl)
                orders["total_excl_tax"].append(excl + ship_excl)
                orders["shipping_incl_tax"].append(ship_incl)
                orders["shipping_excl_tax"].append(ship_excl)
                orders["shipping_method"].append("Free shipping" if free else "Standard shipping")
                orders["shipping_code"].append("free-shipping" if free else "standard")
                lines.extend((k, p, q) for p, q in zip(chosen, quantities, strict=True))
                result.total_incl_tax += incl + ship_incl
            bulk.insert(
                Order,
                n,
                {
                    **orders,
                    "site_id": getattr(settings, "SITE_ID", None),
                    "basket_id": None,
                    "billing_address_id": None,
                    "shipping_address_id": None,
                    "shipping_tax_code": None,
                    "currency": currency,
                    "status": order_status,
                    "date_placed": batch,
                    "analytics_tracked": False,
                },
            )
            line_ids = bulk.reserve_ids(Line, len(lines))
            _insert_lines(lines, line_ids, order_ids, line_status)
            if VolumeRecord is not None:
                _insert_volume_records(
                    VolumeRecord, lines, line_ids, order_ids, batch, sold_to, currency
                )
                result.volume_records += len(lines)
            result.orders += n
            result.lines += len(lines)
            if progress is not None:
                progress.update(n)
        result.guest_orders = guests
        result.first_placed, result.last_placed = dates[0], dates[-1]
    return result


def _insert_lines(lines, line_ids, order_ids, status):
    column = lambda get: [get(p, q) for _, p, q in lines]  # noqa: E731
    bulk.insert(
        Line,
        len(lines),
        {
            "id": line_ids,
            "order_id": [order_ids[k] for k, _, _ in lines],
            "partner_id": column(lambda p, q: p.partner_id),
            "partner_name": column(lambda p, q: p.partner_name),
            "partner_sku": column(lambda p, q: p.partner_sku),
            "partner_line_reference": "",
            "partner_line_notes": "",
            "stockrecord_id": column(lambda p, q: p.stockrecord_id),
            "product_id": column(lambda p, q: p.product_id),
            "title": column(lambda p, q: p.title),
            "upc": column(lambda p, q: p.upc),
            "quantity": column(lambda p, q: q),
            "line_price_incl_tax": column(lambda p, q: p.price_incl_tax * q),
            "line_price_excl_tax": column(lambda p, q: p.price_excl_tax * q),
            "line_price_before_discounts_incl_tax": column(lambda p, q: p.price_incl_tax * q),
            "line_price_before_discounts_excl_tax": column(lambda p, q: p.price_excl_tax * q),
            "unit_price_incl_tax": column(lambda p, q: p.price_incl_tax),
            "unit_price_excl_tax": column(lambda p, q: p.price_excl_tax),
            "tax_code": None,
            "status": status,
            "num_allocated": column(lambda p, q: q),
            "allocation_cancelled": False,
        },
    )


def _insert_volume_records(VolumeRecord, lines, line_ids, order_ids, dates, sold_to, currency):
    fields = {f.attname for f in VolumeRecord._meta.concrete_fields}
    per_line = [sold_to[k] for k, _, _ in lines]
    values = [p.price_excl_tax * q for _, p, q in lines]
    booked = [dates[k] for k, _, _ in lines]
    columns = {
        "kind": VolumeRecord.SALE,
        "order_id": [order_ids[k] for k, _, _ in lines],
        "line_id": line_ids,
        "refund_of_id": None,
        "buyer_id": [s[0] for s in per_line],
        "buyer_kind": [s[1] for s in per_line],
        "sponsor_id": [s[2] for s in per_line],
        "owner_id": [s[3] for s in per_line],
        "owned_by": [s[4] for s in per_line],
        "storefront_id": [s[5] for s in per_line],
        "quantity": [q for _, _, q in lines],
        "value": values,
        "volume": values,
        "commissionable": True,
        "currency": currency,
        "booked": booked,
        "idempotency_key": [volume_key(pk) for pk in line_ids],
    }
    if "placed" in fields:  # when the order was placed, also on refunds
        columns["placed"] = booked
    if "guest_email" in fields:
        columns["guest_email"] = [s[6] for s in per_line]
    bulk.insert(VolumeRecord, len(lines), columns)
