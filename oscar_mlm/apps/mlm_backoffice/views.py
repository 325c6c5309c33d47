"""The partner back office, "My business" in the account area: pages for distributors.

Views parse input, ask the selectors (:mod:`.overview`, :mod:`.structure`,
:mod:`.customers`) or call :mod:`.services`, and turn refusals into messages. Whom a
distributor reaches is :mod:`mlm_network.privacy`'s decision: any member number outside
their downline (or, for the customer pages, outside their own customers) is a 404.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import generic
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_network import privacy
from oscar_mlm.apps.mlm_network.mixins import CurrentMemberMixin
from oscar_mlm.conf import get_setting
from oscar_mlm.core.loading import get_class
from oscar_mlm.exports import csv_response
from oscar_mlm.money import quantize
from oscar_mlm.parsing import parse_id

from . import customers, overview, services, structure
from .exceptions import CrmError
from .structure import Filters, Key

Member = get_model("mlm_network", "Member")
FollowUp = get_model("mlm_backoffice", "FollowUp")
SearchForm = get_class("mlm_backoffice.forms", "SearchForm")
StructureFilterForm = get_class("mlm_backoffice.forms", "StructureFilterForm")
CustomerFilterForm = get_class("mlm_backoffice.forms", "CustomerFilterForm")
NoteForm = get_class("mlm_backoffice.forms", "NoteForm")
FollowUpForm = get_class("mlm_backoffice.forms", "FollowUpForm")
TagsForm = get_class("mlm_backoffice.forms", "TagsForm")

TEMPLATES = "oscar_mlm/mlm_backoffice/"


class DistributorRequiredMixin(CurrentMemberMixin):
    """The logged-in distributor as ``self.member``; anyone else gets a page that says
    what the back office is and where their own pages are (status 403)."""

    distributors_only = True
    active_tab = None
    page_title = None

    def get_current_member(self):
        return Member.objects.filter(user_id=self.request.user.pk).select_related("user").first()

    def refuse(self, request):
        return TemplateResponse(
            request,
            TEMPLATES + "not_a_distributor.html",
            {"page_title": _("My business"), "member": self.member},
            status=403,
        )

    def period(self):
        """This period (for the volumes of the nodes), or ``None`` without commissions."""
        return structure.current_period()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            {"active_tab": self.active_tab, "page_title": self.page_title, "member": self.member}
        )
        return ctx


class OverviewView(DistributorRequiredMixin, generic.TemplateView):
    template_name = TEMPLATES + "overview.html"
    active_tab = "business"
    page_title = _("Overview")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["overview"] = overview.overview(self.member)
        return ctx


# -- structure ------------------------------------------------------------------------------


class StructureView(DistributorRequiredMixin, generic.TemplateView):
    """The tree, from the viewer (or from ``?node=`` in their downline), one first line at a
    time; ``?q=`` searches the whole downline by name."""

    template_name = TEMPLATES + "structure.html"
    active_tab = "structure"
    page_title = _("Structure")

    def get(self, request, *args, **kwargs):
        self.root = self.member
        self.member.level = 0
        node = request.GET.get("node")
        if node not in (None, ""):
            self.root = privacy.downline_member(self.member, node)
            if self.root is None:
                raise Http404
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        period = self.period()
        form = SearchForm(self.request.GET or None)
        ctx.update({"form": form, "period": period, "root": self.root})
        if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
            after = Key.parse(self.request.GET.get("after"))
            results, next_key = structure.downline_page(
                self.member, Filters(q=form.cleaned_data["q"]), after=after, period=period
            )
            ctx.update({"results": results, "next_key": next_key, "searched": True})
            return ctx
        after = self.request.GET.get("after")
        if after not in (None, "") and parse_id(after) is None:
            raise Http404
        nodes, next_after = structure.children(self.member, self.root, after=after, period=period)
        ctx.update(
            {
                "nodes": nodes,
                "next_after": next_after,
                "path": structure.path_to(self.member, self.root) if self.root.level else [],
                "can_add": self.member.is_active
                and bool(get_setting("OSCAR_MLM_INTERNAL_SIGNUP_KINDS"))
                and _url_exists("mlm_network:mlm-network-signup"),
            }
        )
        return ctx


def _url_exists(name):
    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


class NodeView(DistributorRequiredMixin, generic.TemplateView):
    """The first line of one member of the viewer's downline, a page of it: the list items
    the tree inserts when a node is opened (``?after=`` for the next page)."""

    template_name = TEMPLATES + "partials/nodes.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        parent = privacy.downline_member(self.member, self.kwargs["pk"])
        if parent is None:
            raise Http404
        after = self.request.GET.get("after")
        if after not in (None, "") and parse_id(after) is None:
            raise Http404
        period = self.period()
        nodes, next_after = structure.children(self.member, parent, after=after, period=period)
        ctx.update({"nodes": nodes, "next_after": next_after, "parent": parent, "period": period})
        return ctx


class StructureListView(DistributorRequiredMixin, generic.TemplateView):
    """The downline as a list with filters, one page after another by key."""

    template_name = TEMPLATES + "structure_list.html"
    active_tab = "structure"
    page_title = _("Structure as a list")

    def get(self, request, *args, **kwargs):
        form = StructureFilterForm(request.GET)
        ctx = self.get_context_data(form=form, period=self.period())
        if not form.is_valid():
            return self.render_to_response(ctx, status=400)
        after = request.GET.get("after")
        key = Key.parse(after)
        if after not in (None, "") and key is None:
            messages.warning(request, gettext("That page link is not valid: the first page."))
        nodes, next_key = structure.downline_page(
            self.member, form.filters(), after=key, period=ctx["period"]
        )
        ctx.update({"nodes": nodes, "next_key": next_key, "first_page": key is None,
                    "filters": form.filters()})  # fmt: skip
        return self.render_to_response(ctx)


class StructureExportView(StructureListView):
    """The list with the same filters as CSV, the whole of it (read batch by batch)."""

    def get(self, request, *args, **kwargs):
        form = StructureFilterForm(request.GET)
        if not form.is_valid():
            return self.render_to_response(
                self.get_context_data(form=form, period=self.period()), status=400
            )
        period = self.period()
        nodes = structure.iter_downline(self.member, form.filters(), period=period)
        header = [
            gettext("Level"), gettext("Member no."), gettext("Name"), gettext("Kind"),
            gettext("Status"), gettext("Joined"), gettext("Sponsor no."),
            gettext("First line"),
            gettext("Volume %(period)s") % {"period": period.label} if period else None,
            gettext("E-mail"), gettext("Telephone"), gettext("Address"),
        ]  # fmt: skip

        def rows():
            for node in nodes:
                m, contact = node.member, node.contact
                row = [
                    node.level, m.pk, m.display_name, m.get_kind_display(),
                    m.get_status_display(), timezone.localtime(m.joined).date().isoformat(),
                    m.parent_id, node.first_line, node.volume,
                    contact.email if contact else "", contact.phone if contact else "",
                    ", ".join(contact.address) if contact else "",
                ]  # fmt: skip
                yield [cell for i, cell in enumerate(row) if header[i] is not None]

        return csv_response(
            f"structure-{self.member.pk}.csv", [h for h in header if h is not None], rows()
        )


class MemberView(DistributorRequiredMixin, generic.TemplateView):
    """One member of the viewer's downline: level, kind, status, figures; contact data
    only where the privacy rule allows."""

    template_name = TEMPLATES + "member.html"
    active_tab = "structure"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        person = privacy.downline_member(self.member, self.kwargs["pk"])
        if person is None or person.pk == self.member.pk:
            raise Http404
        period = self.period()
        node = structure.decorate(self.member, [person], {person.pk: person.level}, period)[0]
        ctx.update(
            {
                "node": node,
                "person": person,
                "page_title": person.display_name,
                "path": structure.path_to(self.member, person),
                "figures": _member_figures(person),
                "is_own_customer": person.parent_id == self.member.pk and person.is_customer,
            }
        )
        return ctx


def _member_figures(person):
    """This and last period's volumes of a downline member (commissions installed)."""
    if not structure.commissions_installed():
        return None
    from oscar_mlm.apps.mlm_commissions import estimates, volumes

    this = estimates.current_period()
    last = estimates.period_before(this)
    figures = []
    for period in (this, last):
        found = volumes.member_volumes(person, period.start, period.end)
        figures.append((period, {k: quantize(v) for k, v in vars(found).items()}))
    return figures


# -- customers and CRM ----------------------------------------------------------------------


class CustomerListView(DistributorRequiredMixin, generic.TemplateView):
    template_name = TEMPLATES + "customer_list.html"
    active_tab = "customers"
    page_title = _("My customers")

    def get_form(self):
        return CustomerFilterForm(self.request.GET, tags=customers.tags_of(self.member))

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        ctx = self.get_context_data(form=form)
        if not form.is_valid():
            return self.render_to_response(ctx, status=400)
        after = request.GET.get("after")
        if after not in (None, "") and parse_id(after) is None:
            messages.warning(request, gettext("That page link is not valid: the first page."))
            after = None
        rows, next_after = customers.customer_page(
            self.member, q=form.cleaned_data["q"], tag=form.cleaned_data["tag"], after=after
        )
        ctx.update({"rows": rows, "next_after": next_after, "first_page": not after})
        return self.render_to_response(ctx)


class CustomerExportView(CustomerListView):
    def get(self, request, *args, **kwargs):
        form = self.get_form()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        header = [
            gettext("Member no."), gettext("Name"), gettext("Status"), gettext("Joined"),
            gettext("E-mail"), gettext("Telephone"), gettext("Address"), gettext("Orders"),
            gettext("Totals"), gettext("Last order"), gettext("Tags"),
            gettext("Next follow-up"),
        ]  # fmt: skip
        found = customers.iter_customers(
            self.member, q=form.cleaned_data["q"], tag=form.cleaned_data["tag"]
        )

        def rows():
            for row in found:
                m, contact = row.member, row.contact
                yield [
                    m.pk, m.display_name, m.get_status_display(),
                    timezone.localtime(m.joined).date().isoformat(),
                    contact.email if contact else "", contact.phone if contact else "",
                    ", ".join(contact.address) if contact else "", row.orders,
                    "; ".join(f"{total} {currency}" for currency, total in row.totals),
                    timezone.localtime(row.last_order).date().isoformat()
                    if row.last_order else "",
                    ", ".join(row.tags),
                    row.next_follow_up.isoformat() if row.next_follow_up else "",
                ]  # fmt: skip

        return csv_response(f"customers-{self.member.pk}.csv", header, rows())


class CustomerMixin(DistributorRequiredMixin):
    """``self.customer``: one of the viewer's own customers, else 404."""

    active_tab = "customers"

    def get_customer(self):
        customer = customers.own_customer(self.member, self.kwargs["pk"])
        if customer is None:
            raise Http404
        return customer

    def customer_url(self, customer):
        return reverse("mlm_backoffice:mlm-backoffice-customer", kwargs={"pk": customer.pk})


class CustomerView(CustomerMixin, generic.TemplateView):
    template_name = TEMPLATES + "customer.html"

    def get(self, request, *args, **kwargs):
        self.customer = self.get_customer()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        customer = self.customer
        row = customers.decorate(self.member, [customer])[0]
        open_follow_ups, done_follow_ups = customers.follow_ups(self.member, customer)
        ctx.update(
            {
                "customer": customer,
                "row": row,
                "page_title": customer.display_name,
                "orders": customers.recent_orders(customer),
                "notes": customers.notes(self.member, customer),
                "open_follow_ups": open_follow_ups,
                "done_follow_ups": done_follow_ups,
                "today": timezone.localdate(),
                "note_form": kwargs.get("note_form") or NoteForm(),
                "follow_up_form": kwargs.get("follow_up_form") or FollowUpForm(),
                "tags_form": kwargs.get("tags_form")
                or TagsForm(initial={"tags": ", ".join(row.tags)}),
            }
        )
        return ctx


class CustomerActionView(CustomerView):
    """A form of the customer page, posted: the service, then back to the page."""

    form_class = None
    context_name = None
    success_message = None
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.customer = self.get_customer()
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.save(form.cleaned_data)
            except CrmError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, self.success_message)
                return redirect(self.customer_url(self.customer))
        ctx = self.get_context_data(**{self.context_name: form})
        return self.render_to_response(ctx, status=400)


class NoteCreateView(CustomerActionView):
    form_class = NoteForm
    context_name = "note_form"
    success_message = _("The note is saved.")

    def save(self, data):
        services.add_note(
            distributor=self.member,
            customer=self.customer,
            channel=data["channel"],
            contacted=data["contacted"],
            text=data["text"],
        )


class FollowUpCreateView(CustomerActionView):
    form_class = FollowUpForm
    context_name = "follow_up_form"
    success_message = _("The follow-up is planned.")

    def save(self, data):
        services.add_follow_up(
            distributor=self.member, customer=self.customer, due=data["due"], text=data["text"]
        )


class TagsView(CustomerActionView):
    form_class = TagsForm
    context_name = "tags_form"
    success_message = _("The tags are saved.")

    def save(self, data):
        services.set_tags(distributor=self.member, customer=self.customer, tags=data["tags"])


class FollowUpDoneView(DistributorRequiredMixin, generic.View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        pk = parse_id(self.kwargs["pk"])
        follow_up = FollowUp.objects.filter(pk=pk, distributor=self.member).first() if pk else None
        if follow_up is None:
            raise Http404
        services.complete_follow_up(distributor=self.member, follow_up=follow_up)
        messages.success(request, gettext("The follow-up is done."))
        target = request.POST.get("next")
        if target == "list":
            return redirect(reverse("mlm_backoffice:mlm-backoffice-followup-list"))
        customer = customers.own_customer(self.member, follow_up.customer_id)
        if customer is None:
            return redirect(reverse("mlm_backoffice:mlm-backoffice-followup-list"))
        return redirect(
            reverse("mlm_backoffice:mlm-backoffice-customer", kwargs={"pk": customer.pk})
        )


class FollowUpListView(DistributorRequiredMixin, generic.TemplateView):
    template_name = TEMPLATES + "followup_list.html"
    active_tab = "follow-ups"
    page_title = _("Follow-ups due")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            {
                "follow_ups": customers.due_follow_ups(self.member),
                "today": timezone.localdate(),
                "days": get_setting("OSCAR_MLM_CRM_DUE_DAYS"),
            }
        )
        return ctx
