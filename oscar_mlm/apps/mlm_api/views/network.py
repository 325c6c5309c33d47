"""Me and the structure: the member's profile, first line, downline, upline and levels.

A distributor reads their own structure (``me``) and that of any member of
their downline by member number; every other number answers 404, whether it
exists or not. Both rules, whom and how much, are
:mod:`oscar_mlm.apps.mlm_network.privacy`'s, as in the back office.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from oscar.core.loading import get_model
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from oscar_mlm.apps.mlm_network import privacy, services, tree
from oscar_mlm.conf import get_setting
from oscar_mlm.core.loading import get_class
from oscar_mlm.parsing import parse_id

from ..errors import form_errors, refusals
from ..pagination import DownlinePagination, OldestFirstPagination, page_size
from ..permissions import IsDistributor, IsMember
from ..serializers.network import (
    LevelCountSerializer,
    MeSerializer,
    NodeSerializer,
    StructureSerializer,
    UplineMemberSerializer,
    node_context,
)
from ..serializers.pages import page_of
from ..serializers.signup import PersonSerializer
from .base import PAGE_PARAMETERS, MlmAPIView

Member = get_model("mlm_network", "Member")
SponsorChange = get_model("mlm_network", "SponsorChange")
PersonForm = get_class("mlm_network.forms", "PersonForm")

MEMBER = OpenApiParameter(
    "member",
    str,
    OpenApiParameter.PATH,
    description="`me`, or the member number of someone in your downline.",
)


class MeView(MlmAPIView):
    """The logged-in member: profile, kind, handle, sponsor (its public part), links."""

    permission_classes = [IsMember]
    serializer_class = MeSerializer

    def get(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.member).data)


class StructureMixin:
    permission_classes = [IsDistributor]

    def get_target(self):
        """The member the URL names: the viewer, or someone in the viewer's downline."""
        value = self.kwargs["member"]
        viewer = self.member
        if value == "me":
            viewer.level = 0
            return viewer
        # The back office's rule: not in the viewer's downline is as if it did not exist.
        target = privacy.downline_member(viewer, value)
        if target is None:
            raise Http404
        return target

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "viewer": self.member}

    def nodes(self, members):
        """``members`` as nodes, with the contacts the viewer may see looked up at once."""
        context = {**self.get_serializer_context(), **node_context(self.member, members)}
        return NodeSerializer(members, many=True, context=context).data


@extend_schema(parameters=[MEMBER])
class StructureView(StructureMixin, MlmAPIView):
    """A member of your structure with its sponsor, first-line and downline size and levels."""

    serializer_class = StructureSerializer

    def get(self, request, *args, **kwargs):
        target = self.get_target()
        levels = tree.level_counts(target, via_sponsors=True)
        sponsor = target.parent if target.parent_id else None
        data = {
            "member": target,
            "sponsor": sponsor,
            "first_line": levels[0][1] if levels else 0,
            "downline": sum(count for _level, count in levels),
            "levels": [{"level": level, "count": count} for level, count in levels],
        }
        return Response(self.get_serializer(data).data)


@extend_schema(parameters=[MEMBER, *PAGE_PARAMETERS], responses=page_of(NodeSerializer))
class FirstLineView(StructureMixin, MlmAPIView):
    """The first line (direct recruits) of a member, oldest first, keyset-paginated.

    ``POST`` on your own (``me``) is the internal sign-up: you enter a new
    customer or partner, who lands in your first line and gets an e-mail to
    set a password (``OSCAR_MLM_INTERNAL_SIGNUP_KINDS``).
    """

    serializer_class = NodeSerializer
    pagination_class = OldestFirstPagination

    def get_queryset(self):
        target = self.get_target()
        self.level_offset = target.level + 1
        return Member.objects.filter(parent=target).select_related("user")

    def get(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        for member in page:
            member.level = self.level_offset
        return self.get_paginated_response(self.nodes(page))

    @extend_schema(request=PersonSerializer, responses={201: NodeSerializer})
    def post(self, request, *args, **kwargs):
        target = self.get_target()
        viewer = self.member
        kinds = tuple(get_setting("OSCAR_MLM_INTERNAL_SIGNUP_KINDS") or ())
        if target.pk != viewer.pk or not kinds or not viewer.is_active:
            raise PermissionDenied(_("Only active distributors can enter new people."))
        ser = PersonSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        form = PersonForm(data=ser.validated_data, kinds=kinds)
        if not form.is_valid():
            raise form_errors(form)
        data = form.cleaned_data
        with refusals():
            person = services.create_person(
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                kind=data["kind"],
                handle=data["handle"] or None,
                sponsor=viewer,
                created_by=request.user,
                source=SponsorChange.INTERNAL,
            )
        person.level = 1
        return Response(self.get_serializer(person).data, status=status.HTTP_201_CREATED)


def level_parameter(name, description):
    return OpenApiParameter(name, int, OpenApiParameter.QUERY, description=description)


def parse_level(request, name):
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    value = parse_id(raw)
    if value is None or value > tree.MAX_DEPTH:
        raise ValidationError({name: ["A level from 1 on."]})
    return value


@extend_schema(
    parameters=[
        MEMBER,
        level_parameter("max_depth", "Only levels 1 to this (relative to the member)."),
        level_parameter("level", "Only this level (relative to the member)."),
        *PAGE_PARAMETERS,
    ],
    responses=page_of(NodeSerializer),
)
class DownlineView(StructureMixin, MlmAPIView):
    """Everyone below a member, level by level (then by member number), keyset-paginated."""

    serializer_class = NodeSerializer

    def get(self, request, *args, **kwargs):
        target = self.get_target()
        pages = DownlinePagination()
        after = pages.parse(request)
        max_depth, level = parse_level(request, "max_depth"), parse_level(request, "level")
        rows = tree.downline_page(
            target, after=after, limit=page_size(request) + 1, max_depth=max_depth, level=level
        )
        for row in rows:
            row.level += target.level
        data = self.nodes(rows)
        return pages.response(rows, data)


@extend_schema(parameters=[MEMBER], responses=UplineMemberSerializer(many=True))
class UplineView(StructureMixin, MlmAPIView):
    """The path up from a member: its sponsor first, up to you (for ``me``: to the company)."""

    serializer_class = UplineMemberSerializer

    def get(self, request, *args, **kwargs):
        target = self.get_target()
        path = tree.upline(target, max_depth=target.level or None)
        return Response(self.get_serializer(path, many=True).data)


@extend_schema(parameters=[MEMBER], responses=LevelCountSerializer(many=True))
class LevelsView(StructureMixin, MlmAPIView):
    """How many members sit on each level below a member."""

    serializer_class = LevelCountSerializer

    def get(self, request, *args, **kwargs):
        levels = tree.level_counts(self.get_target(), via_sponsors=True)
        data = [{"level": level, "count": count} for level, count in levels]
        return Response(self.get_serializer(data, many=True).data)
