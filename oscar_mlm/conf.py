from django.conf import settings

from oscar_mlm import defaults

# Settings renamed after they were documented: {new name: old name}. The old name still works.
RENAMED = {"OSCAR_MLM_DISTRIBUTOR_LINK_SIGNUP_KIND": "OSCAR_MLM_PARTNER_LINK_SIGNUP_KIND"}


def get_setting(name):
    """Return ``settings.<name>`` or its default from :mod:`oscar_mlm.defaults`.

    Called at use time so tests and shops can change settings at run time.
    """
    old = RENAMED.get(name)
    if old and not hasattr(settings, name) and hasattr(settings, old):
        return getattr(settings, old)
    return getattr(settings, name, getattr(defaults, name))


def setting_values(name):
    """A setting that holds one value or several (a string, a list, None) as a tuple.

    ``OSCAR_MLM_CREDIT_AVAILABLE_STATUS = "Complete"`` and ``= ("Complete", "Shipped")``
    both work; ``None`` or empty is ``()``.
    """
    value = get_setting(name)
    if not value:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)
