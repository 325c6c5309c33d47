"""Staff pages of commissions: plans, periods, jobs, statements, what-if, payout list.

Views only parse input, call :mod:`.services` and show its messages. Runs,
previews, closes, what-ifs and credit notes are queued as django-tasks tasks
(``services.queue_job``), never done inside the request; the job's page shows
the task's state and, when done, its result.
"""

from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic
from oscar.core.loading import get_model

from oscar_mlm.conf import get_setting
from oscar_mlm.exports import csv_response
from oscar_mlm.money import ZERO, quantize
from oscar_mlm.parsing import clean_text, parse_id

from . import services
from .exceptions import CommissionError
from .forms import JobForm, PeriodForm, PlanFiguresForm, PlanForm
from .statement_views import StatementPageMixin, pdf_response, statement_csv_response

CommissionPlan = get_model("mlm_commissions", "CommissionPlan")
CommissionPeriod = get_model("mlm_commissions", "CommissionPeriod")
CommissionStatement = get_model("mlm_commissions", "CommissionStatement")
CommissionJob = get_model("mlm_commissions", "CommissionJob")
Member = get_model("mlm_network", "Member")

JOBS_SHOWN = 10


def period_or_404(pk):
    return get_object_or_404(CommissionPeriod.objects.select_related("plan"), pk=pk)


# -- plans ----------------------------------------------------------------------------------------


class PlanListView(generic.TemplateView):
    template_name = "oscar_mlm/mlm_commissions/dashboard/plan_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["plans"] = CommissionPlan.objects.select_related("created_by").order_by("-valid_from")
        ctx["max_total_rate"] = get_setting("OSCAR_MLM_COMMISSION_MAX_TOTAL_RATE")
        ctx["max_levels"] = get_setting("OSCAR_MLM_COMMISSION_LEVELS")
        return ctx


class PlanCreateView(generic.FormView):
    """A new plan version from a date; the figures start from the latest version."""

    template_name = "oscar_mlm/mlm_commissions/dashboard/plan_form.html"
    form_class = PlanForm

    def get_initial(self):
        return PlanForm.initial_from(CommissionPlan.objects.order_by("-valid_from").first())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["max_total_rate"] = get_setting("OSCAR_MLM_COMMISSION_MAX_TOTAL_RATE")
        ctx["max_levels"] = get_setting("OSCAR_MLM_COMMISSION_LEVELS")
        return ctx

    def form_valid(self, form):
        try:
            plan = services.create_plan(
                valid_from=form.cleaned_data["valid_from"],
                name=form.cleaned_data["name"],
                user=self.request.user,
                **form.plan_figures(),
            )
        except CommissionError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The plan version valid from %(date)s was saved.") % {"date": plan.valid_from},
        )
        return redirect("mlm_dashboard:mlm-commission-plan-list")


# -- periods --------------------------------------------------------------------------------------


class PeriodListView(generic.ListView):
    template_name = "oscar_mlm/mlm_commissions/dashboard/period_list.html"
    context_object_name = "periods"
    paginate_by = 24

    def get_queryset(self):
        return CommissionPeriod.objects.select_related("plan", "closed_by").order_by("-start")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["form"] = kwargs.get("form") or PeriodForm()
        ctx["has_plan"] = CommissionPlan.objects.exists()
        return ctx


class PeriodCreateView(generic.FormView):
    template_name = "oscar_mlm/mlm_commissions/dashboard/period_form.html"
    form_class = PeriodForm

    def form_valid(self, form):
        try:
            period = services.create_period(form.cleaned_data["start"], form.cleaned_data["end"])
        except CommissionError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The period %(period)s was created.") % {"period": period})
        return redirect("mlm_dashboard:mlm-commission-period-detail", pk=period.pk)


class PeriodDetailView(generic.TemplateView):
    """A period: its figures, the jobs queued for it, and its statements (keyset pages)."""

    template_name = "oscar_mlm/mlm_commissions/dashboard/period_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        period = period_or_404(self.kwargs["pk"])
        statements = CommissionStatement.objects.filter(period=period)
        ctx["totals"] = statements.aggregate(
            count=Count("id"),
            sum_commission=Sum("commission"),
            sum_corrections=Sum("corrections"),
            sum_opening_balance=Sum("opening_balance"),
            sum_total=Sum("total"),
            payable=Sum("total", filter=Q(total__gt=0)),
            payees=Count("id", filter=Q(total__gt=0)),
        )
        for key in ("sum_commission", "sum_corrections", "sum_opening_balance", "sum_total",
                    "payable"):
            # SQLite sums decimals without their scale.
            ctx["totals"][key] = quantize(ctx["totals"][key] or ZERO)
        query = clean_text(self.request.GET.get("q", ""), max_length=100)
        if query is None:
            messages.error(self.request, _("That search cannot be used."))
            query = ""
        if query:
            number = parse_id(query)
            match = (Q(member__user__email__iexact=query) | Q(member__handle=query.lower())
                     | Q(member__user__last_name__iexact=query)
                     | Q(member__user__first_name__iexact=query))
            if number:
                match |= Q(member_id=number)
            statements = statements.filter(match)
        after = parse_id(self.request.GET.get("after"))
        per_page = int(get_setting("OSCAR_MLM_COMMISSION_STATEMENTS_PER_PAGE"))
        page = statements.select_related("member__user").order_by("member_id")
        if after:
            page = page.filter(member_id__gt=after)
        rows = list(page[: per_page + 1])
        ctx["next_after"] = rows[per_page - 1].member_id if len(rows) > per_page else None
        jobs = list(period.jobs.select_related("queued_by")[:JOBS_SHOWN])
        ctx.update(
            period=period,
            statements=rows[:per_page],
            q=query,
            after=after,
            jobs=[services.job_state(job) for job in jobs],
            job_form=JobForm(),
            has_credit_notes=period.credit_notes.exists(),
        )
        ctx["refresh"] = any(not state.finished for state in ctx["jobs"])
        return ctx


class JobCreateView(generic.FormView):
    """Queue a run, preview, close or credit-note issue of a period (POST only)."""

    form_class = JobForm
    http_method_names = ["post"]

    def form_valid(self, form):
        period = period_or_404(self.kwargs["pk"])
        try:
            job = services.queue_job(period, form.cleaned_data["action"], user=self.request.user)
        except CommissionError as exc:
            messages.error(self.request, exc.message)
            return redirect("mlm_dashboard:mlm-commission-period-detail", pk=period.pk)
        messages.success(
            self.request,
            _("%(action)s of %(period)s was queued; a background worker carries it out.")
            % {"action": job.get_action_display(), "period": period},
        )
        return redirect("mlm_dashboard:mlm-commission-job-detail", pk=job.pk)

    def form_invalid(self, form):
        messages.error(self.request, _("Choose what to do with the period."))
        return redirect("mlm_dashboard:mlm-commission-period-detail", pk=self.kwargs["pk"])


class JobDetailView(generic.TemplateView):
    """A queued job: the task's state, and its result once it is done (refreshes until then)."""

    template_name = "oscar_mlm/mlm_commissions/dashboard/job_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        job = get_object_or_404(
            CommissionJob.objects.select_related("period", "queued_by"), pk=self.kwargs["pk"]
        )
        state = services.job_state(job)
        ctx.update(job=job, period=job.period, state=state, result=state.result or {})
        return ctx


class WhatIfView(generic.FormView):
    """Run a changed plan on a closed period's data (queued); compare with what was paid."""

    template_name = "oscar_mlm/mlm_commissions/dashboard/what_if.html"
    form_class = PlanFiguresForm

    def dispatch(self, request, *args, **kwargs):
        self.period = period_or_404(kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return PlanFiguresForm.initial_from(self.period.plan)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["period"] = self.period
        ctx["jobs"] = [
            services.job_state(job)
            for job in self.period.jobs.filter(action=CommissionJob.WHAT_IF)[:JOBS_SHOWN]
        ]
        return ctx

    def form_valid(self, form):
        try:
            job = services.queue_job(
                self.period,
                CommissionJob.WHAT_IF,
                user=self.request.user,
                parameters=form.plan_figures(),
            )
        except CommissionError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The what-if run was queued."))
        return redirect("mlm_dashboard:mlm-commission-job-detail", pk=job.pk)


class PayoutCsvView(generic.View):
    """The payout list of a closed period: who is paid how much, with credit note numbers."""

    def get(self, request, pk):
        period = period_or_404(pk)
        if not period.is_closed:
            messages.error(request, _("The payout list is for closed periods only."))
            return redirect("mlm_dashboard:mlm-commission-period-detail", pk=period.pk)
        header = [
            _("Distributor no."), _("Handle"), _("Name"), _("E-mail"), _("Credit note"),
            _("Tax status"), _("VAT ID"), _("Tax number"), _("Net"), _("VAT rate"), _("VAT"),
            _("Payout"), _("Currency"), _("Note"),
        ]

        def rows():
            for statement, note, profile, amounts in services.payout_rows(period):
                member = statement.member
                user = member.user
                source = note or profile
                yield [
                    member.pk, member.handle or "", user.get_full_name() if user else "",
                    user.email if user else "", note.number if note else "",
                    source.get_tax_status_display() if source else "",
                    source.vat_id if source else "", source.tax_number if source else "",
                    amounts.net, amounts.rate, amounts.vat, amounts.gross, statement.currency,
                    "" if note else _("Tax details missing: no credit note yet"),
                ]

        return csv_response(f"payouts-{period}.csv", header, rows())


# -- statements (staff view of a distributor's statement) -----------------------------------------


class StaffStatementMixin(StatementPageMixin):
    def get_statement(self):
        period = period_or_404(self.kwargs["pk"])
        statement = services.statement_for(period, self.kwargs["member_pk"])
        if statement is None:
            raise Http404(_("No statement of this distributor in this period."))
        return statement


class StaffStatementView(StaffStatementMixin, generic.TemplateView):
    template_name = "oscar_mlm/mlm_commissions/dashboard/statement_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(self.statement_context(self.get_statement()))
        ctx["csv_url"] = reverse("mlm_dashboard:mlm-commission-statement-export",
                                 kwargs=self.kwargs)
        ctx["pdf_url"] = reverse("mlm_dashboard:mlm-commission-statement-pdf",
                                 kwargs=self.kwargs)
        return ctx


class StaffStatementCsvView(StaffStatementMixin, generic.View):
    def get(self, request, *args, **kwargs):
        return statement_csv_response(self.get_statement())


class StaffStatementPdfView(StaffStatementMixin, generic.View):
    def get(self, request, *args, **kwargs):
        return pdf_response(self.get_statement())
