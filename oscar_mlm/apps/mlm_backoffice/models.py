from oscar.core.loading import is_model_registered

from .abstract_models import (
    AbstractCustomerNote,
    AbstractCustomerTag,
    AbstractFollowUp,
    AbstractNoteRead,
)

__all__ = []

if not is_model_registered("mlm_backoffice", "CustomerNote"):

    class CustomerNote(AbstractCustomerNote):
        class Meta(AbstractCustomerNote.Meta):
            pass

    __all__.append("CustomerNote")

if not is_model_registered("mlm_backoffice", "FollowUp"):

    class FollowUp(AbstractFollowUp):
        class Meta(AbstractFollowUp.Meta):
            pass

    __all__.append("FollowUp")

if not is_model_registered("mlm_backoffice", "CustomerTag"):

    class CustomerTag(AbstractCustomerTag):
        class Meta(AbstractCustomerTag.Meta):
            pass

    __all__.append("CustomerTag")

if not is_model_registered("mlm_backoffice", "NoteRead"):

    class NoteRead(AbstractNoteRead):
        class Meta(AbstractNoteRead.Meta):
            pass

    __all__.append("NoteRead")
