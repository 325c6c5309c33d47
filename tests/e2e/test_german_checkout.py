"""A German checkout in Chromium: no English on any page passed through.

A new customer of Anna's storefront with welcome credit and Anna's new-customer code buys in
a browser that asks for German: catalogue, product, basket with the code, Oscar's checkout,
the preview with the credit, the confirmation, the order page and the credit ledger. On each
page every visible text (and button labels, placeholders, the title) is compared with the
English of every message whose German differs (ours, Oscar's, Django's; tests/german.py).
That catches English that reaches the page without a translation lookup too, such as the
name of a payment source or of an offer's range, and a status stored in English.
"""

import re
from decimal import Decimal as D

import pytest
from oscar.core.loading import get_model
from oscar.test import factories as oscar_factories
from playwright.sync_api import expect

from oscar_mlm.apps.mlm_credit import services as credit
from oscar_mlm.apps.mlm_storefront.services import update_storefront
from oscar_mlm.apps.mlm_vouchers import services as vouchers
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory

from ..german import english_needles, english_on
from .screens import SCREENSHOTS

CreditRule = get_model("mlm_credit", "CreditRule")
Order = get_model("order", "Order")

PASSWORD = "Kr4ftig-genug-2024"

# Visible text nodes (an <option> only if selected), labels of buttons, placeholders, the title.
VISIBLE_TEXT = """() => {
    const texts = [document.title];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode, parent = node.parentElement;
        if (!parent || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(parent.tagName)) continue;
        if (parent.tagName === 'OPTION' && !parent.selected) continue;
        if (!parent.getClientRects().length) continue;
        const text = node.textContent.replace(/\\s+/g, ' ').trim();
        if (text) texts.push(text);
    }
    const labelled = 'input[type=submit], input[type=button], [placeholder]';
    for (const el of document.querySelectorAll(labelled)) {
        if (el.getClientRects().length) texts.push((el.value || el.placeholder || '').trim());
    }
    return texts.filter(Boolean);
}"""


@pytest.fixture
def shop(transactional_db, company, settings):
    settings.OSCAR_INITIAL_ORDER_STATUS = "Pending"
    settings.OSCAR_MLM_PAYMENT_METHODS = ("oscar_mlm.apps.checkout.methods.Invoice",)
    anna = DistributorFactory(parent=company, handle="anna", user__first_name="Anna")
    update_storefront(
        member=anna, display_name="Annas Naturpflege", greeting="Willkommen in meinem Shop!"
    )
    eva = CustomerFactory(
        parent=anna,
        user__first_name="Eva",
        user__last_name="Muster",
        user__email="eva@example.com",
    )
    eva.user.set_password(PASSWORD)
    eva.user.save()
    account = credit.open_account(eva.user, "EUR")
    credit.adjust(
        account=account,
        amount="4.00",
        currency="EUR",
        reason="Willkommensgeschenk",
        created_by=None,
    )
    product = oscar_factories.create_product(
        title="Tagescreme mit Aloe", price=D("20.00"), num_in_stock=10
    )
    CreditRule.objects.create(product=product, type=CreditRule.FIXED, value=D("1.00"))
    oscar_factories.CountryFactory(
        iso_3166_1_a2="DE", printable_name="Deutschland", is_shipping_country=True
    )
    vouchers.create_program(name="Neukunden 10 %", value=D("10.00"))
    code = vouchers.issue_voucher(member=anna)
    return {"eva": eva, "product": product, "code": code.code}


def test_german_checkout_shows_no_english(browser, shop, live_port):
    phrases, words = english_needles()
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    base = f"http://anna.localhost:{live_port}"
    visited = {}

    def check(name):
        page.wait_for_load_state()
        found = english_on(page.evaluate(VISIBLE_TEXT), phrases, words)
        visited[name] = found

    try:
        # The detector works on these very pages: English put into the page is found.
        page.goto(f"{base}/accounts/login/")
        before = set(english_on(page.evaluate(VISIBLE_TEXT), phrases, words))
        page.evaluate(
            "document.body.insertAdjacentHTML('beforeend', '<p>Available credit</p>"
            "<p>Allocation of 5 from type Loyalty credit</p><p>Pending</p>')"
        )
        after = set(english_on(page.evaluate(VISIBLE_TEXT), phrases, words))
        assert after - before == {
            "Allocation of",
            "from type",
            "Available credit",
            "Loyalty credit",
            "Pending",
        }

        page.goto(f"{base}/accounts/login/")
        check("login")
        page.locator("#id_login-username").fill("eva@example.com")
        page.locator("#id_login-password").fill(PASSWORD)
        page.locator("#login_form button[type=submit]").click()
        expect(page.locator("#logout_link")).to_be_attached()
        check("account")

        page.goto(f"{base}/catalogue/")
        check("catalogue")
        page.goto(base + shop["product"].get_absolute_url())
        check("product")
        page.locator("#add_to_basket_form button[type=submit]").click()
        page.goto(f"{base}/basket/")
        page.locator("#voucher_form_link a").click()
        page.locator("#voucher_form input[name=code]").fill(shop["code"])
        page.locator("#voucher_form button[type=submit]").click()
        expect(page.locator("#basket_totals")).to_contain_text("Neukundengutschein")
        check("basket")

        page.goto(f"{base}/checkout/")
        expect(page).to_have_url(re.compile(r"/checkout/shipping-address/$"))
        check("shipping address")
        form = page.locator("#new_shipping_address")
        form.locator("[name=first_name]").fill("Eva")
        form.locator("[name=last_name]").fill("Muster")
        form.locator("[name=line1]").fill("Lindenstraße 5")
        form.locator("[name=line4]").fill("Berlin")
        form.locator("[name=postcode]").fill("10115")
        form.locator("button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/checkout/payment-details/$"))
        expect(page.locator("#mlm-payment-methods")).to_contain_text("Rechnung")
        check("payment details")
        page.locator("#view_preview").click()
        expect(page).to_have_url(re.compile(r"/checkout/preview/$"))
        expect(page.locator("#mlm-credit-applied")).to_contain_text("4,00")
        expect(page.locator("#mlm-payment-rest")).to_contain_text("per Rechnung")
        check("preview")
        page.locator("#place-order").click()
        expect(page).to_have_url(re.compile(r"/checkout/thank-you/$"))
        expect(page.locator("#mlm-payment-info")).to_contain_text("Mit Guthaben bezahlt: 4,00")
        expect(page.locator("#mlm-left-to-pay")).to_contain_text("per Rechnung")
        check("confirmation")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "checkout-confirmation-de.png", full_page=True)

        order = Order.objects.get(user=shop["eva"].user)
        page.goto(f"{base}/accounts/orders/{order.number}/")
        expect(page.locator("body")).to_contain_text("Ausstehend")
        check("order")
        page.goto(f"{base}/accounts/credit/")
        expect(page.locator("h1")).to_have_text("Mein Guthaben")
        # The ledger fits its column: no sideways scrolling.
        assert page.locator(".table-responsive").evaluate("e => e.scrollWidth <= e.clientWidth")
        check("credit ledger")
        page.screenshot(path=SCREENSHOTS / "credit-ledger-de.png", full_page=True)
    finally:
        context.close()

    assert len(visited) == 11
    assert {name: found for name, found in visited.items() if found} == {}
