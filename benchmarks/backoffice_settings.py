"""The sandbox's settings with 50 products on a catalogue page: the settings of
``benchmarks/backoffice.py``, and (through ``MLM_STOCK_BASE``) the base of its stock Oscar.

Stock Oscar keeps the sandbox's product index (``benchmarks/stock_settings.py`` installs
it as ``benchmarks/search_indexes.py``); with ``MLM_BENCH_STOCK`` set it is built in a
Whoosh folder of its own, so the two servers do not share one.
"""

import os

from sandbox.settings import *  # noqa: F403

OSCAR_PRODUCTS_PER_PAGE = 50

if os.environ.get("MLM_BENCH_STOCK"):
    HAYSTACK_CONNECTIONS = {
        "default": {
            **HAYSTACK_CONNECTIONS["default"],  # noqa: F405
            "PATH": os.environ["SANDBOX_WHOOSH_PATH"] + "-stock",
        }
    }
