from oscar.apps.payment.exceptions import UnableToTakePayment
from oscar.core.loading import get_model

from oscar_mlm.apps.checkout import views

Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")

DECLINED = "13.00"  # the stand-in provider declines exactly this amount


class PaymentDetailsView(views.PaymentDetailsView):
    """Credit pays first (our view); the shop's provider takes the rest."""

    def handle_remaining_payment(self, order_number, total, **kwargs):
        amount = total.incl_tax
        if str(amount) == DECLINED:
            raise UnableToTakePayment("Your card was declined.")
        reference = f"card-{order_number}"  # what the provider would answer
        source_type, _created = SourceType.objects.get_or_create(
            code="card", defaults={"name": "Card"}
        )
        self.add_payment_source(
            Source(
                source_type=source_type,
                currency=total.currency,
                amount_allocated=amount,
                amount_debited=amount,
                reference=reference,
            )
        )
        self.add_payment_event("Card", amount, reference=reference)
