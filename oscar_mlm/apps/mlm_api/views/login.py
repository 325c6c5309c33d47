"""django-oscar-api override (``OSCARAPI_OVERRIDE_MODULES``): its registration stays closed.

oscarapi's registration creates users without a sponsor; in a network every
person joins through one. People sign up through ``mlm_api``'s sign-up
endpoint, whatever ``OSCARAPI_ENABLE_REGISTRATION`` says.
"""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from oscarapi.views import login
from rest_framework import status
from rest_framework.response import Response

__all__ = ["RegistrationView"]


@extend_schema(exclude=True)
class RegistrationView(login.RegistrationView):
    def post(self, request, *args, **kwargs):
        try:
            url = request.build_absolute_uri(reverse("mlm_api:mlm-signup-create"))
        except NoReverseMatch:
            url = ""
        detail = _("Sign up with a sponsor: %(url)s") % {"url": url} if url else _(
            "Sign-up through the API is closed."
        )
        return Response({"detail": detail}, status=status.HTTP_403_FORBIDDEN)
