from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import apps


class CheckoutConfig(apps.CheckoutConfig):
    """Oscar's checkout, found under our package so ``get_class`` picks up our views."""

    label = "checkout"
    name = "oscar_mlm.apps.checkout"
    verbose_name = _("Checkout")
