from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from oscar.apps.checkout import views
from oscar.core.loading import get_model

from oscar_mlm.parsing import clean_text, parse_id

from .mixins import CreditPaymentMixin
from .placement import PlacementContextMixin

Order = get_model("order", "Order")
UserAddress = get_model("address", "UserAddress")


class PaymentDetailsView(PlacementContextMixin, CreditPaymentMixin, views.PaymentDetailsView):
    template_name = "oscar_mlm/checkout/payment_details.html"
    template_name_preview = "oscar_mlm/checkout/preview.html"


class ShippingAddressView(views.ShippingAddressView):
    """Oscar's, but a posted address id that is none of the user's addresses gets a message.

    Oscar looks the id up with ``get()``: anything but an id of the user's own
    address was a server error.
    """

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated and "address_id" in request.POST:
            pk = parse_id(request.POST["address_id"])
            if (
                pk is None
                or not UserAddress._default_manager.filter(pk=pk, user=request.user).exists()
            ):
                messages.error(request, _("This address is not in your address book."))
                return redirect("checkout:shipping-address")
        return super().post(request, *args, **kwargs)


class ThankYouView(views.ThankYouView):
    """Oscar's, but the superuser's ``?order_number=``/``?order_id=`` preview parses its value.

    Anything that is no order number or id shows no order (Oscar then
    redirects to the home page), instead of a server error.
    """

    def get_object(self, queryset=None):
        query = self.request.GET
        if self.request.user.is_superuser and ("order_number" in query or "order_id" in query):
            if "order_number" in query:
                number = clean_text(query["order_number"], max_length=128)
                found = Order._default_manager.filter(number=number) if number else None
            else:
                pk = parse_id(query["order_id"])
                found = Order._default_manager.filter(pk=pk) if pk else None
            order = found.first() if found is not None else None
            if order is not None:
                return order
        pk = self.request.session.get("checkout_order_id")
        return Order._default_manager.filter(pk=pk).first() if parse_id(pk) else None
