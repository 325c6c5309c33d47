"""The one way account-area views find "the member of the logged-in user"."""

from django.core.exceptions import PermissionDenied
from oscar.core.loading import get_model

Member = get_model("mlm_network", "Member")


class CurrentMemberMixin:
    """Sets ``self.member`` to the logged-in user's member record before ``dispatch``.

    Users without one (and customers, when ``distributors_only``) get
    ``refuse()``, which each view answers in its own way (a page, a 403).
    """

    distributors_only = False

    def get_current_member(self):
        return Member.objects.filter(user_id=self.request.user.pk).first()

    def dispatch(self, request, *args, **kwargs):
        self.member = self.get_current_member()
        if self.member is None or (self.distributors_only and not self.member.is_distributor):
            return self.refuse(request)
        return super().dispatch(request, *args, **kwargs)

    def refuse(self, request):
        raise PermissionDenied
