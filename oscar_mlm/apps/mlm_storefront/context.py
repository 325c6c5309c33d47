from dataclasses import dataclass, field

from oscar_mlm.conf import get_setting

from .abstract_models import THEME_FIELDS

# Which link a visit entered by: the customer link or the partner link (/join/).
CUSTOMER, DISTRIBUTOR = "customer", "distributor"


@dataclass
class StorefrontContext:
    """What a request on a distributor's subdomain knows about it (``request.storefront``)."""

    member: object
    handle: str
    theme: object = None  # Storefront row, or None for defaults
    mode: str = CUSTOMER  # set by StorefrontMiddleware from the session
    extra: dict = field(default_factory=dict)

    @property
    def is_distributor_link(self):
        """Did this visit enter by the partner link (``/join/``)?"""
        return self.mode == DISTRIBUTOR

    def visible_theme(self):
        """The theme values this link may show: all on the partner link, else per setting."""
        allowed = (
            THEME_FIELDS
            if self.is_distributor_link
            else tuple(get_setting("OSCAR_MLM_CUSTOMER_LINK_THEME_FIELDS"))
        )
        theme = self.theme
        values = {
            "display_name": (theme and theme.display_name) or self.member.display_name,
            "photo": theme.photo if theme and theme.photo else None,
            "greeting": theme.greeting if theme else "",
            "accent_color": theme.accent_color if theme else "",
            "contact_line": theme.contact_line if theme else "",
        }
        return {name: values[name] for name in THEME_FIELDS if name in allowed}
