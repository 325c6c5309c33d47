import re
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_network.exceptions import InvalidStatus
from oscar_mlm.apps.mlm_vouchers import rules, services
from oscar_mlm.apps.mlm_vouchers.exceptions import (
    CodeExpired,
    CodeLimitReached,
    CodeUsedUp,
    NoProgram,
    NotNewCustomer,
    OwnCode,
    RedemptionRefused,
    UnknownCode,
)
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory, UserFactory

from .helpers import basket_with, place

Member = get_model("mlm_network", "Member")
SponsorChange = get_model("mlm_network", "SponsorChange")
Redemption = get_model("mlm_vouchers", "Redemption")
GuestAttribution = get_model("mlm_vouchers", "GuestAttribution")
DistributorVoucher = get_model("mlm_vouchers", "DistributorVoucher")


# -- codes ------------------------------------------------------------------------------------


def test_codes_are_readable_unguessable_and_prefixed(anna, program):
    codes = {services.issue_voucher(member=anna).code for _ in range(5)}
    assert len(codes) == 5
    for code in codes:
        assert re.fullmatch(r"ANNA-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", code), code


def test_code_without_prefix(anna, program, settings):
    settings.OSCAR_MLM_VOUCHER_CODE_PREFIX = ""
    assert re.fullmatch(
        r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", services.issue_voucher(member=anna).code
    )


def test_code_carries_the_programme_limits(code, program):
    assert code.uses_allowed == 1 and code.voucher.usage == "Single use"
    assert code.voucher.end_datetime - code.voucher.start_datetime == timedelta(days=30)
    assert list(code.voucher.offers.all()) == [program.offer]


def test_distributor_limit_of_active_codes(anna, program):
    program.max_active_codes = 2
    program.save()
    services.issue_voucher(member=anna)
    services.issue_voucher(member=anna)
    with pytest.raises(CodeLimitReached):
        services.issue_voucher(member=anna)
    assert DistributorVoucher.objects.filter(issuer=anna).count() == 2


def test_expired_and_deactivated_codes_free_a_slot(anna, program):
    program.max_active_codes = 1
    program.save()
    first = services.issue_voucher(member=anna)
    services.deactivate_voucher(distributor_voucher=first, member=anna)
    services.issue_voucher(member=anna)


@pytest.mark.parametrize("who", ["customer", "inactive"])
def test_only_active_distributors_issue(company, program, who):
    member = (
        CustomerFactory(parent=company)
        if who == "customer"
        else DistributorFactory(parent=company, status="inactive")
    )
    with pytest.raises(InvalidStatus):
        services.issue_voucher(member=member)
    assert not DistributorVoucher.objects.exists()


def test_no_programme(anna):
    with pytest.raises(NoProgram):
        services.issue_voucher(member=anna)


def test_programme_offer_uses_our_proxies_registered_the_oscar_way(program):
    from oscar_mlm.apps.mlm_vouchers.offers import NewCustomerBenefit, NewCustomerCondition

    offer = program.offer
    assert offer.condition.proxy_class == "oscar_mlm.apps.mlm_vouchers.offers.NewCustomerCondition"
    assert offer.benefit.proxy_class == "oscar_mlm.apps.mlm_vouchers.offers.NewCustomerBenefit"
    assert isinstance(offer.condition.proxy(), NewCustomerCondition)
    assert isinstance(offer.benefit.proxy(), NewCustomerBenefit)


def test_only_one_default_programme(program):
    second = services.create_program(name="Summer", value=D("5.00"), is_default=True)
    program.refresh_from_db()
    assert (program.is_default, second.is_default) == (False, True)
    services.make_default(program)
    second.refresh_from_db()
    program.refresh_from_db()
    assert (program.is_default, second.is_default) == (True, False)


def test_a_new_programme_leaves_the_default_alone_unless_asked(program):
    second = services.create_program(name="Summer", value=D("5.00"))
    program.refresh_from_db()
    assert (program.is_default, second.is_default) == (True, False)


# -- rules at the basket ------------------------------------------------------------------------


def test_new_customer_gets_the_discount(code, newbie):
    basket = basket_with(newbie.user, code)
    assert basket.total_discount == D("5.00")


@pytest.mark.parametrize(
    "case, error",
    [
        ("own", OwnCode),
        ("upline", OwnCode),
        ("ordered before", NotNewCustomer),
        ("guest email ordered before", NotNewCustomer),
        ("expired", CodeExpired),
        ("deactivated", UnknownCode),
        ("issuer inactive", UnknownCode),
    ],
)
def test_refusals_say_why(code, anna, newbie, case, error):
    user = newbie.user
    if case == "own":
        user = anna.user
    elif case == "upline":
        boss = anna.parent
        sub = DistributorFactory(parent=anna)
        code = services.issue_voucher(member=sub)
        user = anna.user  # anna sits above sub
        assert boss
    elif case == "ordered before":
        place(basket_with(user), user)
    elif case == "guest email ordered before":
        place(basket_with(), None, guest_email="NINA@example.com")
    elif case == "expired":
        code.voucher.end_datetime = timezone.now() - timedelta(seconds=1)
        code.voucher.save()
    elif case == "deactivated":
        services.deactivate_voucher(distributor_voucher=code, member=anna)
        code.refresh_from_db()
    elif case == "issuer inactive":
        from oscar_mlm.apps.mlm_network import services as network

        network.deactivate(member=anna)
        code.issuer.refresh_from_db()
    with pytest.raises(error):
        rules.check_redeemable(code, user=user)
    assert basket_with(user, code).total_discount == D("0.00")


def test_used_up_code(code, newbie, company):
    place(basket_with(newbie.user, code), newbie.user)
    other = CustomerFactory(parent=company)
    with pytest.raises(CodeUsedUp):
        rules.check_redeemable(code, user=other.user)


def test_minimum_basket(code, newbie, program):
    program.min_basket = D("100.00")
    program.save()
    assert basket_with(newbie.user, code, price=D("50.00")).total_discount == D("0.00")
    assert basket_with(newbie.user, code, price=D("150.00")).total_discount == D("15.00")


# -- placing the order -------------------------------------------------------------------------


def test_order_moves_buyer_to_issuer_and_audits(code, anna, ben, newbie):
    order = place(basket_with(newbie.user, code), newbie.user)
    newbie.refresh_from_db()
    assert newbie.parent == anna
    change = SponsorChange.objects.filter(member=newbie).latest("pk")
    assert (change.old_sponsor, change.new_sponsor, change.source) == (ben, anna, "voucher")
    assert code.code in change.reason and str(order.number) in change.reason
    redemption = Redemption.objects.get(order=order)
    assert (redemption.buyer, redemption.moved, redemption.distributor_voucher) == (
        newbie,
        True,
        code,
    )
    assert order.total_discount_incl_tax == D("5.00")


def test_logged_in_user_without_member_joins_issuer(code, anna):
    user = UserFactory(email="solo@example.com")
    place(basket_with(user, code), user)
    member = Member.objects.get(user=user)
    assert (member.parent, member.kind, member.attribution) == (anna, "customer", "voucher")


def test_distributor_buyer_is_not_moved_by_default(code, anna, ben, company, settings):
    dora = DistributorFactory(parent=ben)
    place(basket_with(dora.user, code), dora.user)
    dora.refresh_from_db()
    assert dora.parent == ben
    assert Redemption.objects.get().moved is False


def test_distributor_buyer_moves_when_set(code, anna, ben, settings):
    settings.OSCAR_MLM_VOUCHER_MOVES_DISTRIBUTORS = True
    dora = DistributorFactory(parent=ben)
    place(basket_with(dora.user, code), dora.user)
    dora.refresh_from_db()
    assert dora.parent == anna


def test_guest_order_binds_email_for_later_sign_up(code, anna, ben, client, settings):
    settings.OSCAR_MLM_COMPANY_SIGNUP = "sponsor_id"
    place(basket_with(AnonymousUser(), code), AnonymousUser(), guest_email="Guest@Example.com")
    assert GuestAttribution.objects.get().issuer == anna
    # Later the guest signs up on the company site naming Ben: the voucher wins.
    client.post(
        "/accounts/register/",
        {
            "sponsor_id": "ben",
            "email": "guest@example.com",
            "first_name": "Nina",
            "last_name": "Neu",
            "password1": "a-Long-pass-123",
            "password2": "a-Long-pass-123",
        },
    )
    member = Member.objects.get(user__email="guest@example.com")
    assert (member.parent, member.attribution) == (anna, "voucher")
    assert SponsorChange.objects.get(member=member).source == "voucher"


def test_failed_placement_assigns_nothing(code, ben, newbie, monkeypatch):
    from oscar.apps.order.utils import OrderCreator

    def broken(self, order, line, **kwargs):
        raise RuntimeError("stock service down")

    monkeypatch.setattr(OrderCreator, "create_line_models", broken)
    with pytest.raises(RuntimeError):
        place(basket_with(newbie.user, code), newbie.user)
    newbie.refresh_from_db()
    assert newbie.parent == ben
    assert not Redemption.objects.exists()
    assert SponsorChange.objects.filter(source="voucher").count() == 0


def test_rule_broken_at_placement_aborts_order(code, newbie):
    """The basket qualified, but an order came in before placement."""
    from oscar_mlm.test.factories import UserFactory  # noqa: F401

    basket = basket_with(newbie.user, code)
    place(basket_with(newbie.user), newbie.user)  # another order without code
    with pytest.raises(RedemptionRefused, match="only for new customers"):
        place(basket, newbie.user)
    assert not Redemption.objects.exists()


# -- reads at placement ------------------------------------------------------------------------


def member_reads(queries, user):
    """Reads of the member row of ``user`` (by user id or by its pk) and upline walks."""
    table = Member._meta.db_table
    member = Member.objects.filter(user=user).first()
    pk = member.pk if member else None

    def reads_buyer(sql):
        if not sql.startswith("SELECT") or f'FROM "{table}"' not in sql:
            return False
        if f'"user_id" = {user.pk}' in sql:
            return True
        by_pk = re.findall(rf'"{table}"\."id" (?:= (\d+)|IN \(([^)]*)\))', sql)
        pks = {int(v) for eq, many in by_pk for v in ([eq] if eq else many.split(", "))}
        return pk in pks

    by_user = [q["sql"] for q in queries if reads_buyer(q["sql"])]
    uplines = [q["sql"] for q in queries if "WITH RECURSIVE up(" in q["sql"]]
    return by_user, uplines


def redeem_counting(code, user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    order = place(basket_with(user), user)  # the order the code is redeemed on (no code in it)
    with CaptureQueriesContext(connection) as ctx:
        services.redeem_at_placement(code, order)
    return member_reads(ctx.captured_queries, user)


def test_redemption_reads_the_buyer_once_and_the_upline_once(code, anna, ben, newbie):
    by_user, uplines = redeem_counting(code, newbie.user)
    assert len(by_user) == 1, by_user  # locked together with the issuer, then moved
    assert len(uplines) == 1, uplines  # own-code rule and cycle check alike
    newbie.refresh_from_db()
    assert newbie.parent == anna
    assert Redemption.objects.get().moved is True


def test_redemption_of_a_user_without_member_reads_the_buyer_once_before_joining(code, anna):
    user = UserFactory(email="solo@example.com")
    by_user, uplines = redeem_counting(code, user)
    # One read finds no member; register_member checks again before it inserts.
    assert len(by_user) == 2, by_user
    assert len(uplines) == 1, uplines
    assert Member.objects.get(user=user).parent == anna


@pytest.mark.parametrize("who", ["issuer", "sponsor of the issuer"])
def test_own_and_upline_codes_are_refused_under_the_lock(program, ben, who):
    carla = DistributorFactory(parent=ben, handle="carla")
    code = services.issue_voucher(member=carla)
    buyer = carla if who == "issuer" else ben
    with pytest.raises(ValueError, match="your own voucher"):
        redeem_counting(code, buyer.user)
    assert not Redemption.objects.exists()
    carla.refresh_from_db()
    assert carla.parent == ben
