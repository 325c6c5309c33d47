from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from rest_framework import serializers

from oscar_mlm.apps.mlm_storefront.abstract_models import THEME_FIELDS
from oscar_mlm.apps.mlm_storefront.forms import validate_photo

Storefront = get_model("mlm_storefront", "Storefront")


class StorefrontSettingsSerializer(serializers.ModelSerializer):
    """A distributor's storefront theme, with the photo checks of the web form."""

    clear_photo = serializers.BooleanField(
        write_only=True, required=False, default=False, help_text=_("Remove the photo.")
    )
    is_locked = serializers.BooleanField(
        read_only=True, help_text=_("Locked by staff: the owner cannot change it.")
    )

    class Meta:
        model = Storefront
        fields = (*THEME_FIELDS, "clear_photo", "is_locked")
        # As on the web form, the colour is normalised first (validate_accent_color) and
        # checked after, by the model's validator in the service's full_clean.
        extra_kwargs = {
            "accent_color": {
                "validators": [],
                "help_text": _("A colour as #rrggbb (upper or lower case), or empty for none."),
            }
        }

    def validate_accent_color(self, value):
        return (value or "").strip().lower()

    def validate_photo(self, photo):
        if photo:
            try:
                validate_photo(photo)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.messages) from None
        return photo


class PublicStorefrontSerializer(serializers.Serializer):
    """What the storefront's customer link shows (``OSCAR_MLM_CUSTOMER_LINK_THEME_FIELDS``)."""

    handle = serializers.CharField()
    display_name = serializers.CharField(required=False)
    photo = serializers.URLField(required=False, allow_null=True)
    greeting = serializers.CharField(required=False, allow_blank=True)
    accent_color = serializers.CharField(required=False, allow_blank=True)
    contact_line = serializers.CharField(required=False, allow_blank=True)
    url = serializers.URLField(help_text=_("The storefront's customer link."))
