"""The hosts read ROOT_URLCONF when a request comes: a shop's tests may override it."""

import pytest
from django.test import override_settings
from django_hosts.resolvers import reverse as host_reverse

from oscar_mlm.test.factories import DistributorFactory

pytestmark = pytest.mark.django_db

OVERRIDE = "tests.storefront.urls_override"


@pytest.fixture
def anna(company):
    return DistributorFactory(parent=company, handle="anna")


def test_an_overridden_urlconf_answers_on_the_company_site_and_on_storefronts(client, anna):
    assert client.get("/only-here/", HTTP_HOST="localhost").status_code == 404
    with override_settings(ROOT_URLCONF=OVERRIDE):
        company = client.get("/only-here/", HTTP_HOST="localhost")
        storefront = client.get("/only-here/", HTTP_HOST="anna.localhost")
        # The rest of the shop is still there, and unknown paths get the shop's 404 page.
        catalogue = client.get("/catalogue/", HTTP_HOST="anna.localhost")
        missing = client.get("/nowhere/", HTTP_HOST="anna.localhost")
        link = host_reverse("only-here", host="storefront", host_kwargs={"handle": "anna"})
    assert (company.status_code, company.content) == (200, b"only here, storefront -")
    assert (storefront.status_code, storefront.content) == (200, b"only here, storefront anna")
    assert catalogue.status_code == 200
    assert missing.status_code == 404 and b"<html" in missing.content
    assert link.endswith("anna.localhost/only-here/")
    # And back: the override is gone with the block.
    assert client.get("/only-here/", HTTP_HOST="anna.localhost").status_code == 404
