"""A distributor's new-customer codes: list, generate within the limits, deactivate, uses.

Generation and deactivation call the services of the web page
(``mlm_vouchers.services``); generation is rate-limited per distributor
(``OSCAR_MLM_API_VOUCHER_GENERATE_RATE``) on top of the programme's limit of
active codes. Another distributor's code answers 404.
"""

from django.db.models import Count
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from oscar.core.loading import get_model
from rest_framework import status
from rest_framework.response import Response

from oscar_mlm.apps.mlm_vouchers import services
from oscar_mlm.parsing import parse_id

from ..errors import refusals
from ..pagination import KeysetPagination
from ..permissions import IsDistributor
from ..serializers.pages import page_of
from ..serializers.vouchers import DistributorVoucherSerializer, RedemptionSerializer
from ..throttles import VoucherGenerateThrottle
from .base import PAGE_PARAMETERS, MlmAPIView

DistributorVoucher = get_model("mlm_vouchers", "DistributorVoucher")
Redemption = get_model("mlm_vouchers", "Redemption")

CODE = OpenApiParameter("id", str, OpenApiParameter.PATH, description="The code's id.")


class OwnVouchersMixin:
    permission_classes = [IsDistributor]

    def codes(self):
        return (
            DistributorVoucher.objects.filter(issuer=self.member)
            .select_related("voucher", "program")
            .annotate(uses=Count("redemptions"))
        )

    def get_code(self):
        pk = parse_id(self.kwargs["id"])
        found = self.codes().filter(pk=pk).first() if pk is not None else None
        if found is None:
            raise Http404
        return found


class VoucherListView(OwnVouchersMixin, MlmAPIView):
    """Your codes, newest first; ``POST`` generates a new one."""

    serializer_class = DistributorVoucherSerializer
    pagination_class = KeysetPagination

    def get_throttles(self):
        return [VoucherGenerateThrottle()] if self.request.method == "POST" else []

    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=page_of(DistributorVoucherSerializer),
        operation_id="vouchers_list",
    )
    def get(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.codes())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=None, responses={201: DistributorVoucherSerializer})
    def post(self, request, *args, **kwargs):
        with refusals():
            dv = services.issue_voucher(member=self.member)
        code = self.codes().get(pk=dv.pk)
        return Response(self.get_serializer(code).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[CODE])
class VoucherDetailView(OwnVouchersMixin, MlmAPIView):
    serializer_class = DistributorVoucherSerializer

    def get(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_code()).data)


@extend_schema(parameters=[CODE], request=None)
class VoucherDeactivateView(OwnVouchersMixin, MlmAPIView):
    """Switch a code off for good; it then answers like an unknown code in the basket."""

    serializer_class = DistributorVoucherSerializer

    def post(self, request, *args, **kwargs):
        dv = self.get_code()
        with refusals():
            services.deactivate_voucher(distributor_voucher=dv, member=self.member)
        return Response(self.get_serializer(self.codes().get(pk=dv.pk)).data)


@extend_schema_view(
    get=extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=page_of(RedemptionSerializer),
        operation_id="vouchers_redemptions_list",
    )
)
class RedemptionListView(OwnVouchersMixin, MlmAPIView):
    """Every use of your codes, newest first."""

    serializer_class = RedemptionSerializer
    pagination_class = KeysetPagination

    def redemptions(self):
        return Redemption.objects.filter(distributor_voucher__issuer=self.member).select_related(
            "distributor_voucher__voucher", "buyer__user"
        )

    def get(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.redemptions())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema_view(
    get=extend_schema(
        parameters=[CODE, *PAGE_PARAMETERS],
        responses=page_of(RedemptionSerializer),
        operation_id="vouchers_code_redemptions_list",
    )
)
class VoucherRedemptionListView(RedemptionListView):
    """The uses of one of your codes, newest first."""

    def redemptions(self):
        return super().redemptions().filter(distributor_voucher=self.get_code())
