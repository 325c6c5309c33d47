"""Staff endpoints on commission periods: list, run or preview, close, and the queued task.

A run or close is long work: the endpoint checks the period at once
(``services.check_runnable`` / ``check_closable``), queues the work as a
django-tasks task (as the dashboard does) and answers 202 with the task's
URL; a worker (``manage.py db_worker``) runs it.
"""

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from oscar.core.loading import get_model
from rest_framework import status
from rest_framework.response import Response

from oscar_mlm.apps.mlm_commissions import services

from ..errors import refusals
from ..pagination import KeysetPagination
from ..permissions import IsStaff
from ..serializers.pages import page_of
from ..serializers.staff import PeriodSerializer, RunRequestSerializer, TaskSerializer
from .base import PAGE_PARAMETERS, MlmAPIView
from .commissions import MONTH, period_of

Period = get_model("mlm_commissions", "CommissionPeriod")


def task_data(request, result):
    try:
        value = result.return_value if result.is_finished else None
    except ValueError:  # failed
        value = {"errors": [error.exception_class_path for error in result.errors]}
    url = reverse("mlm_api:mlm-staff-task-detail", kwargs={"task_id": result.id})
    return {
        "id": result.id,
        "status": str(result.status),
        "enqueued_at": result.enqueued_at,
        "finished_at": result.finished_at,
        "result": value,
        "url": request.build_absolute_uri(url),
    }


@extend_schema_view(
    get=extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=page_of(PeriodSerializer),
        operation_id="staff_periods_list",
    )
)
class StaffPeriodListView(MlmAPIView):
    """Commission periods, newest first."""

    permission_classes = [IsStaff]
    serializer_class = PeriodSerializer
    pagination_class = KeysetPagination

    def get(self, request, *args, **kwargs):
        page = self.paginate_queryset(Period.objects.all())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(parameters=[MONTH])
class StaffPeriodView(MlmAPIView):
    permission_classes = [IsStaff]
    serializer_class = PeriodSerializer

    def get(self, request, *args, **kwargs):
        return Response(self.get_serializer(period_of(self.kwargs["month"])).data)


@extend_schema(parameters=[MONTH], responses={202: TaskSerializer})
class StaffPeriodRunView(MlmAPIView):
    """Queue a run (or a preview, which writes nothing) of an open period."""

    permission_classes = [IsStaff]
    serializer_class = RunRequestSerializer

    def post(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with refusals("month"):
            period = services.month_period(self.kwargs["month"])
            services.check_runnable(period)
        result = services.queue_run(period, preview=ser.validated_data["preview"])
        return Response(task_data(request, result), status=status.HTTP_202_ACCEPTED)


@extend_schema(parameters=[MONTH], request=None, responses={202: TaskSerializer})
class StaffPeriodCloseView(MlmAPIView):
    """Queue the close of a period that has ended (the earlier ones closed first)."""

    permission_classes = [IsStaff]
    serializer_class = TaskSerializer

    def post(self, request, *args, **kwargs):
        period = period_of(self.kwargs["month"])
        with refusals("month"):
            result = services.queue_close(period, user=request.user)
        return Response(task_data(request, result), status=status.HTTP_202_ACCEPTED)


@extend_schema(parameters=[OpenApiParameter("task_id", str, OpenApiParameter.PATH)])
class StaffTaskView(MlmAPIView):
    """A queued run or close: its status and, when finished, its result."""

    permission_classes = [IsStaff]
    serializer_class = TaskSerializer

    def get(self, request, *args, **kwargs):
        from django_tasks import default_task_backend
        from django_tasks.exceptions import TaskResultDoesNotExist

        try:
            result = default_task_backend.get_result(self.kwargs["task_id"])
        except (TaskResultDoesNotExist, ValueError):
            raise Http404 from None
        return Response(self.get_serializer(task_data(request, result)).data)
