"""The Django permissions that the pages of the network dashboard section ask for."""

from django.apps import apps
from django.contrib.auth.models import Permission
from django.db.models import Q


def section_permission_names():
    """Every ``app_label.codename`` named in the section's permissions, sorted."""
    config = apps.get_app_config("mlm_dashboard")
    names = set()
    for entry in config.section_permissions().values():
        lists = entry if isinstance(entry, tuple) else [entry]
        for permissions in lists:
            names.update(name for name in permissions if "." in name)
    return sorted(names)


def section_permissions():
    """The ``Permission`` rows of :func:`section_permission_names` (of installed apps)."""
    match = Q(pk__in=[])
    for name in section_permission_names():
        app_label, codename = name.split(".", 1)
        match |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(match).select_related("content_type")
