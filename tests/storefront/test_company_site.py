"""The company site of seed 000: a shop, or only the way to the storefronts.

``OSCAR_MLM_COMPANY_SITE = "storefronts_only"``: no basket, checkout or sign-up on the
company site; *Find your consultant* searches names and the places distributors share and
leads to a storefront; product pages invite the visitor to it. Storefronts stay shops.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.checks import Error
from oscar.core.loading import get_model
from oscar.test.factories import create_product

from oscar_mlm.apps.mlm_network.checks import check_settings
from oscar_mlm.apps.mlm_storefront import services as storefront_services
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory

Member = get_model("mlm_network", "Member")
Basket = get_model("basket", "Basket")
User = get_user_model()

ANNA = "anna.localhost:8000"
FIND = "/consultants/"
SIGNUP = {
    "first_name": "Nina",
    "last_name": "Neu",
    "email": "new@example.com",
    "password1": "a-Long-pass-123",
    "password2": "a-Long-pass-123",
}


@pytest.fixture
def storefronts_only(settings):
    settings.OSCAR_MLM_COMPANY_SITE = "storefronts_only"


@pytest.fixture
def anna(company):
    member = DistributorFactory(
        parent=company, handle="anna", user__first_name="Anna", user__last_name="Berger"
    )
    storefront_services.update_storefront(
        member=member, display_name="Annas Naturpflege", postcode="10115", city="Berlin"
    )
    return member


@pytest.fixture
def ben(company):
    # Ben shares no place.
    return DistributorFactory(
        parent=company, handle="ben-vital", user__first_name="Ben", user__last_name="Krause"
    )


@pytest.fixture
def product(db):
    return create_product(title="Aloe Day Cream", price=10, num_in_stock=5)


def handles(response):
    return [r["member"].handle for r in response.context["results"]]


# -- the shop on the company site goes -------------------------------------------------------


def test_company_site_basket_and_checkout_lead_to_the_finder(client, storefronts_only, product):
    for path in ("/basket/", "/checkout/", "/checkout/preview/"):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, FIND), path
    response = client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    assert (response.status_code, response["Location"]) == (302, FIND)
    assert not Basket.objects.filter(lines__product=product).exists()


def test_company_site_shows_no_basket(client, storefronts_only, product):
    for path in ("/", "/catalogue/", product.get_absolute_url()):
        page = client.get(path).content.decode()
        assert 'class="basket-mini' not in page, path  # Oscar's mini-basket
        assert 'href="/basket/"' not in page, path  # the basket button of small screens


def test_storefront_keeps_its_shop(client, storefronts_only, anna, product):
    page = client.get("/catalogue/", HTTP_HOST=ANNA).content.decode()
    assert 'class="basket-mini' in page and 'href="/basket/"' in page
    response = client.post(f"/basket/add/{product.pk}/", {"quantity": 1}, HTTP_HOST=ANNA)
    assert response.status_code == 302 and response["Location"] != FIND
    assert client.get("/basket/", HTTP_HOST=ANNA).status_code == 200


def test_company_site_has_no_sign_up(client, storefronts_only, anna, settings):
    page = client.get("/accounts/register/").content.decode()
    assert 'id="signup-closed"' in page
    assert 'href="/consultants/"' in page
    response = client.post("/accounts/register/", {**SIGNUP, "sponsor_id": "anna"})
    assert response.status_code == 403
    assert not User.objects.filter(email="new@example.com").exists()
    # Not even with the attribution cookie of an earlier storefront visit.
    client.get("/", HTTP_HOST=ANNA)
    response = client.post("/accounts/register/", SIGNUP)
    assert response.status_code == 403
    assert not User.objects.filter(email="new@example.com").exists()
    # Logging in stays.
    assert 'id="login_form"' in client.get("/accounts/login/").content.decode()


def test_product_page_invites_to_choose_a_consultant(client, storefronts_only, product):
    page = client.get(product.get_absolute_url()).content.decode()
    assert 'id="choose-consultant"' in page
    assert f'href="/consultants/?next={product.get_absolute_url()}"' in page
    assert 'id="add_to_basket_form"' not in page
    assert 'id="company-banner"' in page


def test_shop_mode_is_the_default(client, product):
    page = client.get(product.get_absolute_url()).content.decode()
    assert 'id="add_to_basket_form"' in page
    assert 'id="choose-consultant"' not in page
    assert 'id="company-banner"' not in page
    assert 'class="basket-mini' in page and 'href="/basket/"' in page
    assert client.get("/basket/").status_code == 200


# -- find your consultant ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, found",
    [
        ({"name": "anna"}, ["anna"]),
        ({"name": "Berger"}, ["anna"]),
        ({"name": "Anna Berger"}, ["anna"]),
        ({"name": "naturpflege"}, ["anna"]),
        ({"name": "kra"}, ["ben-vital"]),
        ({"place": "10115"}, ["anna"]),
        ({"place": "101"}, ["anna"]),
        ({"place": "berlin"}, ["anna"]),
        ({"name": "ben", "place": "Berlin"}, []),
        ({"name": "Anna Krause"}, []),
    ],
)
def test_find_by_name_or_shared_place(client, storefronts_only, anna, ben, query, found):
    response = client.get(FIND, query)
    assert response.status_code == 200
    assert handles(response) == found


def test_results_lead_to_the_storefront_and_the_product(client, storefronts_only, anna):
    response = client.get(FIND, {"name": "anna", "next": "/catalogue/aloe_1/"})
    page = response.content.decode()
    assert 'href="http://anna.localhost/catalogue/aloe_1/"' in page
    assert "10115 Berlin" in page


def test_found_are_only_active_visible_distributors(client, storefronts_only, anna, company):
    DistributorFactory(parent=company, handle="anna-gone", status="inactive")
    hidden = DistributorFactory(parent=company, handle="anna-hidden")
    storefront_services.update_storefront(member=hidden, by_staff=True, is_hidden=True)
    CustomerFactory(parent=anna, user__first_name="Anna")
    assert handles(client.get(FIND, {"name": "anna"})) == ["anna"]


def test_nothing_is_listed_without_a_search(client, storefronts_only, anna, ben):
    response = client.get(FIND)
    assert response.context["results"] == []
    assert 'id="find-results"' not in response.content.decode()


@pytest.mark.parametrize(
    "value", ["a", " ", "²", "\x00anna", "x" * 81, "%", "' OR 1=1 --", "<script>"]
)
def test_odd_search_input_answers_calmly(client, storefronts_only, anna, value):
    response = client.get(FIND, {"name": value, "place": value})
    assert response.status_code == 200
    assert handles(response) == []
    page = response.content.decode()
    assert 'value="<script>"' not in page
    if value == "<script>":
        assert 'value="&lt;script&gt;"' in page


@pytest.mark.parametrize(
    "next_path", ["//evil.example/x", "http://evil.example/", "javascript:alert(1)", "/\\evil"]
)
def test_foreign_next_is_dropped(client, storefronts_only, anna, next_path):
    page = client.get(FIND, {"name": "anna", "next": next_path}).content.decode()
    assert 'href="http://anna.localhost/"' in page
    assert "evil" not in page.split('id="find-results"')[1]


def test_a_logged_in_customer_sees_their_consultant(client, storefronts_only, anna):
    customer = CustomerFactory(parent=anna)
    client.force_login(customer.user)
    page = client.get(FIND).content.decode()
    assert 'id="own-consultant-link" href="http://anna.localhost/"' in page.replace(
        '<a href="http://anna.localhost/" id="own-consultant-link"',
        'id="own-consultant-link" href="http://anna.localhost/"',
    )


def test_storefront_settings_hold_the_shared_place(client, anna):
    client.force_login(anna.user)
    page = client.get("/accounts/storefront/").content.decode()
    assert 'name="postcode"' in page and 'name="city"' in page
    response = client.post(
        "/accounts/storefront/",
        {"display_name": "Anna", "postcode": "20095", "city": "Hamburg"},
    )
    assert response.status_code == 302
    anna.storefront.refresh_from_db()
    assert (anna.storefront.postcode, anna.storefront.city) == ("20095", "Hamburg")


# -- settings that contradict each other -------------------------------------------------------


def errors(settings_changes, settings):
    for name, value in settings_changes.items():
        setattr(settings, name, value)
    return sorted(m.id for m in check_settings(None))


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({}, []),
        ({"OSCAR_MLM_COMPANY_SITE": "closed"}, ["oscar_mlm.E001"]),
        ({"OSCAR_MLM_DISTRIBUTOR_SIGNUP": "never"}, ["oscar_mlm.E001"]),
        ({"OSCAR_MLM_COMPANY_SIGNUP_KINDS": ()}, ["oscar_mlm.E004"]),
        ({"OSCAR_MLM_COMPANY_SIGNUP_KINDS": ("customer", "boss")}, ["oscar_mlm.E004"]),
        (
            {
                "OSCAR_MLM_COMPANY_SITE": "storefronts_only",
                "OSCAR_MLM_COMPANY_SIGNUP": "sponsor_id",
            },
            ["oscar_mlm.E005"],
        ),
        (
            {
                "OSCAR_MLM_DISTRIBUTOR_SIGNUP": "internal",
                "OSCAR_MLM_COMPANY_SIGNUP": "sponsor_id",
                "OSCAR_MLM_COMPANY_SIGNUP_KINDS": ("customer", "distributor"),
            },
            ["oscar_mlm.E007"],
        ),
        (
            {"OSCAR_MLM_DISTRIBUTOR_SIGNUP": "internal", "OSCAR_MLM_INTERNAL_SIGNUP_KINDS": ()},
            ["oscar_mlm.W003"],
        ),
        ({"OSCAR_MLM_COMPANY_SIGNUP_KINDS": ("distributor",)}, ["oscar_mlm.W004"]),
    ],
)
def test_inconsistent_settings_are_reported(settings, changes, expected):
    assert errors(changes, settings) == expected


def test_storefronts_only_needs_the_storefront_app(settings, monkeypatch):
    from django.apps import apps

    settings.OSCAR_MLM_COMPANY_SITE = "storefronts_only"
    real = apps.is_installed
    monkeypatch.setattr(
        apps, "is_installed", lambda name: name != "oscar_mlm.apps.mlm_storefront" and real(name)
    )
    found = check_settings(None)
    assert [m.id for m in found] == ["oscar_mlm.E006"]
    assert isinstance(found[0], Error)
