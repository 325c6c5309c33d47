from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views import generic
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_network.mixins import CurrentMemberMixin
from oscar_mlm.core.loading import get_class
from oscar_mlm.exceptions import MlmError

from . import services
from .context import DISTRIBUTOR
from .links import customer_link, distributor_link
from .middleware import set_mode

StorefrontForm = get_class("mlm_storefront.forms", "StorefrontForm")
Storefront = get_model("mlm_storefront", "Storefront")


class OpportunityView(generic.TemplateView):
    """The partner link (``/join/`` on a storefront): the business opportunity.

    Entering here switches the visit to the partner link: the shop then also
    offers the opportunity and the partner sign-up.
    """

    template_name = "oscar_mlm/mlm_storefront/opportunity.html"

    def dispatch(self, request, *args, **kwargs):
        # The company site has no competing partner sign-up page.
        if getattr(request, "storefront", None) is None:
            raise Http404("No storefront")
        set_mode(request, DISTRIBUTOR)
        return super().dispatch(request, *args, **kwargs)


class StorefrontEditView(CurrentMemberMixin, generic.UpdateView):
    """A distributor edits their storefront in the account area."""

    template_name = "oscar_mlm/mlm_storefront/edit.html"
    form_class = StorefrontForm
    distributors_only = True

    def refuse(self, request):
        return self.render_to_response(
            {"not_distributor": True, "active_tab": "storefront"}, status=403
        )

    def get_object(self, queryset=None):
        return Storefront.objects.filter(member=self.member).first() or Storefront(
            member=self.member
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        handle = self.member.handle
        ctx.update(
            {
                "active_tab": "storefront",
                "page_title": _("My storefront"),
                "member": self.member,
                "locked": self.object.is_locked,
                "customer_link": customer_link(self.request, handle),
                "distributor_link": distributor_link(self.request, handle),
            }
        )
        return ctx

    def form_valid(self, form):
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.update_storefront(member=self.member, **values)
        except MlmError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Your storefront was saved."))
        return redirect("mlm_storefront:mlm-storefront-edit")
