"""Staff pages of new-customer vouchers: programmes and the redemption report."""

import csv
import io
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone
from oscar.apps.shipping.methods import FixedPrice
from oscar.apps.shipping.repository import Repository
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_dashboard import reports
from oscar_mlm.apps.mlm_vouchers import services
from oscar_mlm.apps.mlm_vouchers.exceptions import VoucherError
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory, UserFactory
from tests.vouchers.helpers import basket_with, place

from .helpers import assert_form_error, page_messages, url

pytestmark = pytest.mark.django_db

VoucherProgram = get_model("mlm_vouchers", "VoucherProgram")
DistributorVoucher = get_model("mlm_vouchers", "DistributorVoucher")
Redemption = get_model("mlm_vouchers", "Redemption")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")


def offer_counts():
    """What a refused programme form must leave unchanged."""
    return (
        VoucherProgram.objects.count(),
        ConditionalOffer.objects.count(),
        Benefit.objects.count(),
        Condition.objects.count(),
    )


def program_data(**values):
    data = {
        "name": "New customers",
        "discount_type": Benefit.PERCENTAGE,
        "value": "10",
        "max_active_codes": "5",
        "validity_days": "30",
        "uses_per_code": "1",
        "min_basket": "0",
        "is_default": "on",
    }
    data.update(values)
    return {key: value for key, value in data.items() if value is not None}


def limits_data(**values):
    data = {
        "max_active_codes": "3",
        "validity_days": "14",
        "uses_per_code": "2",
        "min_basket": "20.00",
        "is_active": "on",
    }
    data.update(values)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def program(db):
    return services.create_program(name="Spring 10%", value=D("10.00"))


@pytest.fixture
def anna(company):
    return DistributorFactory(
        parent=company, handle="anna", user__first_name="Anna", user__email="anna@example.com"
    )


@pytest.fixture
def ben(company):
    return DistributorFactory(
        parent=company, handle="ben", user__first_name="Ben", user__email="ben@example.com"
    )


def new_customer(sponsor, name):
    return CustomerFactory(
        parent=sponsor, user__first_name=name, user__email=f"{name.lower()}@example.com"
    )


# -- access -----------------------------------------------------------------------------------


def voucher_urls(program, anna):
    return [
        url("mlm-voucherprogram-list"),
        url("mlm-voucherprogram-create"),
        url("mlm-voucherprogram-update", pk=program.pk),
        url("mlm-voucher-report"),
        url("mlm-voucher-report") + "?format=csv",
        url("mlm-voucher-report-distributor", pk=anna.pk),
    ]


def test_anonymous_is_sent_to_the_dashboard_login(client, program, anna):
    login = reverse("dashboard:login")
    for address in voucher_urls(program, anna):
        response = client.get(address)
        assert response.status_code == 302, address
        assert response.url.startswith(login), address


def test_distributors_and_customers_are_refused(client, program, anna):
    for user in (anna.user, UserFactory()):
        client.force_login(user)
        for address in voucher_urls(program, anna):
            assert client.get(address).status_code == 403, address


def test_refused_users_change_nothing(client, program, anna):
    client.force_login(anna.user)
    before = offer_counts()
    client.post(url("mlm-voucherprogram-create"), program_data(name="Mine"))
    client.post(url("mlm-voucherprogram-update", pk=program.pk), limits_data(max_active_codes="99"))
    program.refresh_from_db()
    assert program.max_active_codes == 5
    assert offer_counts() == before


def test_navigation_has_the_voucher_section(staff_client):
    content = staff_client.get(reverse("dashboard:index")).content.decode()
    assert "New-customer vouchers" in content
    for name in ("mlm-voucherprogram-list", "mlm-voucher-report"):
        assert f'href="{url(name)}"' in content, name


# -- programmes -------------------------------------------------------------------------------


def test_list_shows_programmes_with_discount_limits_and_counts(staff_client, program, anna):
    summer = services.create_program(
        name="Summer shipping",
        benefit_type=Benefit.SHIPPING_PERCENTAGE,
        value=D("100"),
        max_active_codes=7,
        is_default=False,
    )
    code = services.issue_voucher(member=anna)
    services.issue_voucher(member=anna)
    buyer = new_customer(anna.parent, "Nina")
    place(basket_with(buyer.user, code), buyer.user)

    response = staff_client.get(url("mlm-voucherprogram-list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Spring 10%" in content and "Summer shipping" in content
    assert "10% off" in content and "All products" not in content
    assert "free shipping" in content
    rows = {p.name: p for p in response.context["programs"]}
    assert (rows["Spring 10%"].codes_issued, rows["Spring 10%"].codes_redeemed) == (2, 1)
    assert (rows["Summer shipping"].codes_issued, rows["Summer shipping"].max_active_codes) == (
        0,
        7,
    )
    assert list(response.context["programs"])[0].is_default  # the default comes first
    assert reverse("dashboard:offer-detail", kwargs={"pk": summer.offer_id}) in content


@pytest.mark.parametrize(
    "discount_type, value, benefit_type, benefit_value, basket_discount",
    [
        (Benefit.PERCENTAGE, "20", Benefit.PERCENTAGE, D("20.00"), D("10.00")),
        (Benefit.FIXED, "7.50", Benefit.FIXED, D("7.50"), D("7.50")),
    ],
)
def test_create_a_basket_discount_programme(
    staff_client, anna, discount_type, value, benefit_type, benefit_value, basket_discount
):
    response = staff_client.post(
        url("mlm-voucherprogram-create"),
        program_data(discount_type=discount_type, value=value, uses_per_code="3"),
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("mlm-voucherprogram-list")
    assert any("was created" in m for m in page_messages(response))
    program = VoucherProgram.objects.get(name="New customers")
    assert program.is_default and program.is_active
    assert (program.uses_per_code, program.max_active_codes) == (3, 5)
    offer = program.offer
    assert offer.name == "New customers" and offer.offer_type == ConditionalOffer.VOUCHER
    assert (offer.benefit.type, offer.benefit.value) == (benefit_type, benefit_value)

    code = services.issue_voucher(member=anna)
    assert code.program == program and code.uses_allowed == 3
    buyer = new_customer(anna.parent, "Nina")
    assert basket_with(buyer.user, code, price=D("50.00")).total_discount == basket_discount


def test_create_a_free_shipping_programme(staff_client, anna):
    response = staff_client.post(
        url("mlm-voucherprogram-create"),
        program_data(name="Free shipping", discount_type="free-shipping", value=""),
    )
    assert response.status_code == 302
    program = VoucherProgram.objects.get(name="Free shipping")
    benefit = program.offer.benefit
    assert (benefit.type, benefit.value) == (Benefit.SHIPPING_PERCENTAGE, D("100.00"))

    code = services.issue_voucher(member=anna)
    buyer = new_customer(anna.parent, "Nina")
    basket = basket_with(buyer.user, code)
    assert basket.total_discount == D("0.00")  # nothing off the products
    assert basket.has_shipping_discounts
    method = Repository().apply_shipping_offer(
        basket, FixedPrice(D("4.90"), D("4.90")), basket.shipping_discounts[0]["offer"]
    )
    assert method.calculate(basket).incl_tax == D("0.00")


def test_make_the_default_is_not_pre_ticked(staff_client, program):
    form = staff_client.get(url("mlm-voucherprogram-create")).context["form"]
    assert form["is_default"].value() is False
    assert 'name="is_default"' in str(form["is_default"]) and "checked" not in str(
        form["is_default"]
    )


def test_the_first_programme_becomes_the_default_by_itself(staff_client):
    data = program_data(name="First")
    del data["is_default"]
    staff_client.post(url("mlm-voucherprogram-create"), data)
    assert VoucherProgram.objects.get(name="First").is_default


def test_new_programme_need_not_be_the_default(staff_client, program):
    data = program_data(name="Autumn")
    del data["is_default"]
    staff_client.post(url("mlm-voucherprogram-create"), data)
    autumn = VoucherProgram.objects.get(name="Autumn")
    program.refresh_from_db()
    assert (program.is_default, autumn.is_default) == (True, False)


@pytest.mark.parametrize(
    "values, field, message",
    [
        ({"value": "0"}, "value", "The discount must be more than zero."),
        ({"value": "-5"}, "value", "The discount must be more than zero."),
        ({"value": ""}, "value", "Please enter the discount value."),
        ({"value": "150"}, "value", "A percentage cannot be more than 100."),
        (
            {"discount_type": Benefit.SHIPPING_PERCENTAGE, "value": "101"},
            "value",
            "A percentage cannot be more than 100.",
        ),
        ({"value": "abc"}, "value", "Enter a number."),
        ({"name": ""}, "name", "This field is required."),
        ({"name": "   "}, "name", "This field is required."),
        ({"name": "x" * 129}, "name", "Ensure this value has at most 128 characters (it has 129)."),
        (
            {"discount_type": "Multibuy"},
            "discount_type",
            "Select a valid choice. Multibuy is not one of the available choices.",
        ),
        (
            {"min_basket": "-1"},
            "min_basket",
            "Ensure this value is greater than or equal to 0.",
        ),
        (
            {"uses_per_code": "0"},
            "uses_per_code",
            "Ensure this value is greater than or equal to 1.",
        ),
        (
            {"max_active_codes": "0"},
            "max_active_codes",
            "Ensure this value is greater than or equal to 1.",
        ),
        ({"validity_days": ""}, "validity_days", "This field is required."),
        (
            {"validity_days": "100000"},
            "validity_days",
            "Ensure this value is less than or equal to 3650.",
        ),
    ],
)
def test_bad_input_is_refused_and_creates_nothing(staff_client, program, values, field, message):
    before = offer_counts()
    response = staff_client.post(url("mlm-voucherprogram-create"), program_data(**values))
    assert_form_error(response, field, message)
    assert offer_counts() == before
    program.refresh_from_db()
    assert program.is_default


@pytest.mark.parametrize("name", ["Spring 10%", "spring 10%", "Site offer"])
def test_duplicate_name_is_refused(staff_client, program, name):
    ConditionalOffer.objects.create(
        name="Site offer",
        offer_type=ConditionalOffer.SITE,
        condition=Condition.objects.create(type=Condition.COUNT, value=1),
        benefit=Benefit.objects.create(type=Benefit.FIXED, value=1),
    )
    before = offer_counts()
    response = staff_client.post(url("mlm-voucherprogram-create"), program_data(name=name))
    assert_form_error(
        response,
        "name",
        "A programme or offer with this name already exists. Please choose another.",
    )
    assert offer_counts() == before


def test_update_page_links_to_the_oscar_offer(staff_client, program):
    response = staff_client.get(url("mlm-voucherprogram-update", pk=program.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert reverse("dashboard:offer-detail", kwargs={"pk": program.offer_id}) in content
    assert "10% off" in content and "All products" not in content
    assert response.context["form"].initial["max_active_codes"] == 5


def test_update_limits(staff_client, program, anna):
    response = staff_client.post(
        url("mlm-voucherprogram-update", pk=program.pk), limits_data(), follow=True
    )
    assert any("were saved" in m for m in page_messages(response))
    program.refresh_from_db()
    assert (program.max_active_codes, program.validity_days, program.uses_per_code) == (3, 14, 2)
    assert program.min_basket == D("20.00") and program.is_active
    code = services.issue_voucher(member=anna)
    assert code.uses_allowed == 2
    assert code.voucher.end_datetime - code.voucher.start_datetime == timedelta(days=14)


def test_switching_a_programme_off_stops_new_codes(staff_client, program, anna):
    staff_client.post(url("mlm-voucherprogram-update", pk=program.pk), limits_data(is_active=None))
    program.refresh_from_db()
    assert not program.is_active
    with pytest.raises(VoucherError):
        services.issue_voucher(member=anna)


@pytest.mark.parametrize(
    "values, field, message",
    [
        (
            {"uses_per_code": "0"},
            "uses_per_code",
            "Ensure this value is greater than or equal to 1.",
        ),
        ({"min_basket": "-0.01"}, "min_basket", "Ensure this value is greater than or equal to 0."),
        ({"max_active_codes": "x"}, "max_active_codes", "Enter a whole number."),
    ],
)
def test_bad_limits_change_nothing(staff_client, program, values, field, message):
    response = staff_client.post(
        url("mlm-voucherprogram-update", pk=program.pk), limits_data(**values)
    )
    assert_form_error(response, field, message)
    program.refresh_from_db()
    assert (program.max_active_codes, program.uses_per_code, program.min_basket) == (5, 1, D("0"))


def test_update_service_refuses_bad_values(program):
    with pytest.raises(VoucherError):
        services.update_program(program=program, uses_per_code=0, max_active_codes=9)
    program.refresh_from_db()
    assert (program.uses_per_code, program.max_active_codes) == (1, 5)
    with pytest.raises(TypeError):
        services.update_program(program=program, name="Renamed")


def test_make_default_switches(staff_client, program):
    summer = services.create_program(name="Summer", value=D("5"), is_default=False)
    response = staff_client.post(
        url("mlm-voucherprogram-update", pk=summer.pk), {"action": "make_default"}, follow=True
    )
    assert response.redirect_chain[-1][0] == url("mlm-voucherprogram-list")
    assert "Summer is now the default programme." in page_messages(response)
    program.refresh_from_db()
    summer.refresh_from_db()
    assert (program.is_default, summer.is_default) == (False, True)
    assert services.default_program() == summer


def test_make_default_of_a_switched_off_programme_warns(staff_client, program):
    summer = services.create_program(name="Summer", value=D("5"), is_default=False)
    services.update_program(program=summer, is_active=False)
    response = staff_client.post(
        url("mlm-voucherprogram-update", pk=summer.pk), {"action": "make_default"}, follow=True
    )
    assert any("cannot generate codes" in m for m in page_messages(response))


def test_unknown_programme_is_404(staff_client):
    assert staff_client.get(url("mlm-voucherprogram-update", pk=999)).status_code == 404


# -- redemption report ------------------------------------------------------------------------


@pytest.fixture
def activity(company, program, anna, ben):
    """Anna: 3 codes, 2 redeemed (one buyer moved, one guest); Ben: 1 code, 1 redeemed
    (buyer moved), and an order without any code."""
    anna_codes = [services.issue_voucher(member=anna) for _ in range(3)]
    ben_code = services.issue_voucher(member=ben)
    nina = new_customer(ben, "Nina")  # signed up under Ben, buys with Anna's code
    otto = new_customer(anna, "Otto")  # signed up under Anna, buys with Ben's code
    orders = {
        "nina": place(basket_with(nina.user, anna_codes[0], price=D("50.00")), nina.user),
        "guest": place(
            basket_with(AnonymousUser(), anna_codes[1], price=D("80.00")),
            AnonymousUser(),
            guest_email="gina@example.com",
        ),
        "otto": place(basket_with(otto.user, ben_code, price=D("30.00")), otto.user),
    }
    place(basket_with(), None, guest_email="plain@example.com")  # no code: not in the report
    return orders


def report_rows(response):
    return {row.handle: row for row in response.context["rows"]}


def numbers(row):
    return (row.issued, row.active, row.redemptions, row.moved, row.discount)


def test_report_per_distributor(staff_client, activity, anna, ben):
    response = staff_client.get(url("mlm-voucher-report"))
    assert response.status_code == 200
    rows = report_rows(response)
    # 10 % of 50 and of 80; Anna's guest buyer is not moved (no account yet).
    assert numbers(rows["anna"]) == (3, 1, 2, 1, D("13.00"))
    assert numbers(rows["ben"]) == (1, 0, 1, 1, D("3.00"))
    assert [row.handle for row in response.context["rows"]] == ["anna", "ben"]
    assert response.context["totals"] == {
        "issued": 4,
        "active": 1,
        "redemptions": 3,
        "moved": 2,
        "discount": D("16.00"),
    }
    content = response.content.decode()
    assert url("mlm-voucher-report-distributor", pk=anna.pk) in content
    assert activity["nina"].total_discount_incl_tax == D("5.00")


def test_report_is_one_query_for_any_number_of_distributors(
    staff_client, activity, django_assert_max_num_queries
):
    queryset = reports.redemption_report()
    with django_assert_max_num_queries(1):
        rows = [numbers(row) + (row.display_name,) for row in queryset]
    assert len(rows) == 2


def test_report_date_filter(staff_client, activity, anna, ben):
    long_ago = timezone.now() - timedelta(days=40)
    Redemption.objects.filter(order=activity["nina"]).update(created=long_ago)
    DistributorVoucher.objects.filter(issuer=ben).update(created=long_ago)
    today = timezone.localdate()
    since = (today - timedelta(days=10)).isoformat()
    rows = report_rows(staff_client.get(url("mlm-voucher-report"), {"date_from": since}))
    assert numbers(rows["anna"]) == (3, 1, 1, 0, D("8.00"))
    assert numbers(rows["ben"]) == (0, 0, 1, 1, D("3.00"))

    before = (today - timedelta(days=30)).isoformat()
    response = staff_client.get(url("mlm-voucher-report"), {"date_to": before})
    rows = report_rows(response)
    assert numbers(rows["anna"]) == (0, 1, 1, 1, D("5.00"))
    assert numbers(rows["ben"]) == (1, 0, 0, 0, D("0.00"))

    # Whole days, inclusive: today's activity counts with from = to = today.
    day = today.isoformat()
    rows = report_rows(
        staff_client.get(url("mlm-voucher-report"), {"date_from": day, "date_to": day})
    )
    assert numbers(rows["anna"]) == (3, 1, 1, 0, D("8.00"))
    assert numbers(rows["ben"]) == (0, 0, 1, 1, D("3.00"))


def test_report_programme_filter(staff_client, activity, program, anna):
    other = services.create_program(name="Other", value=D("5"), is_default=False)
    services.issue_voucher(member=anna, program=other)
    rows = report_rows(staff_client.get(url("mlm-voucher-report"), {"program": other.pk}))
    assert list(rows) == ["anna"]
    assert numbers(rows["anna"]) == (1, 1, 0, 0, D("0.00"))


@pytest.mark.parametrize(
    "query, field, message",
    [
        ({"date_from": "2025-02-10", "date_to": "2025-02-01"}, None, "must not be after"),
        ({"date_from": "2025-13-45"}, "date_from", "Enter a valid date."),
        ({"date_to": "yesterday"}, "date_to", "Enter a valid date."),
        ({"program": "999"}, "program", "Select a valid choice."),
    ],
)
def test_report_bad_filter(staff_client, activity, query, field, message):
    response = staff_client.get(url("mlm-voucher-report"), query)
    assert response.status_code == 200
    errors = response.context["form"].errors.get(field or "__all__", [])
    assert any(message in error for error in errors), errors
    assert list(response.context["rows"]) == []
    assert response.context["totals"] is None
    # The CSV is not built from a bad filter either: the page with the error answers.
    csv_response = staff_client.get(url("mlm-voucher-report"), {**query, "format": "csv"})
    assert csv_response["Content-Type"].startswith("text/html")
    assert not csv_response.context["form"].is_valid()


def test_report_csv(staff_client, activity, anna, ben):
    day = timezone.localdate().isoformat()
    response = staff_client.get(
        url("mlm-voucher-report"), {"date_from": day, "date_to": day, "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"voucher-redemptions-{day}-{day}.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == [
        "Member number",
        "Distributor",
        "Storefront handle",
        "Email",
        "Codes issued",
        "Active codes",
        "Redemptions",
        "Customers moved",
        "Discount total",
    ]
    assert rows[1] == [
        str(anna.pk),
        anna.display_name,
        "anna",
        "anna@example.com",
        "3",
        "1",
        "2",
        "1",
        "13.00",
    ]
    assert rows[2] == [
        str(ben.pk),
        ben.display_name,
        "ben",
        "ben@example.com",
        "1",
        "0",
        "1",
        "1",
        "3.00",
    ]
    assert len(rows) == 3


def test_report_csv_defuses_formulas(staff_client, program, company):
    evil = DistributorFactory(parent=company, user__first_name="=HYPERLINK(1)", user__last_name="")
    services.issue_voucher(member=evil)
    response = staff_client.get(url("mlm-voucher-report"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][1].startswith("'=")


def test_distributor_drill_down(staff_client, activity, anna):
    response = staff_client.get(url("mlm-voucher-report-distributor", pk=anna.pk))
    assert response.status_code == 200
    redemptions = list(response.context["redemptions"])
    assert {r.order.number for r in redemptions} == {
        str(activity["nina"].number),
        str(activity["guest"].number),
    }
    assert {r.order.number: r.discount for r in redemptions} == {
        str(activity["nina"].number): D("5.00"),
        str(activity["guest"].number): D("8.00"),
    }
    content = response.content.decode()
    for order in (activity["nina"], activity["guest"]):
        assert reverse("dashboard:order-detail", kwargs={"number": order.number}) in content
    assert "gina@example.com" in content
    assert f">{activity['otto'].number}<" not in content


def test_empty_report(staff_client):
    response = staff_client.get(url("mlm-voucher-report"))
    assert response.status_code == 200
    assert "No codes or redemptions found." in response.content.decode()
