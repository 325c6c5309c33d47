"""Staff endpoints on members: create with a sponsor, reassign, promote, (de)activate.

The same forms' rules and the same services as the dashboard pages
(``mlm_dashboard.forms``, ``mlm_network.services``); every change is audited
with the staff user. Staff only (``is_staff``).
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from oscar.core.loading import get_model
from rest_framework import status
from rest_framework.response import Response

from oscar_mlm.apps.mlm_network import services
from oscar_mlm.core.loading import get_class
from oscar_mlm.parsing import parse_id

from ..errors import form_errors, refusals
from ..permissions import IsStaff
from ..serializers.staff import (
    DeactivateSerializer,
    PromoteSerializer,
    ReassignSerializer,
    SponsorChangeSerializer,
    StaffMemberSerializer,
    StaffPersonSerializer,
)
from .base import MlmAPIView

Member = get_model("mlm_network", "Member")
SponsorChange = get_model("mlm_network", "SponsorChange")
MemberCreateForm = get_class("mlm_dashboard.forms", "MemberCreateForm")
ReassignForm = get_class("mlm_dashboard.forms", "ReassignForm")
PromoteForm = get_class("mlm_dashboard.forms", "PromoteForm")
DeactivateForm = get_class("mlm_dashboard.forms", "DeactivateForm")

MEMBER = OpenApiParameter("id", str, OpenApiParameter.PATH, description="Member number.")


def valid_form(form_class, data):
    form = form_class(data=data)
    if not form.is_valid():
        raise form_errors(form)
    return form.cleaned_data


class StaffMemberCreateView(MlmAPIView):
    """Enter a person below a sponsor (the dashboard's *Add a person*); they get an e-mail."""

    permission_classes = [IsStaff]
    serializer_class = StaffPersonSerializer

    @extend_schema(responses={201: StaffMemberSerializer})
    def post(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = valid_form(MemberCreateForm, ser.validated_data)
        with refusals():
            member = services.create_person(
                email=data["email"],
                sponsor=data["sponsor_id"],
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                kind=data["kind"],
                handle=data.get("handle") or None,
                created_by=request.user,
                source=SponsorChange.STAFF,
            )
        return Response(StaffMemberSerializer(member).data, status=status.HTTP_201_CREATED)


class StaffMemberMixin:
    permission_classes = [IsStaff]

    def get_member(self):
        pk = parse_id(self.kwargs["id"])
        member = (
            Member.objects.select_related("user", "parent__user").filter(pk=pk).first()
            if pk is not None
            else None
        )
        if member is None or member.is_company:
            raise Http404
        return member


@extend_schema(parameters=[MEMBER])
class StaffMemberView(StaffMemberMixin, MlmAPIView):
    serializer_class = StaffMemberSerializer

    def get(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_member()).data)


@extend_schema(parameters=[MEMBER], responses=StaffMemberSerializer)
class StaffReassignView(StaffMemberMixin, MlmAPIView):
    """Move a member (with their downline) below another sponsor; audited with the reason."""

    serializer_class = ReassignSerializer

    def post(self, request, *args, **kwargs):
        member = self.get_member()
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = valid_form(ReassignForm, ser.validated_data)
        with refusals("sponsor_id"):
            services.assign_sponsor(
                member=member,
                new_sponsor=data["sponsor_id"],
                changed_by=request.user,
                reason=data["reason"],
                source=SponsorChange.STAFF,
            )
        return Response(StaffMemberSerializer(self.get_member()).data)


@extend_schema(parameters=[MEMBER], responses=StaffMemberSerializer)
class StaffPromoteView(StaffMemberMixin, MlmAPIView):
    """Make a customer a distributor with a storefront handle."""

    serializer_class = PromoteSerializer

    def post(self, request, *args, **kwargs):
        member = self.get_member()
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = valid_form(PromoteForm, ser.validated_data)
        with refusals("handle"):
            member = services.promote_to_distributor(
                member=member, handle=data["handle"], changed_by=request.user
            )
        return Response(StaffMemberSerializer(self.get_member()).data)


@extend_schema(parameters=[MEMBER], responses=SponsorChangeSerializer)
class StaffDeactivateView(StaffMemberMixin, MlmAPIView):
    """Deactivate a member; their first line is handled per settings (roll-up)."""

    serializer_class = DeactivateSerializer

    def post(self, request, *args, **kwargs):
        member = self.get_member()
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = valid_form(DeactivateForm, ser.validated_data)
        with refusals():
            moves = services.deactivate(
                member=member, changed_by=request.user, reason=data["reason"]
            )
        data = {"member": self.get_member(), "moved": [move.member for move in moves]}
        return Response(SponsorChangeSerializer(data).data)


@extend_schema(parameters=[MEMBER], request=None, responses=StaffMemberSerializer)
class StaffReactivateView(StaffMemberMixin, MlmAPIView):
    serializer_class = StaffMemberSerializer

    def post(self, request, *args, **kwargs):
        member = self.get_member()
        with refusals():
            services.reactivate(member=member, changed_by=request.user)
        return Response(self.get_serializer(self.get_member()).data)
