"""Domain errors of volumes and commissions."""

from django.utils.translation import gettext_lazy as _

from oscar_mlm.exceptions import MlmError


class CommissionError(MlmError):
    default_message = _("The commission data could not be changed.")


class PeriodClosed(CommissionError):
    default_message = _("This period is closed and can no longer change.")


class InvalidRefund(CommissionError):
    default_message = _("This refund cannot be booked.")


class InvalidVolumeRule(CommissionError):
    default_message = _("This volume setting is not valid.")


class InvalidTaxProfile(CommissionError):
    """Tax details refused; ``field`` names the form field that is wrong (or None)."""

    default_message = _("These tax details are not valid.")

    def __init__(self, message=None, field=None):
        self.field = field
        super().__init__(message)
