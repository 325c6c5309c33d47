"""A code typed into a basket: the one check the web's voucher form and the API share.

Forgiving input (case, spaces, dashes: ``services.find_code``), one message for
unknown and deactivated codes, the plain reason a partner's code cannot be used
now (``rules.check_redeemable``), and the throttle of failed attempts per
session and IP (``throttle``), so codes cannot be probed through either door.
"""

from oscar.core.loading import get_model

from . import rules, services, throttle
from .exceptions import TooManyAttempts, UnknownCode, VoucherError

Voucher = get_model("voucher", "Voucher")
DistributorVoucher = get_model("mlm_vouchers", "DistributorVoucher")


def check_entered_code(request, value, basket=None):
    """The stored code ``value`` means, if it may go into ``basket`` now.

    Raises :class:`TooManyAttempts` while the visitor is throttled, else a
    :class:`VoucherError` with the reason, and counts that as a failed attempt.
    Codes that are not partners' codes are left to Oscar's own checks.
    """
    if throttle.is_blocked(request):
        raise TooManyAttempts()
    code = services.find_code(value)
    dv = (
        DistributorVoucher.objects.select_related("voucher", "issuer", "program")
        .filter(voucher__code=code)
        .first()
    )
    try:
        if dv is None and not Voucher.objects.filter(code=code).exists():
            raise UnknownCode()
        if dv is not None and basket is not None and basket.id:
            rules.check_redeemable(dv, user=request.user, basket=basket)
    except VoucherError:
        throttle.record_failure(request)
        raise
    return code
