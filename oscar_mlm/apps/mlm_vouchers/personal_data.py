"""Erasure in the voucher app: e-mails of redemptions and guest attributions, and the
codes that carry the person's handle (also as recorded on orders)."""

from django.db.models import Q
from oscar.core.loading import get_model

from oscar_mlm.personal_data import ERASED_DOMAIN, scrub_rows

Redemption = get_model("mlm_vouchers", "Redemption")
GuestAttribution = get_model("mlm_vouchers", "GuestAttribution")
DistributorVoucher = get_model("mlm_vouchers", "DistributorVoucher")
Voucher = get_model("voucher", "Voucher")
OrderDiscount = get_model("order", "OrderDiscount")


def erase_vouchers(person):
    Redemption.objects.filter(Q(email__iexact=person.email) | Q(buyer_id=person.member_id)).update(
        email=person.pseudonym_email
    )
    for attribution in GuestAttribution.objects.filter(email__iexact=person.email):
        # unique per e-mail: one pseudonym per row
        GuestAttribution.objects.filter(pk=attribution.pk).update(
            email=f"erased-attribution-{attribution.pk}@{ERASED_DOMAIN}"
        )
    if person.member_id is None:
        return
    issued = DistributorVoucher.objects.filter(issuer_id=person.member_id).values("voucher_id")
    # The discount's message names the issuer ("a code of ..."), on other people's orders too.
    scrub_rows(OrderDiscount.objects.filter(voucher_id__in=issued), person, "message", "offer_name")
    if not person.handles:
        return
    prefixes = tuple(f"{handle.upper()}-" for handle in person.handles)
    vouchers = Voucher.objects.filter(pk__in=issued)
    for voucher in vouchers:
        if not voucher.code.startswith(prefixes):
            continue
        old_code = voucher.code
        new_code = f"X{person.member_id}-{old_code.split('-', 1)[1]}"
        Voucher.objects.filter(pk=voucher.pk).update(
            code=new_code, name=voucher.name.replace(old_code, new_code)
        )
        for discount in OrderDiscount.objects.filter(voucher_id=voucher.pk):
            OrderDiscount.objects.filter(pk=discount.pk).update(
                voucher_code=new_code, offer_name=discount.offer_name.replace(old_code, new_code)
            )


def export_vouchers(user):
    """The codes the person issued, and the orders they placed with someone's code."""
    codes = (
        DistributorVoucher.objects.filter(issuer__user=user)
        .select_related("voucher", "program")
        .order_by("created", "pk")
    )
    redemptions = (
        Redemption.objects.filter(order__user=user)
        .select_related("order", "distributor_voucher__voucher")
        .order_by("created", "pk")
    )
    return {
        "voucher_codes": [
            {
                "code": dv.voucher.code,
                "programme": dv.program.name,
                "created": dv.created,
                "active": dv.is_active,
                "uses_allowed": dv.uses_allowed,
                "times_used": dv.voucher.num_orders,
            }
            for dv in codes
        ],
        "voucher_redemptions": [
            {
                "when": redemption.created,
                "order_number": redemption.order.number,
                "code": redemption.distributor_voucher.voucher.code,
            }
            for redemption in redemptions
        ],
    }
