from django.conf import settings

from oscar_mlm import defaults


def get_setting(name):
    """Return ``settings.<name>`` or its default from :mod:`oscar_mlm.defaults`.

    Called at use time so tests and shops can change settings at run time.
    """
    return getattr(settings, name, getattr(defaults, name))
