"""Sign-up through the API: the web's rules and refusals, through the web's own form.

The sign-up form of ``mlm_network`` (Oscar's registration form plus the
sponsor) validates and saves, so e-mail, password and handle rules are the
web's; who becomes the sponsor is decided by ``services.sign_up``, the one
sign-up precedence, fed by the request's sign-up resolvers. A headless
storefront names itself (``X-Storefront`` header or ``storefront``), which
makes the request one on that storefront for the resolvers. Where neither a
storefront nor the company's sponsor-id policy lets people join, sign-up is
closed (403), as on the web. django-oscar-api's own registration creates users
without a sponsor and stays closed (``views.login``).
"""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from oscar.apps.customer.signals import user_registered
from oscar.core.loading import get_class
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from oscar_mlm.apps.mlm_network.signup import COMPANY_SIGNUP_NONE, company_policy, resolve_signup
from oscar_mlm.core.loading import get_class as get_mlm_class
from oscar_mlm.exceptions import MlmError

from ..errors import field_error, form_errors
from ..serializers.signup import SignedUpSerializer, SignupSerializer
from ..storefront import apply_storefront
from ..throttles import SignupThrottle
from .base import MlmAPIView

SignupForm = get_mlm_class("mlm_network.forms", "SignupForm")
CustomerDispatcher = get_class("customer.utils", "CustomerDispatcher")

CLOSED = _("New customers and partners join through the person who recommended us.")
RENAMED = {"password1": "password", "password2": "password"}


class SignupView(MlmAPIView):
    """Sign up with a sponsor: on a storefront, or with a sponsor id where allowed."""

    permission_classes = [AllowAny]
    authentication_classes = []  # a sign-up is anonymous; no session, no CSRF
    throttle_classes = [SignupThrottle]
    serializer_class = SignupSerializer

    @extend_schema(responses={201: SignedUpSerializer})
    def post(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        apply_storefront(request, data, link=data["link"])
        signup = resolve_signup(request)
        if signup is None and company_policy() == COMPANY_SIGNUP_NONE:
            raise PermissionDenied(CLOSED)
        form = SignupForm(
            data={
                "email": data["email"],
                "first_name": data.get("first_name", ""),
                "last_name": data.get("last_name", ""),
                "password1": data["password"],
                "password2": data["password"],
                "sponsor_id": data.get("sponsor_id", ""),
                "handle": data.get("handle", ""),
            },
            signup=signup,
            host=request.get_host(),
            names_required=False,
        )
        if not form.is_valid():
            raise form_errors(form, RENAMED)
        try:
            with transaction.atomic():
                user = form.save()
        except MlmError as exc:
            raise field_error(str(exc.message), "sponsor_id" if signup is None else None) from exc
        # What Oscar's registration does after saving (RegisterUserMixin.register_user).
        user_registered.send_robust(sender=self, request=request._request, user=user)
        if getattr(settings, "OSCAR_SEND_REGISTRATION_EMAIL", True):
            CustomerDispatcher().send_registration_email_for_user(
                user, {"user": user, "request": request._request}
            )
        member = user.mlm_member
        return Response(SignedUpSerializer(member).data, status=status.HTTP_201_CREATED)
