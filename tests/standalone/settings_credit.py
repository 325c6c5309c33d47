"""A shop with the network app and mlm_credit only."""

from oscar.defaults import *  # noqa: F403

from tests.standalone.base import CREDIT, shop_settings

globals().update(shop_settings([CREDIT]))
