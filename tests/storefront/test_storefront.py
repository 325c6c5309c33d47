"""The dual subdomain system: customer link, partner link, attribution, theming."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from oscar.core.loading import get_model
from PIL import Image

from oscar_mlm.apps.mlm_network import services
from oscar_mlm.apps.mlm_storefront import attribution
from oscar_mlm.apps.mlm_storefront import services as storefront_services
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory, UserFactory

Member = get_model("mlm_network", "Member")
SponsorChange = get_model("mlm_network", "SponsorChange")
HandleRedirect = get_model("mlm_network", "HandleRedirect")
Storefront = get_model("mlm_storefront", "Storefront")
User = get_user_model()

ANNA = "anna.localhost:8000"
COMPANY = "localhost:8000"
SIGNUP = {
    "email": "new@example.com",
    "first_name": "Nina",
    "last_name": "Neu",
    "password1": "a-Long-pass-123",
    "password2": "a-Long-pass-123",
}

OPPORTUNITY_WORDS = ("business opportunity", "commission", "partner")


@pytest.fixture(autouse=True)
def storefront_settings(settings, tmp_path):
    # The sign-up resolvers are the storefront app's own: installed is wired
    # (OSCAR_MLM_SIGNUP_RESOLVERS stays at its default, None).
    assert not hasattr(settings, "OSCAR_MLM_SIGNUP_RESOLVERS")
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def anna(company):
    member = DistributorFactory(
        parent=company, handle="anna", user__first_name="Anna", user__last_name="Schmidt"
    )
    storefront_services.update_storefront(
        member=member,
        display_name="Anna's skin care",
        greeting="Welcome to my shop!",
        accent_color="#1f7a4d",
        contact_line="Call me: 0123",
    )
    return member


def page(client, host, path="/catalogue/"):
    response = client.get(path, HTTP_HOST=host)
    return response, response.content.decode()


def register(client, host, **extra):
    return client.post("/accounts/register/", {**SIGNUP, **extra}, HTTP_HOST=host)


# -- resolution -----------------------------------------------------------------------------


def test_storefront_request_knows_its_owner(client, anna):
    response, html = page(client, ANNA)
    assert response.status_code == 200
    assert response.wsgi_request.storefront.member == anna
    assert 'data-handle="anna"' in html and "Anna&#x27;s skin care" in html


def test_company_site_has_no_storefront(client, anna):
    response, html = page(client, COMPANY)
    assert response.wsgi_request.storefront is None
    assert "storefront-banner" not in html


@pytest.mark.parametrize("state", ["inactive", "hidden", "customer", "unknown"])
def test_unusable_storefronts_answer_404(client, company, state):
    if state == "inactive":
        DistributorFactory(parent=company, handle="anna", status="inactive")
    elif state == "hidden":
        member = DistributorFactory(parent=company, handle="anna")
        storefront_services.update_storefront(member=member, by_staff=True, is_hidden=True)
    elif state == "customer":
        CustomerFactory(parent=company)
    response, _html = page(client, ANNA)
    assert response.status_code == 404


def test_deactivated_distributor_storefront_goes_away(client, anna):
    services.deactivate(member=anna)
    assert page(client, ANNA)[0].status_code == 404


def test_unknown_storefront_can_redirect_to_company(client, company, settings):
    settings.OSCAR_MLM_UNKNOWN_STOREFRONT = "redirect"
    response = client.get("/catalogue/", HTTP_HOST="nobody.localhost:8000")
    assert response.status_code == 302
    assert response["Location"] == "http://localhost:8000/catalogue/"


def test_renamed_handle_forwards_until_it_expires(client, anna, settings):
    services.rename_handle(member=anna, new_handle="anna-care")
    response = client.get("/catalogue/?page=2", HTTP_HOST=ANNA)
    assert response.status_code == 301
    assert response["Location"] == "http://anna-care.localhost:8000/catalogue/?page=2"
    assert page(client, "anna-care.localhost:8000")[0].status_code == 200
    HandleRedirect.objects.update(expires=timezone.now() - timedelta(seconds=1))
    assert page(client, ANNA)[0].status_code == 404


def test_forwarded_handle_cannot_be_taken_by_someone_else(anna, company):
    from oscar_mlm.apps.mlm_network.exceptions import HandleTaken

    services.rename_handle(member=anna, new_handle="anna-care")
    with pytest.raises(HandleTaken):
        services.register_member(
            user=UserFactory(), sponsor=company, kind="distributor", handle="anna"
        )
    # ... but Anna may take her old name back, which ends the forwarding.
    services.rename_handle(member=anna, new_handle="anna")
    assert not HandleRedirect.objects.filter(old_handle="anna").exists()
    assert HandleRedirect.objects.filter(old_handle="anna-care").exists()


# -- the customer link ----------------------------------------------------------------------


def test_customer_link_shows_the_pure_shop(client, anna):
    _response, html = page(client, ANNA)
    assert "storefront-opportunity" not in html
    for word in ("business opportunity", "commission", "Join as a partner"):
        assert word not in html


def test_customer_link_sign_up_makes_a_customer_of_the_owner(client, anna):
    response, html = page(client, ANNA, "/accounts/register/")
    assert 'name="sponsor_id"' not in html and "Your consultant: Anna Schmidt" in html
    assert register(client, ANNA).status_code == 302
    member = Member.objects.get(user__email="new@example.com")
    assert (member.parent, member.kind) == (anna, "customer")
    assert (member.attribution, member.attributed_storefront) == ("storefront", anna)
    assert member.attributed is not None


def test_forged_sponsor_field_is_ignored(client, anna, company):
    other = DistributorFactory(parent=company, handle="other")
    register(
        client,
        ANNA,
        sponsor_id="other",
        sponsor=str(other.pk),
        parent=str(other.pk),
        kind="distributor",
    )
    member = Member.objects.get(user__email="new@example.com")
    assert (member.parent, member.kind) == (anna, "customer")


def test_customer_link_sign_up_works_even_when_company_site_is_closed(client, anna, settings):
    settings.OSCAR_MLM_COMPANY_SIGNUP = "none"
    assert register(client, ANNA).status_code == 302
    # A stranger without the attribution cookie still finds the company site closed.
    assert "signup-closed" in page(Client(), COMPANY, "/accounts/register/")[1]


# -- the partner link -----------------------------------------------------------------------


def test_distributor_link_shows_opportunity_and_holds_for_the_visit(client, anna):
    response, html = page(client, ANNA, "/join/")
    assert response.status_code == 200
    assert 'id="opportunity"' in html and 'id="distributor-signup"' in html
    _response, html = page(client, ANNA)  # navigating on: still the partner link
    assert 'id="storefront-opportunity"' in html
    assert (
        "You join as a partner in the team of Anna Schmidt"
        in page(client, ANNA, "/accounts/register/")[1]
    )


def test_distributor_link_sign_up_makes_a_distributor_in_first_line(client, anna):
    client.get("/join/", HTTP_HOST=ANNA)
    assert register(client, ANNA, handle="New-Star").status_code == 302
    member = Member.objects.get(user__email="new@example.com")
    assert (member.parent, member.kind, member.handle) == (anna, "distributor", "new-star")
    assert SponsorChange.objects.get(member=member).source == "signup"


@pytest.mark.parametrize(
    "name",
    # The setting's name, and the name it had before (still read, with a system warning).
    ["OSCAR_MLM_DISTRIBUTOR_LINK_SIGNUP_KIND", "OSCAR_MLM_PARTNER_LINK_SIGNUP_KIND"],
)
def test_distributor_link_sign_up_kind_follows_setting(client, anna, settings, name):
    from oscar_mlm.apps.mlm_network.checks import check_settings

    setattr(settings, name, "customer")
    client.get("/join/", HTTP_HOST=ANNA)
    register(client, ANNA)
    assert Member.objects.get(user__email="new@example.com").kind == "customer"
    warnings = [e.id for e in check_settings(None)]
    assert warnings == (["oscar_mlm.W001"] if "PARTNER" in name else [])


@pytest.mark.parametrize("handle", ["www", "bad handle", "anna"])
def test_distributor_sign_up_with_bad_handle_creates_nothing(client, anna, handle):
    client.get("/join/", HTTP_HOST=ANNA)
    response = register(client, ANNA, handle=handle)
    assert response.status_code == 200
    assert "handle" in response.context["form"].errors
    assert not User.objects.filter(email="new@example.com").exists()


def test_mode_is_per_storefront(client, anna, company):
    DistributorFactory(parent=company, handle="ben")
    client.get("/join/", HTTP_HOST=ANNA)
    assert "storefront-opportunity" not in page(client, "ben.localhost:8000")[1]


def test_company_site_has_no_join_page(client, anna):
    assert client.get("/join/", HTTP_HOST=COMPANY).status_code == 404


# -- attribution ----------------------------------------------------------------------------


def test_visit_then_company_sign_up_keeps_the_storefront_owner(client, anna, settings):
    settings.OSCAR_MLM_COMPANY_SIGNUP = "sponsor_id"
    page(client, ANNA)
    assert client.cookies["mlm_ref"].value
    html = page(client, COMPANY, "/accounts/register/")[1]
    assert 'name="sponsor_id"' not in html and 'data-sponsor="anna"' in html
    register(client, COMPANY)
    member = Member.objects.get(user__email="new@example.com")
    assert (member.parent, member.attribution, member.attributed_storefront) == (
        anna,
        "cookie",
        anna,
    )


def test_first_storefront_wins(client, anna, company):
    DistributorFactory(parent=company, handle="ben")
    page(client, ANNA)
    page(client, "ben.localhost:8000")
    register(client, COMPANY)
    assert Member.objects.get(user__email="new@example.com").parent == anna


def test_storefront_of_the_request_beats_the_cookie(client, anna, company):
    ben = DistributorFactory(parent=company, handle="ben")
    page(client, ANNA)
    register(client, "ben.localhost:8000")
    assert Member.objects.get(user__email="new@example.com").parent == ben


def test_expired_or_inactive_attribution_is_ignored(client, anna, settings):
    page(client, ANNA)
    settings.OSCAR_MLM_ATTRIBUTION_DAYS = 0
    assert "signup-closed" in page(client, COMPANY, "/accounts/register/")[1]
    settings.OSCAR_MLM_ATTRIBUTION_DAYS = 30
    services.deactivate(member=anna)
    assert "signup-closed" in page(client, COMPANY, "/accounts/register/")[1]


def test_existing_member_is_not_moved_by_visiting_or_logging_in(client, anna, company):
    ben = DistributorFactory(parent=company, handle="ben")
    dora = CustomerFactory(parent=ben)
    client.force_login(dora.user)
    page(client, ANNA)
    page(client, COMPANY, "/accounts/")
    dora.refresh_from_db()
    assert dora.parent == ben


def test_cookie_value_is_signed(rf, anna):
    request = rf.get("/", HTTP_HOST=COMPANY)
    request.COOKIES["mlm_ref"] = "anna:9999999999"
    assert attribution.read(request) is None


# -- theming --------------------------------------------------------------------------------


def test_customer_link_shows_only_what_the_company_allows(client, anna, settings):
    settings.OSCAR_MLM_CUSTOMER_LINK_THEME_FIELDS = ("display_name",)
    html = page(client, ANNA)[1]
    assert "Anna&#x27;s skin care" in html
    assert "Welcome to my shop!" not in html and "#1f7a4d" not in html and "Call me" not in html
    client.get("/join/", HTTP_HOST=ANNA)
    html = page(client, ANNA)[1]
    assert "Welcome to my shop!" in html and "#1f7a4d" in html and "Call me: 0123" in html


def png(width=40, height=40, fmt="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#1f7a4d").save(buffer, fmt)
    return SimpleUploadedFile(
        f"me.{fmt.lower()}", buffer.getvalue(), content_type=f"image/{fmt.lower()}"
    )


def test_owner_edits_storefront(client, anna):
    client.force_login(anna.user)
    html = page(client, COMPANY, "/accounts/storefront/")[1]
    assert "http://anna.localhost:8000/" in html and "http://anna.localhost:8000/join/" in html
    response = client.post(
        "/accounts/storefront/",
        {
            "display_name": "Anna",
            "greeting": "Hi",
            "accent_color": "#AABBCC",
            "contact_line": "",
            "photo": png(),
        },
        HTTP_HOST=COMPANY,
    )
    assert response.status_code == 302
    storefront = Storefront.objects.get(member=anna)
    assert (storefront.display_name, storefront.accent_color) == ("Anna", "#aabbcc")
    assert storefront.photo.name.startswith("storefronts/")
    assert 'src="/media/storefronts/' in page(client, ANNA)[1]


@pytest.mark.parametrize(
    "values, field",
    [
        ({"accent_color": "red"}, "accent_color"),
        ({"accent_color": "#12345"}, "accent_color"),
        ({"display_name": "x" * 81}, "display_name"),
        (
            {"photo": SimpleUploadedFile("x.png", b"not an image", content_type="image/png")},
            "photo",
        ),
        ({"photo": "big"}, "photo"),
        ({"photo": "huge"}, "photo"),
    ],
)
def test_bad_storefront_input_changes_nothing(client, anna, settings, values, field):
    if values.get("photo") == "big":
        settings.OSCAR_MLM_STOREFRONT_PHOTO_MAX_BYTES = 100
        values = {"photo": png()}
    elif values.get("photo") == "huge":
        settings.OSCAR_MLM_STOREFRONT_PHOTO_MAX_PIXELS = 20
        values = {"photo": png()}
    client.force_login(anna.user)
    before = Storefront.objects.filter(member=anna).values().get()
    data = {
        "display_name": "Changed",
        "greeting": "",
        "accent_color": "",
        "contact_line": "",
        **values,
    }
    response = client.post("/accounts/storefront/", data, HTTP_HOST=COMPANY)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Storefront.objects.filter(member=anna).values().get() == before


def test_locked_storefront_cannot_be_edited_by_owner(client, anna):
    storefront_services.update_storefront(member=anna, by_staff=True, is_locked=True)
    client.force_login(anna.user)
    assert "storefront-locked" in page(client, COMPANY, "/accounts/storefront/")[1]
    client.post("/accounts/storefront/", {"display_name": "Hacked"}, HTTP_HOST=COMPANY)
    assert Storefront.objects.get(member=anna).display_name == "Anna's skin care"


def test_customers_have_no_storefront_page(client, anna):
    dora = CustomerFactory(parent=anna)
    client.force_login(dora.user)
    response = client.get("/accounts/storefront/", HTTP_HOST=COMPANY)
    assert response.status_code == 403
    assert "My storefront" not in page(client, COMPANY, "/accounts/")[1]
