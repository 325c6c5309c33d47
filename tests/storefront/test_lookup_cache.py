import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oscar_mlm.apps.mlm_network import services
from oscar_mlm.apps.mlm_storefront import services as storefront_services
from oscar_mlm.apps.mlm_storefront.lookup import storefront_owner
from oscar_mlm.test.factories import DistributorFactory


@pytest.fixture(autouse=True)
def cached(settings):
    settings.OSCAR_MLM_STOREFRONT_CACHE_SECONDS = 30
    cache.clear()
    yield
    cache.clear()


def test_second_lookup_costs_no_query(company):
    anna = DistributorFactory(parent=company, handle="anna")
    assert storefront_owner("anna") == anna
    with CaptureQueriesContext(connection) as queries:
        assert storefront_owner("anna").pk == anna.pk
    assert len(queries) == 0


def test_deactivation_hiding_and_renaming_take_effect_at_once(client, company):
    anna = DistributorFactory(parent=company, handle="anna")
    assert client.get("/catalogue/", HTTP_HOST="anna.localhost").status_code == 200
    storefront_services.update_storefront(member=anna, by_staff=True, is_hidden=True)
    assert client.get("/catalogue/", HTTP_HOST="anna.localhost").status_code == 404
    storefront_services.update_storefront(member=anna, by_staff=True, is_hidden=False)
    assert client.get("/catalogue/", HTTP_HOST="anna.localhost").status_code == 200
    services.rename_handle(member=anna, new_handle="anna-care")
    assert client.get("/catalogue/", HTTP_HOST="anna.localhost").status_code == 301
    services.deactivate(member=anna)
    assert client.get("/catalogue/", HTTP_HOST="anna-care.localhost").status_code == 404


def test_unknown_handle_is_cached_until_someone_takes_it(client, company):
    assert client.get("/catalogue/", HTTP_HOST="newbie.localhost").status_code == 404
    DistributorFactory(parent=company, handle="newbie")
    assert client.get("/catalogue/", HTTP_HOST="newbie.localhost").status_code == 200


def test_name_change_shows_at_once(client, company):
    anna = DistributorFactory(parent=company, handle="anna", user__first_name="Anna")
    assert "Anna" in client.get("/catalogue/", HTTP_HOST="anna.localhost").content.decode()
    anna.user.first_name = "Annabel"
    anna.user.save()
    assert "Annabel" in client.get("/catalogue/", HTTP_HOST="anna.localhost").content.decode()
