"""The host configuration (``ROOT_HOSTCONF``) for a shop with partner storefronts.

``www`` and the bare ``PARENT_HOST`` are the company site (the latter through
``DEFAULT_HOST = "www"``); any other single label is a storefront handle. Both
use the shop's own URLconf: a storefront is the company's shop with the
partner's face, not a separate site. ``SHOP_URLCONF`` reads ``ROOT_URLCONF``
when a request comes, not when this module is imported.
"""

from django_hosts import host, patterns

CALLBACKS = "oscar_mlm.apps.mlm_storefront.callbacks"
SHOP_URLCONF = "oscar_mlm.apps.mlm_storefront.root_urlconf"

host_patterns = patterns(
    "",
    host(r"www", SHOP_URLCONF, name="www", callback=f"{CALLBACKS}.company_host"),
    host(
        r"(?P<handle>[A-Za-z0-9-]+)",
        SHOP_URLCONF,
        name="storefront",
        callback=f"{CALLBACKS}.resolve_storefront",
    ),
)
