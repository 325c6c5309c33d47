"""Staff pages of the sponsor network and of the distributors' storefronts.

These views only parse input, call :mod:`oscar_mlm.apps.mlm_network.services`
(or :mod:`oscar_mlm.apps.mlm_storefront.services`) and turn its
``MlmError`` into a form error or a message. They never change the network
themselves, so the dashboard follows the same rules, locks and audit as every
other path. The voucher pages do the same with
:mod:`oscar_mlm.apps.mlm_vouchers.services`; their reports are read-only
queries in :mod:`.reports`.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import generic
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from oscar_mlm.apps.mlm_dashboard import reports
from oscar_mlm.apps.mlm_network import services, tree
from oscar_mlm.apps.mlm_network.exceptions import (
    CycleError,
    InactiveSponsor,
    InvalidHandle,
    InvalidSponsor,
    SameSponsor,
    SponsorNotFound,
    SponsorRequired,
)
from oscar_mlm.apps.mlm_storefront import services as storefront_services
from oscar_mlm.apps.mlm_storefront.exceptions import NotADistributor
from oscar_mlm.apps.mlm_storefront.links import customer_link, distributor_link
from oscar_mlm.apps.mlm_vouchers import services as voucher_services
from oscar_mlm.charts import bar_chart
from oscar_mlm.conf import get_setting
from oscar_mlm.core.loading import get_classes
from oscar_mlm.exceptions import MlmError
from oscar_mlm.exports import csv_response
from oscar_mlm.money import quantize
from oscar_mlm.parsing import has_nul, parse_id

(
    MemberCreateForm,
    MemberSearchForm,
    SponsorChangeSearchForm,
    ReassignForm,
    PromoteForm,
    DeactivateForm,
    EraseForm,
    GrowthReportForm,
    TopDistributorsForm,
    StaffStorefrontForm,
    RenameHandleForm,
    ProgramCreateForm,
    ProgramLimitsForm,
    VoucherReportForm,
) = get_classes(
    "mlm_dashboard.forms",
    [
        "MemberCreateForm",
        "MemberSearchForm",
        "SponsorChangeSearchForm",
        "ReassignForm",
        "PromoteForm",
        "DeactivateForm",
        "EraseForm",
        "GrowthReportForm",
        "TopDistributorsForm",
        "StaffStorefrontForm",
        "RenameHandleForm",
        "ProgramCreateForm",
        "ProgramLimitsForm",
        "VoucherReportForm",
    ],
)
Member = get_model("mlm_network", "Member")
SponsorChange = get_model("mlm_network", "SponsorChange")
StatusChange = get_model("mlm_network", "StatusChange")
Erasure = get_model("mlm_network", "Erasure")
Storefront = get_model("mlm_storefront", "Storefront")
VoucherProgram = get_model("mlm_vouchers", "VoucherProgram")
Redemption = get_model("mlm_vouchers", "Redemption")
Order = get_model("order", "Order")

# Refusals that concern the sponsor are shown at the sponsor field; others above the form.
SPONSOR_ERRORS = (
    SponsorRequired,
    SponsorNotFound,
    InactiveSponsor,
    InvalidSponsor,
    CycleError,  # includes SelfSponsor
    SameSponsor,
)

# The member page shows only the newest changes; the audit page has them all.
HISTORY_ON_MEMBER_PAGE = 10


def add_network_error(form, exc):
    field = None
    if isinstance(exc, SPONSOR_ERRORS) and "sponsor_id" in form.fields:
        field = "sponsor_id"
    elif isinstance(exc, InvalidHandle) and "handle" in form.fields:
        field = "handle"
    form.add_error(field, exc.message)


def members_per_page():
    return get_setting("OSCAR_MLM_MEMBERS_PER_PAGE")


def member_url(member):
    return reverse("mlm_dashboard:mlm-member-detail", kwargs={"pk": member.pk})


def storefront_links(request, member):
    """The customer link and the partner link of a distributor's storefront."""
    return {
        "customer_link": customer_link(request, member.handle),
        "distributor_link": distributor_link(request, member.handle),
    }


def redirect_days():
    """How long a renamed handle forwards (read at call time, like the service does)."""
    return int(get_setting("OSCAR_MLM_HANDLE_REDIRECT_DAYS"))


def search_members(queryset, q="", kind="", status="", storefront=""):
    """Every word of ``q`` must match a name, the e-mail, the handle or the member number.

    ``storefront`` ("hidden" or "locked") keeps distributors whose storefront staff hid or locked.
    """
    for term in q.split():
        match = (
            Q(user__email__icontains=term)
            | Q(user__first_name__icontains=term)
            | Q(user__last_name__icontains=term)
            | Q(handle__icontains=term)
        )
        number = parse_id(term.lstrip("#"))
        if number is not None:
            match |= Q(pk=number)
        queryset = queryset.filter(match)
    if kind:
        queryset = queryset.filter(kind=kind)
    if status:
        queryset = queryset.filter(status=status)
    if storefront == "hidden":
        queryset = queryset.filter(storefront__is_hidden=True)
    elif storefront == "locked":
        queryset = queryset.filter(storefront__is_locked=True)
    return queryset


class MemberListView(generic.ListView):
    template_name = "oscar_mlm/mlm_dashboard/member_list.html"
    context_object_name = "members"

    def get_paginate_by(self, queryset):
        return members_per_page()

    def get_queryset(self):
        self.form = MemberSearchForm(self.request.GET)
        queryset = Member.objects.select_related(
            "user", "parent", "parent__user", "storefront"
        ).order_by("-joined", "-pk")
        if not self.form.is_valid():
            return queryset.none()
        return search_members(queryset, **self.form.cleaned_data)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["form"] = self.form
        return ctx


class MemberMixin:
    """Loads the member of the URL as ``self.member``.

    ``refuse()`` may answer instead of the page, e.g. for a member it does not apply to.
    """

    def dispatch(self, request, *args, **kwargs):
        self.member = get_object_or_404(
            Member.objects.select_related("user", "parent", "parent__user"), pk=kwargs["pk"]
        )
        refusal = self.refuse()
        if refusal is not None:
            return refusal
        return super().dispatch(request, *args, **kwargs)

    def refuse(self):
        return None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["member"] = self.member
        return ctx

    def get_success_url(self):
        return member_url(self.member)


class MemberDetailView(MemberMixin, generic.TemplateView):
    template_name = "oscar_mlm/mlm_dashboard/member_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        member = self.member
        first_line = member.children.select_related("user").order_by("-joined", "-pk")
        page = Paginator(first_line, members_per_page()).get_page(self.request.GET.get("page"))
        # The root's "downline" is the whole network: a CTE over every row on each
        # page view. Totals per kind are one indexed count instead.
        counts = [] if member.is_company else tree.level_counts(member, via_sponsors=True)
        kind_totals = (
            Member.objects.exclude(pk=member.pk)
            .values_list("kind")
            .annotate(n=Count("pk"))
            .order_by("kind")
            if member.is_company
            else []
        )
        status_history = (
            StatusChange.objects.filter(member=member)
            .select_related("changed_by")
            .order_by("-created", "-pk")[:HISTORY_ON_MEMBER_PAGE]
        )
        history = (
            SponsorChange.objects.filter(member=member)
            .select_related("old_sponsor__user", "new_sponsor__user", "changed_by")
            .order_by("-created", "-pk")
        )
        ctx.update(
            {
                "upline": tree.upline(member),
                "first_line": page.object_list,
                "paginator": page.paginator,
                "page_obj": page,
                "level_counts": counts,
                "downline_total": sum(count for _level, count in counts),
                "kind_totals": [(dict(Member.KIND_CHOICES)[kind], n) for kind, n in kind_totals],
                "status_history": status_history,
                "history": history[:HISTORY_ON_MEMBER_PAGE],
                "history_total": history.count(),
                "reassign_form": ReassignForm() if not member.is_company else None,
                "promote_form": PromoteForm() if member.is_customer and member.is_active else None,
                "deactivate_form": (
                    DeactivateForm() if member.is_active and not member.is_company else None
                ),
                "can_reactivate": not member.is_active,
                "erasure": Erasure.objects.filter(member=member)
                .select_related("erased_by")
                .first(),
            }
        )
        if member.is_distributor:
            ctx["member_storefront"] = Storefront.objects.filter(member=member).first()
            ctx.update(storefront_links(self.request, member))
        if not member.is_company:
            ctx.update(member_panels(member))
        return ctx


# How many rows the member page shows of the credit ledger and of the voucher codes; the
# pages they link to have them all.
ROWS_ON_MEMBER_PAGE = 10


def member_panels(member):
    """The member page's figures from the other apps, each only when the app is installed."""
    from django.apps import apps

    ctx = {}
    if apps.is_installed("oscar_mlm.apps.mlm_commissions"):
        ctx["volume_months"] = member_volume_months(member)
    if apps.is_installed("oscar_mlm.apps.mlm_credit") and member.user_id:
        CreditAccount = get_model("mlm_credit", "CreditAccount")
        accounts = list(CreditAccount.objects.filter(user_id=member.user_id).order_by("currency"))
        for account in accounts:
            account.recent = list(
                account.entries.select_related("created_by").order_by("-created", "-pk")[
                    :ROWS_ON_MEMBER_PAGE
                ]
            )
        ctx["credit_accounts"] = accounts
        ctx["show_credit"] = True
    if apps.is_installed("oscar_mlm.apps.mlm_vouchers") and member.is_distributor:
        DistributorVoucher = get_model("mlm_vouchers", "DistributorVoucher")
        codes = DistributorVoucher.objects.filter(issuer=member).select_related(
            "voucher", "program"
        )
        ctx["voucher_codes"] = codes.order_by("-created", "-pk")[:ROWS_ON_MEMBER_PAGE]
        ctx["voucher_code_total"] = codes.count()
        ctx["show_vouchers"] = True
    return ctx


def month_start(day):
    return day.replace(day=1)


def member_volume_months(member):
    """Live volumes of this month and the last (calendar months, the shop's currency)."""
    from datetime import timedelta

    from django.utils import timezone

    from oscar_mlm.apps.mlm_commissions import volumes

    this_month = month_start(timezone.localdate())
    last_month = month_start(this_month - timedelta(days=1))
    next_month = month_start(this_month + timedelta(days=32))
    months = []
    for start, end in ((this_month, next_month), (last_month, this_month)):
        figures = volumes.member_volumes(member, start, end)
        group = volumes.group_volume(member, start, end) if member.is_distributor else None
        months.append(
            {
                "start": start,
                # quantize: SQLite sums decimals as floats (40, not 40.00)
                "personal": quantize(figures.personal),
                "own": quantize(figures.own),
                "end_customer": quantize(figures.end_customer),
                "group": quantize(group.total) if group else None,
            }
        )
    return months


class MemberCreateView(generic.FormView):
    template_name = "oscar_mlm/mlm_dashboard/member_form.html"
    form_class = MemberCreateForm

    def get_initial(self):
        # "Add a person below" on the member page passes the sponsor along.
        return {"sponsor_id": self.request.GET.get("sponsor", "")}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            member = services.create_person(
                email=data["email"],
                sponsor=data["sponsor_id"],
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                kind=data["kind"],
                handle=data.get("handle") or None,
                created_by=self.request.user,
                source=SponsorChange.STAFF,
            )
        except MlmError as exc:
            add_network_error(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(member)s was added below %(sponsor)s.")
            % {"member": member.display_name, "sponsor": member.parent.display_name},
        )
        return redirect(member_url(member))


class MemberActionView(MemberMixin, generic.FormView):
    """A form on one member whose valid input goes to a service call.

    ``perform(form)`` calls the service and returns the success message; a
    an ``MlmError`` becomes a form error and nothing changes.
    """

    def form_valid(self, form):
        try:
            message = self.perform(form)
        except MlmError as exc:
            add_network_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(self.get_success_url())

    def perform(self, form):
        raise NotImplementedError


class MemberReassignView(MemberActionView):
    template_name = "oscar_mlm/mlm_dashboard/member_reassign.html"
    form_class = ReassignForm

    def perform(self, form):
        change = services.assign_sponsor(
            member=self.member,
            new_sponsor=form.cleaned_data["sponsor_id"],
            changed_by=self.request.user,
            reason=form.cleaned_data["reason"],
            source=SponsorChange.STAFF,
        )
        return _("%(member)s now has the sponsor %(sponsor)s.") % {
            "member": self.member.display_name,
            "sponsor": change.new_sponsor.display_name,
        }


class MemberPromoteView(MemberActionView):
    template_name = "oscar_mlm/mlm_dashboard/member_promote.html"
    form_class = PromoteForm

    def perform(self, form):
        member = services.promote_to_distributor(
            member=self.member, handle=form.cleaned_data["handle"], changed_by=self.request.user
        )
        return _("%(member)s is now a distributor with the storefront handle %(handle)s.") % {
            "member": member.display_name,
            "handle": member.handle,
        }


class MemberStatusView(MemberActionView):
    """Deactivate (a form with the reason) or reactivate (a button) a member."""

    template_name = "oscar_mlm/mlm_dashboard/member_status.html"
    form_class = DeactivateForm

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "reactivate":
            return self.reactivate()
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        moves = services.deactivate(
            member=self.member, changed_by=self.request.user, reason=form.cleaned_data["reason"]
        )
        if not moves:
            return _("%(member)s was deactivated.") % {"member": self.member.display_name}
        return ngettext(
            "%(member)s was deactivated. %(count)s member was moved to %(sponsor)s.",
            "%(member)s was deactivated. %(count)s members were moved to %(sponsor)s.",
            len(moves),
        ) % {
            "member": self.member.display_name,
            "count": len(moves),
            "sponsor": moves[0].new_sponsor.display_name,
        }

    def reactivate(self):
        try:
            services.reactivate(member=self.member, changed_by=self.request.user)
        except MlmError as exc:
            messages.error(self.request, exc.message)
        else:
            messages.success(
                self.request,
                _("%(member)s is active again.") % {"member": self.member.display_name},
            )
        return redirect(self.get_success_url())


class MemberEraseView(MemberActionView):
    """Erase the member's personal data on request (GDPR): the member keeps its place."""

    template_name = "oscar_mlm/mlm_dashboard/member_erase.html"
    form_class = EraseForm

    def refuse(self):
        erasure = Erasure.objects.filter(member=self.member).first()
        if erasure is None and not self.member.is_company and self.member.user_id:
            return None
        messages.error(
            self.request,
            _("This member's data has already been erased.")
            if erasure
            else _("The company at the root of the network cannot be erased."),
        )
        return redirect(member_url(self.member))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["email"] = self.member.user.email
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["keeps_credit_notes"] = get_setting("OSCAR_MLM_ERASURE_KEEPS_CREDIT_NOTES")
        return ctx

    def perform(self, form):
        services.erase_person(
            user=self.member.user,
            erased_by=self.request.user,
            reason=form.cleaned_data["reason"],
        )
        return _("The personal data of member %(number)s was erased.") % {"number": self.member.pk}


class DistributorMixin:
    """Storefront pages: only a distributor has one; for anyone else, back to the member page."""

    def refuse(self):
        if self.member.is_distributor:
            return None
        messages.error(self.request, NotADistributor.default_message)
        return redirect(member_url(self.member))


class MemberStorefrontView(DistributorMixin, MemberActionView):
    """Staff moderate a distributor's storefront: theme texts and photo, hide, lock, note."""

    template_name = "oscar_mlm/mlm_dashboard/member_storefront.html"
    form_class = StaffStorefrontForm

    def get_storefront(self):
        return Storefront.objects.filter(member=self.member).first()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # The form validates on its own copy; the service saves the locked row.
        kwargs["instance"] = self.get_storefront() or Storefront(member=self.member)
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["member_storefront"] = self.get_storefront()
        ctx.update(storefront_links(self.request, self.member))
        return ctx

    def perform(self, form):
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        storefront_services.update_storefront(member=self.member, by_staff=True, **values)
        return _("The storefront of %(member)s was saved.") % {"member": self.member.display_name}


class MemberRenameHandleView(DistributorMixin, MemberActionView):
    """Staff give a distributor a new storefront handle; the old one forwards for a while."""

    template_name = "oscar_mlm/mlm_dashboard/member_handle.html"
    form_class = RenameHandleForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["redirect_days"] = redirect_days()
        return ctx

    def perform(self, form):
        old_handle = self.member.handle
        member = services.rename_handle(
            member=self.member,
            new_handle=form.cleaned_data["handle"],
            changed_by=self.request.user,
        )
        days = redirect_days()
        return ngettext(
            "%(member)s now has the storefront handle %(new)s. "
            "The old name %(old)s forwards to it for %(days)s day.",
            "%(member)s now has the storefront handle %(new)s. "
            "The old name %(old)s forwards to it for %(days)s days.",
            days,
        ) % {
            "member": member.display_name,
            "new": member.handle,
            "old": old_handle,
            "days": days,
        }


class SponsorChangeListView(generic.ListView):
    template_name = "oscar_mlm/mlm_dashboard/sponsorchange_list.html"
    context_object_name = "changes"

    def get_paginate_by(self, queryset):
        return members_per_page()

    def get_queryset(self):
        self.form = SponsorChangeSearchForm(self.request.GET)
        queryset = SponsorChange.objects.select_related(
            "member__user", "old_sponsor__user", "new_sponsor__user", "changed_by"
        ).order_by("-created", "-pk")
        if not self.form.is_valid():
            return queryset.none()
        if self.form.cleaned_data["source"]:
            queryset = queryset.filter(source=self.form.cleaned_data["source"])
        if self.form.cleaned_data["member"]:
            queryset = queryset.filter(member_id=self.form.cleaned_data["member"])
        return queryset

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["form"] = self.form
        return ctx


# -- new-customer vouchers -------------------------------------------------------------------


def program_list_url():
    return reverse("mlm_dashboard:mlm-voucherprogram-list")


class VoucherProgramListView(generic.ListView):
    template_name = "oscar_mlm/mlm_dashboard/voucherprogram_list.html"
    context_object_name = "programs"

    def get_queryset(self):
        return reports.program_list()


class VoucherProgramCreateView(generic.FormView):
    template_name = "oscar_mlm/mlm_dashboard/voucherprogram_form.html"
    form_class = ProgramCreateForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            program = voucher_services.create_program(
                name=data["name"],
                benefit_type=data["benefit_type"],
                value=data["value"],
                # Unticked means "leave the default alone"; without one the first programme
                # becomes it (the service decides, under the same transaction).
                is_default=data["is_default"] or None,
                **form.limits(),
            )
        except IntegrityError:
            # Two staff users chose the same name at the same moment.
            form.add_error("name", _("A programme or offer with this name already exists."))
            return self.form_invalid(form)
        except MlmError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The programme %(name)s was created. Its discount: %(discount)s.")
            % {"name": program.name, "discount": program.offer.benefit.description},
        )
        return redirect(program_list_url())


class VoucherProgramUpdateView(generic.FormView):
    """The limits of one programme, and the switch to make it the default."""

    template_name = "oscar_mlm/mlm_dashboard/voucherprogram_form.html"
    form_class = ProgramLimitsForm

    def dispatch(self, request, *args, **kwargs):
        self.program = get_object_or_404(
            VoucherProgram.objects.select_related("offer", "offer__benefit"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {name: getattr(self.program, name) for name in ProgramLimitsForm.limit_fields}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["program"] = self.program
        ctx["offer_url"] = reverse("dashboard:offer-detail", kwargs={"pk": self.program.offer_id})
        return ctx

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "make_default":
            return self.make_default()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            voucher_services.update_program(program=self.program, **form.limits())
        except MlmError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The limits of %(name)s were saved. They apply to codes generated from now on.")
            % {"name": self.program.name},
        )
        return redirect(program_list_url())

    def make_default(self):
        program = self.program
        try:
            voucher_services.make_default(program)
        except MlmError as exc:
            messages.error(self.request, exc.message)
            return redirect(program_list_url())
        if program.is_active:
            messages.success(
                self.request,
                _("%(name)s is now the default programme.") % {"name": program.name},
            )
        else:
            messages.warning(
                self.request,
                _(
                    "%(name)s is now the default programme, but partners cannot generate "
                    "codes until you switch it on."
                )
                % {"name": program.name},
            )
        return redirect(program_list_url())


class VoucherReportMixin:
    """Parses the filter; ``self.filters`` are the service arguments, or None when invalid."""

    def get_filters(self):
        self.form = VoucherReportForm(self.request.GET)
        if not self.form.is_valid():
            return None
        return {
            "date_from": self.form.cleaned_data["date_from"],
            "date_to": self.form.cleaned_data["date_to"],
            "program": self.form.cleaned_data["program"],
        }

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["form"] = self.form
        # The same filter for links to the CSV and to one distributor's redemptions.
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("format", None)
        ctx["filter_query"] = query.urlencode()
        return ctx


class VoucherReportView(VoucherReportMixin, generic.ListView):
    template_name = "oscar_mlm/mlm_dashboard/voucher_report.html"
    context_object_name = "rows"

    def get_paginate_by(self, queryset):
        return members_per_page()

    def get_queryset(self):
        self.filters = self.get_filters()
        if self.filters is None:
            return Member.objects.none()
        return reports.redemption_report(**self.filters)

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            queryset = self.get_queryset()
            if self.form.is_valid():
                return self.csv_response(queryset)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["totals"] = reports.report_totals(**self.filters) if self.filters is not None else None
        return ctx

    def csv_response(self, queryset):
        data = self.form.cleaned_data
        name = "voucher-redemptions"
        for day in (data["date_from"], data["date_to"]):
            name += f"-{day.isoformat()}" if day else ""
        header = [
            _("Member number"),
            _("Distributor"),
            _("Storefront handle"),
            _("Email"),
            _("Codes issued"),
            _("Active codes"),
            _("Redemptions"),
            _("Customers moved"),
            _("Discount total"),
        ]
        rows = (
            [
                row.pk,
                row.display_name,
                row.handle,
                row.user.email if row.user else None,
                row.issued,
                row.active,
                row.redemptions,
                row.moved,
                quantize(row.discount),
            ]
            for row in queryset
        )
        return csv_response(f"{name}.csv", header, rows)


class VoucherDistributorReportView(VoucherReportMixin, MemberMixin, generic.ListView):
    """One distributor's redemptions: order, buyer, whether they moved, discount."""

    template_name = "oscar_mlm/mlm_dashboard/voucher_report_distributor.html"
    context_object_name = "redemptions"

    def get_paginate_by(self, queryset):
        return members_per_page()

    def get_queryset(self):
        filters = self.get_filters()
        if filters is None:
            return Redemption.objects.none()
        return reports.distributor_redemptions(self.member, **filters)


class OrderMarkPaidView(generic.View):
    """Staff record that an order's invoice (or transfer) has been paid: the button on Oscar's
    order page (payment tab), which posts here and returns there."""

    http_method_names = ["post"]

    def post(self, request, number):
        from django.apps import apps

        if has_nul(number) or not apps.is_installed("oscar_mlm.apps.mlm_credit"):
            raise Http404  # no order of that number; without our checkout no invoice either
        from oscar_mlm.apps.checkout import services as payment_services

        order = get_object_or_404(Order, number=number)
        try:
            amount = payment_services.mark_paid(order=order, by=request.user)
        except MlmError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Order #%(number)s is marked paid: %(amount)s received.")
                % {"number": order.number, "amount": currency(amount, order.currency)},
            )
        return redirect(reverse("dashboard:order-detail", kwargs={"number": order.number}))

# -- reports ---------------------------------------------------------------------------------


class GrowthReportView(generic.TemplateView):
    """New customers and distributors per month, and per level below a member."""

    template_name = "oscar_mlm/mlm_dashboard/report_growth.html"
    default_months = 12
    default_levels = 3

    def get_context_data(self, **kwargs):
        from oscar_mlm.apps.mlm_dashboard import growth

        ctx = super().get_context_data(**kwargs)
        form = GrowthReportForm(self.request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        months = data.get("months") or self.default_months
        levels = data.get("levels") or self.default_levels
        root = data.get("member") or services.get_company()
        monthly = growth.monthly_growth(months, root)
        ctx.update(
            {
                "form": form,
                "root": root,
                "months": months,
                "levels": levels,
                "monthly": monthly,
                "by_level": growth.level_growth(monthly[0][0], root, levels),
                "chart": bar_chart(
                    _("New members per month"),
                    [start.strftime("%m/%y") for start, _c, _d in monthly],
                    [
                        (_("Customers"), [c for _s, c, _d in monthly]),
                        (_("Distributors"), [d for _s, _c, d in monthly]),
                    ],
                ),
            }
        )
        return ctx


class TopDistributorsView(generic.TemplateView):
    """The distributors with the most own and group volume in a month (live figures)."""

    template_name = "oscar_mlm/mlm_dashboard/report_top.html"
    default_limit = 20

    def get_context_data(self, **kwargs):
        from datetime import date, timedelta

        from django.utils import timezone

        from oscar_mlm.apps.mlm_dashboard import growth

        ctx = super().get_context_data(**kwargs)
        form = TopDistributorsForm(self.request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        if data.get("month"):
            year, month = (int(part) for part in data["month"].split("-"))
            start = date(year, month, 1)
        else:
            start = timezone.localdate().replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1)
        limit = data.get("limit") or self.default_limit
        own = growth.top_by_own_volume(start, end, limit)
        group = growth.top_by_group_volume(start, end, limit)
        ctx.update(
            {
                "form": form,
                "start": start,
                "own": own,
                "group": group,
                "own_chart": self.chart(_("Own volume"), own),
                "group_chart": self.chart(_("Group volume"), group),
            }
        )
        return ctx

    def chart(self, title, rows, bars=10):
        top = rows[:bars]
        return bar_chart(
            title,
            [member.display_name[:12] for member, _total in top],
            [(title, [total for _member, total in top])],
        )
