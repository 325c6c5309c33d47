"""Domain errors of the back office's customer contacts (CRM)."""

from django.utils.translation import gettext_lazy as _

from oscar_mlm.exceptions import MlmError


class CrmError(MlmError):
    default_message = _("This contact record could not be saved.")


class NotYourCustomer(CrmError):
    default_message = _("This person is not one of your customers.")


class NotStaff(CrmError):
    default_message = _("Only staff may read a distributor's notes.")
