"""The sandbox's hosts: the package's hostconf plus an alias under shop.localhost.

Browsers refuse cookies for the bare ``localhost`` domain, so attribution across
company site and storefronts is shown on http://shop.localhost:8000/ and
http://anna.shop.localhost:8000/. A real shop uses
``oscar_mlm.apps.mlm_storefront.hosts`` with ``PARENT_HOST = "shop.example"``.
"""

from django_hosts import host, patterns

from oscar_mlm.apps.mlm_storefront.hosts import CALLBACKS, SHOP_URLCONF
from oscar_mlm.apps.mlm_storefront.hosts import host_patterns as mlm_hosts

host_patterns = patterns(
    "",
    mlm_hosts[0],
    host(
        r"(?P<handle>[A-Za-z0-9-]+)\.shop",
        SHOP_URLCONF,
        name="storefront-alias",
        callback=f"{CALLBACKS}.resolve_storefront",
    ),
    *mlm_hosts[1:],
)
