from oscar.apps.checkout import views

from .mixins import CreditPaymentMixin
from .placement import PlacementContextMixin


class PaymentDetailsView(PlacementContextMixin, CreditPaymentMixin, views.PaymentDetailsView):
    template_name_preview = "oscar_mlm/checkout/preview.html"
