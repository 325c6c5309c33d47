"""Distributors' statements in the account area: HTML, CSV, PDF, and their tax details.

A distributor sees only their own statements: every URL names a period and
the statement is looked up for the logged-in member, so another
distributor's statement cannot be addressed at all (404 where the member
has none). Customers and users outside the network get a page that says
statements are for distributors.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_network.mixins import CurrentMemberMixin
from oscar_mlm.conf import get_setting
from oscar_mlm.exports import csv_response
from oscar_mlm.parsing import parse_id

from . import pdf, services
from .exceptions import InvalidTaxProfile
from .forms import TaxProfileForm

CommissionPeriod = get_model("mlm_commissions", "CommissionPeriod")
CommissionLine = get_model("mlm_commissions", "CommissionLine")


class StatementPageMixin:
    """What a statement page shows, for the distributor and for staff."""

    def statement_context(self, statement):
        period = statement.period
        member = statement.member
        after = parse_id(self.request.GET.get("after"))
        per_page = int(get_setting("OSCAR_MLM_COMMISSION_LINES_PER_PAGE"))
        lines, next_after = services.lines_page(period, member, after=after, per_page=per_page)
        for line in lines:
            line.explanation = services.explain_line(line, statement=statement)
        profile = services.tax_profile_of(member)
        return {
            "statement": statement,
            "period": period,
            "member": member,
            "lines": lines,
            "after": after,
            "next_after": next_after,
            "by_level": services.statements.paid_by_level(period, member),
            "credit_note": services.credit_note_for(period, member),
            "tax_profile": profile,
            "no_credit_note": pdf.why_no_credit_note(statement, profile),
        }


def statement_csv_response(statement):
    """The statement's figures, then every line with its explanation, as CSV."""
    period = statement.period
    member = statement.member
    figures = [
        (_("Period"), str(period)),
        (_("Distributor no."), member.pk),
        (_("Personal volume"), statement.personal_volume),
        (_("Own volume"), statement.own_volume),
        (_("End-customer volume"), statement.end_customer_volume),
        (_("Group volume"), statement.group_volume),
    ] + [
        (_("Group volume level %(level)s") % {"level": level}, value)
        for level, value in statement.levels
    ] + [
        (_("Qualified"), _("yes") if statement.qualified else _("no")),
        (_("Commission"), statement.commission),
        (_("Corrections"), statement.corrections),
        (_("Carried from the previous period"), statement.opening_balance),
        (_("Total"), statement.total),
        (_("Currency"), statement.currency),
    ]
    header = [_("Figure"), _("Value")]

    def rows():
        yield from figures
        yield []
        yield [_("Kind"), _("Order"), _("Buyer no."), _("Level"), _("Volume"), _("Rate (%)"),
               _("Amount"), _("Paid"), _("Why")]
        lines = (
            CommissionLine.objects.filter(period=period, beneficiary=member)
            .select_related("order", "period__plan", "passed_to__user", "corrects")
            .order_by("id")
        )
        for line in lines.iterator(chunk_size=2000):
            yield [
                line.get_kind_display(), line.order.number, line.buyer_id, line.level,
                line.volume, line.rate, line.amount, _("yes") if line.paid else _("no"),
                services.explain_line(line, statement=statement),
            ]

    return csv_response(f"statement-{period}-{member.pk}.csv", header, rows())


def pdf_response(statement):
    note = services.credit_note_for(statement.period, statement.member)
    profile = services.tax_profile_of(statement.member)
    content = pdf.statement_pdf(statement, credit_note=note, profile=profile)
    name = f"credit-note-{note.number}.pdf" if note else f"statement-{statement.period}.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


TAX_PROFILE_FIELDS = ("tax_status", "name", "street", "postcode", "city", "country",
                      "tax_number", "vat_id")


def tax_profile_initial(member):
    """The saved tax details, or what the form starts with (the API's answer too)."""
    profile = services.tax_profile_of(member)
    if profile is None:
        user = member.user
        return {"name": user.get_full_name() if user else "", "country": "DE"}
    return {field: getattr(profile, field) for field in TAX_PROFILE_FIELDS}


class DistributorMixin(CurrentMemberMixin):
    """The logged-in distributor as ``self.member``; others get a page that explains."""

    distributors_only = True

    def refuse(self, request):
        return TemplateResponse(
            request,
            "oscar_mlm/mlm_commissions/not_a_distributor.html",
            {"active_tab": "statements"},
            status=403,
        )


class OwnStatementMixin(DistributorMixin, StatementPageMixin):
    def get_statement(self):
        period = get_object_or_404(CommissionPeriod, pk=self.kwargs["period_pk"])
        statement = services.statement_for(period, self.member)
        if statement is None:
            raise Http404(_("You have no statement in this period."))
        return statement


class StatementListView(DistributorMixin, generic.TemplateView):
    template_name = "oscar_mlm/mlm_commissions/statement_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        statements = list(services.statements_of(self.member)[:60])
        notes = {
            n.period_id: n
            for n in self.member.credit_notes.filter(period__in=[s.period_id for s in statements])
        }
        for statement in statements:
            statement.credit_note = notes.get(statement.period_id)
        ctx.update(
            active_tab="statements",
            statements=statements,
            tax_profile=services.tax_profile_of(self.member),
        )
        return ctx


class StatementDetailView(OwnStatementMixin, generic.TemplateView):
    template_name = "oscar_mlm/mlm_commissions/statement_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(self.statement_context(self.get_statement()))
        ctx["active_tab"] = "statements"
        ctx["csv_url"] = reverse("mlm_commissions:mlm-statement-export", kwargs=self.kwargs)
        ctx["pdf_url"] = reverse("mlm_commissions:mlm-statement-pdf", kwargs=self.kwargs)
        return ctx


class StatementCsvView(OwnStatementMixin, generic.View):
    def get(self, request, *args, **kwargs):
        return statement_csv_response(self.get_statement())


class StatementPdfView(OwnStatementMixin, generic.View):
    def get(self, request, *args, **kwargs):
        return pdf_response(self.get_statement())


class TaxProfileView(DistributorMixin, generic.FormView):
    """The distributor's tax status, tax number / VAT id and billing address."""

    template_name = "oscar_mlm/mlm_commissions/tax_profile.html"
    form_class = TaxProfileForm

    def get_initial(self):
        return tax_profile_initial(self.member)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["active_tab"] = "statements"
        ctx["tax_profile"] = services.tax_profile_of(self.member)
        return ctx

    def form_valid(self, form):
        try:
            services.save_tax_profile(self.member, **form.cleaned_data)
        except InvalidTaxProfile as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Your tax details were saved."))
        return redirect("mlm_commissions:mlm-tax-profile")
