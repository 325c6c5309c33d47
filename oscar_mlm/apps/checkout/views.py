from oscar.apps.checkout import views

from .mixins import CreditPaymentMixin


class PaymentDetailsView(CreditPaymentMixin, views.PaymentDetailsView):
    template_name_preview = "oscar_mlm/checkout/preview.html"
