from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from tree_queries.models import TreeNode

from oscar_mlm.conf import get_setting

ATTRIBUTION_CHOICES = [
    ("storefront", _("Storefront visited at sign-up")),
    ("cookie", _("Earlier storefront visit")),
    ("sponsor_id", _("Sponsor ID typed at sign-up")),
    ("internal", _("Entered by sponsor")),
    ("staff", _("Entered by staff")),
    ("voucher", _("New-customer voucher")),
    ("import", _("Import")),
]


class AbstractMember(TreeNode):
    """A person in the network (or the company at its root), one-to-one with a user.

    ``parent`` is the sponsor. Change it only through ``services`` so that
    every change is locked, checked for cycles and audited.
    """

    COMPANY, DISTRIBUTOR, CUSTOMER = "company", "distributor", "customer"
    KIND_CHOICES = [
        (COMPANY, _("Company")),
        (DISTRIBUTOR, _("Distributor")),
        (CUSTOMER, _("Customer")),
    ]
    ACTIVE, INACTIVE = "active", "inactive"
    STATUS_CHOICES = [(ACTIVE, _("Active")), (INACTIVE, _("Inactive"))]

    # PROTECT, not TreeNode's CASCADE: deleting a sponsor must never delete a downline.
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("sponsor"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mlm_member",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=KIND_CHOICES, default=CUSTOMER)
    status = models.CharField(
        _("status"), max_length=16, choices=STATUS_CHOICES, default=ACTIVE, db_index=True
    )
    # The storefront handle lives here, not in a table of its own, so the
    # subdomain lookup is one indexed read.
    handle = models.CharField(
        _("storefront handle"), max_length=63, null=True, blank=True, unique=True
    )
    joined = models.DateTimeField(_("joined"), default=timezone.now)
    # How the person found their sponsor, for reports and disputes.
    attribution = models.CharField(
        _("attributed through"), max_length=16, choices=ATTRIBUTION_CHOICES, blank=True
    )
    attributed_storefront = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attributed to storefront"),
    )
    attributed = models.DateTimeField(_("attributed at"), null=True, blank=True)
    promoted = models.DateTimeField(_("promoted to distributor"), null=True, blank=True)
    deactivated = models.DateTimeField(_("deactivated"), null=True, blank=True)

    class Meta:
        abstract = True
        app_label = "mlm_network"
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["id"]
        indexes = [
            # The distributors below a member (tree.downline_cte(kind="distributor"), group
            # volume): an index-only walk that never reads the customers' rows.
            models.Index(
                fields=["parent"],
                include=["id"],
                condition=Q(kind="distributor"),
                name="mlm_member_distributor_parent",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="company") & Q(parent__isnull=True))
                | (~Q(kind="company") & Q(parent__isnull=False)),
                name="mlm_member_root_is_company",
            ),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind="company"), name="mlm_member_one_company"
            ),
            models.CheckConstraint(
                condition=Q(kind="company") | Q(user__isnull=False),
                name="mlm_member_person_has_user",
            ),
            models.CheckConstraint(
                condition=Q(handle__isnull=True) | Q(kind="distributor"),
                name="mlm_member_handle_only_distributor",
            ),
            models.CheckConstraint(
                condition=Q(handle__isnull=True) | Q(handle=Lower("handle")),
                name="mlm_member_handle_lower",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="mlm_member_not_own_sponsor"
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        if self.kind == self.COMPANY:
            return str(get_setting("OSCAR_MLM_COMPANY_NAME"))
        user = self.user
        name = user.get_full_name() if user else ""
        return name or (user.email if user else "") or f"#{self.pk}"

    @property
    def sponsor(self):
        return self.parent

    @property
    def is_company(self):
        return self.kind == self.COMPANY

    @property
    def is_distributor(self):
        return self.kind == self.DISTRIBUTOR

    @property
    def is_customer(self):
        return self.kind == self.CUSTOMER

    @property
    def is_active(self):
        return self.status == self.ACTIVE

    @property
    def can_sponsor(self):
        return self.is_active and self.kind in (self.COMPANY, self.DISTRIBUTOR)

    @property
    def sponsor_id_display(self):
        """What a person types as sponsor id: the handle, else the member number."""
        return self.handle or str(self.pk)


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError(f"{self.model.__name__} rows are append-only.")

    def delete(self):
        raise TypeError(f"{self.model.__name__} rows are append-only.")


class AppendOnlyModel(models.Model):
    """An audit row: written once, never updated, never deleted."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError(f"{type(self).__name__} rows are append-only and cannot be edited.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{type(self).__name__} rows are append-only and cannot be deleted.")


class AbstractAuditEntry(AppendOnlyModel):
    """Who changed something about a member, when and why."""

    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    created = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        abstract = True
        ordering = ["-created", "-pk"]


class AbstractSponsorChange(AbstractAuditEntry):
    """One audited change of a member's sponsor, the first placement included.

    Append-only: never updated, never deleted. A correction is another change.
    """

    SIGNUP, INTERNAL, STAFF, VOUCHER, ROLL_UP, IMPORT = (
        "signup",
        "internal",
        "staff",
        "voucher",
        "roll_up",
        "import",
    )
    SOURCE_CHOICES = [
        (SIGNUP, _("Sign-up")),
        (INTERNAL, _("Entered by sponsor")),
        (STAFF, _("Staff")),
        (VOUCHER, _("New-customer voucher")),
        (ROLL_UP, _("Roll-up on deactivation")),
        (IMPORT, _("Import")),
    ]

    member = models.ForeignKey(
        "mlm_network.Member",
        on_delete=models.PROTECT,
        related_name="sponsor_changes",
        verbose_name=_("member"),
    )
    old_sponsor = models.ForeignKey(
        "mlm_network.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("old sponsor"),
    )
    new_sponsor = models.ForeignKey(
        "mlm_network.Member",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("new sponsor"),
    )
    source = models.CharField(_("through"), max_length=16, choices=SOURCE_CHOICES)

    class Meta:
        abstract = True
        app_label = "mlm_network"
        verbose_name = _("sponsor change")
        verbose_name_plural = _("sponsor changes")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.member_id}: {self.old_sponsor_id} -> {self.new_sponsor_id}"


class AbstractStatusChange(AbstractAuditEntry):
    """One audited change of a member's role, status or storefront name."""

    PROMOTED, DEACTIVATED, REACTIVATED, RENAMED = (
        "promoted",
        "deactivated",
        "reactivated",
        "renamed",
    )
    EVENT_CHOICES = [
        (PROMOTED, _("Promoted to distributor")),
        (DEACTIVATED, _("Deactivated")),
        (REACTIVATED, _("Reactivated")),
        (RENAMED, _("Storefront name changed")),
    ]

    member = models.ForeignKey(
        "mlm_network.Member",
        on_delete=models.PROTECT,
        related_name="status_changes",
        verbose_name=_("member"),
    )
    event = models.CharField(_("event"), max_length=16, choices=EVENT_CHOICES)

    class Meta:
        abstract = True
        app_label = "mlm_network"
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.member_id}: {self.event}"


class AbstractHandleRedirect(models.Model):
    """An old handle that forwards to the member's current storefront until ``expires``."""

    old_handle = models.CharField(_("old handle"), max_length=63, unique=True)
    member = models.ForeignKey(
        "mlm_network.Member",
        on_delete=models.PROTECT,
        related_name="handle_redirects",
        verbose_name=_("distributor"),
    )
    created = models.DateTimeField(_("created"), default=timezone.now)
    expires = models.DateTimeField(_("forwards until"), db_index=True)

    class Meta:
        abstract = True
        app_label = "mlm_network"
        verbose_name = _("handle redirect")
        verbose_name_plural = _("handle redirects")

    def __str__(self):
        return f"{self.old_handle} -> {self.member_id}"


class AbstractErasure(AppendOnlyModel):
    """A person's personal data was erased on request (GDPR art. 17); it cannot be undone.

    Keeps who asked for it and why, not who the person was: ``user`` and ``member`` are
    the pseudonymised rows that remain.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("erased user"),
    )
    member = models.ForeignKey(
        "mlm_network.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member"),
    )
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erased by"),
    )
    reason = models.TextField(_("reason"))
    created = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        abstract = True
        app_label = "mlm_network"
        ordering = ["-created", "-pk"]
        verbose_name = _("erasure of personal data")
        verbose_name_plural = _("erasures of personal data")

    def __str__(self):
        return f"{self.user_id} ({self.created:%Y-%m-%d})"
