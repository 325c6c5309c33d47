"""Cross-host links: reversed by django-hosts from PARENT_HOST, scheme and port of the request."""

from django.test import RequestFactory

from oscar_mlm.apps.mlm_storefront.links import (
    company_url,
    customer_link,
    distributor_link,
    parent_host,
    storefront_url,
)


def request(host, secure=False):
    return RequestFactory().get("/", HTTP_HOST=host, secure=secure)


def test_links_take_scheme_and_port_from_the_request_and_the_host_from_parent_host():
    r = request("ben.localhost:8000")
    assert customer_link(r, "anna") == "http://anna.localhost:8000/"
    assert distributor_link(r, "anna") == "http://anna.localhost:8000/join/"
    assert storefront_url(r, "anna", "/catalogue/?page=2") == (
        "http://anna.localhost:8000/catalogue/?page=2"
    )
    assert company_url(r, "/basket/") == "http://localhost:8000/basket/"
    secure = request("localhost", secure=True)
    assert distributor_link(secure, "anna") == "https://anna.localhost/join/"
    assert company_url(secure) == "https://localhost/"


def test_without_a_port_in_the_request_host_port_applies(settings):
    settings.HOST_PORT = 8443
    r = request("localhost")
    assert customer_link(r, "anna") == "http://anna.localhost:8443/"
    assert company_url(r) == "http://localhost:8443/"


def test_parent_host_is_read_in_one_place_at_use_time(settings):
    settings.PARENT_HOST = ".shop.example"
    assert parent_host() == "shop.example"
    r = request("localhost")
    assert company_url(r) == "http://shop.example/"
    assert customer_link(r, "anna") == "http://anna.shop.example/"
