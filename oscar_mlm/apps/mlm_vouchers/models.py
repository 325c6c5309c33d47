from oscar.core.loading import is_model_registered

from . import offers  # noqa: F401  (the offer proxies are models of this app)
from .abstract_models import (
    AbstractDistributorVoucher,
    AbstractGuestAttribution,
    AbstractRedemption,
    AbstractVoucherProgram,
)

__all__ = []

if not is_model_registered("mlm_vouchers", "VoucherProgram"):

    class VoucherProgram(AbstractVoucherProgram):
        class Meta(AbstractVoucherProgram.Meta):
            pass

    __all__.append("VoucherProgram")

if not is_model_registered("mlm_vouchers", "DistributorVoucher"):

    class DistributorVoucher(AbstractDistributorVoucher):
        class Meta(AbstractDistributorVoucher.Meta):
            pass

    __all__.append("DistributorVoucher")

if not is_model_registered("mlm_vouchers", "Redemption"):

    class Redemption(AbstractRedemption):
        class Meta(AbstractRedemption.Meta):
            pass

    __all__.append("Redemption")

if not is_model_registered("mlm_vouchers", "GuestAttribution"):

    class GuestAttribution(AbstractGuestAttribution):
        class Meta(AbstractGuestAttribution.Meta):
            pass

    __all__.append("GuestAttribution")
