from decimal import Decimal

from django.core.management.base import BaseCommand
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_commissions import services as volumes
from oscar_mlm.apps.mlm_credit import services as credit
from oscar_mlm.apps.mlm_storefront import services as storefronts
from oscar_mlm.apps.mlm_vouchers import services as vouchers
from oscar_mlm.demo.commissions import build_commission_demo

CreditRule = get_model("mlm_credit", "CreditRule")
Member = get_model("mlm_network", "Member")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
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
        "and ben, a default new-customer voucher programme (10 % off) and a code for Anna, "
        "loyalty credit on skin care (5 %, the day cream 1.00 per unit), 10.00 of welcome "
        "credit for Dora, the night serum counting 30 volume points per unit, and commissions: "
        "a plan, the month before last closed, the last month run."
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
        self.credit()
        self.volume()
        self.commissions()
        self.stdout.write(self.style.SUCCESS("Sandbox extras are in place."))

    def credit(self):
        skin_care = ProductClass.objects.filter(name="Skin care").first()
        if skin_care and not CreditRule.objects.filter(product_class=skin_care).exists():
            CreditRule.objects.create(
                product_class=skin_care, type=CreditRule.PERCENTAGE, value=Decimal("5")
            )
        cream = Product.objects.filter(upc="MLM-SC-001").first()
        if cream and not CreditRule.objects.filter(product=cream).exists():
            CreditRule.objects.create(product=cream, type=CreditRule.FIXED, value=Decimal("1.00"))
        dora = Member.objects.filter(user__email="dora@example.com").select_related("user").first()
        if dora:
            credit.adjust(
                account=credit.open_account(dora.user, "EUR"),
                amount="10.00",
                currency="EUR",
                reason="Welcome gift",
                created_by=None,
                key="sandbox:welcome-credit",  # once, however often this runs
            )

    def volume(self):
        serum = Product.objects.filter(upc="MLM-SC-002").first()
        if serum and not hasattr(serum, "mlm_volume_rule"):
            volumes.set_volume_rule(target=serum, type="points", points="30")

    def commissions(self):
        demo = build_commission_demo()
        if demo is not None:
            self.stdout.write(
                f"Commissions: {demo.closed} closed, {demo.open} run and open "
                f"(order {demo.refunded_order.number if demo.refunded_order else '-'} refunded "
                "after the close)."
            )
