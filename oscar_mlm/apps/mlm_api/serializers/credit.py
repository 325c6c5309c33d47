from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class CreditBalanceSerializer(serializers.Serializer):
    currency = serializers.CharField()
    available = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text=_("Spendable now.")
    )
    pending = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        help_text=_("Earned on orders not complete yet (OSCAR_MLM_CREDIT_AVAILABLE_STATUS)."),
    )


class CreditEntrySerializer(serializers.Serializer):
    """One booking of the ledger (append-only): earned, spent, returned, reversed, ..."""

    id = serializers.IntegerField()
    kind = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    pending_amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    balance_after = serializers.DecimalField(max_digits=12, decimal_places=2)
    pending_after = serializers.DecimalField(max_digits=12, decimal_places=2)
    order_number = serializers.CharField(allow_blank=True)
    reason = serializers.CharField(allow_blank=True)
    created = serializers.DateTimeField()


class CreditAdjustmentSerializer(serializers.Serializer):
    """A staff booking: add or deduct credit with a reason, booked once per key."""

    amount = serializers.CharField(max_length=32, help_text=_("A positive amount, e.g. 12.50."))
    currency = serializers.CharField(required=False, max_length=12)
    direction = serializers.ChoiceField(choices=[("credit", "credit"), ("debit", "debit")])
    reason = serializers.CharField(max_length=2000)
    idempotency_key = serializers.RegexField(
        r"^[A-Za-z0-9._:-]{8,64}$",
        help_text=_(
            "Chosen by the client, 8-64 of A-Z a-z 0-9 . _ : -; a retried request with the "
            "same key books once. Also accepted as the Idempotency-Key header."
        ),
    )
