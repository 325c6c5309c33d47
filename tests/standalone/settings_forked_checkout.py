"""A shop with the network and credit apps whose checkout is its own fork of ours."""

from oscar.defaults import *  # noqa: F403

from tests.standalone.base import CREDIT, OUR_CHECKOUT, shop_settings

globals().update(shop_settings([CREDIT]))
INSTALLED_APPS[INSTALLED_APPS.index(OUR_CHECKOUT)] = (  # noqa: F405
    "tests.standalone.forked_checkout.apps.CheckoutConfig"
)
