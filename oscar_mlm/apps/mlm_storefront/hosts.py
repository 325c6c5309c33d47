"""The host configuration (``ROOT_HOSTCONF``) for a shop with partner storefronts.

``www`` and the bare ``PARENT_HOST`` are the company site (the latter through
``DEFAULT_HOST = "www"``); any other single label is a storefront handle. Both
use the shop's own URLconf: a storefront is the company's shop with the
partner's face, not a separate site.
"""

from django.conf import settings
from django_hosts import host, patterns

CALLBACKS = "oscar_mlm.apps.mlm_storefront.callbacks"

host_patterns = patterns(
    "",
    host(r"www", settings.ROOT_URLCONF, name="www", callback=f"{CALLBACKS}.company_host"),
    host(
        r"(?P<handle>[A-Za-z0-9-]+)",
        settings.ROOT_URLCONF,
        name="storefront",
        callback=f"{CALLBACKS}.resolve_storefront",
    ),
)
