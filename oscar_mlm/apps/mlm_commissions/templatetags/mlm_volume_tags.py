from django import template

register = template.Library()


@register.simple_tag
def mlm_volume_rule(product):
    """``{"rule": rule or None, "set_on": "product" | "parent" | "class" | None}``."""
    from oscar_mlm.apps.mlm_commissions.services.rules import rule_for

    if product is None or product.pk is None:
        return {"rule": None, "set_on": None}
    rule, set_on = rule_for(product)
    return {"rule": rule, "set_on": set_on}
