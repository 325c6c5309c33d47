"""A shop with the network app alone."""

from oscar.defaults import *  # noqa: F403

from tests.standalone.base import shop_settings

globals().update(shop_settings([]))
