"""The storefront endpoints: the owner's settings (the web form's checks) and the public profile."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from oscar.core.loading import get_model
from PIL import Image

from oscar_mlm.apps.mlm_network import services as network_services
from oscar_mlm.apps.mlm_storefront import services as storefront_services

pytestmark = pytest.mark.django_db

Storefront = get_model("mlm_storefront", "Storefront")
SETTINGS = "/api/mlm/me/storefront/"


def png(width=40, height=40, fmt="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#1f7a4d").save(buffer, fmt)
    return SimpleUploadedFile(
        f"me.{fmt.lower()}", buffer.getvalue(), content_type=f"image/{fmt.lower()}"
    )


def stored(member):
    return Storefront.objects.filter(member=member).values().first()


def test_owner_reads_and_changes_the_theme(as_, network):
    anna = as_("anna")
    assert anna.get(SETTINGS).json()["is_locked"] is False
    response = anna.patch(
        SETTINGS,
        {"display_name": "Anna's skin care", "accent_color": " #AABBCC ", "photo": png()},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    storefront = Storefront.objects.get(member=network.anna)
    assert (storefront.display_name, storefront.accent_color) == ("Anna's skin care", "#aabbcc")
    assert storefront.photo.name.startswith("storefronts/")
    assert response.json()["photo"].endswith(storefront.photo.name.rsplit("/", 1)[-1])

    response = anna.patch(SETTINGS, {"greeting": "Hello!"}, format="json")
    assert response.status_code == 200
    storefront.refresh_from_db()
    assert storefront.greeting == "Hello!" and storefront.photo  # the rest kept

    response = anna.patch(SETTINGS, {"clear_photo": True}, format="json")
    assert response.status_code == 200 and response.json()["photo"] is None
    storefront.refresh_from_db()
    assert not storefront.photo


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"accent_color": "red"}, "accent_color"),
        ({"accent_color": "#12345"}, "accent_color"),
        ({"display_name": "x" * 81}, "display_name"),
        ({"display_name": "Anna\x00"}, "display_name"),
        ({"photo": "not-an-image"}, "photo"),
        ({"photo": "gif"}, "photo"),
        ({"photo": "big"}, "photo"),
        ({"photo": "huge"}, "photo"),
    ],
)
def test_the_web_forms_checks_answer_400_and_change_nothing(
    as_, network, settings, values, field
):
    photo = values.get("photo")
    if photo == "not-an-image":
        values = {"photo": SimpleUploadedFile("x.png", b"not an image", content_type="image/png")}
    elif photo == "gif":
        values = {"photo": png(fmt="GIF")}
    elif photo == "big":
        settings.OSCAR_MLM_STOREFRONT_PHOTO_MAX_BYTES = 100
        values = {"photo": png()}
    elif photo == "huge":
        settings.OSCAR_MLM_STOREFRONT_PHOTO_MAX_PIXELS = 20
        values = {"photo": png()}
    before = stored(network.anna)
    response = as_("anna").patch(
        SETTINGS, {"greeting": "Changed", **values}, format="multipart"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert stored(network.anna) == before


def test_a_locked_storefront_is_refused(as_, network):
    storefront_services.update_storefront(member=network.anna, by_staff=True, is_locked=True)
    before = stored(network.anna)
    anna = as_("anna")
    assert anna.get(SETTINGS).json()["is_locked"] is True
    response = anna.patch(SETTINGS, {"greeting": "Changed"}, format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"]
    assert stored(network.anna) == before


def test_customers_have_no_storefront_settings(as_, network):
    assert as_("dora").patch(SETTINGS, {"greeting": "x"}, format="json").status_code == 403
    assert as_(None).patch(SETTINGS, {"greeting": "x"}, format="json").status_code == 401


def test_the_public_profile_shows_only_what_the_customer_link_shows(as_, network):
    storefront_services.update_storefront(
        member=network.anna,
        display_name="Anna's skin care",
        greeting="Welcome!",
        accent_color="#1f7a4d",
        contact_line="Call me: 0123",
        photo=png(),
    )
    response = as_(None).get("/api/mlm/storefronts/ANNA/")
    assert response.status_code == 200
    data = response.json()
    assert data["handle"] == "anna"
    assert (data["display_name"], data["greeting"], data["accent_color"]) == (
        "Anna's skin care",
        "Welcome!",
        "#1f7a4d",
    )
    assert data["photo"].startswith("http") and "/storefronts/" in data["photo"]
    assert "contact_line" not in data  # not on the customer link (OSCAR_MLM_CUSTOMER_LINK_...)
    assert "anna" in data["url"]
    assert not {"email", "id", "is_hidden", "is_locked", "staff_note"} & set(data)


@pytest.mark.parametrize("handle", ["nobody", "x" * 70, "%00", "²", "anna.ben"])
def test_unknown_handles_answer_404(as_, network, handle):
    assert as_(None).get(f"/api/mlm/storefronts/{handle}/").status_code == 404


def test_hidden_and_inactive_storefronts_answer_404(as_, network):
    storefront_services.update_storefront(member=network.anna, by_staff=True, is_hidden=True)
    assert as_(None).get("/api/mlm/storefronts/anna/").status_code == 404
    network_services.deactivate(member=network.ben, reason="left")
    assert as_(None).get("/api/mlm/storefronts/ben/").status_code == 404
