from django import template

from ..services.commissions import rate_text

register = template.Library()


@register.filter
def rate(value):
    """A percentage without trailing zeros: ``10.0000`` -> ``10``."""
    if value in (None, ""):
        return ""
    return rate_text(value)
