"""Which credit rule applies to a product: its own, its parent's, else its class's."""

from django.db.models import Q
from oscar.core.loading import get_model

CreditRule = get_model("mlm_credit", "CreditRule")


def rule_for(product):
    """The credit rule of a product: its own, its parent's, else its class's (or None)."""
    return rules_for([product])[product.pk]


def rules_for(products):
    """``{product pk: rule or None}`` for many products, in one query.

    A rule on the product beats one on its parent, which beats one on the class.
    Load products with ``select_related("parent")`` to spare a query per child.
    """
    targets = {}
    for product in products:
        parent = product.parent if product.parent_id else None
        targets[product.pk] = lineage(
            product.pk,
            product.product_class_id,
            parent.pk if parent else None,
            parent.product_class_id if parent else None,
        )
    return rules_by_key(targets)


def lineage(product_id, class_id, parent_id, parent_class_id):
    """``(product ids, own first; class id)``: where a product's rule may be set."""
    # A child product has no class of its own (Oscar's rule): its parent's counts.
    return [pk for pk in (product_id, parent_id) if pk], class_id or parent_class_id


def rules_by_key(targets):
    """``{key: rule or None}`` for ``{key: lineage(...)}``, in one query."""
    if not targets:
        return {}
    product_ids = {pk for ids, __ in targets.values() for pk in ids}
    class_ids = {class_id for __, class_id in targets.values() if class_id}
    by_product, by_class = {}, {}
    for rule in CreditRule.objects.filter(
        Q(product_id__in=product_ids) | Q(product_class_id__in=class_ids)
    ):
        if rule.product_id:
            by_product[rule.product_id] = rule
        else:
            by_class[rule.product_class_id] = rule
    result = {}
    for key, (ids, class_id) in targets.items():
        own = next((by_product[i] for i in ids if i in by_product), None)
        result[key] = own or by_class.get(class_id)
    return result
