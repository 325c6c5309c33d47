def storefront(request):
    """``storefront`` (or None), ``storefront_theme`` (what this link may show)
    and ``storefront_distributor_link`` for any template, Oscar's included.

    ``storefront_partner_link`` is the same flag under the name documented
    before, kept for shops' templates that use it.
    """
    current = getattr(request, "storefront", None)
    distributor_link = bool(current and current.is_distributor_link)
    return {
        "storefront": current,
        "storefront_theme": current.visible_theme() if current else {},
        "storefront_distributor_link": distributor_link,
        "storefront_partner_link": distributor_link,
    }
