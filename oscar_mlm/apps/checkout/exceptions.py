"""Domain errors of the payment methods (Oscar's ``checkout.exceptions`` stay where they are:
``get_class`` finds Oscar's classes there for every name this module does not define)."""

from django.utils.translation import gettext_lazy as _

from oscar_mlm.exceptions import MlmError


class PaymentRecordError(MlmError):
    default_message = _("The payment could not be recorded.")


class NothingToMarkPaid(PaymentRecordError):
    default_message = _("Nothing of this order is waiting for payment by invoice or transfer.")
