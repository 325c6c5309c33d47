from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

THEME_FIELDS = ("display_name", "photo", "greeting", "accent_color", "contact_line")
# Shared only if the distributor fills them in: the company site's "find your consultant".
LOCATION_FIELDS = ("postcode", "city")
OWNER_FIELDS = THEME_FIELDS + LOCATION_FIELDS

accent_color_validator = RegexValidator(
    r"^#[0-9a-f]{6}$", _("Enter a colour as #rrggbb, for example #1f7a4d.")
)


class AbstractStorefront(models.Model):
    """How a distributor's subdomain looks. Created on first edit; absent means defaults."""

    member = models.OneToOneField(
        "mlm_network.Member",
        on_delete=models.PROTECT,
        related_name="storefront",
        verbose_name=_("distributor"),
    )
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    photo = models.ImageField(_("photo"), upload_to="storefronts/%Y/%m/", blank=True)
    greeting = models.TextField(_("greeting"), max_length=600, blank=True)
    accent_color = models.CharField(
        _("accent colour"), max_length=7, blank=True, validators=[accent_color_validator]
    )
    contact_line = models.CharField(_("contact line"), max_length=160, blank=True)
    postcode = models.CharField(
        _("postcode"),
        max_length=12,
        blank=True,
        db_index=True,
        help_text=_(
            "Only if visitors of the company site may find you by place. Leave blank to "
            "keep it to yourself."
        ),
    )
    city = models.CharField(
        _("town/city"),
        max_length=80,
        blank=True,
        help_text=_("Shown with your name when visitors look for a consultant near them."),
    )
    # Company control: a hidden storefront answers like an unknown one; a locked
    # one cannot be edited by its owner.
    is_hidden = models.BooleanField(_("hidden by staff"), default=False)
    is_locked = models.BooleanField(_("locked by staff"), default=False)
    staff_note = models.TextField(_("note from staff"), blank=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True
        app_label = "mlm_storefront"
        verbose_name = _("storefront")
        verbose_name_plural = _("storefronts")

    def __str__(self):
        return self.member.handle or str(self.member_id)
