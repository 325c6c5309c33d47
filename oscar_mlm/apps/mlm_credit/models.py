from oscar.core.loading import is_model_registered

from .abstract_models import AbstractCreditAccount, AbstractCreditEntry, AbstractCreditRule

__all__ = []

if not is_model_registered("mlm_credit", "CreditAccount"):

    class CreditAccount(AbstractCreditAccount):
        class Meta(AbstractCreditAccount.Meta):
            pass

    __all__.append("CreditAccount")

if not is_model_registered("mlm_credit", "CreditEntry"):

    class CreditEntry(AbstractCreditEntry):
        class Meta(AbstractCreditEntry.Meta):
            pass

    __all__.append("CreditEntry")

if not is_model_registered("mlm_credit", "CreditRule"):

    class CreditRule(AbstractCreditRule):
        class Meta(AbstractCreditRule.Meta):
            pass

    __all__.append("CreditRule")
