from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .network import PublicMemberSerializer


class SignupSerializer(serializers.Serializer):
    """A sign-up: the sponsor comes from the storefront (host, ``X-Storefront`` header or
    ``storefront``), else from ``sponsor_id`` where the company site allows it."""

    email = serializers.EmailField()
    password = serializers.CharField(
        write_only=True, style={"input_type": "password"}, max_length=128
    )
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    storefront = serializers.CharField(
        required=False,
        max_length=63,
        help_text=_("The handle of the storefront the person signs up on."),
    )
    link = serializers.ChoiceField(
        choices=[("customer", "customer"), ("partner", "partner")],
        default="customer",
        help_text=_("Which link of the storefront: the customer link or the partner link."),
    )
    sponsor_id = serializers.CharField(
        required=False,
        max_length=63,
        help_text=_("The sponsor's handle or member number (company site, policy sponsor_id)."),
    )
    handle = serializers.CharField(
        required=False,
        max_length=63,
        help_text=_("A new distributor's storefront name (partner link only)."),
    )


class SignedUpSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField(source="user.email")
    kind = serializers.CharField()
    handle = serializers.CharField(allow_null=True)
    sponsor = PublicMemberSerializer(source="parent")


class PersonSerializer(serializers.Serializer):
    """A person entered by a distributor (internal sign-up) or by staff."""

    email = serializers.EmailField()
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    kind = serializers.ChoiceField(
        choices=[("customer", "customer"), ("distributor", "distributor")], default="customer"
    )
    handle = serializers.CharField(required=False, allow_blank=True, max_length=63)
