"""Find your consultant: the company site's search for a distributor's storefront.

Only active distributors with a handle and a storefront that is not hidden are
found; a place (postcode or town) matches only what distributors chose to share
(``Storefront.postcode``/``city``, blank unless they fill them in). Nothing is
listed without a search, and never more than ``limit`` results: the page is a
way to a storefront, not a directory of the network.
"""

from django.db.models import Q
from oscar.core.loading import get_model

from oscar_mlm.parsing import clean_text

Member = get_model("mlm_network", "Member")

MIN_LENGTH = 2
MAX_LENGTH = 80


def search_terms(value):
    """The words of a search box, or ``[]`` for nothing searchable (too short, NUL bytes)."""
    text = clean_text(value, max_length=MAX_LENGTH) or ""
    words = [word for word in text.split() if word]
    return words if len("".join(words)) >= MIN_LENGTH else []


def find_consultants(*, name="", place="", limit=20):
    """Distributors whose name or storefront name has every word of ``name`` and whose
    shared postcode starts with, or town is, ``place``. Both given: both must match."""
    name_words, place_words = search_terms(name), search_terms(place)
    if not name_words and not place_words:
        return []
    found = (
        Member.objects.filter(kind=Member.DISTRIBUTOR, status=Member.ACTIVE, handle__isnull=False)
        .exclude(storefront__is_hidden=True)
        .select_related("user", "storefront")
    )
    for word in name_words:
        found = found.filter(
            Q(handle__istartswith=word)
            | Q(storefront__display_name__icontains=word)
            | Q(user__first_name__istartswith=word)
            | Q(user__last_name__istartswith=word)
        )
    if place_words:
        place_text = " ".join(place_words)
        found = found.filter(
            Q(storefront__postcode__istartswith=place_text)
            | Q(storefront__city__iexact=place_text)
            | Q(storefront__city__istartswith=place_text + " ")
        )
    return list(found.order_by("handle")[:limit])
