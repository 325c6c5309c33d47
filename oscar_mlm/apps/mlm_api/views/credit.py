"""The logged-in user's loyalty credit: balance and ledger (keyset-paginated).

Spending credit happens in django-oscar-api's checkout (``credit`` field,
``serializers.checkout``).
"""

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema
from oscar.core.loading import get_model
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from oscar_mlm.apps.mlm_credit import services
from oscar_mlm.money import ZERO

from ..errors import refusals
from ..pagination import KeysetPagination
from ..serializers.credit import CreditBalanceSerializer, CreditEntrySerializer
from ..serializers.pages import page_of
from .base import PAGE_PARAMETERS, MlmAPIView

CreditEntry = get_model("mlm_credit", "CreditEntry")

CURRENCY = OpenApiParameter(
    "currency", str, description="One of the shop's currencies (default: the shop's own)."
)


class CreditMixin:
    permission_classes = [IsAuthenticated]

    def get_account(self):
        currency = self.request.query_params.get("currency") or settings.OSCAR_DEFAULT_CURRENCY
        with refusals("currency"):
            currency = services.shop_currency(currency)
        return currency, services.get_account(self.request.user, currency)


@extend_schema(parameters=[CURRENCY])
class CreditBalanceView(CreditMixin, MlmAPIView):
    """Your credit: available to spend now, and pending (earned on orders not complete yet)."""

    serializer_class = CreditBalanceSerializer

    def get(self, request, *args, **kwargs):
        currency, account = self.get_account()
        data = {
            "currency": currency,
            "available": account.balance if account else ZERO,
            "pending": account.pending if account else ZERO,
        }
        return Response(self.get_serializer(data).data)


@extend_schema(parameters=[CURRENCY, *PAGE_PARAMETERS], responses=page_of(CreditEntrySerializer))
class CreditLedgerView(CreditMixin, MlmAPIView):
    """Every booking of your credit account, newest first."""

    serializer_class = CreditEntrySerializer
    pagination_class = KeysetPagination

    def get(self, request, *args, **kwargs):
        _currency, account = self.get_account()
        entries = account.entries.all() if account else CreditEntry.objects.none()
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
