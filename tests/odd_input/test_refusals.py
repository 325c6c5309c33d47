"""Each place the sweep found answering 500: the refusal the user sees, and nothing changed.

Characters ``str.isdigit()`` accepts but ``int()`` refuses (``²``), digits of
other scripts (``١٢``), NUL bytes, huge numbers and text where an id belongs.
"""

from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from oscar.core.loading import get_model
from oscar.test import factories as oscar_factories

from oscar_mlm.apps.mlm_credit import services as credit
from oscar_mlm.apps.mlm_network import services as network
from oscar_mlm.apps.mlm_network.exceptions import SponsorNotFound
from oscar_mlm.apps.mlm_vouchers import services as vouchers
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
Member = get_model("mlm_network", "Member")
CreditEntry = get_model("mlm_credit", "CreditEntry")
Order = get_model("order", "Order")

ODD_IDS = ["²", "١٢", "7\x00", "9" * 30, "-1", "0", "<b>1</b>", "1.5"]


@pytest.fixture
def anna(company):
    return DistributorFactory(parent=company, handle="anna")


@pytest.fixture
def staff_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("value", ODD_IDS + ["#²", "  "])
def test_find_sponsor_reads_no_odd_number_as_a_member(anna, value):
    assert network.find_sponsor(value) is None


def test_find_sponsor_still_finds_by_number_and_handle(anna):
    assert network.find_sponsor(str(anna.pk)) == anna
    assert network.find_sponsor(f" #{anna.pk} ") == anna
    assert network.find_sponsor("ANNA") == anna


@pytest.mark.parametrize("value", ["²", "١٢", "9" * 30])
def test_signup_with_an_odd_sponsor_id_shows_the_form_error(client, anna, settings, value):
    settings.OSCAR_MLM_COMPANY_SIGNUP = "sponsor_id"
    users = User.objects.count()
    response = client.post(
        "/accounts/register/",
        {
            "sponsor_id": value,
            "email": "new@example.com",
            "first_name": "Nina",
            "last_name": "Neu",
            "password1": "a-Long-pass-123",
            "password2": "a-Long-pass-123",
        },
    )
    assert response.status_code == 200
    assert str(SponsorNotFound.default_message) in response.content.decode()
    assert User.objects.count() == users


@pytest.mark.parametrize("value", ["²", "١٢", "\x00"])
def test_staff_member_search_with_odd_numbers_finds_nothing(staff_client, anna, value):
    response = staff_client.get(reverse("mlm_dashboard:mlm-member-list"), {"q": value})
    assert response.status_code == 200
    assert list(response.context["members"]) == []


def test_staff_member_search_by_number_still_works(staff_client, anna):
    response = staff_client.get(reverse("mlm_dashboard:mlm-member-list"), {"q": f"#{anna.pk}"})
    assert list(response.context["members"]) == [anna]


@pytest.mark.parametrize("value", ["²", "١٢", "\x00"])
def test_staff_reassign_with_an_odd_sponsor_id_shows_the_form_error(
    staff_client, anna, company, value
):
    dora = CustomerFactory(parent=anna)
    response = staff_client.post(
        reverse("mlm_dashboard:mlm-member-reassign", kwargs={"pk": dora.pk}),
        {"sponsor_id": value, "reason": "moved"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["sponsor_id"]
    dora.refresh_from_db()
    assert dora.parent == anna


@pytest.fixture
def ledger(db):
    user = UserFactory()
    staff = UserFactory(is_staff=True)
    account = credit.open_account(user, "EUR")
    for _ in range(3):
        credit.adjust(account=account, amount="1.00", currency="EUR", reason="x", created_by=staff)
    return user, account


@pytest.mark.parametrize("value", ["²", "١٢", "\x00", "9" * 30, "-1", "abc"])
def test_ledger_cursor_that_is_no_id_shows_the_first_page(client, ledger, settings, value):
    settings.OSCAR_MLM_CREDIT_ENTRIES_PER_PAGE = 2
    user, account = ledger
    client.force_login(user)
    response = client.get(reverse("mlm_credit:mlm-credit-ledger"), {"before": value})
    assert response.status_code == 200
    assert response.context["is_first_page"]
    assert [e.pk for e in response.context["entries"]] == list(
        account.entries.order_by("-id").values_list("pk", flat=True)[:2]
    )


@pytest.mark.parametrize("value", ["\x00", "E\x00R", "x" * 100])
def test_ledger_currency_that_is_no_code_shows_the_default_account(client, ledger, value):
    user, account = ledger
    client.force_login(user)
    response = client.get(reverse("mlm_credit:mlm-credit-ledger"), {"currency": value})
    assert response.context["account"] == account


@pytest.mark.parametrize(
    "url", ["mlm_dashboard:mlm-credit-account-list", "mlm_dashboard:mlm-credit-rule-list"]
)
def test_staff_credit_searches_with_a_nul_byte_search_for_nothing(staff_client, ledger, url):
    response = staff_client.get(reverse(url), {"q": "a\x00b"})
    assert response.status_code == 200
    assert response.context["q"] == ""


@pytest.mark.parametrize("value", ["1e999", "-1e999", "Infinity", "NaN", "9" * 30])
def test_staff_adjustment_with_an_absurd_amount_is_a_form_error(staff_client, ledger, value):
    user, account = ledger
    entries = CreditEntry.objects.count()
    response = staff_client.post(
        reverse("mlm_dashboard:mlm-credit-adjust", kwargs={"user_pk": user.pk}),
        {"direction": "credit", "amount": value, "currency": "EUR", "reason": "gift"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["amount"]
    assert CreditEntry.objects.count() == entries


@pytest.mark.parametrize("value", ["²", "١٢", "abc", "", "9" * 30])
def test_deactivating_a_code_by_an_odd_id_is_a_404_and_keeps_the_code(client, anna, value):
    vouchers.create_program(name="New customers", value=D("10.00"))
    code = vouchers.issue_voucher(member=anna)
    client.force_login(anna.user)
    response = client.post(reverse("mlm_vouchers:mlm-voucher-list"), {"deactivate": value})
    assert response.status_code == 404
    code.refresh_from_db()
    assert code.is_active


@pytest.fixture
def shopper(client, db):
    user = UserFactory()
    client.force_login(user)
    oscar_factories.CountryFactory(
        iso_3166_1_a2="DE", printable_name="Germany", is_shipping_country=True
    )
    product = oscar_factories.create_product(price=D("10.00"), num_in_stock=10)
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    return user


@pytest.mark.parametrize("value", ["²", "١٢", "\x00", "", "9" * 30, "0"])
def test_shipping_to_an_address_that_is_none_of_yours_gets_a_message(client, shopper, value):
    other = oscar_factories.UserAddressFactory(user=UserFactory(), country__iso_3166_1_a2="DE")
    for address_id in (value, str(other.pk)):
        response = client.post(
            reverse("checkout:shipping-address"),
            {"address_id": address_id, "action": "ship_to"},
            follow=True,
        )
        assert response.redirect_chain[0][0] == reverse("checkout:shipping-address")
        assert "This address is not in your address book." in response.content.decode()
        assert "shipping" not in client.session.get("checkout_data", {})


def test_shipping_to_your_own_address_still_works(client, shopper):
    mine = oscar_factories.UserAddressFactory(user=shopper, country__iso_3166_1_a2="DE")
    response = client.post(
        reverse("checkout:shipping-address"), {"address_id": str(mine.pk), "action": "ship_to"}
    )
    assert response.status_code == 302
    assert response.url == reverse("checkout:shipping-method")


@pytest.mark.parametrize("param", ["order_id", "order_number"])
@pytest.mark.parametrize("value", ["²", "١٢", "\x00", "", "9" * 30])
def test_thank_you_preview_with_an_odd_order_shows_no_order(staff_client, param, value):
    response = staff_client.get(reverse("checkout:thank-you"), {param: value})
    assert response.status_code == 302


def test_thank_you_preview_still_shows_an_order(staff_client):
    order = oscar_factories.create_order()
    for query in ({"order_id": order.pk}, {"order_number": order.number}):
        response = staff_client.get(reverse("checkout:thank-you"), query)
        assert response.status_code == 200
        assert response.context["order"] == order


@pytest.mark.parametrize("value", ["²", "١٢", "-1", "9" * 30, "36501", "\x00"])
def test_orphan_return_days_must_be_a_whole_number_in_range(db, value):
    with pytest.raises(CommandError, match="--days.*whole number from 0 to 36500"):
        call_command("mlm_credit_return_orphans", f"--days={value}", "--no-progress")


@pytest.mark.parametrize("option", ["--size", "--seed", "--orders"])
def test_demo_numbers_in_other_scripts_are_refused(company, option):
    with pytest.raises(CommandError, match=f"{option} must be a whole number"):
        call_command("mlm_demo_network", f"{option}=١٢", "--no-progress")
    assert not Member.objects.exclude(pk=company.pk).exists()


def test_import_from_a_file_name_with_a_nul_byte_is_refused(company):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("mlm_import_members", "--csv=members\x00.csv")
    assert not Member.objects.exclude(pk=company.pk).exists()


def test_writes_rolled_back_to_a_savepoint_do_not_count():
    from .crawler import net_writes

    def run(*sql):
        return net_writes([{"sql": s} for s in sql])

    assert run('INSERT INTO "a" VALUES (1)') == {"a"}
    assert run('SAVEPOINT "s1"', 'UPDATE "a" SET x=1', 'ROLLBACK TO SAVEPOINT "s1"') == set()
    assert run('SAVEPOINT "s1"', 'DELETE FROM "b"', 'RELEASE SAVEPOINT "s1"') == {"b"}
    assert run(
        'SAVEPOINT "s1"', 'INSERT INTO "a"', 'SAVEPOINT "s2"', 'INSERT INTO "b"',
        'RELEASE SAVEPOINT "s2"', 'ROLLBACK TO SAVEPOINT "s1"', 'INSERT INTO "c"',
    ) == {"c"}  # fmt: skip
