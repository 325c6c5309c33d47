"""A shop with the network app and mlm_storefront only."""

from oscar.defaults import *  # noqa: F403

from tests.standalone.base import STOREFRONT, shop_settings

globals().update(shop_settings([STOREFRONT]))
