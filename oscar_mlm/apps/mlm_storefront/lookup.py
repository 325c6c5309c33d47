"""The one lookup every storefront request makes, cached per handle.

Cached for ``OSCAR_MLM_STOREFRONT_CACHE_SECONDS`` and dropped whenever the
member, their user or their storefront is saved or deleted (receivers.py). With
several server processes use a shared cache (Redis, Memcached): a local-memory
cache is only cleared in the process that saved.
"""

from django.core.cache import cache
from oscar.core.loading import get_model

from oscar_mlm.conf import get_setting

Member = get_model("mlm_network", "Member")

_NOBODY = "nobody"


def cache_key(handle):
    return f"oscar_mlm:storefront:{handle}"


def storefront_owner(handle):
    """The distributor with this handle (user and storefront joined), or None."""
    seconds = int(get_setting("OSCAR_MLM_STOREFRONT_CACHE_SECONDS"))
    if seconds:
        found = cache.get(cache_key(handle))
        # A renamed member cached under the old name is no longer its owner.
        if found == _NOBODY:
            return None
        if found is not None and found.handle == handle:
            return found
    member = (
        Member.objects.filter(handle=handle, kind=Member.DISTRIBUTOR)
        .select_related("user", "storefront")
        .first()
    )
    if seconds:
        cache.set(cache_key(handle), member or _NOBODY, seconds)
    return member


def forget(handle):
    if handle:
        cache.delete(cache_key(handle))
