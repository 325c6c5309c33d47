from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .network import PublicMemberSerializer
from .signup import PersonSerializer

SPONSOR_HELP = _('Storefront handle or member number of the sponsor, or "company".')


class StaffMemberSerializer(serializers.Serializer):
    """A member as staff see it: contact data included."""

    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")
    email = serializers.EmailField(source="user.email", allow_null=True)
    kind = serializers.CharField()
    status = serializers.CharField()
    handle = serializers.CharField(allow_null=True)
    joined = serializers.DateTimeField()
    sponsor = PublicMemberSerializer(source="parent", allow_null=True)


class StaffPersonSerializer(PersonSerializer):
    sponsor_id = serializers.CharField(max_length=63, help_text=SPONSOR_HELP)


class ReassignSerializer(serializers.Serializer):
    sponsor_id = serializers.CharField(max_length=63, help_text=SPONSOR_HELP)
    reason = serializers.CharField(max_length=2000, help_text=_("Kept in the audit."))


class PromoteSerializer(serializers.Serializer):
    handle = serializers.CharField(
        required=False, allow_blank=True, max_length=63,
        help_text=_("Leave out to derive one from the name."),
    )


class DeactivateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class SponsorChangeSerializer(serializers.Serializer):
    member = StaffMemberSerializer()
    moved = PublicMemberSerializer(many=True, help_text=_("Members rolled up to the sponsor."))


class PeriodSerializer(serializers.Serializer):
    month = serializers.SerializerMethodField(help_text="YYYY-MM")
    start = serializers.DateField()
    end = serializers.DateField(help_text=_("Exclusive."))
    status = serializers.CharField(help_text="open or closed")
    currency = serializers.CharField(allow_blank=True)
    last_run = serializers.DateTimeField(allow_null=True)
    closed = serializers.DateTimeField(allow_null=True)
    checksum = serializers.CharField(allow_blank=True)
    summary = serializers.JSONField()

    def get_month(self, period) -> str:
        return period.start.strftime("%Y-%m")


class RunRequestSerializer(serializers.Serializer):
    preview = serializers.BooleanField(
        default=False, help_text=_("Compute without writing anything.")
    )


class TaskSerializer(serializers.Serializer):
    id = serializers.CharField()
    status = serializers.CharField(help_text="READY, RUNNING, SUCCESSFUL or FAILED")
    enqueued_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    result = serializers.JSONField(allow_null=True)
    url = serializers.URLField()
