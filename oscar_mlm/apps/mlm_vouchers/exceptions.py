from django.utils.translation import gettext_lazy as _

from oscar_mlm.exceptions import MlmError, PlacementRefused


class VoucherError(MlmError):
    default_message = _("This voucher cannot be used.")


# Unknown and deactivated codes share one message so codes cannot be probed.
class UnknownCode(VoucherError):
    default_message = _("This voucher code is not valid.")


class CodeExpired(VoucherError):
    default_message = _("This voucher has expired.")


class CodeUsedUp(VoucherError):
    default_message = _("This voucher has already been used.")


class NotNewCustomer(VoucherError):
    default_message = _("This voucher is only for new customers: you have ordered with us before.")


class OwnCode(VoucherError):
    default_message = _(
        "You cannot use your own voucher, nor one from a partner in your own downline."
    )


class BasketTooSmall(VoucherError):
    default_message = _("Your basket does not reach the minimum value for this voucher.")


class CodeLimitReached(VoucherError):
    default_message = _("You already hold the maximum number of active voucher codes.")


class NoProgram(VoucherError):
    default_message = _("There is no new-customer voucher programme at the moment.")


class TooManyAttempts(VoucherError):
    default_message = _("Too many invalid voucher codes. Please try again later.")


class RedemptionRefused(PlacementRefused, VoucherError):
    """A rule broke between the basket and the order (another order, the last use taken).

    Raised inside Oscar's order transaction with the broken rule's message: the
    order is not placed, the customer sees why and keeps the basket.
    """

    default_message = VoucherError.default_message
