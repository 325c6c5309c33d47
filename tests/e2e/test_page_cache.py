"""The page cache in a real browser: forms on a page served from the cache work.

Two visitors (two browser contexts, own cookies) on Anna's storefront: the second
gets the first one's stored page (a product renamed in between still shows its
old name) with a CSRF token of its own, so adding to the basket and switching the
language work; neither sees the other's basket.
"""

from decimal import Decimal as D

import pytest
from oscar.core.loading import get_model
from oscar.test import factories as oscar_factories
from playwright.sync_api import expect

from oscar_mlm.apps.mlm_storefront.services import update_storefront
from oscar_mlm.test.factories import DistributorFactory

Product = get_model("catalogue", "Product")


@pytest.fixture
def shop(transactional_db, company, live_port):
    anna = DistributorFactory(parent=company, handle="anna", user__first_name="Anna")
    update_storefront(member=anna, display_name="Anna Berger")
    product = oscar_factories.create_product(
        title="Aloe Vera Day Cream", price=D("12.50"), num_in_stock=50
    )
    return {"product": product, "url": f"http://anna.localhost:{live_port}"}


def test_forms_work_on_a_page_from_the_cache(browser, shop):
    first = browser.new_context()
    second = browser.new_context()
    try:
        product_url = shop["url"] + shop["product"].get_absolute_url()
        page = first.new_page()
        page.goto(product_url)
        expect(page.locator("h1")).to_have_text("Aloe Vera Day Cream")

        # Stored: the second visitor gets the page as it was.
        Product.objects.filter(pk=shop["product"].pk).update(title="Renamed Cream")
        other = second.new_page()
        other.goto(product_url)
        expect(other.locator("h1")).to_have_text("Aloe Vera Day Cream")

        # Its add-to-basket form carries the second visitor's own token.
        other.locator("#add_to_basket_form button[type=submit]").click()
        expect(other.locator(".alert-success").first).to_contain_text("has been added to your")
        other.goto(shop["url"] + "/basket/")
        expect(other.locator("#basket_formset")).to_contain_text("Renamed Cream")

        # The first visitor's basket stays empty, on a fresh copy of the page.
        page.goto(shop["url"] + "/basket/")
        expect(page.locator("#content_inner")).to_contain_text("is empty")

        # The language form of a page from the cache works too.
        third = browser.new_context()
        try:
            german = third.new_page()
            german.goto(shop["url"] + "/catalogue/")
            german.locator("select[name=language]").select_option("de")
            german.locator("#language_selector button[type=submit]").click()
            expect(german.locator("html")).to_have_attribute("lang", "de")
        finally:
            third.close()
    finally:
        first.close()
        second.close()
