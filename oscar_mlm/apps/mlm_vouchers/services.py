"""Every state change of new-customer vouchers, one transaction each."""

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Value
from django.db.models.functions import Replace
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.apps.offer.custom import create_benefit, create_condition
from oscar.apps.voucher.utils import generate_code, get_unused_code
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_network import services as network
from oscar_mlm.apps.mlm_network.exceptions import InvalidStatus
from oscar_mlm.conf import get_setting
from oscar_mlm.exceptions import MlmError

from . import rules
from .exceptions import CodeLimitReached, NoProgram, RedemptionRefused, UnknownCode, VoucherError
from .offers import NewCustomerBenefit, NewCustomerCondition

Member = get_model("mlm_network", "Member")
SponsorChange = get_model("mlm_network", "SponsorChange")
Voucher = get_model("voucher", "Voucher")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Benefit = get_model("offer", "Benefit")
Range = get_model("offer", "Range")
VoucherProgram = get_model("mlm_vouchers", "VoucherProgram")
DistributorVoucher = get_model("mlm_vouchers", "DistributorVoucher")
Redemption = get_model("mlm_vouchers", "Redemption")
GuestAttribution = get_model("mlm_vouchers", "GuestAttribution")

SHIPPING_TYPES = (
    Benefit.SHIPPING_ABSOLUTE,
    Benefit.SHIPPING_FIXED_PRICE,
    Benefit.SHIPPING_PERCENTAGE,
)


def normalise_code(value):
    return "".join((value or "").split()).upper()


def find_code(value):
    """The stored code a customer meant: case, spaces and dashes don't matter."""
    code = normalise_code(value)
    if Voucher.objects.filter(code=code).exists():
        return code
    bare = code.replace("-", "")
    found = (
        Voucher.objects.filter(mlm_distributor_voucher__isnull=False)
        .annotate(bare=Replace("code", Value("-"), Value("")))
        .filter(bare=bare)
        .values_list("code", flat=True)
        .first()
    )
    return found or code


def _new_code(prefix):
    """An unused code from Oscar's generator: groups of four of an alphabet without 0/O/1/I
    (codes are read aloud and typed from paper), after the handle if codes carry one."""
    length = int(get_setting("OSCAR_MLM_VOUCHER_CODE_LENGTH"))
    if not prefix:
        return get_unused_code(length=length)
    while True:
        code = f"{prefix.upper()}-{generate_code(length)}"
        if not Voucher.objects.filter(code=code).exists():
            return code


def default_program():
    program = VoucherProgram.objects.filter(is_default=True, is_active=True).first()
    if program is None:
        raise NoProgram()
    return program


def active_codes(member, now=None):
    now = now or timezone.now()
    return DistributorVoucher.objects.filter(
        issuer=member, is_active=True, voucher__end_datetime__gt=now
    )


# -- staff -----------------------------------------------------------------------------------


def create_program(
    *,
    name,
    benefit_type=Benefit.PERCENTAGE,
    value=Decimal("10.00"),
    max_active_codes=5,
    validity_days=30,
    uses_per_code=1,
    min_basket=Decimal("0.00"),
    is_default=None,
):
    """A programme with its Oscar offer (type Voucher), condition and benefit.

    The discount is any of Oscar's benefit types; staff can tune the offer
    (dates, priority, exclusivity) in Oscar's offer dashboard afterwards.
    ``is_default``: True makes it the programme partners generate codes from
    (replacing the current default), False does not; None (the default) makes
    it the default only if there is none yet.
    """
    with transaction.atomic():
        everything, _created = Range.objects.get_or_create(
            name="All products", defaults={"includes_all_products": True}
        )
        condition = create_condition(NewCustomerCondition)
        benefit = create_benefit(
            NewCustomerBenefit,
            type=benefit_type,
            value=value,
            # Oscar refuses a range on shipping benefits (they discount the shipping charge).
            range=None if benefit_type in SHIPPING_TYPES else everything,
        )
        offer = ConditionalOffer.objects.create(
            name=name,
            offer_type=ConditionalOffer.VOUCHER,
            condition=condition,
            benefit=benefit,
            exclusive=True,
        )
        if is_default is None:
            is_default = not VoucherProgram.objects.filter(is_default=True).exists()
        if is_default:
            VoucherProgram.objects.filter(is_default=True).update(is_default=False)
        return VoucherProgram.objects.create(
            name=name,
            offer=offer,
            max_active_codes=max_active_codes,
            validity_days=validity_days,
            uses_per_code=uses_per_code,
            min_basket=min_basket,
            is_default=is_default,
        )


def make_default(program):
    with transaction.atomic():
        VoucherProgram.objects.filter(is_default=True).exclude(pk=program.pk).update(
            is_default=False
        )
        VoucherProgram.objects.filter(pk=program.pk).update(is_default=True)


def program_name_taken(name, exclude=None):
    """Whether a programme or any Oscar offer already carries ``name`` (case-insensitive).

    The programme's offer gets the same name, and Oscar's offer names are unique.
    """
    programs = VoucherProgram.objects.filter(name__iexact=name)
    offers = ConditionalOffer.objects.filter(name__iexact=name)
    if exclude is not None:
        programs = programs.exclude(pk=exclude.pk)
        offers = offers.exclude(pk=exclude.offer_id)
    return programs.exists() or offers.exists()


LIMIT_FIELDS = ("max_active_codes", "validity_days", "uses_per_code", "min_basket", "is_active")


def update_program(*, program, **limits):
    """Change a programme's limits for distributors (``LIMIT_FIELDS``), in one transaction.

    The discount itself lives on the Oscar offer and is edited in Oscar's offer
    dashboard. Codes already issued keep their validity and uses; new limits
    apply to codes generated from then on. Invalid values raise ``VoucherError``
    with the reason and change nothing.
    """
    unknown = set(limits) - set(LIMIT_FIELDS)
    if unknown:
        raise TypeError(f"update_program() got unexpected fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        program = VoucherProgram.objects.select_for_update().get(pk=program.pk)
        for field, value in limits.items():
            setattr(program, field, value)
        try:
            program.full_clean(exclude=["offer", "name", "is_default", "created"])
        except ValidationError as exc:
            raise VoucherError(" ".join(str(m) for m in exc.messages)) from None
        program.save(update_fields=list(limits))
        return program


# -- distributors ----------------------------------------------------------------------------


def issue_voucher(*, member, program=None):
    """A new personal code for ``member`` within the programme's limits."""
    with transaction.atomic():
        # Lock the issuer so two clicks at once cannot both pass the limit.
        member = Member.objects.select_for_update().get(pk=member.pk)
        if member.kind != Member.DISTRIBUTOR or not member.is_active:
            raise InvalidStatus(_("Only active distributors can generate voucher codes."))
        program = program or default_program()
        if not program.is_active:
            raise NoProgram()
        if active_codes(member).count() >= program.max_active_codes:
            raise CodeLimitReached()
        now = timezone.now()
        prefix = member.handle if get_setting("OSCAR_MLM_VOUCHER_CODE_PREFIX") == "handle" else ""
        code = _new_code(prefix)
        voucher = Voucher.objects.create(
            name=f"{program.name} {code}"[:128],
            code=code,
            usage=Voucher.SINGLE_USE if program.uses_per_code == 1 else Voucher.MULTI_USE,
            start_datetime=now,
            end_datetime=now + timedelta(days=program.validity_days),
        )
        voucher.offers.add(program.offer)
        return DistributorVoucher.objects.create(
            voucher=voucher, issuer=member, program=program, uses_allowed=program.uses_per_code
        )


def deactivate_voucher(*, distributor_voucher, member):
    """The issuer switches a code off; it then answers like an unknown code."""
    with transaction.atomic():
        dv = DistributorVoucher.objects.select_for_update().get(pk=distributor_voucher.pk)
        if dv.issuer_id != member.pk:
            raise UnknownCode()
        if dv.is_active:
            now = timezone.now()
            dv.is_active = False
            dv.deactivated = now
            dv.save(update_fields=["is_active", "deactivated"])
            # Oscar then ignores it in any basket that still holds it.
            Voucher.objects.filter(pk=dv.voucher_id).update(end_datetime=now)
        return dv


# -- placing an order ------------------------------------------------------------------------


def _lock_buyer(email):
    """Serialise orders of one buyer (also guests): two tabs, two codes, one new customer."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"mlm-buyer:{email.lower()}"]
            )


def redeem_at_placement(dv, order):
    """Inside the order transaction (the benefit's ``apply_deferred``).

    Oscar has locked the voucher row. For a signed-in buyer the network lock
    is taken and the buyer's member and the issuer are locked and read once,
    with the issuer's upline (``network.prepare_move``); the rules are checked
    on what was read and the buyer is assigned to the issuer. A broken rule, or
    a move the network refuses, raises :class:`~.exceptions.RedemptionRefused`
    (a ``PlacementRefused``): the order is not placed, Oscar's checkout shows
    the message and keeps the basket, and nothing is assigned.
    """
    dv = DistributorVoucher.objects.select_related("voucher", "issuer", "program").get(pk=dv.pk)
    user = order.user
    email = (user.email if user else order.guest_email) or ""
    _lock_buyer(email)
    try:
        pending = network.prepare_move(user=user, new_sponsor=dv.issuer) if user else None
        if pending is not None:
            dv.issuer = pending.sponsor  # as locked and read now
        rules.check_code(dv)
        if pending is not None:
            rules.check_not_own_code(dv, pending.member, pending.sponsor_upline)
        rules.check_new_customer(user=user, email=email, exclude_order=order)
        buyer, moved = _assign_buyer(dv, pending, order)
    except MlmError as exc:
        # A voucher rule, or the network refusing the move (the issuer left meanwhile).
        raise RedemptionRefused(exc.message) from exc
    redemption = Redemption.objects.create(
        distributor_voucher=dv, order=order, buyer=buyer, email=email, moved=moved
    )
    if user is None and email:
        GuestAttribution.objects.get_or_create(
            email=email.lower(), defaults={"issuer": dv.issuer, "redemption": redemption}
        )
    return _("The voucher's partner %(name)s now looks after you.") % {
        "name": dv.issuer.display_name
    }


def _assign_buyer(dv, pending, order):
    """``(buyer's member or None, moved?)``: a guest is attached when they sign up later."""
    if pending is None:
        return None, False
    reason = _("New-customer voucher %(code)s, order %(number)s") % {
        "code": dv.code,
        "number": order.number,
    }
    buyer = pending.member
    if buyer is None:
        buyer = network.register_member(
            user=order.user,
            sponsor=dv.issuer,
            source=SponsorChange.VOUCHER,
            reason=reason,
            attribution="voucher",
            attributed_storefront=dv.issuer,
        )
        return buyer, True
    if buyer.parent_id == dv.issuer_id:
        return buyer, False
    if buyer.kind == Member.DISTRIBUTOR and not get_setting("OSCAR_MLM_VOUCHER_MOVES_DISTRIBUTORS"):
        return buyer, False
    network.complete_move(pending, source=SponsorChange.VOUCHER, reason=reason)
    return buyer, True

