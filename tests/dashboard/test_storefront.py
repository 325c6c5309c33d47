"""Staff control of storefronts: moderate, hide, lock, rename the handle."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import timezone
from django.utils.html import escape
from oscar.core.loading import get_model
from PIL import Image

from oscar_mlm.apps.mlm_network.exceptions import HandleTaken, SameHandle
from oscar_mlm.apps.mlm_storefront import services as storefront_services
from oscar_mlm.apps.mlm_storefront.exceptions import NotADistributor, StorefrontLocked
from oscar_mlm.test.factories import UserFactory

from .helpers import assert_form_error, page_messages, url

pytestmark = pytest.mark.django_db

Storefront = get_model("mlm_storefront", "Storefront")
HandleRedirect = get_model("mlm_network", "HandleRedirect")
StatusChange = get_model("mlm_network", "StatusChange")

EDIT_PAGE = "/accounts/storefront/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def png(name="anna.png", size=(8, 8), color=(31, 122, 77)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def theme(**values):
    """A complete staff form: the theme and control fields, overridden by ``values``."""
    data = {
        "display_name": "Anna",
        "greeting": "Welcome to my shop!",
        "accent_color": "#1f7a4d",
        "contact_line": "anna@example.com",
        "staff_note": "",
    }
    data.update(values)
    # Unticked checkboxes are absent from a browser's POST.
    return {key: value for key, value in data.items() if value is not False}


def save(client, member, follow=False, **values):
    return client.post(url("mlm-member-storefront", pk=member.pk), theme(**values), follow=follow)


@pytest.fixture
def visitor():
    """A second browser: visitors and owners, next to the staff user's ``staff_client``."""
    return Client()


def storefront_of(member):
    return Storefront.objects.filter(member=member).first()


def host(handle):
    return f"{handle}.localhost"


# -- access -------------------------------------------------------------------------------


def storefront_urls(member):
    return [
        url("mlm-member-storefront", pk=member.pk),
        url("mlm-member-handle", pk=member.pk),
    ]


def test_anonymous_and_non_staff_are_refused(client, network):
    for address in storefront_urls(network.anna):
        assert client.get(address).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url("mlm-member-storefront", pk=network.anna.pk)).status_code == 403
    client.force_login(network.anna.user)  # the owner is not staff either
    for address in storefront_urls(network.anna):
        assert client.get(address).status_code == 403, address
    response = client.post(
        url("mlm-member-storefront", pk=network.anna.pk), theme(is_hidden="on", greeting="Mine")
    )
    assert response.status_code == 403
    client.post(url("mlm-member-handle", pk=network.anna.pk), {"handle": "anna-neu"})
    network.anna.refresh_from_db()
    assert network.anna.handle == "anna"
    assert storefront_of(network.anna) is None


@pytest.mark.parametrize("who", ["carl", "company"])
@pytest.mark.parametrize("name", ["mlm-member-storefront", "mlm-member-handle"])
def test_non_distributor_has_no_storefront(staff_client, network, who, name):
    member = getattr(network, who)
    response = staff_client.get(url(name, pk=member.pk), follow=True)
    assert response.redirect_chain[-1][0] == url("mlm-member-detail", pk=member.pk)
    assert page_messages(response) == [str(NotADistributor.default_message)]
    response = staff_client.post(url(name, pk=member.pk), theme(handle="carl-shop"))
    assert response.status_code == 302
    assert not Storefront.objects.exists()
    member.refresh_from_db()
    assert not member.handle


def test_unknown_member_is_404(staff_client, network):
    assert staff_client.get(url("mlm-member-storefront", pk=99999)).status_code == 404


# -- member page ----------------------------------------------------------------------------


def test_member_page_shows_the_storefront(staff_client, network):
    storefront_services.update_storefront(
        member=network.anna,
        by_staff=True,
        display_name="Anna's Laden",
        photo=png(),
        greeting="Hallo!",
        accent_color="#1f7a4d",
        contact_line="0170 123456",
        is_hidden=True,
        is_locked=True,
    )
    response = staff_client.get(url("mlm-member-detail", pk=network.anna.pk))
    content = response.content.decode()
    assert response.context["customer_link"] == "http://anna.localhost/"
    assert response.context["distributor_link"] == "http://anna.localhost/join/"
    for text in (
        'id="storefront"',
        "http://anna.localhost/",
        "http://anna.localhost/join/",
        escape("Anna's Laden"),
        "Hallo!",
        "background-color: #1f7a4d",
        "0170 123456",
        'id="storefront-photo"',
        "mlm-storefront-hidden",
        "mlm-storefront-locked",
        url("mlm-member-storefront", pk=network.anna.pk),
        url("mlm-member-handle", pk=network.anna.pk),
    ):
        assert text in content, text


def test_member_page_without_a_storefront_row(staff_client, network):
    response = staff_client.get(url("mlm-member-detail", pk=network.ben.pk))
    content = response.content.decode()
    assert "http://ben-shop.localhost/join/" in content
    assert "mlm-storefront-hidden" not in content
    assert url("mlm-member-storefront", pk=network.ben.pk) in content


def test_customer_page_has_no_storefront_section(staff_client, network):
    response = staff_client.get(url("mlm-member-detail", pk=network.carl.pk))
    assert 'id="storefront"' not in response.content.decode()
    assert "customer_link" not in response.context


def test_links_keep_the_port_of_the_request(staff_client, network):
    response = staff_client.get(
        url("mlm-member-detail", pk=network.anna.pk), HTTP_HOST="localhost:8000"
    )
    assert response.context["distributor_link"] == "http://anna.localhost:8000/join/"


# -- hide, lock, moderate -------------------------------------------------------------------


def test_hide_and_unhide(staff_client, visitor, network):
    assert visitor.get("/", HTTP_HOST=host("anna"), follow=True).status_code == 200
    response = save(staff_client, network.anna, is_hidden="on", follow=True)
    assert page_messages(response) == ["The storefront of Anna Schmidt was saved."]
    assert storefront_of(network.anna).is_hidden
    assert visitor.get("/", HTTP_HOST=host("anna")).status_code == 404
    assert visitor.get("/catalogue/", HTTP_HOST=host("anna")).status_code == 404
    # The company site and other storefronts are not affected.
    assert visitor.get("/catalogue/").status_code == 200
    assert visitor.get("/catalogue/", HTTP_HOST=host("ben-shop")).status_code == 200

    save(staff_client, network.anna)  # checkbox unticked
    assert not storefront_of(network.anna).is_hidden
    assert visitor.get("/catalogue/", HTTP_HOST=host("anna")).status_code == 200


def test_member_list_filters_hidden_and_locked(staff_client, network):
    save(staff_client, network.anna, is_hidden="on")
    save(staff_client, network.ben, is_locked="on")
    hidden = staff_client.get(url("mlm-member-list"), {"storefront": "hidden"})
    locked = staff_client.get(url("mlm-member-list"), {"storefront": "locked"})
    assert list(hidden.context["members"]) == [network.anna]
    assert list(locked.context["members"]) == [network.ben]
    everyone = staff_client.get(url("mlm-member-list"))
    assert everyone.context["paginator"].count == 5
    assert "mlm-storefront-hidden" in everyone.content.decode()


def test_lock_stops_the_owner(staff_client, visitor, network):
    save(staff_client, network.anna, is_locked="on", staff_note="Please remove the claims.")
    visitor.force_login(network.anna.user)
    page = visitor.get(EDIT_PAGE)
    content = page.content.decode()
    assert 'id="storefront-locked"' in content
    assert 'id="storefront-form"' not in content
    assert "Please remove the claims." in content

    response = visitor.post(EDIT_PAGE, {"greeting": "Earn 10000 a month!", "display_name": "X"})
    assert str(StorefrontLocked.default_message) in response.content.decode()
    storefront = storefront_of(network.anna)
    assert (storefront.greeting, storefront.display_name) == ("Welcome to my shop!", "Anna")

    # Unlocked, the owner edits again.
    save(staff_client, network.anna)
    assert 'id="storefront-form"' in visitor.get(EDIT_PAGE).content.decode()


def test_staff_moderates_the_greeting_shown_on_the_distributor_link(staff_client, visitor, network):
    storefront_services.update_storefront(
        member=network.anna, greeting="Get rich in a week!", display_name="Anna"
    )
    save(staff_client, network.anna, greeting="Welcome to my shop.")
    assert storefront_of(network.anna).greeting == "Welcome to my shop."

    page = visitor.get("/join/", HTTP_HOST=host("anna"))  # the partner link
    assert page.status_code == 200
    content = page.content.decode()
    assert "Welcome to my shop." in content
    assert "Get rich in a week!" not in content
    # The mode holds for the visit: the shop shows the moderated greeting too.
    shop = visitor.get("/catalogue/", HTTP_HOST=host("anna"))
    assert shop.context["storefront_distributor_link"] is True
    assert shop.context["storefront_partner_link"] is True  # the name documented before
    assert "Welcome to my shop." in shop.content.decode()


def test_staff_form_shows_the_owners_values(staff_client, network):
    storefront_services.update_storefront(member=network.anna, greeting="Moin", photo=png())
    response = staff_client.get(url("mlm-member-storefront", pk=network.anna.pk))
    form = response.context["form"]
    assert form["greeting"].value() == "Moin"
    content = response.content.decode()
    assert 'id="storefront-photo"' in content
    assert 'name="photo-clear"' in content
    assert "http://anna.localhost/join/" in content


def test_staff_uploads_and_clears_the_photo(staff_client, network, media_root):
    response = save(staff_client, network.anna, photo=png())
    assert response.status_code == 302
    photo = storefront_of(network.anna).photo
    assert photo.name.startswith("storefronts/")
    assert (media_root / photo.name).exists()

    # Saving other fields keeps the photo.
    save(staff_client, network.anna, greeting="New")
    assert storefront_of(network.anna).photo.name == photo.name

    save(staff_client, network.anna, **{"photo-clear": "on"})
    storefront = storefront_of(network.anna)
    assert not storefront.photo
    assert storefront.photo.name == ""


def test_staff_save_keeps_an_empty_accent_colour(staff_client, network):
    save(staff_client, network.anna, accent_color="", is_hidden="on")
    assert storefront_of(network.anna).accent_color == ""


def test_accent_colour_is_normalised(staff_client, network):
    save(staff_client, network.anna, accent_color=" #ABCDEF ")
    assert storefront_of(network.anna).accent_color == "#abcdef"


@pytest.mark.parametrize(
    "colour, message",
    [
        ("red", "Enter a colour as #rrggbb"),
        ("#12345", "Enter a colour as #rrggbb"),
        ("#gggggg", "Enter a colour as #rrggbb"),
        ("#1f7a4d00", "Ensure this value has at most 7 characters"),
    ],
)
def test_bad_colour_is_refused(staff_client, network, colour, message):
    storefront_services.update_storefront(member=network.anna, greeting="Before")
    response = save(staff_client, network.anna, accent_color=colour, greeting="After")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["accent_color"], errors
    assert errors["accent_color"][0].startswith(message), errors
    assert escape(errors["accent_color"][0]) in response.content.decode()
    storefront = storefront_of(network.anna)
    assert (storefront.greeting, storefront.accent_color) == ("Before", "")


def test_non_image_upload_is_refused(staff_client, network, media_root):
    fake = SimpleUploadedFile("anna.png", b"not an image at all", content_type="image/png")
    response = save(staff_client, network.anna, photo=fake, is_hidden="on")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["photo"], errors
    assert escape(errors["photo"][0]) in response.content.decode()
    assert storefront_of(network.anna) is None
    assert not list(media_root.rglob("*.png"))


@override_settings(OSCAR_MLM_STOREFRONT_PHOTO_MAX_BYTES=10)
def test_too_large_photo_is_refused(staff_client, network, media_root):
    response = save(staff_client, network.anna, photo=png())
    too_large = "The photo is too large. Please upload at most 10\xa0bytes."
    assert_form_error(response, "photo", too_large)
    assert storefront_of(network.anna) is None
    assert not list(media_root.rglob("*.png"))


def test_too_long_greeting_is_refused(staff_client, network):
    response = save(staff_client, network.anna, greeting="x" * 601)
    assert list(response.context["form"].errors) == ["greeting"]
    assert storefront_of(network.anna) is None


# -- rename the handle ------------------------------------------------------------------------


def rename(client, member, handle, **kwargs):
    return client.post(url("mlm-member-handle", pk=member.pk), {"handle": handle}, **kwargs)


def test_rename_page(staff_client, network, settings):
    settings.OSCAR_MLM_HANDLE_REDIRECT_DAYS = 30
    response = staff_client.get(url("mlm-member-handle", pk=network.anna.pk))
    assert response.status_code == 200
    assert "forwards to the new one for 30 days" in response.content.decode()


def test_rename_handle_forwards_the_old_host(staff_client, visitor, network, staff, settings):
    settings.OSCAR_MLM_HANDLE_REDIRECT_DAYS = 14
    response = rename(staff_client, network.anna, " Anna-Neu ", follow=True)
    network.anna.refresh_from_db()
    assert network.anna.handle == "anna-neu"
    assert page_messages(response) == [
        "Anna Schmidt now has the storefront handle anna-neu. "
        "The old name anna forwards to it for 14 days."
    ]
    change = StatusChange.objects.get(member=network.anna)
    assert (change.event, change.changed_by) == (StatusChange.RENAMED, staff)
    assert "anna" in change.reason and "anna-neu" in change.reason
    assert "Storefront name changed" in response.content.decode()  # member page audit

    forward = visitor.get("/catalogue/?page=2", HTTP_HOST=host("anna"))
    assert forward.status_code == 301
    assert forward["Location"] == "http://anna-neu.localhost/catalogue/?page=2"
    assert visitor.get("/catalogue/", HTTP_HOST=host("anna-neu")).status_code == 200

    # Once the forwarding time has passed, the old name is nobody's.
    HandleRedirect.objects.filter(old_handle="anna").update(
        expires=timezone.now() - timedelta(minutes=1)
    )
    assert visitor.get("/catalogue/", HTTP_HOST=host("anna")).status_code == 404


def test_forwarding_lasts_the_configured_days(staff_client, network, settings):
    settings.OSCAR_MLM_HANDLE_REDIRECT_DAYS = 3
    rename(staff_client, network.anna, "anna-neu")
    expires = HandleRedirect.objects.get(old_handle="anna").expires
    assert abs(expires - (timezone.now() + timedelta(days=3))) < timedelta(minutes=1)


@pytest.mark.parametrize(
    "handle, message",
    [
        ("a_b", "A storefront handle may contain only lower-case letters"),
        ("ab", "A storefront handle has"),
        ("www", "This storefront handle is reserved."),
        ("ben-shop", HandleTaken.default_message),
        ("anna", SameHandle.default_message),
        ("ANNA", SameHandle.default_message),
        ("", "This field is required."),
    ],
)
def test_refused_rename_shows_why_and_changes_nothing(staff_client, network, handle, message):
    before = (StatusChange.objects.count(), HandleRedirect.objects.count())
    response = rename(staff_client, network.anna, handle)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["handle"], errors
    assert errors["handle"][0].startswith(str(message)), errors
    assert escape(errors["handle"][0]) in response.content.decode()
    network.anna.refresh_from_db()
    assert network.anna.handle == "anna"
    assert (StatusChange.objects.count(), HandleRedirect.objects.count()) == before


def test_an_old_handle_that_still_forwards_is_taken(staff_client, network):
    rename(staff_client, network.anna, "anna-neu")
    response = rename(staff_client, network.ben, "anna")
    assert_form_error(response, "handle", HandleTaken.default_message)
    network.ben.refresh_from_db()
    assert network.ben.handle == "ben-shop"
