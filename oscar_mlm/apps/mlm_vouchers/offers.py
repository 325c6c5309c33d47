"""Offer proxies of the new-customer voucher (registered by dotted path).

Condition: the code is usable by this basket's buyer. Benefit: whatever Oscar
benefit the programme chose (``type``/``value``/``range``), plus, inside the
order transaction, the assignment of the buyer to the code's issuer.

They live in this app (``app_label = "mlm_vouchers"``), not in Oscar's
``offer`` app, so migrations stay ours.
"""

from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

Condition = get_model("offer", "Condition")
Benefit = get_model("offer", "Benefit")


def _voucher_of(offer):
    voucher = getattr(offer, "_voucher", None)
    return getattr(voucher, "mlm_distributor_voucher", None) if voucher else None


def discount_text(benefit):
    """What the buyer gets, in words: "10% off", "€5.00 off Skin care", "free shipping".

    Oscar's own descriptions read "10.00% discount on All products": the two places
    of the stored value and the name of the range our programmes create. Other
    benefit types keep Oscar's wording.
    """
    value = benefit.value or Decimal("0")
    whole = benefit.range is None or benefit.range.includes_all_products
    numbers = {
        "percent": floatformat(value, -2),
        "amount": currency(value),
        "range": "" if whole else benefit.range.name,
    }
    texts = {
        Benefit.PERCENTAGE: (gettext("%(percent)s%% off"), gettext("%(percent)s%% off %(range)s")),
        Benefit.FIXED: (gettext("%(amount)s off"), gettext("%(amount)s off %(range)s")),
        Benefit.SHIPPING_ABSOLUTE: (gettext("%(amount)s off shipping"),) * 2,
        Benefit.SHIPPING_FIXED_PRICE: (gettext("shipping for %(amount)s"),) * 2,
        Benefit.SHIPPING_PERCENTAGE: (gettext("%(percent)s%% off shipping"),) * 2,
    }
    if benefit.type == Benefit.SHIPPING_PERCENTAGE and value >= 100:
        return gettext("free shipping")
    if benefit.type not in texts:
        return None
    return texts[benefit.type][0 if whole else 1] % numbers


class NewCustomerCondition(Condition):
    name = _("The buyer is a new customer of the voucher's partner")
    description = name

    class Meta:
        proxy = True
        app_label = "mlm_vouchers"
        verbose_name = _("new-customer condition")
        verbose_name_plural = _("new-customer conditions")

    def is_satisfied(self, offer, basket):
        from . import rules

        dv = _voucher_of(offer)
        if dv is None:
            return False
        try:
            rules.check_redeemable(dv, user=basket.owner, basket=basket)
        except rules.VoucherError:
            return False
        return True

    def is_partially_satisfied(self, offer, basket):
        return False

    def consume_items(self, offer, basket, affected_lines):
        return None


class NewCustomerBenefit(Benefit):
    """Delegates the discount to Oscar's benefit class for ``type``."""

    class Meta:
        proxy = True
        app_label = "mlm_vouchers"
        verbose_name = _("new-customer benefit")
        verbose_name_plural = _("new-customer benefits")

    def inner(self):
        fields = {f.attname: getattr(self, f.attname) for f in Benefit._meta.concrete_fields}
        fields["proxy_class"] = None
        return self.proxy_map[self.type](**fields)

    @property
    def name(self):
        return discount_text(self) or self.inner().name

    @property
    def description(self):
        return discount_text(self) or self.inner().description

    def apply(self, basket, condition, offer, *args, **kwargs):
        return self.inner().apply(basket, condition, offer, *args, **kwargs)

    def shipping_discount(self, charge, currency=None):
        return self.inner().shipping_discount(charge, currency)

    def apply_deferred(self, basket, order, application):
        from . import services

        dv = _voucher_of(application["offer"])
        if dv is None:
            return None
        return services.redeem_at_placement(dv, order)
