from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from rest_framework import serializers

TaxProfile = get_model("mlm_commissions", "TaxProfile")

MONEY = {"max_digits": 14, "decimal_places": 2}


class LevelVolumeSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    volume = serializers.DecimalField(**MONEY)


class ShareSerializer(serializers.Serializer):
    level = serializers.IntegerField(help_text=_("0: the own volume."))
    volume = serializers.DecimalField(**MONEY)
    rate = serializers.DecimalField(max_digits=7, decimal_places=4, help_text=_("Percent."))
    amount = serializers.DecimalField(**MONEY)


class EstimateSerializer(serializers.Serializer):
    """``mlm_commissions.estimates``: the plan's rates on the live volumes, so far."""

    total = serializers.DecimalField(
        **MONEY, help_text=_("The commission so far; 0 unless active and qualified.")
    )
    total_if_qualified = serializers.DecimalField(**MONEY)
    qualified = serializers.BooleanField()
    missing = serializers.DecimalField(
        **MONEY, help_text=_("Own volume still needed to reach the plan's minimum.")
    )
    minimum = serializers.DecimalField(**MONEY)
    compression = serializers.BooleanField(
        help_text=_("With compression the run may pay more on the levels than estimated.")
    )
    shares = ShareSerializer(many=True)


class VolumesSerializer(serializers.Serializer):
    """Live volumes of a period (orders placed in it, net of refunds so far)."""

    period = serializers.CharField(help_text="YYYY-MM")
    currency = serializers.CharField()
    personal_volume = serializers.DecimalField(**MONEY)
    own_volume = serializers.DecimalField(**MONEY)
    end_customer_volume = serializers.DecimalField(**MONEY)
    group_volume = serializers.DecimalField(**MONEY)
    group_volume_levels = LevelVolumeSerializer(many=True)
    estimate = EstimateSerializer(
        allow_null=True, help_text=_("The commission estimated so far; null without a plan.")
    )


class StatementSerializer(serializers.Serializer):
    period = serializers.SerializerMethodField(help_text="YYYY-MM")
    period_status = serializers.CharField(source="period.status", help_text="open or closed")
    currency = serializers.CharField()
    personal_volume = serializers.DecimalField(**MONEY)
    own_volume = serializers.DecimalField(**MONEY)
    end_customer_volume = serializers.DecimalField(**MONEY)
    group_volume = serializers.DecimalField(**MONEY)
    group_volume_levels = serializers.ListField(child=serializers.JSONField())
    active = serializers.BooleanField()
    qualified = serializers.BooleanField()
    commission = serializers.DecimalField(**MONEY)
    corrections = serializers.DecimalField(**MONEY)
    opening_balance = serializers.DecimalField(**MONEY)
    total = serializers.DecimalField(**MONEY)

    def get_period(self, statement) -> str:
        return statement.period.start.strftime("%Y-%m")


class StatementLineSerializer(serializers.Serializer):
    """One line of a statement, paid or not, with the sentence that says why."""

    id = serializers.IntegerField()
    kind = serializers.SerializerMethodField(help_text="commission or correction")
    order = serializers.CharField(source="order.number", allow_null=True)
    level = serializers.IntegerField()
    volume = serializers.DecimalField(max_digits=12, decimal_places=2)
    rate = serializers.DecimalField(max_digits=7, decimal_places=4)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    paid = serializers.BooleanField()
    reason = serializers.SerializerMethodField(
        help_text="paid, not_qualified, inactive, not_distributor, beyond_cap, "
        "not_commissionable or no_rate"
    )
    why = serializers.SerializerMethodField(help_text=_("Why this line was paid or not."))

    def get_kind(self, line) -> str:
        return "correction" if line.kind == line.CORRECTION else "commission"

    def get_reason(self, line) -> str:
        from oscar_mlm.apps.mlm_commissions.services import REASONS

        return REASONS[line.reason]

    def get_why(self, line) -> str:
        from oscar_mlm.apps.mlm_commissions.services import explain_line

        return str(explain_line(line))


class TaxDetailsSerializer(serializers.Serializer):
    """A distributor's tax details, as the account area's form has them.

    The fields' own checks (types, lengths, NUL bytes) run here;
    ``services.save_tax_profile`` checks the rest, as it does for the form.
    """

    tax_status = serializers.ChoiceField(
        choices=TaxProfile.STATUS_CHOICES, allow_blank=True,
        help_text="small_business, standard or reverse_charge; empty until saved.",
    )
    name = serializers.CharField(max_length=200, allow_blank=True)
    street = serializers.CharField(max_length=200, allow_blank=True)
    postcode = serializers.CharField(max_length=12, allow_blank=True)
    city = serializers.CharField(max_length=100, allow_blank=True)
    country = serializers.CharField(max_length=2, allow_blank=True, help_text="ISO 3166-1 code")
    tax_number = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default="",
        help_text=_("e.g. 21/815/08150"),
    )
    vat_id = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default="",
        help_text=_("e.g. DE123456789; needed for the reverse charge."),
    )
    saved = serializers.BooleanField(
        read_only=True, help_text=_("false until the distributor saves tax details.")
    )

