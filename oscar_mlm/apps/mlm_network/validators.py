import re

from django.utils.translation import gettext as _

from oscar_mlm.conf import get_setting

from .exceptions import InvalidHandle

_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")


def normalise_handle(value):
    return (value or "").strip().lower()


def validate_handle(value):
    """Raise :class:`InvalidHandle` unless ``value`` is a usable storefront handle.

    A handle becomes a DNS label (``<handle>.shop.example``): lower-case letters,
    digits and inner hyphens, no "--" at positions 3-4 (reserved for IDNA).
    Expects a normalised (stripped, lower-case) value.
    """
    lo = get_setting("OSCAR_MLM_HANDLE_MIN_LENGTH")
    hi = get_setting("OSCAR_MLM_HANDLE_MAX_LENGTH")
    if not value:
        raise InvalidHandle(_("Please choose a storefront handle."))
    if not lo <= len(value) <= hi:
        raise InvalidHandle(
            _("A storefront handle has %(lo)s to %(hi)s characters.") % {"lo": lo, "hi": hi}
        )
    if not _LABEL.match(value) or value[2:4] == "--":
        raise InvalidHandle(
            _(
                "A storefront handle may contain only lower-case letters a-z, digits "
                "and hyphens, and cannot start or end with a hyphen."
            )
        )
    if value in get_setting("OSCAR_MLM_RESERVED_HANDLES"):
        raise InvalidHandle(_("This storefront handle is reserved."))
