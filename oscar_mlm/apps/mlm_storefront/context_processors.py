from oscar_mlm.apps.mlm_network.signup import is_company_shop_closed


def storefront(request):
    """``storefront`` (or None), ``storefront_theme`` (what this link may show)
    and ``storefront_distributor_link`` for any template, Oscar's included.

    ``storefront_partner_link`` is the same flag under the name documented
    before, kept for shops' templates that use it. ``company_shop_closed`` is
    True on a company site that sends its visitors to the storefronts
    (``OSCAR_MLM_COMPANY_SITE = "storefronts_only"``).
    """
    current = getattr(request, "storefront", None)
    distributor_link = bool(current and current.is_distributor_link)
    return {
        "storefront": current,
        "storefront_theme": current.visible_theme() if current else {},
        "storefront_distributor_link": distributor_link,
        "storefront_partner_link": distributor_link,
        "company_shop_closed": is_company_shop_closed(request),
    }
