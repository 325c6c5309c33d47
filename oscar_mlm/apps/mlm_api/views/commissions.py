"""A distributor's volumes (live), commission statements and their lines with the reasons,
the statement as CSV and PDF, and the tax details its credit note needs.

Reads go through ``mlm_commissions``' own reads: ``volumes.member_volumes``
and ``group_volume`` for the live figures, ``services.statement_for``,
``lines_for`` and ``explain_line`` for the statements of a run. The files are
the account area's (``statement_csv_response``, ``pdf_response``), byte for
byte; the tax details are saved by ``services.save_tax_profile``, as the
account area's form saves them.
"""

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from oscar.core.loading import get_model
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from oscar_mlm.apps.mlm_commissions import estimates, services, volumes
from oscar_mlm.apps.mlm_commissions.exceptions import CommissionError, InvalidTaxProfile
from oscar_mlm.apps.mlm_commissions.statement_views import (
    TAX_PROFILE_FIELDS,
    pdf_response,
    statement_csv_response,
    tax_profile_initial,
)
from oscar_mlm.conf import get_setting
from oscar_mlm.money import shop_currencies

from ..errors import field_error, refusals
from ..pagination import KeysetPagination, OldestFirstPagination
from ..permissions import IsDistributor
from ..serializers.commissions import (
    StatementLineSerializer,
    StatementSerializer,
    TaxDetailsSerializer,
    VolumesSerializer,
)
from ..serializers.pages import page_of
from .base import PAGE_PARAMETERS, MlmAPIView

Statement = get_model("mlm_commissions", "CommissionStatement")
Period = get_model("mlm_commissions", "CommissionPeriod")

MONTH = OpenApiParameter("month", str, OpenApiParameter.PATH, description="YYYY-MM")


def period_of(month):
    """The stored period of ``month`` (YYYY-MM), or 404."""
    try:
        return services.month_period(month, create=False)
    except CommissionError:
        raise Http404 from None


@extend_schema(
    parameters=[
        OpenApiParameter("period", str, description="YYYY-MM; default: this month."),
        OpenApiParameter("currency", str, description="Default: the shop's currency."),
    ]
)
class VolumeView(MlmAPIView):
    """Your volumes of a month, live: personal, own, end-customer and group (per level),
    and the commission they would pay so far (an estimate; the period's run pays)."""

    permission_classes = [IsDistributor]
    serializer_class = VolumesSerializer

    def get(self, request, *args, **kwargs):
        month = request.query_params.get("period") or timezone.localdate().strftime("%Y-%m")
        with refusals("period"):
            start = services.parse_month(month)
        end = services.next_month(start)
        currency = request.query_params.get("currency") or settings.OSCAR_DEFAULT_CURRENCY
        if currency not in shop_currencies():
            raise ValidationError({"currency": [_("Not one of the shop's currencies.")]})
        figures = volumes.member_volumes(self.member, start, end, currency=currency)
        group = volumes.group_volume(
            self.member,
            start,
            end,
            currency=currency,
            max_levels=int(get_setting("OSCAR_MLM_COMMISSION_LEVELS")),
        )
        data = {
            "period": start.strftime("%Y-%m"),
            "currency": currency,
            "personal_volume": figures.personal,
            "own_volume": figures.own,
            "end_customer_volume": figures.end_customer,
            "group_volume": group.total,
            "group_volume_levels": [
                {"level": level, "volume": volume} for level, volume in sorted(group.levels.items())
            ],
            # What the back office estimates: the plan's rates on these live volumes.
            "estimate": estimates.estimate_commission(
                self.member,
                estimates.Period(start, end),
                own_volume=figures.own,
                currency=currency,
            ),
        }
        return Response(self.get_serializer(data).data)


class StatementsMixin:
    permission_classes = [IsDistributor]

    def statements(self):
        return Statement.objects.filter(member=self.member).select_related("period")

    def get_statement(self):
        period = period_of(self.kwargs["month"])
        statement = services.statement_for(period, self.member)
        if statement is None:
            raise Http404
        return statement


@extend_schema_view(
    get=extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=page_of(StatementSerializer),
        operation_id="commissions_statements_list",
    )
)
class StatementListView(StatementsMixin, MlmAPIView):
    """Your commission statements, newest period first."""

    serializer_class = StatementSerializer
    pagination_class = KeysetPagination

    def get(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.statements())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(parameters=[MONTH])
class StatementView(StatementsMixin, MlmAPIView):
    """Your statement of one period (YYYY-MM)."""

    serializer_class = StatementSerializer

    def get(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_statement()).data)


@extend_schema(
    parameters=[MONTH, *PAGE_PARAMETERS], responses=page_of(StatementLineSerializer)
)
class StatementLineListView(StatementsMixin, MlmAPIView):
    """The lines of your statement: every order that paid you or could have, and why not."""

    serializer_class = StatementLineSerializer
    pagination_class = OldestFirstPagination

    def get(self, request, *args, **kwargs):
        statement = self.get_statement()
        lines = services.lines_for(statement.period, self.member).select_related(
            "period__plan", "order", "passed_to__user", "corrects"
        )
        page = self.paginate_queryset(lines)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class FileRenderer(BaseRenderer):
    """Lets a client ask for the file by its type (``Accept: text/csv``) instead of a 406.

    The file views answer with the account area's ready response; only a
    refusal (401, 403, 404) is rendered here, as JSON.
    """

    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data)


class CsvRenderer(FileRenderer):
    media_type = "text/csv"
    format = "csv"


class PdfRenderer(FileRenderer):
    media_type = "application/pdf"
    format = "pdf"


# The file is the only answer: no ``?format=`` to choose one.
FILE_PARAMETERS = [MONTH, OpenApiParameter("format", exclude=True)]


@extend_schema_view(
    get=extend_schema(
        parameters=FILE_PARAMETERS,
        responses={(200, "text/csv"): OpenApiTypes.BINARY},
        operation_id="commissions_statements_csv_retrieve",
    )
)
class StatementCsvView(StatementsMixin, MlmAPIView):
    """Your statement as CSV: its figures, then every line with why it was paid or not
    (the account area's file)."""

    renderer_classes = [JSONRenderer, CsvRenderer]

    def get(self, request, *args, **kwargs):
        return statement_csv_response(self.get_statement())


@extend_schema_view(
    get=extend_schema(
        parameters=FILE_PARAMETERS,
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        operation_id="commissions_statements_pdf_retrieve",
    )
)
class StatementPdfView(StatementsMixin, MlmAPIView):
    """Your statement as PDF: the credit note once the period is closed and your tax
    details are saved, else the statement (the account area's file)."""

    renderer_classes = [JSONRenderer, PdfRenderer]

    def get(self, request, *args, **kwargs):
        return pdf_response(self.get_statement())


class TaxDetailsView(MlmAPIView):
    """Your tax details for credit notes: tax status, name, address, tax number, VAT id.

    Until they are saved, ``saved`` is false and the fields hold what the
    account area's form starts with. ``PUT`` saves all fields, ``PATCH`` the
    ones sent; saving issues the credit notes that waited for them.
    """

    permission_classes = [IsDistributor]
    serializer_class = TaxDetailsSerializer

    def details(self):
        return {
            **dict.fromkeys(TAX_PROFILE_FIELDS, ""),
            **tax_profile_initial(self.member),
            "saved": services.tax_profile_of(self.member) is not None,
        }

    def get(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.details()).data)

    def put(self, request, *args, **kwargs):
        return self.save(request, partial=False)

    def patch(self, request, *args, **kwargs):
        return self.save(request, partial=True)

    def save(self, request, partial):
        serializer = self.get_serializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        fields = {name: value for name, value in self.details().items()
                  if name in TAX_PROFILE_FIELDS} if partial else {}
        fields.update(serializer.validated_data)
        try:
            services.save_tax_profile(self.member, **fields)
        except InvalidTaxProfile as exc:
            raise field_error(str(exc.message),
                              exc.field if exc.field in serializer.fields else None) from exc
        return Response(self.get_serializer(self.details()).data)
