"""Steps the browser tests share: logging in; for the checkout tests a customer with credit
and the way to the payment step."""

import re
from decimal import Decimal as D

from oscar.test import factories as oscar_factories
from playwright.sync_api import expect

from oscar_mlm.apps.mlm_credit import services
from oscar_mlm.test.factories import UserFactory

PASSWORD = "secret-pass-123"  # the factories' password


def customer_with_credit(amount, email="eva@example.com"):
    """A user holding ``amount`` EUR of credit, a €10.00 product and Germany as the one shipping
    country; ``(user, product)``."""
    user = UserFactory(email=email)
    account = services.open_account(user, "EUR")
    services.adjust(
        account=account, amount=amount, currency="EUR", reason="Welcome gift", created_by=None
    )
    product = oscar_factories.create_product(title="Tea", price=D("10.00"), num_in_stock=10)
    oscar_factories.CountryFactory(
        iso_3166_1_a2="DE", printable_name="Germany", is_shipping_country=True
    )
    return user, product


def log_in(page, email, password=PASSWORD):
    """Log in through Oscar's form; done once the browser has left the log-in page (staff land
    in the dashboard, customers in their account)."""
    page.goto("/accounts/login/")
    page.locator("#id_login-username").fill(email)
    page.locator("#id_login-password").fill(password)
    page.locator("#login_form button[name=login_submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def buy_up_to_payment(page, product):
    """Put ``product`` in the basket and give a shipping address: the page after it is next."""
    page.goto(product.get_absolute_url())
    page.locator("#add_to_basket_form button[type=submit]").click()
    page.goto("/checkout/")
    page.locator("#id_first_name").fill("Eva")
    page.locator("#id_last_name").fill("Muster")
    page.locator("#id_line1").fill("Hauptstr. 1")
    page.locator("#id_line4").fill("Berlin")
    page.locator("#id_postcode").fill("10115")
    # With one shipping country Oscar hides the country field and fills it in.
    page.locator("#new_shipping_address button[type=submit]").click()
