from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import generic
from oscar.core.loading import get_class, get_model

from oscar_mlm.conf import get_setting
from oscar_mlm.core.loading import get_class as get_mlm_class
from oscar_mlm.exceptions import MlmError

from . import services, tree
from .exceptions import EmailTaken, NetworkError
from .mixins import CurrentMemberMixin
from .signup import (
    COMPANY_SIGNUP_NONE,
    company_policy,
    is_company_shop_closed,
    resolve_signup,
)

AccountRegistrationView = get_class("customer.views", "AccountRegistrationView")
AccountAuthView = get_class("customer.views", "AccountAuthView")
SignupForm = get_mlm_class("mlm_network.forms", "SignupForm")
PersonForm = get_mlm_class("mlm_network.forms", "PersonForm")
Member = get_model("mlm_network", "Member")
SponsorChange = get_model("mlm_network", "SponsorChange")


# Where a distributor lands after signing up, if the storefront app's URLs are mounted.
WELCOME_URL_NAME = "mlm_storefront:mlm-storefront-welcome"


class SignupMixin:
    """Decides whether sign-up is open on this request and with which sponsor."""

    closed_template_name = "oscar_mlm/mlm_network/signup_closed.html"

    @cached_property
    def signup(self):
        return resolve_signup(self.request)

    @property
    def signup_open(self):
        if is_company_shop_closed(self.request):
            return False
        return self.signup is not None or company_policy() != COMPANY_SIGNUP_NONE

    def requested_kind(self):
        """The kind a company-site sign-up asks for (``?kind=distributor`` preselects)."""
        return self.request.POST.get("kind") or self.request.GET.get("kind")

    def render_closed(self, status=200):
        ctx = {"signup": self.signup, "company_shop_closed": is_company_shop_closed(self.request)}
        return TemplateResponse(self.request, self.closed_template_name, ctx, status=status)

    def register_or_error(self, form):
        """Oscar's register_user, turning a refusal into a form error."""
        try:
            return self.register_user(form)
        except EmailTaken as exc:
            form.add_error("email", exc.message)
            return None
        except MlmError as exc:
            form.add_error("sponsor_id" if "sponsor_id" in form.fields else None, exc.message)
            return None

    def welcome(self, form):
        """Say who the sponsor is; the URL a new distributor goes to next (or None)."""
        member = form.member
        if member is None:
            return None
        sponsor = member.parent
        if sponsor is not None and sponsor.kind != Member.COMPANY:
            message = _("Welcome! Your sponsor is %(sponsor)s.") % {"sponsor": sponsor.display_name}
        else:
            message = _("Welcome! You joined directly with %(company)s.") % {
                "company": get_setting("OSCAR_MLM_COMPANY_NAME")
            }
        messages.success(self.request, message)
        if member.kind == Member.DISTRIBUTOR:
            try:
                return reverse(WELCOME_URL_NAME)
            except NoReverseMatch:
                return None
        return None


class SignupView(SignupMixin, AccountRegistrationView):
    form_class = SignupForm
    template_name = "oscar_mlm/mlm_network/registration.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated and not self.signup_open:
            return self.render_closed(status=200 if request.method == "GET" else 403)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["signup"] = self.signup
        kwargs["kind"] = self.requested_kind()
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["signup"] = self.signup
        return ctx

    def form_valid(self, form):
        if self.register_or_error(form) is None:
            return self.form_invalid(form)
        return redirect(self.welcome(form) or form.cleaned_data["redirect_url"])


class LoginSignupView(SignupMixin, AccountAuthView):
    """Oscar's login page, whose second form is our sign-up (or a notice when closed)."""

    template_name = "oscar_mlm/mlm_network/login_registration.html"
    registration_form_class = SignupForm

    def get_registration_form(self, bind_data=False):
        if not self.signup_open:
            return None
        return super().get_registration_form(bind_data)

    def get_registration_form_kwargs(self, bind_data=False):
        kwargs = super().get_registration_form_kwargs(bind_data)
        kwargs["signup"] = self.signup
        kwargs["kind"] = self.requested_kind()
        return kwargs

    def validate_registration_form(self):
        if not self.signup_open:
            return self.render_closed(status=403)
        form = self.get_registration_form(bind_data=True)
        if form.is_valid() and self.register_or_error(form) is not None:
            return redirect(self.welcome(form) or self.get_registration_success_url(form))
        return self.render_to_response(self.get_context_data(registration_form=form))

    def get_context_data(self, *args, **kwargs):
        ctx = super().get_context_data(*args, **kwargs)
        ctx["signup_open"] = self.signup_open
        ctx["signup"] = self.signup
        ctx["company_shop_closed"] = is_company_shop_closed(self.request)
        return ctx


class MemberRequiredMixin(CurrentMemberMixin):
    """The logged-in user's member record as ``self.member``; non-members get a page, no 404."""

    def get_current_member(self):
        return Member.objects.filter(user_id=self.request.user.pk).select_related("parent").first()

    def refuse(self, request):
        return TemplateResponse(
            request, "oscar_mlm/mlm_network/not_a_member.html", {"active_tab": "network"}
        )


class NetworkOverviewView(MemberRequiredMixin, generic.TemplateView):
    template_name = "oscar_mlm/mlm_network/overview.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        member = self.member
        first_line = member.children.select_related("user").order_by("-joined", "-pk")
        page = Paginator(first_line, get_setting("OSCAR_MLM_MEMBERS_PER_PAGE")).get_page(
            self.request.GET.get("page")
        )
        counts = tree.level_counts(member, via_sponsors=True) if member.is_distributor else []
        ctx.update(
            {
                "active_tab": "network",
                "page_title": _("My network"),
                "member": member,
                "sponsor": member.parent,
                "page_obj": page,
                "first_line": page.object_list,
                "level_counts": counts,
                "downline_total": sum(c for _level, c in counts),
                "can_add": member.is_distributor
                and member.is_active
                and bool(get_setting("OSCAR_MLM_INTERNAL_SIGNUP_KINDS")),
            }
        )
        return ctx


class InternalSignupView(MemberRequiredMixin, generic.FormView):
    """A distributor enters a new customer or partner into their own first line."""

    template_name = "oscar_mlm/mlm_network/internal_signup.html"
    form_class = PersonForm

    def get(self, request, *args, **kwargs):
        self.check_allowed()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.check_allowed()
        return super().post(request, *args, **kwargs)

    def check_allowed(self):
        kinds = get_setting("OSCAR_MLM_INTERNAL_SIGNUP_KINDS")
        if not kinds or not self.member.is_distributor or not self.member.is_active:
            raise PermissionDenied(_("Only active distributors can enter new people."))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["kinds"] = tuple(get_setting("OSCAR_MLM_INTERNAL_SIGNUP_KINDS"))
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update({"active_tab": "network", "page_title": _("Enter a new person")})
        return ctx

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            person = services.create_person(
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                kind=data["kind"],
                handle=data["handle"] or None,
                sponsor=self.member,
                created_by=self.request.user,
                source=SponsorChange.INTERNAL,
            )
        except NetworkError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s is now in your first line and was sent an e-mail to set a password.")
            % {"name": person.display_name},
        )
        return redirect(reverse("mlm_network:mlm-network-overview"))


class PrivacyView(generic.TemplateView):
    """*My data*: what the shop keeps, the download, and how to ask for erasure."""

    template_name = "oscar_mlm/mlm_network/privacy.html"

    def get_context_data(self, **kwargs):
        from oscar_mlm.personal_data import exporters

        ctx = super().get_context_data(**kwargs)
        ctx.update({"active_tab": "privacy", "page_title": _("My data")})
        ctx["has_exporters"] = bool(exporters())
        return ctx


class DataDownloadView(generic.View):
    """The person's data as a ZIP of JSON and CSV files (one pair per section)."""

    def get(self, request, *args, **kwargs):
        from django.http import HttpResponse
        from django.utils import timezone

        from .download import build_zip

        response = HttpResponse(build_zip(request.user), content_type="application/zip")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.zip"'
        response["Cache-Control"] = "no-store"
        return response
