def storefront(request):
    """``storefront`` (or None), ``storefront_theme`` (what this link may show)
    and ``storefront_partner_link`` for any template, Oscar's included."""
    current = getattr(request, "storefront", None)
    return {
        "storefront": current,
        "storefront_theme": current.visible_theme() if current else {},
        "storefront_partner_link": bool(current and current.is_partner_link),
    }
