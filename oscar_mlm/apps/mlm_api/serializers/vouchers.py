from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

STATUSES = ("active", "used_up", "expired", "deactivated")


class DistributorVoucherSerializer(serializers.Serializer):
    """One of a distributor's new-customer codes."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    status = serializers.SerializerMethodField(help_text=", ".join(STATUSES))
    programme = serializers.CharField(source="program.name")
    created = serializers.DateTimeField()
    expires = serializers.DateTimeField()
    deactivated = serializers.DateTimeField(allow_null=True)
    uses_allowed = serializers.IntegerField()
    uses = serializers.SerializerMethodField()
    uses_left = serializers.SerializerMethodField()

    def get_uses(self, dv) -> int:
        return dv.uses

    def get_uses_left(self, dv) -> int:
        return max(0, dv.uses_allowed - dv.uses)

    def get_status(self, dv) -> str:
        if not dv.is_active:
            return "deactivated"
        if dv.expires <= timezone.now():
            return "expired"
        if dv.uses >= dv.uses_allowed:
            return "used_up"
        return "active"


class RedemptionSerializer(serializers.Serializer):
    """A use of a code: who (as the web page shows it, ``OSCAR_MLM_VOUCHER_SHOW_BUYER``), when."""

    id = serializers.IntegerField()
    code = serializers.CharField(source="distributor_voucher.code")
    buyer = serializers.SerializerMethodField()
    moved = serializers.BooleanField(help_text=_("The buyer was assigned to you."))
    created = serializers.DateTimeField()

    def get_buyer(self, redemption) -> str:
        from oscar_mlm.apps.mlm_vouchers.views import buyer_label

        return str(buyer_label(redemption))
