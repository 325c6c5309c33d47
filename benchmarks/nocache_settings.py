"""The sandbox without the page cache: what rendering a page with the plugin costs.

A configuration of ``benchmarks/storefront.py``: ``sandbox/settings.py`` minus the two
halves of ``oscar_mlm.apps.mlm_storefront.cache``; everything else as the sandbox has it.
"""

from sandbox.settings import *  # noqa: F403
from sandbox.settings import MIDDLEWARE

MIDDLEWARE = [name for name in MIDDLEWARE if ".mlm_storefront.cache." not in name]
