"""The distributor's statements in the account area: pages, CSV, PDF, who may see what."""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_commissions import services

from .conftest import TAX, login
from .helpers import pdf_text

CreditNote = get_model("mlm_commissions", "CreditNote")

pytestmark = pytest.mark.django_db


def detail(period):
    return reverse("mlm_commissions:mlm-statement-detail", kwargs={"period_pk": period.pk})


def pdf_url(period):
    return reverse("mlm_commissions:mlm-statement-pdf", kwargs={"period_pk": period.pk})


def csv_url(period):
    return reverse("mlm_commissions:mlm-statement-export", kwargs={"period_pk": period.pk})


def test_list_shows_both_periods_and_asks_for_tax_details(world, client):
    login(client, world["D1"])
    page = client.get(reverse("mlm_commissions:mlm-statement-list")).content.decode()
    assert detail(world.october) in page and detail(world.november) in page
    assert "15.50 EUR" in page and "-4.00 EUR" in page
    assert 'id="mlm-tax-missing"' in page
    assert "Commission statements" in page  # the account tab


def test_statement_shows_lines_and_why_not(world, client):
    login(client, world["B2"])
    page = client.get(detail(world.october)).content.decode()
    # B2 in October without compression: own 10.00 + 1.00, L2 4.00 + 1.50, L3 3.00.
    assert "19.50 EUR" in page
    assert "Level 3: 3 % of 100.00 = 3.00 EUR." in page
    login(client, world["C2"])
    page = client.get(detail(world.october)).content.decode()
    assert "Not paid: own volume 0.00 is below the minimum 50.00." in page
    assert "The company keeps the share (5.00)." in page


def test_correction_and_negative_total_carried(world, client):
    login(client, world["D1"])
    page = client.get(detail(world.november)).content.decode()
    assert "Correction: 80.00 EUR of the order was refunded after 2025-10 closed" in page
    assert 'id="mlm-statement-carried"' in page
    assert 'id="mlm-statement-preliminary"' in page  # November is open


def test_others_statements_are_404(world, client):
    # A distributor who joined after the runs has no statement: the periods' pages of the
    # others' statements answer 404 to them, never another distributor's statement.
    newcomer = world.distributor("F1", "B3")
    login(client, newcomer)
    for period in (world.october, world.november):
        for url in (detail(period), pdf_url(period), csv_url(period)):
            response = client.get(url)
            assert response.status_code == 404
            assert b"19.50" not in response.content
    assert client.get("/accounts/commissions/999999/").status_code == 404
    assert client.get("/accounts/commissions/abc/").status_code == 404
    assert client.get("/accounts/commissions/%C2%B2/").status_code == 404


def test_customer_and_anonymous(world, client):
    for url in (reverse("mlm_commissions:mlm-statement-list"), detail(world.october),
                pdf_url(world.october), reverse("mlm_commissions:mlm-tax-profile")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    login(client, world["E2"])  # a customer
    response = client.get(reverse("mlm_commissions:mlm-statement-list"))
    assert response.status_code == 403
    assert "are for distributors" in response.content.decode()
    assert client.get(pdf_url(world.october)).status_code == 403


def test_csv_has_figures_and_explained_lines(world, client):
    login(client, world["D1"])
    response = client.get(csv_url(world.november))
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    assert "Own volume,20.00" in text
    assert "Total,-4.00" in text
    assert "Correction,1002" in text and "-4.00" in text
    assert "Not paid: own volume 20.00 is below the minimum 50.00." in text


def test_pdf_before_tax_details_is_a_statement_not_a_credit_note(world, client):
    login(client, world["D1"])
    response = client.get(pdf_url(world.october))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Commission statement" in text and "Gutschrift" not in text
    assert "tax details" in text
    assert not CreditNote.objects.exists()


def test_pdf_credit_note_small_business(world, client):
    login(client, world["D1"])
    response = client.post(reverse("mlm_commissions:mlm-tax-profile"), TAX)
    assert response.status_code == 302
    note = CreditNote.objects.get()
    assert (note.number, note.net, note.vat, note.gross) == (
        "GS-000001", D("15.50"), D("0.00"), D("15.50"))
    response = client.get(pdf_url(world.october))
    assert 'filename="credit-note-GS-000001.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)
    for needed in [
        "Credit note (Gutschrift) GS-000001",  # the word and the sequential number
        "Muster Vertrieb GmbH", "Musterweg 5", "80331 München", "DE999999999",  # company
        "Dieter Eins", "Hauptstraße 1", "10115 Berlin", "21/815/08150",  # distributor
        "Date of issue", note.issued.strftime("%m/%d/%Y"),
        "Period of service", "10/01/2025 - 10/31/2025",
        "Net amount", "15.50 EUR", "VAT 0.00 %", "0.00 EUR", "Amount paid out",
        "§ 19 UStG",
    ]:
        assert needed in text, needed


def test_pdf_credit_note_with_vat_in_german(world, client, settings):
    settings.OSCAR_MLM_COMMISSION_VAT_RATE = "19"
    login(client, world["B2"])
    client.post(reverse("mlm_commissions:mlm-tax-profile"),
                {**TAX, "tax_status": "standard", "name": "B2 GmbH", "vat_id": "DE123456789"})
    note = CreditNote.objects.get(member=world["B2"], period=world.october)
    assert (note.net, note.vat_rate, note.vat, note.gross) == (
        D("19.50"), D("19.00"), D("3.71"), D("23.21"))  # 3.705 rounded half up
    response = client.get(pdf_url(world.october), HTTP_ACCEPT_LANGUAGE="de")
    text = pdf_text(response.content)
    for needed in ["Gutschrift GS-000001", "B2 GmbH", "DE123456789", "19,50 EUR",
                   "USt. 19,00 %", "3,71 EUR", "23,21 EUR", "Leistungszeitraum",
                   "01.10.2025 - 31.10.2025"]:
        assert needed in text, needed


def test_pdf_reverse_charge(world, client):
    login(client, world["B2"])
    response = client.post(reverse("mlm_commissions:mlm-tax-profile"), {
        **TAX, "tax_status": "reverse_charge", "country": "AT", "postcode": "1010",
        "city": "Wien", "vat_id": "ATU12345678", "tax_number": ""})
    assert response.status_code == 302, response.content.decode()
    text = pdf_text(client.get(pdf_url(world.october)).content)
    assert "reverse charge" in text and "ATU12345678" in text


def test_open_period_pdf_is_preliminary(world, client):
    login(client, world["B2"])
    client.post(reverse("mlm_commissions:mlm-tax-profile"), TAX)
    text = pdf_text(client.get(pdf_url(world.november)).content)
    assert "Preliminary" in text and "Gutschrift" not in text
    assert not CreditNote.objects.filter(period=world.november).exists()


def test_credit_note_numbers_are_sequential_and_frozen(world, client):
    for name in ("E1", "D1", "B2"):
        services.save_tax_profile(world[name], **TAX)
    numbers = list(CreditNote.objects.order_by("sequence").values_list("number", "member_id"))
    assert [n for n, _m in numbers] == ["GS-000001", "GS-000002", "GS-000003"]
    # A later change of the tax details leaves issued notes as they were.
    services.save_tax_profile(world["D1"], **{**TAX, "name": "Neuer Name"})
    assert CreditNote.objects.get(member=world["D1"]).name == "Dieter Eins"
    assert CreditNote.objects.count() == 3
    # Issuing again issues nothing new.
    assert services.issue_credit_notes(period=world.october) == []
