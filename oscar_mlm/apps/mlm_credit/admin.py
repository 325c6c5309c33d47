"""Read-only admin: the books change only through services (corrections are new bookings)."""

from django.contrib import admin
from oscar.core.loading import get_model

from oscar_mlm.admin import ReadOnlyAdmin

CreditAccount = get_model("mlm_credit", "CreditAccount")
CreditEntry = get_model("mlm_credit", "CreditEntry")
CreditRule = get_model("mlm_credit", "CreditRule")


@admin.register(CreditAccount)
class CreditAccountAdmin(ReadOnlyAdmin):
    list_display = ("user", "currency", "balance", "pending", "created")
    search_fields = ("user__email",)


@admin.register(CreditEntry)
class CreditEntryAdmin(ReadOnlyAdmin):
    list_display = ("id", "account", "kind", "amount", "pending_amount", "balance_after", "created")
    list_filter = ("kind",)
    search_fields = ("order_number", "idempotency_key")
    raw_id_fields = ("account", "order", "line", "reverses", "created_by")


@admin.register(CreditRule)
class CreditRuleAdmin(ReadOnlyAdmin):
    list_display = ("product", "product_class", "type", "value", "updated")
