"""django-oscar-api override (``OSCARAPI_OVERRIDE_MODULES``): redeeming a voucher code,
rate-limited, described in our schema. The checks are in ``serializers.basket``."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from oscarapi.views import basket
from rest_framework import serializers

from ..schema import ERROR
from ..serializers.basket import VoucherAddSerializer
from ..throttles import VoucherRedeemThrottle

__all__ = ["AddVoucherView"]


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class AddVoucherView(basket.AddVoucherView):
    add_voucher_serializer_class = VoucherAddSerializer
    throttle_classes = [VoucherRedeemThrottle]

    @extend_schema(
        request=VoucherAddSerializer,
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="oscarapi's voucher."),
            406: OpenApiResponse(
                ERROR,
                description="Refused: the reason (unknown code, used up, not a new customer...).",
            ),
        },
        tags=["basket"],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
