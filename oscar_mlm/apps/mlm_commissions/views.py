"""Staff pages of volume rules: what each product (type) counts for volume.

Views only parse input, call :mod:`.services` and show its messages.
"""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import generic
from oscar.core.loading import get_model

from oscar_mlm.parsing import clean_text

from . import services
from .exceptions import CommissionError
from .forms import INHERIT, VolumeRuleForm
from .services.rules import rule_for

VolumeRule = get_model("mlm_commissions", "VolumeRule")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")


class StaffVolumeRuleListView(generic.TemplateView):
    template_name = "oscar_mlm/mlm_commissions/dashboard/rule_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["product_rules"] = VolumeRule.objects.filter(product__isnull=False).select_related(
            "product"
        )
        ctx["classes"] = ProductClass.objects.select_related("mlm_volume_rule").order_by("name")
        query = clean_text(self.request.GET.get("q", ""), max_length=200) or ""
        ctx["q"] = query
        if query:
            ctx["products"] = Product.objects.filter(
                Q(title__icontains=query) | Q(upc=query)
            ).order_by("title")[:50]
        return ctx


class VolumeRuleView(generic.FormView):
    """Set what one product or product type counts (empty choice: no setting here)."""

    template_name = "oscar_mlm/mlm_commissions/dashboard/rule_form.html"
    form_class = VolumeRuleForm
    target_field = None

    def get_target(self):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        self.target = self.get_target()
        self.rule = VolumeRule.objects.filter(**{self.target_field: self.target}).first()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        if self.rule is None:
            return {"type": INHERIT}
        return {"type": self.rule.type, "points": self.rule.points or ""}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(target=self.target, rule=self.rule, target_field=self.target_field)
        if self.target_field == "product":
            ctx["effective_rule"], ctx["set_on"] = rule_for(self.target)
        return ctx

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            if data["type"] == INHERIT:
                services.remove_volume_rule(target=self.target)
                messages.success(self.request, _("No volume setting here any more."))
            else:
                services.set_volume_rule(
                    target=self.target, type=data["type"], points=data["points"] or None
                )
                messages.success(self.request, _("The volume setting was saved."))
        except CommissionError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        return redirect(self.request.path)


class StaffProductVolumeRuleView(VolumeRuleView):
    target_field = "product"

    def get_target(self):
        return get_object_or_404(Product, pk=self.kwargs["product_pk"])


class StaffClassVolumeRuleView(VolumeRuleView):
    target_field = "product_class"

    def get_target(self):
        return get_object_or_404(ProductClass, pk=self.kwargs["class_pk"])
