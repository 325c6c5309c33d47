"""Volumes and commissions (F5). See docs/commissions.rst and ../shared/COMMISSIONS.md.

A :class:`AbstractVolumeRecord` is written per order line when the order is
placed, inside Oscar's order transaction, and frozen: who bought, the
buyer's sponsor at that moment, the distributor who *owns* the volume, the
storefront, the volume and the currency. Later sponsor moves never change
it. Refunds and cancellations append negative records pointing at the
record they reverse. The commission run reads only these records.
"""

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
    order = models.ForeignKey(
        "order.Order",
        on_delete=models.PROTECT,
        related_name="mlm_volume_records",
        verbose_name=_("order"),
    )
    line = models.ForeignKey(
        "order.Line",
        on_delete=models.PROTECT,
        related_name="mlm_volume_records",
        verbose_name=_("order line"),
    )
    # A refund record points at the sale record it reverses (in part or in full).
    refund_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="refunds",
        verbose_name=_("refund of"),
    )
    buyer = models.ForeignKey(
        "mlm_network.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("buyer"),
    )
    buyer_kind = models.CharField(_("buyer was"), max_length=16, choices=BUYER_KIND_CHOICES)
    # The buyer's sponsor at the moment of the order (None for guests and non-members).
    sponsor = models.ForeignKey(
        "mlm_network.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sponsor at the order"),
    )
    # The distributor in whose own volume the line counts, or the company.
    owner = models.ForeignKey(
        "mlm_network.Member",
        on_delete=models.PROTECT,
        related_name="owned_volume_records",
        verbose_name=_("owner"),
    )
    owned_by = models.CharField(_("owned through"), max_length=16, choices=OWNED_BY_CHOICES)
    storefront = models.ForeignKey(
        "mlm_network.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("storefront of the order"),
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
    idempotency_key = models.CharField(_("idempotency key"), max_length=128, unique=True)
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        abstract = True
        app_label = "mlm_commissions"
        verbose_name = _("volume record")
        verbose_name_plural = _("volume records")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["booked", "id"], name="mlm_volume_booked"),
            models.Index(fields=["owner", "booked"], name="mlm_volume_owner_booked"),
            # Live volumes (volumes.py): index-only on PostgreSQL thanks to ``include``.
            models.Index(
                fields=["owner", "placed"],
                include=["volume", "buyer", "currency"],
                name="mlm_volume_owner_placed",
            ),
            models.Index(
                fields=["buyer", "placed"],
                include=["volume", "currency"],
                name="mlm_volume_buyer_placed",
            ),
            models.Index(
                fields=["guest_email", "id"],
                condition=~models.Q(guest_email=""),
                name="mlm_volume_guest_email",
            ),
        ]
        constraints = [
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
