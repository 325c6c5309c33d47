from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from PIL import Image

from oscar_mlm.conf import get_setting

from .abstract_models import OWNER_FIELDS

Storefront = get_model("mlm_storefront", "Storefront")


def validate_photo(photo):
    """A real JPEG/PNG/WebP within the size limits, or a clear error."""
    max_bytes = int(get_setting("OSCAR_MLM_STOREFRONT_PHOTO_MAX_BYTES"))
    if photo.size > max_bytes:
        raise ValidationError(
            _("The photo is too large. Please upload at most %(size)s.")
            % {"size": filesizeformat(max_bytes)}
        )
    try:
        photo.seek(0)
        with Image.open(photo) as image:
            image.verify()
            kind, size = image.format, image.size
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for bad files
        raise ValidationError(_("Please upload a JPEG, PNG or WebP image.")) from None
    finally:
        photo.seek(0)
    if kind not in ("JPEG", "PNG", "WEBP"):
        raise ValidationError(_("Please upload a JPEG, PNG or WebP image."))
    limit = int(get_setting("OSCAR_MLM_STOREFRONT_PHOTO_MAX_PIXELS"))
    if max(size) > limit:
        raise ValidationError(
            _("The photo may be at most %(limit)s pixels wide and high.") % {"limit": limit}
        )


class StorefrontForm(forms.ModelForm):
    """The owner's edit form; the company's control fields are not in it."""

    class Meta:
        model = Storefront
        fields = OWNER_FIELDS
        widgets = {
            # Not type="color": browsers would send #000000 for "no colour".
            "accent_color": forms.TextInput(attrs={"placeholder": "#1f7a4d"}),
            "greeting": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_accent_color(self):
        return (self.cleaned_data.get("accent_color") or "").strip().lower()

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "content_type"):  # a new upload
            validate_photo(photo)
        return photo
