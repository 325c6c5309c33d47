"""The loyalty credit books: one account per (user, currency), an append-only ledger.

Every change of an account goes through :mod:`.services`, which locks the
account row, appends one :class:`CreditEntry` and updates the cached totals
in the same transaction. Two buckets are kept apart:

* ``balance``: available credit, spendable at checkout;
* ``pending``: earned on orders that have not reached the status that
  releases it (``OSCAR_MLM_CREDIT_AVAILABLE_STATUS``).

``balance == Sum(entries.amount)`` and ``pending == Sum(entries.pending_amount)``
at all times (``manage.py mlm_credit_check`` proves it), and both are at least
zero (``CheckConstraint``).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oscar_mlm.apps.mlm_network.abstract_models import AppendOnlyModel
from oscar_mlm.money import ZERO, quantize


class AbstractCreditAccount(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="mlm_credit_accounts",
        verbose_name=_("user"),
    )
    currency = models.CharField(_("currency"), max_length=12)
    balance = models.DecimalField(
        _("available credit"), max_digits=12, decimal_places=2, default=ZERO
    )
    pending = models.DecimalField(
        _("pending credit"), max_digits=12, decimal_places=2, default=ZERO
    )
    created = models.DateTimeField(_("opened"), default=timezone.now)

    class Meta:
        abstract = True
        app_label = "mlm_credit"
        verbose_name = _("credit account")
        verbose_name_plural = _("credit accounts")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "currency"], name="mlm_credit_one_per_currency"
            ),
            models.CheckConstraint(condition=Q(balance__gte=0), name="mlm_credit_balance_gte_0"),
            models.CheckConstraint(condition=Q(pending__gte=0), name="mlm_credit_pending_gte_0"),
        ]

    def __str__(self):
        return f"{self.user} ({self.currency})"


class AbstractCreditEntry(AppendOnlyModel):
    """One booking. Never edited, never deleted: a correction is a new entry.

    ``amount`` changes the available balance, ``pending_amount`` the pending
    credit; ``balance_after``/``pending_after`` are the running totals right
    after this booking (exact, because bookings of an account are written
    under its row lock).
    """

    EARNED, RELEASED, SPENT, RETURNED, REVERSED, EXPIRED, ADJUSTED = (
        "earned",
        "released",
        "spent",
        "returned",
        "reversed",
        "expired",
        "adjusted",
    )
    KIND_CHOICES = [
        (EARNED, _("Earned (pending)")),
        (RELEASED, _("Earned (available)")),
        (SPENT, _("Spent")),
        (RETURNED, _("Spent credit returned")),
        (REVERSED, _("Reversed")),
        (EXPIRED, _("Expired")),
        (ADJUSTED, _("Adjusted by staff")),
    ]

    account = models.ForeignKey(
        "mlm_credit.CreditAccount",
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=_("account"),
    )
    kind = models.CharField(_("type"), max_length=16, choices=KIND_CHOICES)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2, default=ZERO)
    pending_amount = models.DecimalField(
        _("pending amount"), max_digits=12, decimal_places=2, default=ZERO
    )
    balance_after = models.DecimalField(_("balance"), max_digits=12, decimal_places=2)
    pending_after = models.DecimalField(_("pending"), max_digits=12, decimal_places=2)
    # What could not be taken back because the credit was already spent (see docs/credit.rst).
    shortfall = models.DecimalField(
        _("not recoverable"), max_digits=12, decimal_places=2, default=ZERO
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=128, unique=True)
    order = models.ForeignKey(
        "order.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mlm_credit_entries",
        verbose_name=_("order"),
    )
    # The number is kept as well: a spend is booked before its order exists.
    order_number = models.CharField(_("order number"), max_length=128, blank=True, db_index=True)
    line = models.ForeignKey(
        "order.Line",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mlm_credit_entries",
        verbose_name=_("order line"),
    )
    # Units of the line this booking concerns (refunds count them).
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    reverses = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversals",
        verbose_name=_("reverses"),
    )
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("booked by"),
    )
    created = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        abstract = True
        app_label = "mlm_credit"
        verbose_name = _("credit booking")
        verbose_name_plural = _("credit bookings")
        ordering = ["-id"]
        indexes = [
            # The ledger page: keyset pagination on (account, id).
            models.Index(fields=["account", "-id"], name="mlm_credit_entry_ledger"),
            # The orphan return reads recent spends only (mlm_credit_return_orphans).
            models.Index(
                fields=["created"], condition=Q(kind="spent"), name="mlm_credit_spend_created"
            ),
            # The programme report reads the bookings of its months (services.report).
            models.Index(fields=["created"], name="mlm_credit_entry_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(balance_after__gte=0) & Q(pending_after__gte=0),
                name="mlm_credit_entry_totals_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(shortfall__gte=0), name="mlm_credit_shortfall_gte_0"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount or self.pending_amount}"

    @property
    def is_pending(self):
        return self.kind == self.EARNED


class AbstractCreditRule(models.Model):
    """Credit earned per article: on one product or on a whole product class.

    A rule on the product beats one on its parent product, which beats one on
    the product class. No rule, no credit.
    """

    FIXED, PERCENTAGE = "fixed", "percentage"
    TYPE_CHOICES = [
        (FIXED, _("Fixed amount per unit")),
        (PERCENTAGE, _("Percentage of the line price")),
    ]

    product = models.OneToOneField(
        "catalogue.Product",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mlm_credit_rule",
        verbose_name=_("product"),
    )
    product_class = models.OneToOneField(
        "catalogue.ProductClass",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mlm_credit_rule",
        verbose_name=_("product type"),
    )
    type = models.CharField(_("credit type"), max_length=16, choices=TYPE_CHOICES, default=FIXED)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True
        app_label = "mlm_credit"
        verbose_name = _("credit rule")
        verbose_name_plural = _("credit rules")
        constraints = [
            models.CheckConstraint(
                condition=(Q(product__isnull=False) & Q(product_class__isnull=True))
                | (Q(product__isnull=True) & Q(product_class__isnull=False)),
                name="mlm_credit_rule_one_target",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="mlm_credit_rule_value_gte_0"),
            models.CheckConstraint(
                condition=~Q(type="percentage") | Q(value__lte=100),
                name="mlm_credit_rule_percentage_lte_100",
            ),
        ]

    def __str__(self):
        target = self.product or self.product_class
        return f"{target}: {self.describe()}"

    def describe(self):
        if self.type == self.PERCENTAGE:
            return _("%(value)s %% of the price") % {"value": self.value}
        return _("%(value)s per unit") % {"value": self.value}

    def credit_for(self, unit_price, quantity, line_price):
        """Credit for ``quantity`` units of a line whose total price is ``line_price``."""
        if self.type == self.PERCENTAGE:
            return quantize(Decimal(line_price) * self.value / Decimal(100))
        return quantize(self.value * quantity)
