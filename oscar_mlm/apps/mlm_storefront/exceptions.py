from django.utils.translation import gettext_lazy as _

from oscar_mlm.exceptions import MlmError


class StorefrontError(MlmError):
    default_message = _("The storefront could not be changed.")


class StorefrontLocked(StorefrontError):
    default_message = _("Your storefront is locked by the company and cannot be edited.")


class NotADistributor(StorefrontError):
    default_message = _("Only distributors have a storefront.")
