"""A person downloads their data from the account area: a ZIP of JSON and CSV files."""

import csv
import io
import json
import zipfile

import pytest
from django.urls import reverse

from oscar_mlm.test.factories import UserFactory

from .conftest import EMAIL

pytestmark = pytest.mark.django_db

URL = "/accounts/privacy/my-data.zip"


def download(client, user):
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {name: archive.read(name).decode() for name in archive.namelist()}


def test_the_documented_urls():
    assert reverse("mlm_network:mlm-privacy") == "/accounts/privacy/"
    assert reverse("mlm_network:mlm-privacy-download") == URL


def test_the_zip_holds_every_section_as_json_and_csv(client, person):
    files = download(client, person.zelda.user)
    sections = {name.rsplit(".", 1)[0] for name in files}
    for section in (
        "profile",
        "membership",
        "sponsor_changes",
        "addresses",
        "orders",
        "order_lines",
        "credit_ledger",
        "voucher_codes",
        "storefront",
        "volumes",
        "commission_statements",
        "tax_details",
        "credit_notes",
        "crm_notes",
        "crm_follow_ups",
        "crm_tags",
    ):
        assert f"{section}.json" in files and f"{section}.csv" in files, section
    assert {name.rsplit(".", 1)[1] for name in files} == {"json", "csv"}
    assert len(sections) * 2 == len(files)

    profile = json.loads(files["profile.json"])
    assert profile[0]["email"] == EMAIL and profile[0]["last_name"] == "Quornfield"
    orders = json.loads(files["orders.json"])
    # her own orders (October 2025's first) and the one she placed as a guest before she joined
    assert [o["number"] for o in orders] == [
        str(person.october_order.number),
        str(person.guest_order.number),
        str(person.own_order.number),
    ]
    assert "Quornfield Lane 1" in orders[2]["shipping_address"]
    ledger = list(csv.DictReader(io.StringIO(files["credit_ledger.csv"])))
    assert ledger[0]["amount"] == "5.00" and ledger[0]["reason"] == "Goodwill for Zelda Quornfield"
    codes = json.loads(files["voucher_codes.json"])
    assert codes[0]["code"] == person.code.voucher.code
    statements = json.loads(files["commission_statements.json"])
    assert [(s["period"], s["commission"]) for s in statements] == [
        (str(person.october), "5.00")
    ]
    assert json.loads(files["tax_details.json"])[0]["name"] == "Zelda Quornfield"
    notes = json.loads(files["credit_notes.json"])
    assert [n["number"] for n in notes] == [person.credit_note.number]
    # the notes she wrote; not Ben's note that mentions her
    assert [n["text"] for n in json.loads(files["crm_notes.json"])] == [
        "Zelda promised Gina a sample"
    ]
    assert "Hugo came through" not in "".join(files.values())
    assert json.loads(files["crm_tags.json"])[0]["customer_numbers"] == [person.gina.pk]


def test_only_the_person_s_own_data_is_in_it(client, person):
    files = download(client, person.ben.user)
    text = "".join(files.values())
    assert EMAIL not in text and "Quornfield" not in text
    orders = json.loads(files["orders.json"])
    assert orders == []


def test_a_user_outside_the_network_gets_their_profile(client):
    user = UserFactory(email="olga@example.com")
    files = download(client, user)
    assert json.loads(files["profile.json"])[0]["email"] == "olga@example.com"
    assert "membership.json" not in files


def test_cells_that_look_like_formulas_are_neutralised(client, person):
    person.zelda.user.first_name = "=HYPERLINK(1)"
    person.zelda.user.save()
    files = download(client, person.zelda.user)
    assert "'=HYPERLINK(1)" in files["profile.csv"]
    assert json.loads(files["profile.json"])[0]["first_name"] == "=HYPERLINK(1)"


def test_logged_out_visitors_go_to_the_login(client):
    for url in (URL, "/accounts/privacy/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_privacy_page_is_in_the_account_menu(client, person):
    client.force_login(person.zelda.user)
    html = client.get("/accounts/privacy/").content.decode()
    assert 'href="/accounts/privacy/"' in html
    assert f'href="{URL}"' in html
