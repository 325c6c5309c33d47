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
