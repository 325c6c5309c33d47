from oscar.core.loading import get_class as oscar_get_class
from oscar.core.loading import get_classes as oscar_get_classes


def get_class(module_label, classname):
    """Load one of our classes the Oscar way, so a shop can fork our apps."""
    return oscar_get_class(module_label, classname, module_prefix="oscar_mlm.apps")


def get_classes(module_label, classnames):
    return oscar_get_classes(module_label, classnames, module_prefix="oscar_mlm.apps")
