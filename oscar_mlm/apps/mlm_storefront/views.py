from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import generic
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_network.mixins import CurrentMemberMixin
from oscar_mlm.apps.mlm_network.signup import (
    COMPANY_SIGNUP_SPONSOR_ID,
    company_policy,
    company_signup_kinds,
    distributors_sign_up_themselves,
)
from oscar_mlm.apps.mlm_network.signup import DISTRIBUTOR as DISTRIBUTOR_KIND
from oscar_mlm.core.loading import get_class
from oscar_mlm.exceptions import MlmError
from oscar_mlm.parsing import clean_text

from . import services
from .context import DISTRIBUTOR
from .finder import MAX_LENGTH, find_consultants, search_terms
from .links import customer_link, distributor_link, storefront_url
from .middleware import set_mode

StorefrontForm = get_class("mlm_storefront.forms", "StorefrontForm")
Storefront = get_model("mlm_storefront", "Storefront")
Member = get_model("mlm_network", "Member")


class OpportunityView(generic.TemplateView):
    """The partner link (``/join/`` on a storefront): the business opportunity.

    Entering here switches the visit to the partner link: the shop then also
    offers the opportunity and the partner sign-up. On the company site the
    page exists only where partners may sign up there with a sponsor id
    (``OSCAR_MLM_COMPANY_SIGNUP_KINDS``); it then leads to that sign-up.
    """

    template_name = "oscar_mlm/mlm_storefront/opportunity.html"

    def dispatch(self, request, *args, **kwargs):
        if getattr(request, "storefront", None) is None:
            # The company site has no competing partner sign-up page, unless the policy
            # lets partners sign up there with their sponsor's id.
            if company_policy() != COMPANY_SIGNUP_SPONSOR_ID or (
                DISTRIBUTOR_KIND not in company_signup_kinds()
            ):
                raise Http404("No storefront")
        else:
            set_mode(request, DISTRIBUTOR)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        storefront = getattr(self.request, "storefront", None)
        ctx["self_signup"] = distributors_sign_up_themselves()
        ctx["on_company_site"] = storefront is None
        ctx["signup_url"] = reverse("customer:register") + (
            "?kind=distributor" if storefront is None else ""
        )
        return ctx


def local_path(value):
    """``value`` if it is a path on this site (``/catalogue/x/``), else ``""``."""
    path = clean_text(value, max_length=500) or ""
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return ""
    return path if url_has_allowed_host_and_scheme(path, allowed_hosts=None) else ""


class FindConsultantView(generic.TemplateView):
    """*Find your consultant* (``/consultants/``): a search that leads to a storefront.

    ``?name=`` searches names and storefront names, ``?place=`` the postcode or
    town a distributor shares; ``?next=/catalogue/...`` is the page the visitor
    came from, which each result's link opens on that storefront.
    """

    template_name = "oscar_mlm/mlm_storefront/find.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        query = self.request.GET
        name, place = query.get("name", ""), query.get("place", "")
        next_path = local_path(query.get("next"))
        searched = bool((name or "").strip() or (place or "").strip())
        results = find_consultants(name=name, place=place) if searched else []
        if searched and not (search_terms(name) or search_terms(place)):
            ctx["search_error"] = _("Please enter at least two letters or digits.")
        ctx.update(
            {
                "name": clean_text(name, max_length=MAX_LENGTH) or "",
                "place": clean_text(place, max_length=MAX_LENGTH) or "",
                "next": next_path,
                "searched": searched,
                "results": [self.result(member, next_path) for member in results],
                "own_consultant": self.own_consultant(next_path),
            }
        )
        return ctx

    def result(self, member, next_path):
        storefront = getattr(member, "storefront", None)
        return {
            "member": member,
            "name": (storefront and storefront.display_name) or member.display_name,
            "storefront": storefront,
            "url": storefront_url(self.request, member.handle, next_path or "/"),
        }

    def own_consultant(self, next_path):
        """A logged-in member's own storefront or their sponsor's: where they shop."""
        user = self.request.user
        if not user.is_authenticated:
            return None
        member = Member.objects.filter(user=user).select_related("parent__user").first()
        if member is None:
            return None
        shop = member if member.is_distributor else member.parent
        if shop is None or not shop.is_distributor or not shop.handle or not shop.is_active:
            return None
        return {
            "member": shop,
            "is_self": shop.pk == member.pk,
            "url": storefront_url(self.request, shop.handle, next_path or "/"),
        }


class WelcomeView(CurrentMemberMixin, generic.TemplateView):
    """A new distributor's first page: both storefront links, the sponsor, the next steps."""

    template_name = "oscar_mlm/mlm_storefront/welcome.html"
    distributors_only = True

    def refuse(self, request):
        return redirect(settings.LOGIN_REDIRECT_URL)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        member, handle = self.member, self.member.handle
        sponsor = member.parent
        ctx.update(
            {
                "active_tab": "storefront",
                "page_title": _("Welcome"),
                "member": member,
                "sponsor": sponsor if sponsor is not None and not sponsor.is_company else None,
                "customer_link": customer_link(self.request, handle) if handle else "",
                "distributor_link": distributor_link(self.request, handle) if handle else "",
            }
        )
        return ctx


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
