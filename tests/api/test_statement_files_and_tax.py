"""A distributor's statement as CSV and PDF, and their tax details, through the API.

The files are the account area's, byte for byte; the tax details are saved by
the service the account area's form uses, with the same refusals.
"""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_commissions import services as commissions
from oscar_mlm.test.factories import DistributorFactory
from tests.statements.conftest import TAX
from tests.statements.helpers import pdf_text

from .conftest import api

pytestmark = pytest.mark.django_db

TaxProfile = get_model("mlm_commissions", "TaxProfile")
CreditNote = get_model("mlm_commissions", "CreditNote")

URL = "/api/mlm/commissions/tax-details/"


@pytest.fixture
def company_settings(settings):
    settings.OSCAR_MLM_COMPANY_LEGAL_NAME = "Muster Vertrieb GmbH"
    settings.OSCAR_MLM_COMPANY_ADDRESS = ["Musterweg 5", "80331 München"]
    settings.OSCAR_MLM_COMPANY_VAT_ID = "DE999999999"
    return settings


@pytest.fixture
def closed_october(run_book, company_settings):
    period = commissions.month_period("2025-10")
    commissions.run_period(period)
    commissions.close_period(period)
    return period


def web(client, member, name, period):
    client.force_login(member.user)
    return client.get(reverse(f"mlm_commissions:{name}", kwargs={"period_pk": period.pk}))


# -- tax details ---------------------------------------------------------------------------------


def test_unsaved_tax_details_answer_the_forms_start(as_, network):
    network.anna.user.first_name, network.anna.user.last_name = "Anna", "Anders"
    network.anna.user.save()
    details = as_("anna").get(URL).json()
    assert details == {
        "tax_status": "", "name": "Anna Anders", "street": "", "postcode": "", "city": "",
        "country": "DE", "tax_number": "", "vat_id": "", "saved": False,
    }


def test_put_saves_and_patch_changes_only_what_is_sent(as_, network):
    client = as_("anna")
    response = client.put(URL, {**TAX, "vat_id": "de 123.456.789"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {**TAX, "vat_id": "DE123456789", "saved": True}
    assert client.get(URL).json()["vat_id"] == "DE123456789"
    response = client.patch(URL, {"postcode": "20095", "city": "Hamburg"}, format="json")
    assert response.status_code == 200, response.content
    profile = TaxProfile.objects.get(member=network.anna)
    assert (profile.postcode, profile.city, profile.name, profile.tax_number) == (
        "20095", "Hamburg", TAX["name"], TAX["tax_number"])
    # Otto's details are his own: nothing of Anna's.
    assert as_("otto").get(URL).json()["saved"] is False


def test_patch_before_anything_is_saved_needs_the_rest(as_, network):
    response = as_("anna").patch(URL, {"tax_status": "small_business"}, format="json")
    assert response.status_code == 400
    assert "street" in response.json()
    assert not TaxProfile.objects.exists()


@pytest.mark.parametrize(("change", "field"), [
    ({"name": None}, "name"),
    ({"name": ""}, "name"),
    ({"name": "x" * 201}, "name"),
    ({"tax_status": "bogus"}, "tax_status"),
    ({"tax_status": ""}, "tax_status"),
    ({"postcode": "²0115"}, "postcode"),
    ({"postcode": "1011"}, "postcode"),
    ({"postcode": "10115\x00"}, "postcode"),
    ({"postcode": "9" * 1000}, "postcode"),
    ({"country": "1A"}, "country"),
    ({"vat_id": "DE12"}, "vat_id"),
    ({"vat_id": "DE12345678"}, "vat_id"),
    ({"tax_number": "١٢/٨١٥/٠٨١٥٠"}, "tax_number"),
    ({"tax_number": "", "vat_id": ""}, "tax_number"),
    ({"tax_status": "reverse_charge"}, "vat_id"),
    ({"tax_status": "reverse_charge", "vat_id": "DE123456789"}, "tax_status"),
    ({"city": ["Berlin"]}, "city"),
])
def test_bad_tax_details_save_nothing(as_, network, change, field):
    client = as_("anna")
    for method in ("put", "patch"):
        response = getattr(client, method)(URL, {**TAX, **change}, format="json")
        assert response.status_code == 400, (method, response.content)
        assert field in response.json(), response.json()
    assert not TaxProfile.objects.exists()


def test_a_bad_patch_keeps_the_saved_details(as_, network):
    client = as_("anna")
    assert client.put(URL, TAX, format="json").status_code == 200
    response = client.patch(URL, {"vat_id": "XX"}, format="json")
    assert response.status_code == 400 and "vat_id" in response.json()
    assert TaxProfile.objects.get(member=network.anna).vat_id == ""
    assert client.put(URL, [TAX], format="json").status_code == 400
    assert client.put(URL, "tax", format="json").status_code == 400


# -- statement files -----------------------------------------------------------------------------


def test_csv_is_the_account_areas_file(as_, network, run_book, client):
    period = commissions.month_period("2025-10")
    commissions.run_period(period)
    response = as_("anna").get("/api/mlm/commissions/statements/2025-10/statement.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        f'attachment; filename="statement-2025-10-{network.anna.pk}.csv"')
    content = response.getvalue()
    assert b"100.00" in content
    assert content == web(client, network.anna, "mlm-statement-export", period).getvalue()
    # Asked for by its type, not refused with a 406.
    asked = as_("anna").get("/api/mlm/commissions/statements/2025-10/statement.csv",
                            HTTP_ACCEPT="text/csv")
    assert asked.status_code == 200 and asked.getvalue() == content
    # Otto gets his own statement, never Anna's lines.
    otto = as_("otto").get("/api/mlm/commissions/statements/2025-10/statement.csv")
    assert otto.status_code == 200
    assert f"-{network.otto.pk}.csv" in otto["Content-Disposition"]
    assert b"100.00" not in otto.getvalue()


def test_pdf_is_the_statement_then_the_credit_note(as_, network, closed_october, client):
    url = "/api/mlm/commissions/statements/2025-10/statement.pdf"
    anna = as_("anna")
    before = anna.get(url, HTTP_ACCEPT="application/pdf")
    assert before.status_code == 200 and before["Content-Type"] == "application/pdf"
    assert before.content.startswith(b"%PDF")
    assert 'filename="statement-' in before["Content-Disposition"]
    assert not CreditNote.objects.exists()  # it waits for the tax details
    # Saving the tax details through the API issues the note that waited for them.
    assert anna.put("/api/mlm/commissions/tax-details/", TAX, format="json").status_code == 200
    note = CreditNote.objects.get(member=network.anna, period=closed_october)
    after = anna.get(url)
    assert after.status_code == 200 and after.content.startswith(b"%PDF")
    assert after["Content-Disposition"] == f'attachment; filename="credit-note-{note.number}.pdf"'
    text = pdf_text(after.content)
    assert note.number in text
    assert text == pdf_text(web(client, network.anna, "mlm-statement-pdf", closed_october).content)


@pytest.mark.parametrize("suffix", ["statement.csv", "statement.pdf"])
def test_statement_files_404_without_the_callers_statement(as_, network, run_book, suffix):
    commissions.run_period(commissions.month_period("2025-10"))
    newbie = api(DistributorFactory(parent=network.company, handle="newbie").user)  # joined after
    for month in ("2025-10", "2025-11", "2025-13", "²", "abc", "9" * 30):
        response = newbie.get(f"/api/mlm/commissions/statements/{month}/{suffix}")
        assert response.status_code == 404, (month, response.content[:200])
        assert b"100.00" not in response.getvalue()
    assert as_("anna").get(f"/api/mlm/commissions/statements/2025-11/{suffix}").status_code == 404
    typed = as_("anna").get(f"/api/mlm/commissions/statements/2025-11/{suffix}",
                            HTTP_ACCEPT="text/csv, application/pdf")
    assert typed.status_code == 404 and b"detail" in typed.content
    assert as_(None).get(f"/api/mlm/commissions/statements/2025-10/{suffix}").status_code == 401
    assert as_("dora").get(f"/api/mlm/commissions/statements/2025-10/{suffix}").status_code == 403
    assert as_("staff").get(f"/api/mlm/commissions/statements/2025-10/{suffix}").status_code == 403
