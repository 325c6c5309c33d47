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
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="sale", refund_of__isnull=True, volume__gte=0)
                    | models.Q(kind="refund", refund_of__isnull=False, volume__lte=0)
                ),
                name="mlm_volume_sign_by_kind",
            ),
        ]

    def __str__(self):
        return f"{self.order_id}/{self.line_id}: {self.volume} {self.currency} -> {self.owner_id}"


