from oscar.core.loading import is_model_registered

from .abstract_models import AbstractVolumeRecord, AbstractVolumeRule

__all__ = []

if not is_model_registered("mlm_commissions", "VolumeRecord"):

    class VolumeRecord(AbstractVolumeRecord):
        class Meta(AbstractVolumeRecord.Meta):
            pass

    __all__.append("VolumeRecord")

if not is_model_registered("mlm_commissions", "VolumeRule"):

    class VolumeRule(AbstractVolumeRule):
        class Meta(AbstractVolumeRule.Meta):
            pass

    __all__.append("VolumeRule")
