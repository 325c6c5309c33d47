"""What a product's sale counts: set or remove a volume rule (staff), and read the rule in force."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from ..exceptions import InvalidVolumeRule

VolumeRule = get_model("mlm_commissions", "VolumeRule")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")

MAX_POINTS = Decimal("9999999999.99")


def _target(target):
    if isinstance(target, Product):
        return {"product": target}
    if isinstance(target, ProductClass):
        return {"product_class": target}
    raise TypeError("A volume rule belongs to a product or a product class.")


def parse_points(value):
    """Points per unit from text or a number: zero or more, at most two decimals."""
    try:
        points = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidVolumeRule(_("Enter the volume points as a number, e.g. 12.50.")) from None
    if not points.is_finite() or points < 0 or points > MAX_POINTS:
        raise InvalidVolumeRule(_("Volume points must be zero or more (at most 9999999999.99)."))
    if points.as_tuple().exponent < -2:
        raise InvalidVolumeRule(_("Volume points have at most two decimal places."))
    return points


def set_volume_rule(*, target, type, points=None):
    """Make ``target`` (a product or product class) count as ``type``; return the rule.

    ``type`` is ``"value"`` (the merchandise value, also to override a class
    rule on one product), ``"points"`` (``points`` per unit) or ``"none"``
    (not commissionable). Orders placed earlier keep what they recorded.
    """
    if type not in (VolumeRule.VALUE, VolumeRule.POINTS, VolumeRule.NONE):
        raise InvalidVolumeRule(_("Choose what the product counts as."))
    if type == VolumeRule.POINTS:
        if points is None or str(points).strip() == "":
            raise InvalidVolumeRule(_("Enter the volume points per unit."))
        points = parse_points(points)
    else:
        points = None
    with transaction.atomic():
        rule, _created = VolumeRule.objects.update_or_create(
            **_target(target), defaults={"type": type, "points": points}
        )
    return rule


def remove_volume_rule(*, target):
    """Remove the rule set on ``target``: it counts as its parent or class says again."""
    with transaction.atomic():
        VolumeRule.objects.filter(**_target(target)).delete()


def rule_for(product):
    """``(rule or None, set_on)``: the rule in force for ``product`` and where it is set.

    ``set_on`` is "product", "parent", "class" or ``None`` (no rule: the value counts).
    A child product has no class of its own (Oscar's rule): its parent's counts.
    """
    parent = product.parent if product.parent_id else None
    class_id = product.product_class_id or (parent.product_class_id if parent else None)
    found = Q(product_id__in=[product.pk] + ([parent.pk] if parent else []))
    if class_id:
        found |= Q(product_class_id=class_id)
    rules = list(VolumeRule.objects.filter(found).select_related("product", "product_class"))
    by_product = {rule.product_id: rule for rule in rules if rule.product_id}
    by_class = {rule.product_class_id: rule for rule in rules if rule.product_class_id}
    if product.pk in by_product:
        return by_product[product.pk], "product"
    if parent is not None and parent.pk in by_product:
        return by_product[parent.pk], "parent"
    if class_id in by_class:
        return by_class[class_id], "class"
    return None, None
