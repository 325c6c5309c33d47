"""A customer with credit buys: the deduction on the preview and the confirmation, the booking
in the ledger."""

import re
from decimal import Decimal as D

from oscar.core.loading import get_model
from oscar.test import factories as oscar_factories
from playwright.sync_api import expect

from oscar_mlm.apps.mlm_credit import services
from oscar_mlm.test.factories import UserFactory

from .screens import SCREENSHOTS
from .steps import buy_up_to_payment, customer_with_credit, log_in

Order = get_model("order", "Order")


def test_customer_pays_partly_with_credit(page, transactional_db, settings):
    settings.OSCAR_INITIAL_ORDER_STATUS = "Pending"
    user, product = customer_with_credit("4.00")
    log_in(page, user.email)
    buy_up_to_payment(page, product)
    page.goto("/checkout/preview/")
    expect(page.locator("#mlm-credit-applied")).to_contain_text("4.00")
    expect(page.locator("#mlm-credit-rest")).to_contain_text("6.00")
    page.locator("#place-order").click()

    expect(page).to_have_url(re.compile(r"/checkout/thank-you/"))
    expect(page.locator("#mlm-payment-info")).to_contain_text("Paid with loyalty credit: €4.00")
    expect(page.locator("body")).not_to_contain_text(":spend")
    order = Order.objects.get(user=user)
    assert order.sources.get().amount_debited == D("4.00")

    page.goto("/accounts/credit/")
    ledger = page.locator("#mlm-credit-ledger")
    expect(ledger).to_contain_text("Spent")
    expect(ledger).to_contain_text(str(order.number))
    expect(page.locator("#mlm-credit-balance")).to_contain_text("0.00")


def test_staff_sets_a_products_credit_from_oscars_product_page(page, transactional_db):
    UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)
    product = oscar_factories.create_product(title="Honey", price=D("8.00"), num_in_stock=5)

    log_in(page, "staff@example.com")  # staff land in the dashboard

    product_page = f"/dashboard/catalogue/products/{product.pk}/"
    page.goto(product_page)
    tab = page.locator("#mlm-credit-product-rule")
    expect(tab).to_be_hidden()  # an inactive tab of Oscar's product page
    page.locator('a[href="#mlm_credit"]').click()
    expect(tab).to_be_visible()
    expect(tab).to_contain_text("No credit")
    tab.get_by_role("link").click()

    page.locator("#id_type").select_option("percentage")
    page.locator("#id_value").fill("5")
    page.locator("#credit_rule_form button[type=submit]").click()
    expect(page.locator("#mlm-credit-effective")).to_contain_text("5.00 % of the price")

    page.goto(product_page)
    page.locator('a[href="#mlm_credit"]').click()
    expect(tab).to_contain_text("5.00 % of the price")
    assert services.rule_for(product).value == D("5.00")


def test_payment_step_credit_amount_and_the_rest_by_invoice(page, transactional_db, settings):
    """The payment step: part of the credit, the rest by the sandbox's invoice; the preview
    repeats it and the confirmation shows the split."""
    settings.OSCAR_INITIAL_ORDER_STATUS = "Pending"
    settings.OSCAR_MLM_PAYMENT_METHODS = ("oscar_mlm.apps.checkout.methods.Invoice",)
    user, product = customer_with_credit("8.00")
    log_in(page, user.email)
    buy_up_to_payment(page, product)

    expect(page).to_have_url(re.compile(r"/checkout/payment-details/"))
    expect(page.locator("body")).not_to_contain_text("needs implementing")
    expect(page.locator("#mlm-credit-available")).to_contain_text("8.00")
    page.get_by_label("Use this amount:").check()
    page.locator("#id_credit_amount").fill("3.50")
    page.get_by_label("Invoice").check()
    page.screenshot(path=SCREENSHOTS / "checkout-payment-step.png", full_page=True)
    page.locator("#id_credit_amount").fill("99")
    page.locator("#view_preview").click()
    expect(page.locator("#mlm-credit-amount-error")).to_contain_text("You have €8.00 of credit.")
    page.get_by_label("Use this amount:").check()
    page.locator("#id_credit_amount").fill("3.50")
    page.locator("#view_preview").click()

    expect(page).to_have_url(re.compile(r"/checkout/preview/"))
    expect(page.locator("#mlm-payment-summary")).to_contain_text("Paid with loyalty credit: €3.50")
    expect(page.locator("#mlm-payment-rest")).to_contain_text("Left to pay: €6.50 by Invoice")
    expect(page.locator("body")).not_to_contain_text("Payment details to go here")
    page.locator("#place-order").click()

    expect(page).to_have_url(re.compile(r"/checkout/thank-you/"))
    info = page.locator("#mlm-payment-info")
    expect(info).to_contain_text("Paid with loyalty credit: €3.50")
    expect(info).to_contain_text("Left to pay: €6.50 by Invoice")
    expect(page.locator("body")).not_to_contain_text(":spend")
    expect(page.locator("body")).not_to_contain_text("No payment was required")
    page.screenshot(path=SCREENSHOTS / "checkout-confirmation-split.png", full_page=True)
    order = Order.objects.get(user=user)
    amounts = {s.source_type.name: s.amount_allocated for s in order.sources.all()}
    assert amounts == {"Loyalty credit": D("3.50"), "Invoice": D("6.50")}
