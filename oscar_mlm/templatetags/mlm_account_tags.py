"""The account menu's template tag; it lives in the package app ``oscar_mlm``, which
every shop installs, so it is found also when a shop forks one of our apps."""

from django import template

from oscar_mlm.navigation import account_navigation

register = template.Library()


@register.inclusion_tag("oscar_mlm/partials/account_navigation.html", takes_context=True)
def mlm_account_navigation(context):
    """The tabs the installed apps add to "My account" (see :mod:`oscar_mlm.navigation`)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return {"mlm_sections": account_navigation(user), "active_tab": context.get("active_tab")}
