from oscar.core.loading import is_model_registered

from .abstract_models import AbstractStorefront

__all__ = []

if not is_model_registered("mlm_storefront", "Storefront"):

    class Storefront(AbstractStorefront):
        class Meta(AbstractStorefront.Meta):
            pass

    __all__.append("Storefront")
