"""A shop with the network app and mlm_commissions only."""

from oscar.defaults import *  # noqa: F403

from tests.standalone.base import COMMISSIONS, shop_settings

globals().update(shop_settings([COMMISSIONS]))
