"""Stock Oscar's product index in the benchmarks: the sandbox's.

The benchmarks build one search index with the sandbox's settings and copy it for stock
Oscar. The sandbox replaces Oscar's ``ProductIndex`` with its own (``sandbox/search_indexes.py``,
a product-type facet) and excludes Oscar's, so stock Oscar, which leaves out the ``sandbox``
app (its templates), finds its index here: ``stock_settings.py`` installs this folder as an
app with no models and no templates, and stock Oscar searches the same index the same way.
"""

from sandbox.search_indexes import ProductIndex  # noqa: F401
