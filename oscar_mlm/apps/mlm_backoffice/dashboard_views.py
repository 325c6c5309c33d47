"""Staff pages of the back office, in the network dashboard section (``mlm_dashboard``).

The tree around any member is the partner's lazy tree (the same selectors, partials and
script) with links into the dashboard; a distributor's private CRM notes are read only
through :func:`.services.read_notes_as_staff`, which logs every read.
"""

from django import forms
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import generic
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_network import privacy, tree
from oscar_mlm.parsing import parse_id

from . import services, structure
from .exceptions import CrmError
from .structure import TreeLinks

Member = get_model("mlm_network", "Member")
NoteRead = get_model("mlm_backoffice", "NoteRead")

TEMPLATES = "oscar_mlm/mlm_backoffice/dashboard/"
READS_SHOWN = 20


def member_or_404(pk):
    member = get_object_or_404(Member.objects.select_related("user"), pk=pk)
    member.level = 0
    return member


def after_or_404(request):
    after = request.GET.get("after")
    if after not in (None, "") and parse_id(after) is None:
        raise Http404
    return after


class StaffTreeView(generic.TemplateView):
    """The first line of any member as an expandable tree; each node loads on demand."""

    template_name = TEMPLATES + "tree.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        root = member_or_404(self.kwargs["pk"])
        period = structure.current_period()
        nodes, next_after = structure.children(
            root, root, after=after_or_404(self.request), period=period
        )
        ctx.update(
            member=root,
            root=root,
            upline=list(reversed(tree.upline(root))),
            nodes=nodes,
            next_after=next_after,
            period=period,
            tree=TreeLinks(root=root),
        )
        return ctx


class StaffNodeView(generic.TemplateView):
    """The list items of one member's first line below the tree's root (a page of it)."""

    template_name = "oscar_mlm/mlm_backoffice/partials/nodes.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        root = member_or_404(self.kwargs["pk"])
        parent = privacy.downline_member(root, self.kwargs["node_pk"])
        if parent is None:
            raise Http404
        period = structure.current_period()
        nodes, next_after = structure.children(
            root, parent, after=after_or_404(self.request), period=period
        )
        ctx.update(
            nodes=nodes,
            next_after=next_after,
            parent=parent,
            period=period,
            tree=TreeLinks(root=root),
        )
        return ctx


class ReadNotesForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you read them"),
        required=False,
        help_text=_("Kept with the log of this read, e.g. the support request."),
        widget=forms.TextInput(attrs={"maxlength": 500}),
    )


class StaffNotesView(generic.FormView):
    """A member's CRM notes for support: the log of earlier reads; reading them (POST) is
    logged with who, when, how many and why, then shows them (``?read=<its log row>``, to
    the same staff member for a few minutes)."""

    template_name = TEMPLATES + "notes.html"
    form_class = ReadNotesForm

    def dispatch(self, request, *args, **kwargs):
        self.member = member_or_404(kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["member"] = self.member
        read_id = parse_id(self.request.GET.get("read"))
        if read_id is not None and "notes" not in ctx:
            ctx["notes"] = services.notes_of_read(
                staff_user=self.request.user, member=self.member, read_id=read_id
            )
        ctx["reads"] = (
            NoteRead.objects.filter(member=self.member)
            .select_related("staff")
            .order_by("-created", "-pk")[:READS_SHOWN]
        )
        return ctx

    def form_valid(self, form):
        try:
            notes = services.read_notes_as_staff(
                staff_user=self.request.user,
                member=self.member,
                reason=form.cleaned_data["reason"],
            )
        except CrmError as exc:
            form.add_error("reason", exc.message)
            return self.form_invalid(form)
        # The read is logged; the page after it shows what it read (refreshing it does not
        # read again).
        url = reverse("mlm_dashboard:mlm-member-notes", kwargs={"pk": self.member.pk})
        return redirect(f"{url}?read={notes.read.pk}")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)
