"""Customer ledger, CSV export and the staff pages (accounts, adjustments, rules, expiry).

Views only parse input, call :mod:`.services` and show its messages.
"""

from django.conf import settings
from django.contrib import messages
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from oscar_mlm.conf import get_setting
from oscar_mlm.exports import csv_response
from oscar_mlm.money import shop_currencies
from oscar_mlm.parsing import clean_text, parse_id, parse_int

from . import services
from .exceptions import CreditError
from .forms import AdjustForm, ExpiryForm, OrphanForm, RuleForm

CreditAccount = get_model("mlm_credit", "CreditAccount")
CreditEntry = get_model("mlm_credit", "CreditEntry")
CreditRule = get_model("mlm_credit", "CreditRule")
Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")


def keyset_page(entries, before, per_page):
    """One page of ``entries`` (newest first) below the id ``before``: keyset pagination.

    The index (account, -id) makes every page a short index range scan,
    however deep in the ledger: no OFFSET, no COUNT.
    """
    # A spend is booked before its order exists and keeps only the number: link it
    # (like earned credit) once an order with that number is there.
    qs = (
        entries.order_by("-id")
        .select_related("order", "created_by")
        .annotate(
            order_exists=Exists(Order.objects.filter(number=OuterRef("order_number"))),
            # A sponsor's referral credit names the customer's order, which is not theirs.
            own_order=Exists(
                Order.objects.filter(
                    number=OuterRef("order_number"), user_id=OuterRef("account__user_id")
                )
            ),
        )
    )
    if before:
        qs = qs.filter(id__lt=before)
    rows = list(qs[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    return rows, (rows[-1].pk if more and rows else None)


def parse_before(request):
    """The page's keyset cursor: an entry id, or ``None`` (the first page) for anything else."""
    return parse_id(request.GET.get("before"))


def search_text(request):
    """The staff search box; text PostgreSQL cannot search for (a NUL byte) searches for nothing."""
    return clean_text(request.GET.get("q"), max_length=200) or ""


class LedgerMixin:
    def get_account(self):
        raise NotImplementedError

    def ledger_context(self, account):
        per_page = get_setting("OSCAR_MLM_CREDIT_ENTRIES_PER_PAGE")
        before = parse_before(self.request)
        if account is None:
            rows, next_before = [], None
        else:
            rows, next_before = keyset_page(account.entries.all(), before, per_page)
        return {
            "account": account,
            "entries": rows,
            "next_before": next_before,
            "is_first_page": before is None,
            "upcoming_expiry": services.upcoming_expiry(account) if account else [],
            "expiry_months": get_setting("OSCAR_MLM_CREDIT_EXPIRY_MONTHS"),
        }


class LedgerView(LedgerMixin, generic.TemplateView):
    """The customer's credit: balance, pending credit, upcoming expiry, every booking."""

    template_name = "oscar_mlm/mlm_credit/ledger.html"

    def get_account(self):
        currency = (
            clean_text(self.request.GET.get("currency"), max_length=3)
            or settings.OSCAR_DEFAULT_CURRENCY
        )
        accounts = CreditAccount.objects.filter(user=self.request.user)
        return accounts.filter(currency=currency.upper()).first() or accounts.first()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(self.ledger_context(self.get_account()))
        ctx["other_accounts"] = CreditAccount.objects.filter(user=self.request.user)
        ctx["credit_rules"] = credit_rules()
        ctx["active_tab"] = "credit"
        ctx["page_title"] = _("My credit")
        return ctx


def credit_rules():
    """What the account page explains: when earned credit becomes available, when it
    expires, how much of an order it may pay."""
    from django.utils.translation import pgettext

    from oscar_mlm.conf import get_setting, setting_values
    from oscar_mlm.money import quantize

    from . import services

    share = services.max_share()
    return {
        "statuses": [
            pgettext("order status", status)
            for status in setting_values("OSCAR_MLM_CREDIT_AVAILABLE_STATUS")
        ],
        "expiry_months": get_setting("OSCAR_MLM_CREDIT_EXPIRY_MONTHS"),
        "max_share_percent": quantize(share * 100) if share is not None else None,
    }


def csv_header():
    return [
        _("Date"),
        _("Type"),
        _("Order"),
        _("Reason"),
        _("Amount"),
        _("Pending amount"),
        _("Balance"),
        _("Pending balance"),
        _("Currency"),
    ]


def csv_rows(account):
    """The account's bookings, oldest first, with the shop's local time to the second."""
    for entry in account.entries.order_by("id").iterator(chunk_size=2000):
        yield [
            timezone.localtime(entry.created).strftime("%Y-%m-%d %H:%M:%S"),
            entry.get_kind_display(),
            entry.order_number,
            entry.reason,
            entry.amount,
            entry.pending_amount,
            entry.balance_after,
            entry.pending_after,
            account.currency,
        ]


class LedgerCsvView(LedgerView):
    def get(self, request, *args, **kwargs):
        account = self.get_account()
        if account is None:
            raise Http404(_("You have no credit account yet."))
        return csv_response(
            f"credit-{account.currency.lower()}.csv", csv_header(), csv_rows(account)
        )


# -- staff --------------------------------------------------------------------------------------


class StaffAccountListView(generic.ListView):
    template_name = "oscar_mlm/mlm_credit/dashboard/account_list.html"
    context_object_name = "accounts"

    def get_paginate_by(self, queryset):
        return get_setting("OSCAR_MLM_CREDIT_ENTRIES_PER_PAGE")

    def get_queryset(self):
        qs = CreditAccount.objects.select_related("user").order_by("-id")
        query = search_text(self.request)
        if query:
            qs = qs.filter(
                Q(user__email__icontains=query)
                | Q(user__last_name__icontains=query)
                | Q(user__first_name__icontains=query)
            )
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["q"] = search_text(self.request)
        return ctx


class StaffAccountView(LedgerMixin, generic.TemplateView):
    template_name = "oscar_mlm/mlm_credit/dashboard/account_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        account = get_object_or_404(CreditAccount.objects.select_related("user"), pk=kwargs["pk"])
        ctx.update(self.ledger_context(account))
        return ctx


class StaffAdjustView(generic.FormView):
    template_name = "oscar_mlm/mlm_credit/dashboard/adjust.html"
    form_class = AdjustForm

    def dispatch(self, request, *args, **kwargs):
        from django.contrib.auth import get_user_model

        self.customer = get_object_or_404(get_user_model(), pk=kwargs["user_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["customer"] = self.customer
        ctx["accounts"] = CreditAccount.objects.filter(user=self.customer)
        return ctx

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            entry = services.adjust_user(
                user=self.customer,
                amount=data["amount"],
                currency=data["currency"],
                reason=data["reason"],
                created_by=self.request.user,
                direction=data["direction"],
            )
        except CreditError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Booked. The balance is now %(balance)s.")
            % {"balance": currency(entry.balance_after, entry.account.currency)},
        )
        return redirect("mlm_dashboard:mlm-credit-account-detail", pk=entry.account_id)


class StaffRuleListView(generic.TemplateView):
    template_name = "oscar_mlm/mlm_credit/dashboard/rule_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["product_rules"] = CreditRule.objects.filter(product__isnull=False).select_related(
            "product"
        )
        ctx["classes"] = ProductClass.objects.select_related("mlm_credit_rule").order_by("name")
        query = search_text(self.request)
        ctx["q"] = query
        if query:
            ctx["products"] = Product.objects.filter(
                Q(title__icontains=query) | Q(upc=query)
            ).order_by("title")[:50]
        return ctx


class RuleView(generic.FormView):
    """Edit the credit rule of one product or product type (empty value: no rule)."""

    template_name = "oscar_mlm/mlm_credit/dashboard/rule_form.html"
    form_class = RuleForm

    def get_target(self):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        self.target = self.get_target()
        self.rule = CreditRule.objects.filter(**{self.target_field: self.target}).first()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.rule or CreditRule(**{self.target_field: self.target})
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(target=self.target, rule=self.rule, target_field=self.target_field)
        if self.target_field == "product":
            ctx["effective_rule"] = services.rule_for(self.target)
        return ctx

    def form_valid(self, form):
        if form.cleaned_data.get("value") is None:
            if self.rule is not None:
                self.rule.delete()
            messages.success(self.request, _("No credit is set here any more."))
        else:
            form.save()
            messages.success(self.request, _("The credit setting was saved."))
        return redirect(self.request.path)


class StaffProductRuleView(RuleView):
    target_field = "product"

    def get_target(self):
        return get_object_or_404(Product, pk=self.kwargs["product_pk"])


class StaffClassRuleView(RuleView):
    target_field = "product_class"

    def get_target(self):
        return get_object_or_404(ProductClass, pk=self.kwargs["class_pk"])


class StaffExpiryView(generic.FormView):
    """Shows the expiry setting; the button enqueues the expiry run as a background task."""

    template_name = "oscar_mlm/mlm_credit/dashboard/expiry.html"
    form_class = ExpiryForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["expiry_months"] = get_setting("OSCAR_MLM_CREDIT_EXPIRY_MONTHS")
        ctx["accounts_with_credit"] = services.accounts_to_expire().count()
        return ctx

    def form_valid(self, form):
        if not get_setting("OSCAR_MLM_CREDIT_EXPIRY_MONTHS"):
            messages.error(self.request, _("Credit does not expire in this shop."))
            return redirect(reverse("mlm_dashboard:mlm-credit-expiry"))
        from .tasks import expire_credit

        result = expire_credit.enqueue()
        messages.success(
            self.request,
            _("The expiry run was started in the background (task %(id)s).") % {"id": result.id},
        )
        return redirect(reverse("mlm_dashboard:mlm-credit-expiry"))


class StaffOrphanView(generic.FormView):
    """Spends whose order never came into being; the button returns them in the background."""

    template_name = "oscar_mlm/mlm_credit/dashboard/orphans.html"
    form_class = OrphanForm
    shown = 100

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        orphans = services.orphan_spends()
        ctx["orphans"] = list(orphans.select_related("account__user")[: self.shown])
        for entry in ctx["orphans"]:
            entry.spent = -entry.amount
        ctx["orphan_count"] = orphans.count()
        ctx["minutes"] = get_setting("OSCAR_MLM_CREDIT_ORPHAN_MINUTES")
        ctx["days"] = get_setting("OSCAR_MLM_CREDIT_ORPHAN_LOOKBACK_DAYS")
        return ctx

    def form_valid(self, form):
        from .tasks import return_orphan_spends

        result = return_orphan_spends.enqueue()
        messages.success(
            self.request,
            _("Returning the credit was started in the background (task %(id)s).")
            % {"id": result.id},
        )
        return redirect(reverse("mlm_dashboard:mlm-credit-orphans"))


REPORT_COLUMNS = (
    ("earned", gettext_lazy("Earned (pending)")),
    ("released", gettext_lazy("Released")),
    ("spent", gettext_lazy("Spent")),
    ("returned", gettext_lazy("Spent credit returned")),
    ("reversed", gettext_lazy("Reversed")),
    ("expired", gettext_lazy("Expired")),
    ("adjusted", gettext_lazy("Adjusted by staff")),
    ("liability", gettext_lazy("Owed at month end")),
    ("pending", gettext_lazy("Pending at month end")),
)


class StaffReportView(generic.TemplateView):
    """The programme report (``?year=2026&currency=EUR``; ``&format=csv`` downloads it)."""

    template_name = "oscar_mlm/mlm_credit/dashboard/report.html"

    def get(self, request, *args, **kwargs):
        query = request.GET
        today = timezone.localdate()
        error = None
        year = today.year
        if query.get("year"):
            year = parse_int(query["year"], minimum=2000, maximum=today.year)
            if year is None:
                error = _("Please choose a year between 2000 and %(year)s.") % {"year": today.year}
                year = today.year
        currency = settings.OSCAR_DEFAULT_CURRENCY
        if query.get("currency"):
            try:
                currency = services.shop_currency(clean_text(query["currency"], max_length=12))
            except CreditError as exc:
                error = exc.message
        rows = services.programme_report(
            currency=currency, months=services.months_of_year(year, today)
        )
        if query.get("format") == "csv" and error is None:
            return csv_response(
                f"credit-programme-{year}-{currency}.csv",
                [_("Month"), *[str(label) for _key, label in REPORT_COLUMNS], _("Currency")],
                (
                    [row.month.strftime("%Y-%m"), *[getattr(row, k) for k, _l in REPORT_COLUMNS],
                     currency]
                    for row in rows
                ),
            )
        if error:
            messages.error(request, error)
        ctx = self.get_context_data(
            rows=[
                {"month": row.month, "cells": [getattr(row, k) for k, _l in REPORT_COLUMNS]}
                for row in rows
            ],
            columns=[label for _key, label in REPORT_COLUMNS],
            year=year,
            years=list(range(today.year, max(2000, today.year - 9) - 1, -1)),
            currency=currency,
            currencies=shop_currencies(),
        )
        return self.render_to_response(ctx)
