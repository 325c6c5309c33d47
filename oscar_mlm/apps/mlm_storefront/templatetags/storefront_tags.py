from django import template

from oscar_mlm.apps.mlm_network.signup import is_company_shop_closed

register = template.Library()


@register.inclusion_tag("oscar_mlm/mlm_storefront/partials/banner.html", takes_context=True)
def storefront_banner(context):
    """The distributor's banner on a storefront; on a company site without a shop, the
    way to *Find your consultant*; nothing on a company site with a shop."""
    request = context.get("request")
    current = getattr(request, "storefront", None)
    return {
        "storefront": current,
        "theme": current.visible_theme() if current else {},
        "distributor_link": bool(current and current.is_distributor_link),
        "company_shop_closed": request is not None and is_company_shop_closed(request),
        "request": request,
    }


@register.inclusion_tag("oscar_mlm/mlm_storefront/partials/style.html", takes_context=True)
def storefront_style(context):
    """A <style> block with the distributor's accent colour, when this link shows it."""
    request = context.get("request")
    current = getattr(request, "storefront", None)
    theme = current.visible_theme() if current else {}
    return {"accent_color": theme.get("accent_color", "")}
