"""The one admin base of the package: Django's admin shows our models, never changes them.

Every change goes through an app's services (locks, audit, ledgers that are
append-only); corrections are new rows made there.
"""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
