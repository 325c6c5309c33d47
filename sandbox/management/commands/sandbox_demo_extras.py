from decimal import Decimal

from django.core.management.base import BaseCommand
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_storefront import services as storefronts
from oscar_mlm.apps.mlm_vouchers import services as vouchers

Member = get_model("mlm_network", "Member")
VoucherProgram = get_model("mlm_vouchers", "VoucherProgram")
Storefront = get_model("mlm_storefront", "Storefront")

THEMES = {
    "anna": {
        "display_name": "Anna's natural care",
        "greeting": "Welcome! I am happy to advise you on skin care and nutrition.",
        "accent_color": "#1f7a4d",
        "contact_line": "anna@example.com · +49 30 1234567",
    },
    "ben": {
        "display_name": "Ben's wellness corner",
        "greeting": "Hi, I'm Ben. Ask me anything about our products.",
        "accent_color": "#1d4e89",
        "contact_line": "ben@example.com",
    },
}


class Command(BaseCommand):
    help = (
        "Sandbox extras on top of the demo network (idempotent): storefront themes for anna "
        "and ben, a default new-customer voucher programme (10 % off) and a code for Anna."
    )

    def handle(self, *args, **options):
        for handle, theme in THEMES.items():
            member = Member.objects.filter(handle=handle).first()
            if member and not Storefront.objects.filter(member=member).exists():
                storefronts.update_storefront(member=member, **theme)
        if not VoucherProgram.objects.exists():
            vouchers.create_program(
                name="New customers 10 %",
                value=Decimal("10.00"),
                max_active_codes=5,
                validity_days=30,
            )
            anna = Member.objects.filter(handle="anna").first()
            if anna:
                code = vouchers.issue_voucher(member=anna)
                self.stdout.write(f"Anna's new-customer voucher code: {code.code}")
        self.stdout.write(self.style.SUCCESS("Sandbox extras are in place."))
