"""Members as the API shows them: the public part, and the privacy rule of the structure.

A distributor sees name, kind, status, level and join date of everyone in
their downline, but contact data (e-mail address, telephone, postal address)
only as :mod:`oscar_mlm.apps.mlm_network.privacy` allows: their own first line,
which holds their own customers (``OSCAR_MLM_NETWORK_CONTACT_DATA``), the rule
of the partner back office. Their own node shows their own e-mail address.
"""

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from oscar_mlm.apps.mlm_network import privacy


def node_context(viewer, members):
    """The serializer context of a page of ``members`` for ``viewer``: the contacts it may
    see, looked up in one go."""
    return {"viewer": viewer, "contacts": privacy.contacts(viewer, members)}


class PublicMemberSerializer(serializers.Serializer):
    """What anyone in the network may know of a member: a sponsor, the upline path."""

    id = serializers.IntegerField(read_only=True, help_text=_("Member number."))
    name = serializers.CharField(source="display_name", read_only=True)
    kind = serializers.CharField(read_only=True, help_text="company, distributor or customer")
    handle = serializers.CharField(read_only=True, allow_null=True)


class UplineMemberSerializer(PublicMemberSerializer):
    level = serializers.IntegerField(read_only=True, help_text=_("Levels above: 1 = sponsor."))


class NodeSerializer(PublicMemberSerializer):
    """A member of the viewer's downline (``context["viewer"]``: the viewer's member)."""

    status = serializers.CharField(read_only=True, help_text="active or inactive")
    joined = serializers.DateTimeField(read_only=True)
    sponsor_id = serializers.IntegerField(source="parent_id", read_only=True)
    level = serializers.SerializerMethodField(help_text=_("Levels below the viewer."))
    email = serializers.SerializerMethodField(
        help_text=_("Only for the viewer's own first line (and own customers); else null.")
    )
    phone = serializers.SerializerMethodField(
        help_text=_("Like the e-mail address: only where the privacy rule allows; else null.")
    )
    address = serializers.SerializerMethodField(
        help_text=_("The lines of the postal address, where the privacy rule allows; else null.")
    )

    def get_level(self, member) -> int | None:
        return getattr(member, "level", None)

    def contact(self, member):
        viewer = self.context.get("viewer")
        if viewer is not None and member.pk == viewer.pk and member.user_id:
            return privacy.Contact(email=member.user.email or "")  # one's own address
        contacts = self.context.get("contacts")
        if contacts is None:
            return privacy.contact(viewer, member)
        return contacts.get(member.pk)

    def get_email(self, member) -> str | None:
        contact = self.contact(member)
        return (contact.email or None) if contact else None

    def get_phone(self, member) -> str | None:
        contact = self.contact(member)
        return (contact.phone or None) if contact else None

    def get_address(self, member) -> list[str] | None:
        contact = self.contact(member)
        return (list(contact.address) or None) if contact else None


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    first_name = serializers.CharField(source="user.first_name", read_only=True)
    last_name = serializers.CharField(source="user.last_name", read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)
    kind = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    handle = serializers.CharField(read_only=True, allow_null=True)
    sponsor_id_display = serializers.CharField(
        read_only=True, help_text=_("What people type as your sponsor id.")
    )
    joined = serializers.DateTimeField(read_only=True)
    sponsor = PublicMemberSerializer(source="parent", read_only=True, allow_null=True)
    customer_link = serializers.SerializerMethodField()
    partner_link = serializers.SerializerMethodField()

    def _link(self, member, which):
        if not (member.is_distributor and member.handle):
            return None
        if not apps.is_installed("oscar_mlm.apps.mlm_storefront"):
            return None
        from oscar_mlm.apps.mlm_storefront import links

        return getattr(links, which)(self.context["request"], member.handle)

    def get_customer_link(self, member) -> str | None:
        return self._link(member, "customer_link")

    def get_partner_link(self, member) -> str | None:
        return self._link(member, "distributor_link")


class LevelCountSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    count = serializers.IntegerField()


class StructureSerializer(serializers.Serializer):
    member = NodeSerializer()
    sponsor = PublicMemberSerializer(allow_null=True)
    first_line = serializers.IntegerField(help_text=_("Members in the first line."))
    downline = serializers.IntegerField(help_text=_("Members below, all levels."))
    levels = LevelCountSerializer(many=True)
