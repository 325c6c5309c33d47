"""Sign-up through the API: the web's form, the sign-up precedence, the web's refusals."""

import pytest
from oscar.core.loading import get_model

pytestmark = pytest.mark.django_db

Member = get_model("mlm_network", "Member")
User = get_model("auth", "User")
URL = "/api/mlm/signup/"
PASSWORD = "a-Long-pass-123"


def sign_up(as_, headers=None, **body):
    return as_(None).post(URL, {"password": PASSWORD, **body}, format="json", **(headers or {}))


def test_on_a_storefront_by_handle(as_, network):
    response = sign_up(as_, email="new@example.com", storefront="Ben")
    assert response.status_code == 201, response.content
    member = Member.objects.get(user__email="new@example.com")
    assert (member.parent, member.kind, member.attribution) == (network.ben, "customer",
                                                                "storefront")
    assert member.attributed_storefront == network.ben
    assert response.json()["sponsor"]["handle"] == "ben"


def test_the_names_are_kept_when_given(as_, network):
    response = sign_up(
        as_, email="named@example.com", storefront="Ben", first_name=" Nina ", last_name="Neu"
    )
    assert response.status_code == 201, response.content
    user = User.objects.get(email="named@example.com")
    assert (user.first_name, user.last_name) == ("Nina", "Neu")


def test_on_the_partner_link_as_a_distributor_with_a_handle(as_, network):
    response = sign_up(
        as_, email="p@example.com", link="partner", handle="Paula", headers={
            "HTTP_X_STOREFRONT": "anna"}
    )
    assert response.status_code == 201, response.content
    member = Member.objects.get(user__email="p@example.com")
    assert (member.parent, member.kind, member.handle) == (network.anna, "distributor", "paula")


def test_on_the_storefronts_own_host(as_, network):
    response = as_(None).post(
        URL, {"email": "h@example.com", "password": PASSWORD}, format="json",
        HTTP_HOST="carla.localhost",
    )
    assert response.status_code == 201, response.content
    assert Member.objects.get(user__email="h@example.com").parent == network.carla


def test_with_a_sponsor_id_where_the_company_allows_it(as_, network, settings):
    settings.OSCAR_MLM_COMPANY_SIGNUP = "sponsor_id"
    response = sign_up(as_, email="s@example.com", sponsor_id=str(network.otto.pk))
    assert response.status_code == 201, response.content
    assert Member.objects.get(user__email="s@example.com").parent == network.otto
    response = sign_up(as_, email="t@example.com")
    assert response.status_code == 400
    assert "sponsor_id" in response.json()
    response = sign_up(as_, email="u@example.com", sponsor_id="nobody")
    assert response.json() == {
        "sponsor_id": ["No sponsor with this id exists. Please check the sponsor id."]
    }


def test_closed_without_a_storefront_where_the_company_allows_none(as_, network):
    response = sign_up(as_, email="c@example.com", sponsor_id="anna")
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "New customers and partners join through the person who recommended us."
    )
    assert not User.objects.filter(email="c@example.com").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "x", "storefront": "anna"}, "email"),
        ({"email": "x@example.com", "storefront": "nobody"}, "storefront"),
        ({"email": "x@example.com", "storefront": "anna", "password": ""}, "password"),
        ({"email": "x@example.com", "storefront": "anna", "link": "boss"}, "link"),
        ({"email": "x@example.com", "storefront": "anna\x00"}, "storefront"),
        ({"email": "x@example.com", "storefront": "²"}, "storefront"),
    ],
)
def test_bad_input_answers_400_and_creates_nobody(as_, network, body, field):
    users = User.objects.count()
    response = as_(None).post(URL, {"password": PASSWORD, **body}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert User.objects.count() == users


def test_a_taken_address_and_an_inactive_sponsor(as_, network):
    response = sign_up(as_, email=network.dora.user.email, storefront="anna")
    assert response.json() == {"email": ["A user with that email address already exists"]}
    network.otto.status = "inactive"
    network.otto.save()
    response = sign_up(as_, email="z@example.com", storefront="otto")
    assert response.status_code == 400 and "storefront" in response.json()


def test_oscarapis_own_registration_stays_closed(as_, network, settings):
    settings.OSCARAPI_ENABLE_REGISTRATION = True
    response = as_(None).post(
        "/api/register/",
        {"email": "r@example.com", "password1": PASSWORD, "password2": PASSWORD},
        format="json",
    )
    assert response.status_code == 403
    assert "/api/mlm/signup/" in response.json()["detail"]
    assert not User.objects.filter(email="r@example.com").exists()


def test_sign_ups_are_rate_limited(as_, network, settings):
    settings.OSCAR_MLM_API_SIGNUP_RATE = "2/hour"
    assert sign_up(as_, email="a1@example.com", storefront="anna").status_code == 201
    assert sign_up(as_, email="a2@example.com", storefront="anna").status_code == 201
    assert sign_up(as_, email="a3@example.com", storefront="anna").status_code == 429
