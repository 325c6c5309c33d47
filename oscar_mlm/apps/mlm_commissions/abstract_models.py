"""Volumes and commissions (F5). See docs/commissions.rst and ../shared/COMMISSIONS.md.

A :class:`AbstractVolumeRecord` is written per order line when the order is
placed, inside Oscar's order transaction, and frozen: who bought, the
buyer's sponsor at that moment, the distributor who *owns* the volume, the
storefront, the volume and the currency. Later sponsor moves never change
it. Refunds and cancellations append negative records pointing at the
record they reverse. The commission run reads only these records.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oscar_mlm.apps.mlm_network.abstract_models import AppendOnlyModel


class AbstractVolumeRecord(AppendOnlyModel):
    """One order line's volume (a sale), or a refund of part of it.

    A sale is written by ``services.record_order`` at placement (key
    ``sale:line:<line pk>``). A refund copies the sale's frozen fields and
    holds the negated share of its ``quantity``, ``value`` and ``volume``
    (so sums over an order net out); ``booked`` is the refund's time,
    ``placed`` the order's. See docs/volumes.rst.
    """

    SALE, REFUND = "sale", "refund"
    KIND_CHOICES = [(SALE, _("Sale")), (REFUND, _("Refund"))]

    # What the buyer was when the order was placed.
    DISTRIBUTOR, CUSTOMER, GUEST, NOT_MEMBER = "distributor", "customer", "guest", "not_member"
    BUYER_KIND_CHOICES = [
        (DISTRIBUTOR, _("Distributor")),
        (CUSTOMER, _("Customer")),
        (GUEST, _("Guest")),
        (NOT_MEMBER, _("User who is not a member")),
    ]

    # Why ``owner`` owns the volume (COMMISSIONS.md rule 1).
    BUYER, SPONSOR, STOREFRONT, COOKIE, VOUCHER, COMPANY = (
        "buyer",
        "sponsor",
        "storefront",
        "cookie",
        "voucher",
        "company",
    )
    OWNED_BY_CHOICES = [
        (BUYER, _("The buyer is a distributor")),
        (SPONSOR, _("Sponsor of the customer")),
        (STOREFRONT, _("Storefront of the order")),
        (COOKIE, _("Earlier storefront visit")),
        (VOUCHER, _("New-customer voucher")),
        (COMPANY, _("Company")),
    ]

    kind = models.CharField(_("kind"), max_length=8, choices=KIND_CHOICES, default=SALE)
    # ``order`` and ``line`` are not indexed: the reads of an order's or a line's
    # records (refunds, recording) go by the sales' keys, ``sale:line:<pk>`` (the
    # unique index), and each index costs every placement a write. Deleting an
    # order (PROTECT) scans the records; no code of the shop deletes orders.
    order = models.ForeignKey(
        "order.Order",
        on_delete=models.PROTECT,
        related_name="mlm_volume_records",
        verbose_name=_("order"),
        db_index=False,
    )
    line = models.ForeignKey(
        "order.Line",
        on_delete=models.PROTECT,
        related_name="mlm_volume_records",
        verbose_name=_("order line"),
        db_index=False,
    )
    # A refund record points at the sale record it reverses (in part or in full).
    # Indexed for refunds only (below): a sale's insert at placement skips it.
    refund_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="refunds",
        verbose_name=_("refund of"),
        db_index=False,
    )
    # No index of its own: (buyer, placed) below serves every lookup by buyer.
    buyer = models.ForeignKey(
        "mlm_network.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("buyer"),
        db_index=False,
    )
    buyer_kind = models.CharField(_("buyer was"), max_length=16, choices=BUYER_KIND_CHOICES)
    # The buyer's sponsor at the moment of the order (None for guests and non-members).
    # Not indexed: nothing looks records up by it (the owner is what counts), and every
    # index costs each placement; only deleting a member (PROTECT) would scan.
    sponsor = models.ForeignKey(
        "mlm_network.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sponsor at the order"),
        db_index=False,
    )
    # The distributor in whose own volume the line counts, or the company.
    # No index of its own: (owner, placed) below serves every lookup by owner.
    owner = models.ForeignKey(
        "mlm_network.Member",
        on_delete=models.PROTECT,
        related_name="owned_volume_records",
        verbose_name=_("owner"),
        db_index=False,
    )
    owned_by = models.CharField(_("owned through"), max_length=16, choices=OWNED_BY_CHOICES)
    # Not indexed: nothing looks records up by it (see ``sponsor``).
    storefront = models.ForeignKey(
        "mlm_network.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("storefront of the order"),
        db_index=False,
    )
    quantity = models.IntegerField(_("quantity"))
    # Merchandise value of the line net of all discounts, excluding tax and shipping.
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    # What counts for volumes and commissions: the value, the product's points,
    # or zero for a product that is not commissionable.
    volume = models.DecimalField(_("volume"), max_digits=12, decimal_places=2)
    commissionable = models.BooleanField(_("commissionable"), default=True)
    currency = models.CharField(_("currency"), max_length=12)
    # When it counts: the order's placement for a sale, the refund's time for a refund.
    booked = models.DateTimeField(_("booked"), default=timezone.now)
    # When the order was placed, on refunds too (the sale's ``booked``): the live
    # volumes of a date range are the orders placed in it, net of their refunds,
    # read from one index range.
    placed = models.DateTimeField(_("order placed"), default=timezone.now)
    # A guest's e-mail address (lower case), so a later sign-up with it finds the
    # distributor the guest's orders belong to; empty for everyone else.
    guest_email = models.EmailField(_("guest e-mail address"), blank=True, default="")
    # Unique by a constraint in Meta, not ``unique=True``: on PostgreSQL that would
    # add a second, ``varchar_pattern_ops`` index for LIKE, which nothing runs.
    idempotency_key = models.CharField(_("idempotency key"), max_length=128)
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        abstract = True
        app_label = "mlm_commissions"
        verbose_name = _("volume record")
        verbose_name_plural = _("volume records")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["booked", "id"], name="mlm_volume_booked"),
            # Live volumes (volumes.py): index-only on PostgreSQL thanks to ``include``.
            models.Index(
                fields=["owner", "placed"],
                include=["volume", "buyer", "currency"],
                name="mlm_volume_owner_placed",
            ),
            # Partial: a guest's or non-member's record has no buyer to look up by.
            models.Index(
                fields=["buyer", "placed"],
                include=["volume", "currency"],
                condition=models.Q(buyer__isnull=False),
                name="mlm_volume_buyer_placed",
            ),
            models.Index(
                fields=["guest_email", "id"],
                condition=~models.Q(guest_email=""),
                name="mlm_volume_guest_email",
            ),
            # Partial: only refunds have one.
            models.Index(
                fields=["refund_of"],
                condition=models.Q(refund_of__isnull=False),
                name="mlm_volume_refund_of",
            ),
        ]
        constraints = [
            # The recording's ON CONFLICT (idempotency_key) and the refunds' key check.
            models.UniqueConstraint(fields=["idempotency_key"], name="mlm_volume_idempotency_key"),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="sale", refund_of__isnull=True, volume__gte=0)
                    | models.Q(kind="refund", refund_of__isnull=False, volume__lte=0)
                ),
                name="mlm_volume_sign_by_kind",
            ),
            # A refund takes back units and value: its quantity and value are negative.
            models.CheckConstraint(
                condition=(
                    models.Q(kind="sale", quantity__gt=0, value__gte=0)
                    | models.Q(kind="refund", quantity__lt=0, value__lte=0)
                ),
                name="mlm_volume_quantity_by_kind",
            ),
        ]

    def __str__(self):
        return f"{self.order_id}/{self.line_id}: {self.volume} {self.currency} -> {self.owner_id}"


class AbstractVolumeRule(models.Model):
    """What a product's sale counts for volumes and commissions.

    Without a rule a product counts its merchandise value (COMMISSIONS.md rule 2).
    A rule on the product beats one on its parent product, which beats one on
    the product class (as credit rules do): a product class "Starter kits" is
    not commissionable, a product of it with a rule "merchandise value" is.
    """

    VALUE, POINTS, NONE = "value", "points", "none"
    TYPE_CHOICES = [
        (VALUE, _("Merchandise value")),
        (POINTS, _("Volume points per unit")),
        (NONE, _("Not commissionable")),
    ]

    product = models.OneToOneField(
        "catalogue.Product",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mlm_volume_rule",
        verbose_name=_("product"),
    )
    product_class = models.OneToOneField(
        "catalogue.ProductClass",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mlm_volume_rule",
        verbose_name=_("product type"),
    )
    type = models.CharField(_("counts as"), max_length=8, choices=TYPE_CHOICES, default=NONE)
    # Volume per unit for type "points", in the order's currency units.
    points = models.DecimalField(
        _("volume points per unit"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True
        app_label = "mlm_commissions"
        verbose_name = _("volume rule")
        verbose_name_plural = _("volume rules")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(product__isnull=False) & models.Q(product_class__isnull=True))
                | (models.Q(product__isnull=True) & models.Q(product_class__isnull=False)),
                name="mlm_volume_rule_one_target",
            ),
            models.CheckConstraint(
                condition=(models.Q(type="points") & models.Q(points__gte=0))
                | (~models.Q(type="points") & models.Q(points__isnull=True)),
                name="mlm_volume_rule_points_by_type",
            ),
        ]

    def __str__(self):
        target = self.product or self.product_class
        return f"{target}: {self.describe()}"

    def describe(self):
        if self.type == self.POINTS:
            return _("%(points)s volume points per unit") % {"points": self.points}
        return self.get_type_display()


# -- Commissions --------------------------------------------------------------------------------
#
# The rules are in docs/commissions.rst (COMMISSIONS.md made exact). What the
# run writes is a pure function of frozen inputs: the period's plan version,
# its structure snapshot, the volume records booked in it and the refunds
# settled in it. A closed period never changes (services refuse, and database
# triggers refuse, see migrations/0004_commission_guards.py).


class AbstractCommissionPlan(models.Model):
    """One version of the commission plan; a period uses the version valid at its start.

    Rates are percentages with up to four decimal places. A version that a
    period has been run with is never edited: changes are a new version.
    """

    COMPANY, COMPRESSION = "company", "compression"
    UNQUALIFIED_CHOICES = [
        (COMPANY, _("Kept by the company")),
        (COMPRESSION, _("Compression: passed up to the next qualified distributor")),
    ]

    name = models.CharField(_("name"), max_length=128, blank=True)
    valid_from = models.DateField(_("valid from"), unique=True)
    # The level cap: level 1 is the owner's sponsor, level ``levels`` the last one paid.
    levels = models.PositiveSmallIntegerField(_("levels"))
    # One rate (percent, as a string such as "10.0000") per level, level 1 first.
    level_rates = models.JSONField(_("rates per level (percent)"), default=list)
    own_volume_rate = models.DecimalField(
        _("rate on own volume (percent)"), max_digits=7, decimal_places=4, default=0
    )
    minimum_own_volume = models.DecimalField(
        _("minimum own volume to qualify"), max_digits=12, decimal_places=2, default=0
    )
    unqualified_share = models.CharField(
        _("share of an unqualified distributor"),
        max_length=16,
        choices=UNQUALIFIED_CHOICES,
        default=COMPANY,
    )
    currency = models.CharField(_("currency"), max_length=12)
    created = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        abstract = True
        app_label = "mlm_commissions"
        verbose_name = _("commission plan")
        verbose_name_plural = _("commission plans")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(condition=models.Q(levels__gte=1), name="mlm_plan_levels"),
            models.CheckConstraint(
                condition=models.Q(own_volume_rate__gte=0) & models.Q(minimum_own_volume__gte=0),
                name="mlm_plan_not_negative",
            ),
        ]

    def __str__(self):
        return self.name or str(_("Plan valid from %(date)s") % {"date": self.valid_from})

    @property
    def rates(self):
        """The per-level rates as ``Decimal`` percentages, level 1 first."""
        return [Decimal(str(r)) for r in self.level_rates]

    @property
    def total_rate(self):
        return sum(self.rates, Decimal(self.own_volume_rate or 0))

    @property
    def compression(self):
        return self.unqualified_share == self.COMPRESSION


class AbstractCommissionPeriod(models.Model):
    """A commission period, ``start`` inclusive to ``end`` exclusive (dates in ``TIME_ZONE``).

    Periods never overlap. Runs of an open period replace its statements and
    lines; ``close_period`` freezes them for good.
    """

    OPEN, CLOSED = "open", "closed"
    STATUS_CHOICES = [(OPEN, _("Open")), (CLOSED, _("Closed"))]

    start = models.DateField(_("start"), unique=True)
    end = models.DateField(_("end (exclusive)"))
    status = models.CharField(_("status"), max_length=8, choices=STATUS_CHOICES, default=OPEN)
    plan = models.ForeignKey(
        "mlm_commissions.CommissionPlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="periods",
        verbose_name=_("plan version"),
    )
    currency = models.CharField(_("currency"), max_length=12, blank=True)
    last_run = models.DateTimeField(_("last run"), null=True, blank=True)
    # Figures of the last run (orders, lines, totals, records in other currencies ...).
    summary = models.JSONField(_("summary of the last run"), default=dict, blank=True)
    # SHA-256 of the results written by the last run; at close it is the period's checksum.
    checksum = models.CharField(_("checksum"), max_length=64, blank=True)
    closed = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        abstract = True
        app_label = "mlm_commissions"
        verbose_name = _("commission period")
        verbose_name_plural = _("commission periods")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="mlm_period_end_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(status="open", closed__isnull=True)
                | models.Q(status="closed", closed__isnull=False, plan__isnull=False),
                name="mlm_period_closed_has_date",
            ),
        ]

    def __str__(self):
        if self.start.day == 1 and self.end == _next_month(self.start):
            return self.start.strftime("%Y-%m")
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def is_closed(self):
        return self.status == self.CLOSED


def _next_month(day):
    return day.replace(year=day.year + day.month // 12, month=day.month % 12 + 1, day=1)


class AbstractCommissionSnapshot(models.Model):
    """The frozen inputs of a period's run: its structure and the records it counted.

    One row per period holding compressed arrays (see ``snapshot.py``): every
    distributor's sponsor, kind and status at the end of the period (rule 4)
    and the ids of the sale records counted. A million members take a few
    megabytes here instead of a million rows.
    """

    period = models.OneToOneField(
        "mlm_commissions.CommissionPeriod",
        on_delete=models.PROTECT,
        related_name="snapshot",
        verbose_name=_("period"),
    )
    structure_at = models.DateTimeField(_("structure at"))
    members = models.PositiveIntegerField(_("members in the structure"))
    records = models.PositiveIntegerField(_("sale records counted"))
    data = models.BinaryField(_("data"))
    created = models.DateTimeField(_("taken"), default=timezone.now)

    class Meta:
        abstract = True
        app_label = "mlm_commissions"
        verbose_name = _("period snapshot")
        verbose_name_plural = _("period snapshots")

    def __str__(self):
        return f"{self.period_id}: {self.members} members at {self.structure_at}"


class AbstractSettledRefund(models.Model):
    """Where a refund record was settled: netted in its order's period, or corrected later.

    Written when a period closes; a refund is settled exactly once.
    """

    NETTED, CORRECTED = "netted", "corrected"
    HOW_CHOICES = [
        (NETTED, _("Netted in the order's period")),
        (CORRECTED, _("Corrected in a later period")),
    ]

    record = models.OneToOneField(
        "mlm_commissions.VolumeRecord",
        on_delete=models.PROTECT,
        related_name="settlement",
        verbose_name=_("refund record"),
    )
    period = models.ForeignKey(
        "mlm_commissions.CommissionPeriod",
        on_delete=models.PROTECT,
        related_name="settled_refunds",
        verbose_name=_("period"),
    )
    how = models.CharField(_("how"), max_length=16, choices=HOW_CHOICES)

    class Meta:
        abstract = True
        app_label = "mlm_commissions"
        verbose_name = _("settled refund")
        verbose_name_plural = _("settled refunds")

    def __str__(self):
        return f"{self.record_id} {self.how} in {self.period_id}"


class AbstractCommissionStatement(models.Model):
    """One distributor's statement of one period (rule 8)."""

    period = models.ForeignKey(
        "mlm_commissions.CommissionPeriod",
        on_delete=models.PROTECT,
        related_name="statements",
        verbose_name=_("period"),
    )
    member = models.ForeignKey(
        "mlm_network.Member",
        on_delete=models.PROTECT,
        related_name="commission_statements",
        verbose_name=_("distributor"),
    )
    currency = models.CharField(_("currency"), max_length=12)
    personal_volume = models.DecimalField(_("personal volume"), max_digits=14, decimal_places=2)
    own_volume = models.DecimalField(_("own volume"), max_digits=14, decimal_places=2)
    end_customer_volume = models.DecimalField(
        _("end-customer volume"), max_digits=14, decimal_places=2
    )
    group_volume = models.DecimalField(_("group volume"), max_digits=14, decimal_places=2)
    # Group volume per level (level 1 first, down to the plan's level cap), as strings.
    group_volume_levels = models.JSONField(_("group volume per level"), default=list)
    active = models.BooleanField(_("active at the end of the period"))
    qualified = models.BooleanField(_("qualified"))
    commission = models.DecimalField(_("commission"), max_digits=12, decimal_places=2)
    corrections = models.DecimalField(_("corrections"), max_digits=12, decimal_places=2)
    opening_balance = models.DecimalField(
        _("carried from the previous period"), max_digits=12, decimal_places=2
    )
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2)

    class Meta:
        abstract = True
        app_label = "mlm_commissions"
        verbose_name = _("commission statement")
        verbose_name_plural = _("commission statements")
        ordering = ["period", "member"]
        constraints = [
            models.UniqueConstraint(fields=["period", "member"], name="mlm_statement_once"),
        ]

    def __str__(self):
        return f"{self.period_id}/{self.member_id}: {self.total} {self.currency}"

    @property
    def levels(self):
        """``[(level, Decimal), ...]`` of the group volume, level 1 first."""
        return [(i, Decimal(v)) for i, v in enumerate(self.group_volume_levels, start=1)]


class AbstractCommissionLine(models.Model):
    """One share of one order's volume for one beneficiary (rule 6), paid or not.

    The lines of one order and owner, ordered by ``distance`` (0 = the owner,
    1 = the owner's sponsor, ...), are the path that explains each of them:
    every distributor on it has a line, paid or with the reason it was not.
    Corrections (rule 7) reverse paid lines of a closed period.

    The foreign keys carry no database constraint and no index of their own:
    a run writes millions of lines with one ``COPY`` (each index costs about
    as much as the rows), every id in them comes from volume records and the
    snapshot, which hold protected keys to the same rows, and lines are found
    through the two indexes below (per beneficiary, per order).
    """

    COMMISSION, CORRECTION = 1, 2
    KIND_CHOICES = [(COMMISSION, _("Commission")), (CORRECTION, _("Correction"))]

    PAID = 0
    NOT_QUALIFIED = 1
    INACTIVE = 2
    NOT_DISTRIBUTOR = 3
    BEYOND_CAP = 4
    NOT_COMMISSIONABLE = 5
    NO_RATE = 6
    REASON_CHOICES = [
        (PAID, _("Paid")),
        (NOT_QUALIFIED, _("Not qualified: own volume below the minimum")),
        (INACTIVE, _("Not qualified: inactive at the end of the period")),
        (NOT_DISTRIBUTOR, _("Not qualified: not a distributor")),
        (BEYOND_CAP, _("Beyond the level cap")),
        (NOT_COMMISSIONABLE, _("Product not commissionable")),
        (NO_RATE, _("The plan pays nothing at this level")),
    ]

    period = models.ForeignKey(
        "mlm_commissions.CommissionPeriod",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="lines",
        verbose_name=_("period"),
    )
    kind = models.PositiveSmallIntegerField(_("kind"), choices=KIND_CHOICES, default=COMMISSION)
    order = models.ForeignKey(
        "order.Order",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        verbose_name=_("order"),
    )
    buyer = models.ForeignKey(
        "mlm_network.Member",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("buyer"),
    )
    owner = models.ForeignKey(
        "mlm_network.Member",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        verbose_name=_("owner"),
    )
    beneficiary = models.ForeignKey(
        "mlm_network.Member",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        verbose_name=_("beneficiary"),
    )
    # 0: the owner's own volume; k: the k-th level above the owner.
    level = models.PositiveSmallIntegerField(_("level"))
    # How many sponsors above the owner the beneficiary sits (0: the owner).
    distance = models.PositiveSmallIntegerField(_("distance"))
    volume = models.DecimalField(_("volume"), max_digits=12, decimal_places=2)
    rate = models.DecimalField(_("rate (percent)"), max_digits=7, decimal_places=4)
    # What the share comes to; paid only when ``paid``.
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    paid = models.BooleanField(_("paid"))
    reason = models.PositiveSmallIntegerField(_("reason"), choices=REASON_CHOICES, default=PAID)
    # Compression: the qualified distributor the unpaid share went to (None: the company).
    passed_to = models.ForeignKey(
        "mlm_network.Member",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("passed to"),
    )
    # A correction: the closed period whose paid line it reverses.
    corrects = models.ForeignKey(
        "mlm_commissions.CommissionPeriod",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("corrects period"),
    )

    class Meta:
        abstract = True
        app_label = "mlm_commissions"
        verbose_name = _("commission line")
        verbose_name_plural = _("commission lines")
        ordering = ["period", "order", "owner", "kind", "distance"]
        indexes = [
            models.Index(fields=["period", "beneficiary"], name="mlm_line_beneficiary"),
            models.Index(fields=["period", "order"], name="mlm_line_order"),
        ]

    def __str__(self):
        return (
            f"{self.period_id}/{self.order_id} L{self.level} {self.beneficiary_id}: {self.amount}"
        )


# -- Statements for distributors: tax details, credit notes, dashboard jobs ----------------------
#
# See docs/commissions.rst, "Statements and credit notes". Changes go through
# services/statements.py and services/jobs.py.


class AbstractTaxProfile(models.Model):
    """What a distributor's credit notes need: tax status, tax ids, billing address.

    Kept by the distributor in the account area. A credit note copies it when
    it is issued, so a later change never alters an issued note.
    """

    SMALL_BUSINESS, STANDARD, REVERSE_CHARGE = "small_business", "standard", "reverse_charge"
    STATUS_CHOICES = [
        (SMALL_BUSINESS, _("Small business (§ 19 UStG): no VAT")),
        (STANDARD, _("Liable to VAT: VAT is added to the commission")),
        (REVERSE_CHARGE, _("Business in another EU country: reverse charge")),
    ]

    member = models.OneToOneField(
        "mlm_network.Member",
        on_delete=models.PROTECT,
        related_name="tax_profile",
        verbose_name=_("distributor"),
    )
    tax_status = models.CharField(_("tax status"), max_length=16, choices=STATUS_CHOICES)
    vat_id = models.CharField(_("VAT identification number"), max_length=16, blank=True)
    tax_number = models.CharField(_("tax number"), max_length=20, blank=True)
    name = models.CharField(_("name or company"), max_length=200)
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=12)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country (ISO code)"), max_length=2)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True
        app_label = "mlm_commissions"
        verbose_name = _("tax details")
        verbose_name_plural = _("tax details")

    def __str__(self):
        return f"{self.member_id}: {self.get_tax_status_display()}"


class AbstractCreditNote(AppendOnlyModel):
    """A self-billing credit note (Gutschrift) for one closed statement with a positive total.

    Numbered without gaps in the order of issue; everything printed on it is
    copied here when it is issued (the distributor's and the company's
    details, the amounts), so it can be printed again identically.
    """

    period = models.ForeignKey(
        "mlm_commissions.CommissionPeriod",
        on_delete=models.PROTECT,
        related_name="credit_notes",
        verbose_name=_("period"),
    )
    member = models.ForeignKey(
        "mlm_network.Member",
        on_delete=models.PROTECT,
        related_name="credit_notes",
        verbose_name=_("distributor"),
    )
    sequence = models.PositiveIntegerField(_("sequence"), unique=True)
    number = models.CharField(_("number"), max_length=32, unique=True)
    issued = models.DateField(_("date of issue"))
    currency = models.CharField(_("currency"), max_length=12)
    net = models.DecimalField(_("net amount"), max_digits=12, decimal_places=2)
    vat_rate = models.DecimalField(_("VAT rate (percent)"), max_digits=5, decimal_places=2)
    vat = models.DecimalField(_("VAT"), max_digits=12, decimal_places=2)
    gross = models.DecimalField(_("amount paid out"), max_digits=12, decimal_places=2)
    tax_status = models.CharField(
        _("tax status"), max_length=16, choices=AbstractTaxProfile.STATUS_CHOICES
    )
    vat_id = models.CharField(_("VAT identification number"), max_length=16, blank=True)
    tax_number = models.CharField(_("tax number"), max_length=20, blank=True)
    name = models.CharField(_("name or company"), max_length=200)
    address = models.TextField(_("address"))
    company_name = models.CharField(_("company"), max_length=200)
    company_address = models.TextField(_("company address"))
    company_vat_id = models.CharField(_("company VAT identification number"), max_length=32)
    company_tax_number = models.CharField(_("company tax number"), max_length=32, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        abstract = True
        app_label = "mlm_commissions"
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")
        ordering = ["sequence"]
        constraints = [
            models.UniqueConstraint(fields=["period", "member"], name="mlm_credit_note_once"),
            models.CheckConstraint(
                condition=models.Q(net__gt=0, vat__gte=0), name="mlm_credit_note_positive"
            ),
        ]

    def __str__(self):
        return self.number


class AbstractCommissionJob(models.Model):
    """A run, preview, close, what-if or credit-note issue queued from the dashboard.

    The work is a django-tasks task (``tasks.run_commission_job``); this row
    remembers which task, so the period's page can show its state and result.
    """

    RUN, PREVIEW, CLOSE, WHAT_IF, CREDIT_NOTES = "run", "preview", "close", "what_if", "notes"
    ACTION_CHOICES = [
        (RUN, _("Run")),
        (PREVIEW, _("Preview")),
        (CLOSE, _("Close")),
        (WHAT_IF, _("What-if")),
        (CREDIT_NOTES, _("Issue credit notes")),
    ]

    period = models.ForeignKey(
        "mlm_commissions.CommissionPeriod",
        on_delete=models.PROTECT,
        related_name="jobs",
        verbose_name=_("period"),
    )
    action = models.CharField(_("action"), max_length=8, choices=ACTION_CHOICES)
    # The plan figures of a what-if run (validated before queuing).
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("queued by"),
    )
    queued = models.DateTimeField(_("queued"), default=timezone.now)

    class Meta:
        abstract = True
        app_label = "mlm_commissions"
        verbose_name = _("commission job")
        verbose_name_plural = _("commission jobs")
        ordering = ["-queued", "-id"]

    def __str__(self):
        return f"{self.period_id} {self.action} {self.task_id}"
