"""A shop with the network app and mlm_backoffice only (no volumes, no credit)."""

from oscar.defaults import *  # noqa: F403

from tests.standalone.base import BACKOFFICE, shop_settings

globals().update(shop_settings([BACKOFFICE]))
