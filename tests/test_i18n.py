"""German is shipped compiled: pages answer in German when the browser asks for it."""

from django.utils import translation
from django.utils.translation import gettext as _


def test_german_catalogue_is_compiled():
    with translation.override("de"):
        assert _("My network") == "Mein Netzwerk"
        assert _("Sponsor ID") == "Sponsor-ID"
        assert _("My voucher codes") == "Meine Gutscheincodes"
        assert _("My business") == "Mein Geschäft"
        assert (
            _("The order could not be placed.") == "Die Bestellung konnte nicht aufgegeben werden."
        )


def test_company_sign_up_page_in_german(client, company):
    response = client.get("/accounts/register/", HTTP_ACCEPT_LANGUAGE="de")
    html = response.content.decode()
    assert 'id="signup-closed"' in html
    with translation.override("de"):
        expected = _("New customers and partners join through the person who recommended us.")
    assert expected != "New customers and partners join through the person who recommended us."
    assert expected in html
