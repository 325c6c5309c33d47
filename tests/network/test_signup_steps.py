"""Sign-up asks for the name, says who the sponsor is, and welcomes a new partner.

Also the company-site sign-up policies of seed 000: partners with a sponsor id on the
company site where ``OSCAR_MLM_COMPANY_SIGNUP_KINDS`` allows it, and distributors who never
sign themselves up (``OSCAR_MLM_DISTRIBUTOR_SIGNUP = "internal"``).
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from oscar.core.loading import get_model

from oscar_mlm.test.factories import DistributorFactory

Member = get_model("mlm_network", "Member")
User = get_user_model()

REGISTER = "/accounts/register/"
LOGIN = "/accounts/login/"
ANNA = "anna.localhost:8000"
WELCOME = "/accounts/storefront/welcome/"


def form_data(**extra):
    data = {
        "first_name": "Nina",
        "last_name": "Neumann",
        "email": "nina@example.com",
        "password1": "a-Long-pass-123",
        "password2": "a-Long-pass-123",
    }
    data.update(extra)
    return data


@pytest.fixture
def anna(company):
    return DistributorFactory(
        parent=company, handle="anna", user__first_name="Anna", user__last_name="Berger"
    )


@pytest.fixture
def sponsor_id_policy(settings):
    settings.OSCAR_MLM_COMPANY_SIGNUP = "sponsor_id"


def partner_link(client):
    client.get("/join/", HTTP_HOST=ANNA)


def success_messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# -- names -------------------------------------------------------------------------------------


def test_registration_asks_for_first_and_last_name(client, anna):
    page = client.get(REGISTER, HTTP_HOST=ANNA).content.decode()
    assert 'name="first_name"' in page and 'name="last_name"' in page
    assert page.index('name="first_name"') < page.index('name="email"')


def test_names_are_saved_and_shown_in_the_first_line(client, anna):
    response = client.post(REGISTER, form_data(), HTTP_HOST=ANNA)
    assert response.status_code == 302
    user = User.objects.get(email="nina@example.com")
    assert (user.first_name, user.last_name) == ("Nina", "Neumann")
    assert Member.objects.get(user=user).display_name == "Nina Neumann"
    client.force_login(anna.user)
    page = client.get("/accounts/network/").content.decode()
    assert "Nina Neumann" in page.split('id="mlm-first-line"')[1]


@pytest.mark.parametrize(
    "field, value",
    [
        ("first_name", ""),
        ("last_name", "   "),
        ("first_name", "Ni\x00na"),
        ("last_name", "x" * 151),
    ],
)
def test_missing_or_bad_name_is_refused_and_nothing_is_created(client, anna, field, value):
    users, members = User.objects.count(), Member.objects.count()
    response = client.post(REGISTER, form_data(**{field: value}), HTTP_HOST=ANNA)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert (User.objects.count(), Member.objects.count()) == (users, members)


# -- the sponsor, said; the partner's welcome --------------------------------------------------


def test_customer_sign_up_says_who_the_sponsor_is(client, anna):
    response = client.post(REGISTER, form_data(), HTTP_HOST=ANNA)
    assert response.status_code == 302
    assert response["Location"] != WELCOME
    assert "Welcome! Your sponsor is Anna Berger." in success_messages(response)


def test_partner_sign_up_ends_on_the_welcome_page(client, anna):
    partner_link(client)
    response = client.post(REGISTER, form_data(handle="nina-vital"), HTTP_HOST=ANNA)
    assert response.status_code == 302
    assert response["Location"] == WELCOME
    assert "Welcome! Your sponsor is Anna Berger." in success_messages(response)
    member = Member.objects.get(user__email="nina@example.com")
    assert (member.kind, member.parent, member.handle) == ("distributor", anna, "nina-vital")

    page = client.get(WELCOME, HTTP_HOST=ANNA).content.decode()
    assert 'href="http://nina-vital.localhost:8000/"' in page
    assert 'href="http://nina-vital.localhost:8000/join/"' in page
    assert "Anna Berger" in page
    assert 'href="/accounts/storefront/"' in page
    assert 'href="/accounts/vouchers/"' in page


def test_login_page_sign_up_of_a_partner_ends_on_the_welcome_page(client, anna):
    partner_link(client)
    data = {f"registration-{k}": v for k, v in form_data().items()}
    response = client.post(LOGIN, {"registration_submit": "Register", **data}, HTTP_HOST=ANNA)
    assert response["Location"] == WELCOME
    assert Member.objects.get(user__email="nina@example.com").handle == "nina-neumann"


def test_welcome_page_is_for_distributors(client, anna):
    customer = User.objects.create_user("c", "c@example.com", "pw")
    client.force_login(customer)
    assert client.get(WELCOME).status_code == 302
    client.force_login(anna.user)
    page = client.get(WELCOME).content.decode()
    assert 'id="storefront-links"' in page
    # Anna's sponsor is the company: no sponsor line.
    assert 'id="welcome-sponsor"' not in page


def test_handle_help_text_shows_the_address(client, anna):
    partner_link(client)
    page = client.get(REGISTER, HTTP_HOST=ANNA).content.decode()
    assert "Your shop will be at yourname.localhost." in page
    assert "derive it from your name" in page
    assert "at .." not in page


# -- the company site: partners with a sponsor id ----------------------------------------------


def test_company_site_sign_up_makes_customers_by_default(client, anna, sponsor_id_policy):
    page = client.get(REGISTER).content.decode()
    assert 'name="kind"' not in page
    response = client.post(REGISTER, form_data(sponsor_id="anna", kind="distributor"))
    assert response.status_code == 302
    assert Member.objects.get(user__email="nina@example.com").kind == "customer"


def test_company_site_partner_sign_up_with_sponsor_id(client, anna, sponsor_id_policy, settings):
    settings.OSCAR_MLM_COMPANY_SIGNUP_KINDS = ("customer", "distributor")
    join = client.get("/join/")
    assert join.status_code == 200
    assert 'href="/accounts/register/?kind=distributor"' in join.content.decode()
    page = client.get(REGISTER + "?kind=distributor").content.decode()
    assert re.search(r'<input[^>]*value="distributor"[^>]*checked', page), page
    assert 'name="handle"' in page
    response = client.post(
        REGISTER, form_data(sponsor_id="anna", kind="distributor", handle="nina-vital")
    )
    assert response.status_code == 302
    assert response["Location"] == WELCOME
    member = Member.objects.get(user__email="nina@example.com")
    assert (member.kind, member.parent, member.handle) == ("distributor", anna, "nina-vital")
    assert member.attribution == "sponsor_id"


def test_company_site_kind_choice_refuses_a_made_up_kind(client, anna, sponsor_id_policy, settings):
    settings.OSCAR_MLM_COMPANY_SIGNUP_KINDS = ("customer", "distributor")
    response = client.post(REGISTER, form_data(sponsor_id="anna", kind="company"))
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    assert not User.objects.filter(email="nina@example.com").exists()


def test_customer_with_a_storefront_name_is_refused(client, anna, sponsor_id_policy, settings):
    settings.OSCAR_MLM_COMPANY_SIGNUP_KINDS = ("customer", "distributor")
    response = client.post(
        REGISTER, form_data(sponsor_id="anna", kind="customer", handle="nina-vital")
    )
    assert "handle" in response.context["form"].errors
    assert not User.objects.filter(email="nina@example.com").exists()


def test_company_site_has_no_partner_page_without_the_policy(client, anna):
    assert client.get("/join/").status_code == 404


# -- distributors entered only by their sponsor ------------------------------------------------


@pytest.fixture
def internal_only(settings):
    settings.OSCAR_MLM_DISTRIBUTOR_SIGNUP = "internal"


def test_partner_link_offers_no_partner_sign_up_when_internal_only(client, anna, internal_only):
    page = client.get("/join/", HTTP_HOST=ANNA).content.decode()
    assert 'id="distributor-signup"' not in page
    assert 'id="distributor-signup-internal"' in page
    assert "Ask Anna Berger to enter you as a partner." in page


def test_self_sign_up_makes_a_customer_when_internal_only(client, anna, internal_only):
    partner_link(client)
    page = client.get(REGISTER, HTTP_HOST=ANNA).content.decode()
    assert 'name="handle"' not in page
    response = client.post(REGISTER, form_data(handle="nina-vital"), HTTP_HOST=ANNA)
    assert response.status_code == 302
    member = Member.objects.get(user__email="nina@example.com")
    assert (member.kind, member.handle) == ("customer", None)


def test_company_site_offers_no_partner_sign_up_when_internal_only(
    client, anna, internal_only, sponsor_id_policy, settings
):
    settings.OSCAR_MLM_COMPANY_SIGNUP_KINDS = ("customer", "distributor")
    assert client.get("/join/").status_code == 404
    response = client.post(REGISTER, form_data(sponsor_id="anna", kind="distributor"))
    assert Member.objects.get(user__email="nina@example.com").kind == "customer"
    assert response["Location"] != WELCOME


def test_internal_sign_up_still_enters_partners_when_internal_only(client, anna, internal_only):
    client.force_login(anna.user)
    response = client.post(
        "/accounts/network/add/",
        {"email": "p@example.com", "first_name": "Paul", "last_name": "P", "kind": "distributor"},
    )
    assert response.status_code == 302
    assert Member.objects.get(user__email="p@example.com").kind == "distributor"
