"""State changes of the network dashboard section."""

from django.contrib.auth.models import Group
from django.db import transaction

from oscar_mlm.apps.mlm_dashboard.permissions import section_permissions


def grant_section_to_group(*, name):
    """Create (or bring up to date) the group ``name`` holding every permission of the
    section's pages, so staff added to it can open all of them. Returns the group."""
    with transaction.atomic():
        group, _created = Group.objects.select_for_update().get_or_create(name=name)
        group.permissions.add(*section_permissions())
    return group
