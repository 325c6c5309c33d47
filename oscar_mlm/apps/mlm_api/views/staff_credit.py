"""Staff credit adjustments, booked once per client-supplied idempotency key."""

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from oscar_mlm.apps.mlm_credit import services
from oscar_mlm.apps.mlm_credit.exceptions import (
    CurrencyMismatch,
    InvalidAmount,
    KeyReused,
    ReasonRequired,
)

from ..errors import refusals
from ..serializers.credit import CreditAdjustmentSerializer, CreditEntrySerializer
from .base import MlmAPIView
from .staff import MEMBER, StaffMemberMixin

KEY_HEADER = "HTTP_IDEMPOTENCY_KEY"


@extend_schema(
    parameters=[
        MEMBER,
        OpenApiParameter(
            "Idempotency-Key",
            str,
            OpenApiParameter.HEADER,
            description="Instead of the body's idempotency_key.",
        ),
    ],
    responses={201: CreditEntrySerializer, 200: CreditEntrySerializer},
)
class StaffCreditAdjustView(StaffMemberMixin, MlmAPIView):
    """Add or deduct a member's credit with a reason (the dashboard's adjustment).

    The client chooses an idempotency key per booking: a request retried with
    the same key (a timeout, a lost answer) books nothing new and answers 200
    with the first booking; a key used for another booking is refused.
    """

    serializer_class = CreditAdjustmentSerializer

    def post(self, request, *args, **kwargs):
        member = self.get_member()
        data = request.data.copy() if hasattr(request.data, "copy") else dict(request.data)
        if request.META.get(KEY_HEADER) and not data.get("idempotency_key"):
            data["idempotency_key"] = request.META[KEY_HEADER]
        ser = self.get_serializer(data=data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        with refusals(
            fields={
                InvalidAmount: "amount",
                CurrencyMismatch: "currency",
                ReasonRequired: "reason",
                KeyReused: "idempotency_key",
            }
        ):
            entry = services.adjust_user(
                user=member.user,
                amount=data["amount"],
                currency=data.get("currency") or settings.OSCAR_DEFAULT_CURRENCY,
                reason=data["reason"],
                created_by=request.user,
                direction=data["direction"],
                key=f"api-adjust:{data['idempotency_key']}",
            )
        answer = status.HTTP_201_CREATED if entry.was_created else status.HTTP_200_OK
        return Response(CreditEntrySerializer(entry).data, status=answer)
