from django import template

from oscar_mlm.product_tabs import product_tabs

register = template.Library()


@register.simple_tag
def mlm_product_tabs():
    """The tabs our installed apps add to Oscar's product page (see ``oscar_mlm.product_tabs``)."""
    return product_tabs()
