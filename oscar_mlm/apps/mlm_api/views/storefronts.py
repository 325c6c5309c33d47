"""Storefronts: the owner's theme settings, and the public profile of a handle."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from oscar.core.loading import get_model
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from oscar_mlm.apps.mlm_storefront import services
from oscar_mlm.apps.mlm_storefront.abstract_models import THEME_FIELDS
from oscar_mlm.apps.mlm_storefront.links import customer_link

from ..errors import refusals
from ..permissions import IsDistributor
from ..serializers.storefronts import PublicStorefrontSerializer, StorefrontSettingsSerializer
from ..storefront import find_storefront
from .base import MlmAPIView

Storefront = get_model("mlm_storefront", "Storefront")


class StorefrontSettingsView(MlmAPIView):
    """Your storefront's theme (distributors): read, and change as on the web form.

    The photo is uploaded as ``multipart/form-data`` and must be a JPEG, PNG or
    WebP within ``OSCAR_MLM_STOREFRONT_PHOTO_MAX_BYTES`` and
    ``OSCAR_MLM_STOREFRONT_PHOTO_MAX_PIXELS``; ``clear_photo`` removes it.
    """

    permission_classes = [IsDistributor]
    serializer_class = StorefrontSettingsSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_object(self):
        return Storefront.objects.filter(member=self.member).first() or Storefront(
            member=self.member
        )

    def get(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_object()).data)

    def patch(self, request, *args, **kwargs):
        ser = self.get_serializer(self.get_object(), data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        values = {name: data[name] for name in THEME_FIELDS if name in data}
        if data.get("clear_photo") and "photo" not in values:
            values["photo"] = ""
        with refusals():
            storefront = services.update_storefront(member=self.member, **values)
        return Response(self.get_serializer(storefront).data)


@extend_schema(
    parameters=[OpenApiParameter("handle", str, OpenApiParameter.PATH)],
    auth=[],
)
class PublicStorefrontView(MlmAPIView):
    """A storefront's public profile: only what its customer link shows. No login needed.

    Unknown, hidden and inactive storefronts answer 404; a renamed handle
    answers with the storefront it forwards to.
    """

    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = PublicStorefrontSerializer

    def get(self, request, *args, **kwargs):
        storefront = find_storefront(self.kwargs["handle"])
        if storefront is None:
            raise Http404
        data = dict(storefront.visible_theme())
        if "photo" in data:
            photo = data["photo"]
            data["photo"] = request.build_absolute_uri(photo.url) if photo else None
        data["handle"] = storefront.handle
        data["url"] = customer_link(request, storefront.handle)
        return Response(self.get_serializer(data).data)
