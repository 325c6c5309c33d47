from django.contrib import admin
from oscar.core.loading import get_model

from oscar_mlm.admin import ReadOnlyAdmin

Member = get_model("mlm_network", "Member")
SponsorChange = get_model("mlm_network", "SponsorChange")
StatusChange = get_model("mlm_network", "StatusChange")


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ("pk", "display_name", "kind", "status", "handle", "parent", "joined")
    list_filter = ("kind", "status")
    search_fields = ("handle", "user__email", "user__first_name", "user__last_name")
    raw_id_fields = ("parent", "user")


@admin.register(SponsorChange)
class SponsorChangeAdmin(ReadOnlyAdmin):
    list_display = ("created", "member", "old_sponsor", "new_sponsor", "source", "changed_by")
    list_filter = ("source",)
    raw_id_fields = ("member", "old_sponsor", "new_sponsor", "changed_by")


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = ("created", "member", "event", "changed_by")
    list_filter = ("event",)
    raw_id_fields = ("member", "changed_by")


@admin.register(get_model("mlm_network", "Erasure"))
class ErasureAdmin(ReadOnlyAdmin):
    list_display = ("created", "user", "member", "erased_by")
