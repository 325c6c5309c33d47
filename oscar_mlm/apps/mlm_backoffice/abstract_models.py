"""The distributor's customer contacts (CRM): notes, follow-ups, tags, and the log of staff reads.

Notes and follow-ups belong to the distributor who wrote them (``distributor``) and are
about one of their own customers (``customer``). They are private to that distributor:
the back office shows them only to their author, and staff read them only through
``services.read_notes_as_staff``, which logs every read (:class:`AbstractNoteRead`).
If the customer moves to another sponsor, the notes stay with their author but no
longer show (the customer is no longer theirs); the new sponsor starts afresh.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oscar_mlm.apps.mlm_network.abstract_models import AppendOnlyModel


class AbstractCustomerNote(AppendOnlyModel):
    """One contact with a customer: when, through which channel, what was said.

    Append-only, like a diary: a correction is another note.
    """

    CALL, EMAIL, VISIT, MESSAGE = "call", "email", "visit", "message"
    CHANNEL_CHOICES = [
        (CALL, _("Call")),
        (EMAIL, _("E-mail")),
        (VISIT, _("Visit")),
        (MESSAGE, _("Message")),
    ]

    distributor = models.ForeignKey(
        "mlm_network.Member",
        on_delete=models.PROTECT,
        related_name="crm_notes_written",
        verbose_name=_("distributor"),
    )
    customer = models.ForeignKey(
        "mlm_network.Member",
        on_delete=models.PROTECT,
        related_name="crm_notes_about",
        verbose_name=_("customer"),
    )
    channel = models.CharField(_("channel"), max_length=16, choices=CHANNEL_CHOICES)
    contacted = models.DateField(_("date of contact"), default=timezone.localdate)
    text = models.TextField(_("note"))
    created = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        abstract = True
        app_label = "mlm_backoffice"
        verbose_name = _("customer note")
        verbose_name_plural = _("customer notes")
        ordering = ["-contacted", "-pk"]
        indexes = [
            models.Index(
                fields=["distributor", "customer", "contacted"], name="mlm_crm_note_customer"
            ),
        ]

    def __str__(self):
        return f"{self.distributor_id} -> {self.customer_id}: {self.channel} {self.contacted}"


class AbstractFollowUp(models.Model):
    """A date on which the distributor means to contact a customer again."""

    distributor = models.ForeignKey(
        "mlm_network.Member",
        on_delete=models.PROTECT,
        related_name="crm_follow_ups",
        verbose_name=_("distributor"),
    )
    customer = models.ForeignKey(
        "mlm_network.Member",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("customer"),
    )
    due = models.DateField(_("due"))
    text = models.CharField(_("what to do"), max_length=500)
    done = models.DateTimeField(_("done"), null=True, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        abstract = True
        app_label = "mlm_backoffice"
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due", "pk"]
        indexes = [
            # The due list: a distributor's open follow-ups by date.
            models.Index(
                fields=["distributor", "due"],
                condition=models.Q(done__isnull=True),
                name="mlm_crm_followup_open",
            ),
        ]

    def __str__(self):
        return f"{self.distributor_id} -> {self.customer_id}: {self.due}"

    @property
    def is_done(self):
        return self.done is not None

    def is_overdue(self, today=None):
        return not self.is_done and self.due < (today or timezone.localdate())


class AbstractCustomerTag(models.Model):
    """A word a distributor puts on their customers (``vip``, ``skin care``), their own list."""

    distributor = models.ForeignKey(
        "mlm_network.Member",
        on_delete=models.PROTECT,
        related_name="crm_tags",
        verbose_name=_("distributor"),
    )
    name = models.CharField(_("tag"), max_length=40)
    customers = models.ManyToManyField(
        "mlm_network.Member", related_name="+", blank=True, verbose_name=_("customers")
    )

    class Meta:
        abstract = True
        app_label = "mlm_backoffice"
        verbose_name = _("customer tag")
        verbose_name_plural = _("customer tags")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                "distributor", Lower("name"), name="mlm_crm_tag_once_per_distributor"
            ),
        ]

    def __str__(self):
        return self.name


class AbstractNoteRead(AppendOnlyModel):
    """Staff read a member's CRM notes (for support): who, when, whose, why. Append-only."""

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("staff member"),
    )
    member = models.ForeignKey(
        "mlm_network.Member",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("notes of"),
    )
    notes = models.PositiveIntegerField(_("notes shown"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created = models.DateTimeField(_("read"), default=timezone.now, db_index=True)

    class Meta:
        abstract = True
        app_label = "mlm_backoffice"
        verbose_name = _("staff read of notes")
        verbose_name_plural = _("staff reads of notes")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.staff_id} read {self.member_id}: {self.created}"
