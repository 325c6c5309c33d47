from oscar_mlm.apps.checkout import apps


class CheckoutConfig(apps.CheckoutConfig):
    name = "tests.standalone.forked_checkout"
