"""Who may call an endpoint, in django-oscar-api's style (``IsAuthenticated`` subclasses).

The member of the logged-in user is looked up once per request and kept on
it: views read it as ``request.mlm_member``.
"""

from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from rest_framework.permissions import IsAdminUser, IsAuthenticated

Member = get_model("mlm_network", "Member")


def current_member(request):
    if not hasattr(request, "mlm_member"):
        user = request.user
        request.mlm_member = (
            Member.objects.filter(user_id=user.pk).select_related("user", "parent").first()
            if user.is_authenticated
            else None
        )
    return request.mlm_member


class IsMember(IsAuthenticated):
    """A logged-in user with a place in the network (customer or distributor)."""

    message = _("Only members of the network can do this.")

    def has_permission(self, request, view):
        return super().has_permission(request, view) and current_member(request) is not None


class IsDistributor(IsMember):
    message = _("Only distributors can do this.")

    def has_permission(self, request, view):
        return super().has_permission(request, view) and request.mlm_member.is_distributor


class IsActiveDistributor(IsDistributor):
    message = _("Only active distributors can do this.")

    def has_permission(self, request, view):
        return super().has_permission(request, view) and request.mlm_member.is_active


class IsStaff(IsAdminUser):
    """Staff (``is_staff``), as for Oscar's dashboard."""

    message = _("Only staff can do this.")
