from django import template

register = template.Library()


@register.simple_tag
def mlm_credit_rule(product):
    """The credit rule that applies to ``product`` and where it is set.

    ``{"rule": rule or None, "set_on": "product" | "parent" | "class" | None}``;
    an unsaved product (the dashboard's create page) has none.
    """
    from oscar_mlm.apps.mlm_credit import services

    if product is None or product.pk is None:
        return {"rule": None, "set_on": None}
    rule = services.rule_for(product)
    if rule is None:
        set_on = None
    elif rule.product_id == product.pk:
        set_on = "product"
    elif rule.product_id:
        set_on = "parent"
    else:
        set_on = "class"
    return {"rule": rule, "set_on": set_on}


def _earns(rule, unit_price, quantity, line_price):
    from oscar_mlm.money import ZERO

    if rule is None or unit_price is None:
        return ZERO
    return max(ZERO, rule.credit_for(unit_price, quantity, line_price))


@register.simple_tag
def mlm_credit_earns(product, price):
    """The loyalty credit one unit of ``product`` earns at ``price`` (incl. tax), or 0.

    The rule of the ledger (:func:`services.rule_for`), as the order would book it."""
    from oscar_mlm.apps.mlm_credit import services
    from oscar_mlm.money import ZERO

    if product is None or product.pk is None or price is None:
        return ZERO
    return _earns(services.rule_for(product), price, 1, price)


@register.simple_tag
def mlm_basket_credit(basket):
    """The loyalty credit the lines of ``basket`` earn together (pending once ordered)."""
    from oscar_mlm.apps.mlm_credit import services
    from oscar_mlm.money import ZERO

    if basket is None or not getattr(basket, "id", None):
        return ZERO
    lines = [line for line in basket.all_lines() if line.product_id]
    if not lines:
        return ZERO
    rules = services.rules_for([line.product for line in lines])
    total = ZERO
    for line in lines:
        if not line.is_tax_known:
            continue
        total += _earns(
            rules[line.product_id],
            line.unit_price_incl_tax,
            line.quantity,
            line.line_price_incl_tax,
        )
    return total
