"""The sandbox's product index: Oscar's, with a product-type facet that reads well on Whoosh.

Whoosh stems every text field, so a facet on Oscar's ``product_class`` listed stems
("care (5)", "nutrit (5)"). A keyword list keeps each name whole ("Skin care (5)").
``HAYSTACK_CONNECTIONS`` excludes Oscar's own index (sandbox/settings.py).
"""

from haystack import indexes
from oscar.apps.search import search_indexes


class ProductIndex(search_indexes.ProductIndex):
    product_type = indexes.MultiValueField(null=True)

    def prepare_product_type(self, obj):
        return [obj.get_product_class().name]
