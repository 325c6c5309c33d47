"""The voucher throttle's client address behind reverse proxies (OSCAR_MLM_REVERSE_PROXIES)."""

import pytest
from django.test import RequestFactory

from oscar_mlm.apps.mlm_vouchers.throttle import client_ip


def request(forwarded=None):
    extra = {"REMOTE_ADDR": "127.0.0.1"}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_proxies_the_client_is_the_peer(settings):
    settings.OSCAR_MLM_REVERSE_PROXIES = 0
    assert client_ip(request("198.51.100.7")) == "127.0.0.1"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        # The one proxy appended the address it saw; what the client sent before is ignored.
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "192.0.2.66, 198.51.100.7", "198.51.100.7"),
        (1, " 203.0.113.9 ,198.51.100.7 ", "198.51.100.7"),
        # A CDN in front of nginx: the CDN appended the client, nginx the CDN.
        (2, "203.0.113.9, 198.51.100.7, 192.0.2.1", "198.51.100.7"),
        # Fewer entries than proxies (a request that bypassed one): the peer.
        (2, "198.51.100.7", "127.0.0.1"),
        (1, "", "127.0.0.1"),
        (1, None, "127.0.0.1"),
    ],
)
def test_behind_proxies_the_client_is_what_the_outermost_proxy_appended(
    settings, proxies, forwarded, expected
):
    settings.OSCAR_MLM_REVERSE_PROXIES = proxies
    assert client_ip(request(forwarded)) == expected
