from oscar.core.loading import is_model_registered

from .abstract_models import (
    AbstractCommissionJob,
    AbstractCommissionLine,
    AbstractCommissionPeriod,
    AbstractCommissionPlan,
    AbstractCommissionSnapshot,
    AbstractCommissionStatement,
    AbstractCreditNote,
    AbstractSettledRefund,
    AbstractTaxProfile,
    AbstractVolumeRecord,
    AbstractVolumeRule,
)

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

if not is_model_registered("mlm_commissions", "CommissionPlan"):

    class CommissionPlan(AbstractCommissionPlan):
        class Meta(AbstractCommissionPlan.Meta):
            pass

    __all__.append("CommissionPlan")

if not is_model_registered("mlm_commissions", "CommissionPeriod"):

    class CommissionPeriod(AbstractCommissionPeriod):
        class Meta(AbstractCommissionPeriod.Meta):
            pass

    __all__.append("CommissionPeriod")

if not is_model_registered("mlm_commissions", "CommissionSnapshot"):

    class CommissionSnapshot(AbstractCommissionSnapshot):
        class Meta(AbstractCommissionSnapshot.Meta):
            pass

    __all__.append("CommissionSnapshot")

if not is_model_registered("mlm_commissions", "SettledRefund"):

    class SettledRefund(AbstractSettledRefund):
        class Meta(AbstractSettledRefund.Meta):
            pass

    __all__.append("SettledRefund")

if not is_model_registered("mlm_commissions", "CommissionStatement"):

    class CommissionStatement(AbstractCommissionStatement):
        class Meta(AbstractCommissionStatement.Meta):
            pass

    __all__.append("CommissionStatement")

if not is_model_registered("mlm_commissions", "CommissionLine"):

    class CommissionLine(AbstractCommissionLine):
        class Meta(AbstractCommissionLine.Meta):
            pass

    __all__.append("CommissionLine")

if not is_model_registered("mlm_commissions", "TaxProfile"):

    class TaxProfile(AbstractTaxProfile):
        class Meta(AbstractTaxProfile.Meta):
            pass

    __all__.append("TaxProfile")

if not is_model_registered("mlm_commissions", "CreditNote"):

    class CreditNote(AbstractCreditNote):
        class Meta(AbstractCreditNote.Meta):
            pass

    __all__.append("CreditNote")

if not is_model_registered("mlm_commissions", "CommissionJob"):

    class CommissionJob(AbstractCommissionJob):
        class Meta(AbstractCommissionJob.Meta):
            pass

    __all__.append("CommissionJob")
