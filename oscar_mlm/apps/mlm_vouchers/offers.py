"""Offer proxies of the new-customer voucher (registered by dotted path).

Condition: the code is usable by this basket's buyer. Benefit: whatever Oscar
benefit the programme chose (``type``/``value``/``range``), plus, inside the
order transaction, the assignment of the buyer to the code's issuer.

They live in this app (``app_label = "mlm_vouchers"``), not in Oscar's
``offer`` app, so migrations stay ours.
"""

from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

Condition = get_model("offer", "Condition")
Benefit = get_model("offer", "Benefit")


def _voucher_of(offer):
    voucher = getattr(offer, "_voucher", None)
    return getattr(voucher, "mlm_distributor_voucher", None) if voucher else None


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
        return _("New-customer voucher: %(benefit)s") % {"benefit": self.inner().name}

    @property
    def description(self):
        return self.inner().description

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
