from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AbstractVoucherProgram(models.Model):
    """The company's rules for new-customer vouchers, tied to one Oscar offer.

    The offer (type "Voucher") carries the discount and our NewCustomerCondition;
    these are the limits for partners. One programme is the default.
    """

    name = models.CharField(_("name"), max_length=128, unique=True)
    offer = models.OneToOneField(
        "offer.ConditionalOffer",
        on_delete=models.PROTECT,
        related_name="mlm_voucher_program",
        verbose_name=_("offer"),
    )
    max_active_codes = models.PositiveIntegerField(
        _("active codes per partner"), default=5, validators=[MinValueValidator(1)]
    )
    validity_days = models.PositiveIntegerField(
        _("validity in days"), default=30, validators=[MinValueValidator(1)]
    )
    uses_per_code = models.PositiveIntegerField(
        _("uses per code"), default=1, validators=[MinValueValidator(1)]
    )
    min_basket = models.DecimalField(
        _("minimum basket"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    is_default = models.BooleanField(_("default programme"), default=False)
    is_active = models.BooleanField(_("partners may generate codes"), default=True)
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        abstract = True
        app_label = "mlm_vouchers"
        verbose_name = _("new-customer voucher programme")
        verbose_name_plural = _("new-customer voucher programmes")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="mlm_one_default_program"
            )
        ]

    def __str__(self):
        return self.name


class AbstractDistributorVoucher(models.Model):
    """A partner's personal code: one Oscar voucher plus its issuer and limits."""

    voucher = models.OneToOneField(
        "voucher.Voucher",
        on_delete=models.PROTECT,
        related_name="mlm_distributor_voucher",
        verbose_name=_("voucher"),
    )
    issuer = models.ForeignKey(
        "mlm_network.Member",
        on_delete=models.PROTECT,
        related_name="issued_vouchers",
        verbose_name=_("issuer"),
    )
    program = models.ForeignKey(
        "mlm_vouchers.VoucherProgram",
        on_delete=models.PROTECT,
        related_name="vouchers",
        verbose_name=_("programme"),
    )
    uses_allowed = models.PositiveIntegerField(_("uses allowed"))
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    deactivated = models.DateTimeField(_("deactivated"), null=True, blank=True)

    class Meta:
        abstract = True
        app_label = "mlm_vouchers"
        verbose_name = _("partner voucher")
        verbose_name_plural = _("partner vouchers")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return self.voucher.code

    @property
    def code(self):
        return self.voucher.code

    @property
    def expires(self):
        return self.voucher.end_datetime


class AbstractRedemption(models.Model):
    """One order placed with a partner's code, and whether it moved the buyer."""

    distributor_voucher = models.ForeignKey(
        "mlm_vouchers.DistributorVoucher",
        on_delete=models.PROTECT,
        related_name="redemptions",
        verbose_name=_("voucher"),
    )
    order = models.OneToOneField(
        "order.Order", on_delete=models.PROTECT, related_name="+", verbose_name=_("order")
    )
    buyer = models.ForeignKey(
        "mlm_network.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("buyer"),
    )
    email = models.EmailField(_("e-mail address"))
    moved = models.BooleanField(_("assigned to issuer"), default=False)
    created = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        abstract = True
        app_label = "mlm_vouchers"
        verbose_name = _("voucher redemption")
        verbose_name_plural = _("voucher redemptions")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.distributor_voucher_id}: {self.order_id}"


class AbstractGuestAttribution(models.Model):
    """A guest bought with a partner's code: the account made later with this
    e-mail address joins below the issuer."""

    email = models.EmailField(_("e-mail address"), unique=True)
    issuer = models.ForeignKey(
        "mlm_network.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("issuer")
    )
    redemption = models.ForeignKey(
        "mlm_vouchers.Redemption", on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        abstract = True
        app_label = "mlm_vouchers"
        verbose_name = _("guest attribution")
        verbose_name_plural = _("guest attributions")

    def __str__(self):
        return self.email
