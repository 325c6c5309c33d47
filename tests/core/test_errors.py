"""oscar_mlm.errors.server_error: a database briefly away answers 503, other errors 500."""

from django.db import InterfaceError, OperationalError
from django.test import RequestFactory
from django.utils import translation

from oscar_mlm.errors import server_error


def answer(exception, language="en"):
    request = RequestFactory().get("/catalogue/")
    with translation.override(language):
        try:
            raise exception
        except Exception:
            return server_error(request)


def test_lost_database_connection_answers_503_with_retry_after():
    for exception in (OperationalError("server closed the connection"), InterfaceError("closed")):
        response = answer(exception)
        assert response.status_code == 503
        assert response["Retry-After"] == "5"
        assert response["Cache-Control"] == "no-store"
        body = response.content.decode()
        assert "briefly unavailable" in body
        assert "closed" not in body and "Traceback" not in body


def test_retry_after_is_a_setting(settings):
    settings.OSCAR_MLM_RETRY_AFTER_SECONDS = 30
    assert answer(OperationalError("gone"))["Retry-After"] == "30"


def test_other_errors_get_the_shops_500_page():
    response = answer(ValueError("a bug"))
    assert response.status_code == 500
    assert "a bug" not in response.content.decode()


def test_the_503_page_speaks_the_visitors_language():
    response = answer(OperationalError("gone"), language="de")
    body = response.content.decode()
    assert 'lang="de"' in body
    assert "Der Shop ist kurz nicht erreichbar" in body
