"""django-oscar-api override (``OSCARAPI_OVERRIDE_MODULES``): its checkout view, described
in our schema. The work is our ``serializers.checkout.CheckoutSerializer``."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from oscarapi.views import checkout

from ..schema import ERROR
from ..serializers.checkout import CheckoutSerializer

__all__ = ["CheckoutView"]


class CheckoutView(checkout.CheckoutView):
    serializer_class = CheckoutSerializer

    @extend_schema(
        request=CheckoutSerializer,
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="oscarapi's order."),
            406: OpenApiResponse(
                ERROR,
                description="Refused: field errors, or a reason (credit, stock, duplicate).",
            ),
        },
        tags=["checkout"],
    )
    def post(self, request, format=None, *args, **kwargs):  # noqa: A002 - oscarapi's signature
        return super().post(request, format, *args, **kwargs)
