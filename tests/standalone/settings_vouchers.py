"""A shop with the network app and mlm_vouchers only."""

from oscar.defaults import *  # noqa: F403

from tests.standalone.base import VOUCHERS, shop_settings

globals().update(shop_settings([VOUCHERS]))
