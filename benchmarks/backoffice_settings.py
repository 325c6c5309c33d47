"""The sandbox's settings with 50 products on a catalogue page: the settings of
``benchmarks/backoffice.py``, and (through ``MLM_STOCK_BASE``) the base of its stock Oscar.

Stock Oscar has no ``sandbox`` app, whose search index replaces Oscar's: with
``MLM_BENCH_STOCK`` set, Oscar's own product index and facets are used, in a Whoosh
folder of its own.
"""

import os

from sandbox.settings import *  # noqa: F403

OSCAR_PRODUCTS_PER_PAGE = 50

if os.environ.get("MLM_BENCH_STOCK"):
    from oscar import defaults as _oscar_defaults

    OSCAR_SEARCH_FACETS = _oscar_defaults.OSCAR_SEARCH_FACETS
    HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
            "PATH": os.environ["SANDBOX_WHOOSH_PATH"] + "-stock",
        }
    }
