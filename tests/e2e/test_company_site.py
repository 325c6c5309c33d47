"""The company site without a shop (seed 000), in a real browser: find your consultant.

``OSCAR_MLM_COMPANY_SITE = "storefronts_only"``: a visitor of the company site opens a
product, is invited to choose a consultant, finds Anna by her town, and lands on the same
product in Anna's storefront, where the basket works.
"""

import re

import pytest
from django.core.management import call_command
from oscar.core.loading import get_model
from playwright.sync_api import expect

from oscar_mlm.apps.mlm_storefront.services import update_storefront
from oscar_mlm.test.factories import DistributorFactory

from .screens import SCREENSHOTS

Product = get_model("catalogue", "Product")


@pytest.fixture
def consultants(transactional_db, company, settings):
    settings.OSCAR_MLM_COMPANY_SITE = "storefronts_only"
    call_command("clear_index", interactive=False, verbosity=0)
    call_command("sandbox_demo_catalogue", verbosity=0)
    anna = DistributorFactory(
        parent=company, handle="anna", user__first_name="Anna", user__last_name="Berger"
    )
    update_storefront(
        member=anna,
        display_name="Anna Berger",
        greeting="Welcome to my shop!",
        contact_line="Phone 030 1234567",
        postcode="10115",
        city="Berlin",
    )
    ben = DistributorFactory(
        parent=company, handle="ben", user__first_name="Ben", user__last_name="Krause"
    )
    update_storefront(member=ben, display_name="Ben Krause", postcode="80331", city="München")
    return anna


def test_find_your_consultant(page, consultants, live_url, live_port):
    product = Product.objects.filter(title="Aloe Vera Day Cream").first()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_url + product.get_absolute_url())

    # No basket on the company site: an invitation instead.
    expect(page.locator("#add_to_basket_form")).to_have_count(0)
    expect(page.locator("#company-banner")).to_be_visible()
    expect(page.locator("#choose-consultant")).to_be_visible()
    page.locator("#choose-consultant-link").click()
    expect(page).to_have_url(re.compile(r"/consultants/\?next="))

    # By town: Anna shares Berlin.
    page.locator("#find-place").fill("Berlin")
    page.locator("#find-submit").click()
    results = page.locator(".mlm-consultant")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Anna Berger")
    expect(results.first).to_contain_text("10115 Berlin")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "find-your-consultant.png", full_page=True)

    # By name, and nothing for what matches nobody.
    page.locator("#find-place").fill("")
    page.locator("#find-name").fill("nobody-like-this")
    page.locator("#find-submit").click()
    expect(page.locator("#find-nothing")).to_be_visible()
    page.locator("#find-name").fill("Anna")
    page.locator("#find-submit").click()
    expect(page.locator(".mlm-consultant")).to_have_count(1)

    # The result opens the same product on Anna's storefront, which is a shop.
    page.locator(".mlm-consultant-link").first.click()
    expect(page).to_have_url(f"http://anna.localhost:{live_port}{product.get_absolute_url()}")
    expect(page.locator("#storefront-banner")).to_have_attribute("data-handle", "anna")
    page.locator("#add_to_basket_form button[type=submit]").click()
    page.goto(f"http://anna.localhost:{live_port}/basket/")
    expect(page.locator("#basket_formset")).to_contain_text("Aloe Vera Day Cream")

    # The company site's basket sends the visitor back to the search.
    page.goto(live_url + "/basket/")
    expect(page).to_have_url(re.compile(r"/consultants/$"))
