"""Staff and partner pages in Chromium, with the screenshots of docs/sandbox.rst.

Staff adjust a customer's credit (the currency is a choice of the shop's currencies, a long
reason wraps, the ledger says who booked), add a voucher programme (not made the default
unless ticked), and a partner reads the code page; the catalogue shows the demo pictures and
the product-type facet.
"""

import re
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from oscar.core.loading import get_model
from playwright.sync_api import expect

from oscar_mlm.apps.mlm_vouchers import services as vouchers
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory, UserFactory

from .screens import SCREENSHOTS
from .steps import log_in

CreditEntry = get_model("mlm_credit", "CreditEntry")
VoucherProgram = get_model("mlm_vouchers", "VoucherProgram")

VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture
def people(transactional_db, company):
    staff = UserFactory(
        email="admin@example.com",
        first_name="Sam",
        last_name="Admin",
        is_staff=True,
        is_superuser=True,
    )
    anna = DistributorFactory(
        parent=company,
        handle="anna",
        user__first_name="Anna",
        user__last_name="Berger",
        user__email="anna@example.com",
    )
    dora = CustomerFactory(
        parent=anna,
        user__first_name="Dora",
        user__last_name="Weber",
        user__email="dora@example.com",
    )
    return {"staff": staff, "anna": anna, "dora": dora}


@pytest.fixture
def new_page(browser, live_url):
    contexts = []

    def make(**options):
        context = browser.new_context(viewport=VIEWPORT, base_url=live_url, **options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def test_staff_adjust_credit_in_a_shop_currency_with_a_long_reason(new_page, people, settings):
    settings.OSCAR_MLM_CURRENCIES = ("CHF",)
    page = new_page()
    log_in(page, "admin@example.com")
    dora = people["dora"].user

    page.goto(f"/dashboard/mlm/credit/users/{dora.pk}/adjust/")
    expect(page.locator("#mlm-credit-breadcrumbs")).to_contain_text("Credit accounts")
    currency = page.locator("#id_currency")
    assert currency.evaluate("e => e.tagName") == "SELECT"
    assert currency.locator("option").all_inner_texts() == ["EUR", "CHF"]
    expect(currency).to_have_value("EUR")
    page.locator("#id_amount").fill("12,50")
    reason = "Goodwill for the late delivery of order 100042; " + "x" * 300
    page.locator("#id_reason").fill(reason + "y" * 400)  # the field stops at 500 characters
    assert len(page.locator("#id_reason").input_value()) == 500
    page.locator("#id_reason").fill(reason)
    page.locator("#adjust_form button[type=submit]").click()

    expect(page.locator("#mlm-credit-ledger")).to_be_visible()
    entry = CreditEntry.objects.get()
    assert (entry.amount, entry.account.currency, entry.created_by) == (
        D("12.50"),
        "EUR",
        people["staff"],
    )
    row = page.locator("tr.mlm-credit-adjusted")
    expect(row.locator(".mlm-credit-booked-by")).to_have_text("Sam Admin")
    # The long reason wraps inside the table: nothing sticks out of the page.
    table = page.locator("#mlm-credit-ledger").bounding_box()
    cell = row.locator(".mlm-credit-reason").bounding_box()
    assert cell["x"] + cell["width"] <= table["x"] + table["width"] + 1
    assert page.locator(".table-responsive").evaluate("e => e.scrollWidth <= e.clientWidth")
    # Nor does the dashboard's menu bar, which wraps with all our menus in it.
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
    assert cell["height"] > 40  # several lines
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "credit-staff-ledger.png", full_page=True)


def test_a_new_voucher_programme_is_not_the_default_unless_ticked(new_page, people):
    vouchers.create_program(name="New customers 10%", value=D("10.00"))
    page = new_page()
    log_in(page, "admin@example.com")

    page.goto("/dashboard/mlm/vouchers/programs/add/")
    default = page.locator("#id_is_default")
    expect(default).not_to_be_checked()
    page.screenshot(path=SCREENSHOTS / "voucher-programme-new.png", full_page=True)
    page.locator("#id_name").fill("Summer shipping")
    page.locator("#id_discount_type").select_option("free-shipping")
    page.locator("#voucherprogram_form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/dashboard/mlm/vouchers/programs/$"))
    assert VoucherProgram.objects.get(is_default=True).name == "New customers 10%"
    expect(page.locator("body")).to_contain_text("free shipping")


def test_the_partners_code_page_reads_naturally(new_page, people):
    vouchers.create_program(name="New customers 10%", value=D("10.00"))
    vouchers.issue_voucher(member=people["anna"])
    page = new_page()
    log_in(page, "anna@example.com")

    page.goto("/accounts/vouchers/")
    expect(page.locator("#mlm-voucher-terms")).to_contain_text(
        "New customers get 10% off on their first order with your code"
    )
    expect(page.locator("#mlm-voucher-terms")).to_contain_text("It can be used for 1 order.")
    assert "(s)" not in page.locator("#mlm-vouchers").inner_text()
    page.screenshot(path=SCREENSHOTS / "voucher-codes.png", full_page=True)


def test_the_demo_catalogue_has_pictures_and_named_facets(new_page, transactional_db):
    call_command("clear_index", interactive=False, verbosity=0)
    call_command("sandbox_demo_catalogue", verbosity=0)
    page = new_page()

    page.goto("/catalogue/")
    facet = page.locator(".side_categories dl").filter(has_text="Type")
    expect(facet).to_contain_text("Skin care")
    expect(facet).to_contain_text("Nutrition")
    expect(page.locator(".side_categories").last).not_to_contain_text("None")
    pictures = page.locator(".product_pod img")
    expect(pictures.first).to_be_visible()
    # Every picture loaded (naturalWidth 0 would be a broken image).
    widths = pictures.evaluate_all("imgs => imgs.map(i => i.complete && i.naturalWidth)")
    assert widths and all(widths), widths
    assert not page.locator("img[src*='image_not_found']").count()
    page.screenshot(path=SCREENSHOTS / "catalogue.png")
