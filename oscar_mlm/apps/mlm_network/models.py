from oscar.core.loading import is_model_registered

from .abstract_models import (
    AbstractErasure,
    AbstractHandleRedirect,
    AbstractMember,
    AbstractSponsorChange,
    AbstractStatusChange,
)

__all__ = []

if not is_model_registered("mlm_network", "Member"):

    class Member(AbstractMember):
        class Meta(AbstractMember.Meta):
            pass

    __all__.append("Member")

if not is_model_registered("mlm_network", "SponsorChange"):

    class SponsorChange(AbstractSponsorChange):
        class Meta(AbstractSponsorChange.Meta):
            pass

    __all__.append("SponsorChange")

if not is_model_registered("mlm_network", "StatusChange"):

    class StatusChange(AbstractStatusChange):
        class Meta(AbstractStatusChange.Meta):
            pass

    __all__.append("StatusChange")

if not is_model_registered("mlm_network", "HandleRedirect"):

    class HandleRedirect(AbstractHandleRedirect):
        class Meta(AbstractHandleRedirect.Meta):
            pass

    __all__.append("HandleRedirect")

if not is_model_registered("mlm_network", "Erasure"):

    class Erasure(AbstractErasure):
        class Meta(AbstractErasure.Meta):
            pass

    __all__.append("Erasure")
