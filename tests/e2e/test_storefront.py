"""Partner storefronts (issue 4) in a real browser: customer link, partner link, attribution.

Chromium resolves ``NAME.localhost`` to loopback, so ``http://anna.localhost:PORT/`` reaches
the live server as Anna's storefront. The parent-domain attribution cookie needs the sandbox's
alias ``anna.shop.localhost`` (Chromium refuses a cookie for ``Domain=localhost``).
"""

import re

import pytest
from django.core.management import call_command
from oscar.core.loading import get_model
from playwright.sync_api import expect

from oscar_mlm.apps.mlm_storefront.services import update_storefront
from oscar_mlm.test.factories import DistributorFactory

from .screens import SCREENSHOTS

Member = get_model("mlm_network", "Member")

PASSWORD = "Kr4ftig-genug-2024"
VIEWPORT = {"width": 1280, "height": 900}
# Words of the business opportunity that the customer link must never show.
EARNING = re.compile(r"opportunity|commission|earn|become a partner|join as a partner", re.I)


@pytest.fixture
def anna(transactional_db, company):
    """A demo storefront with fixed data (the screenshots should not churn)."""
    member = DistributorFactory(
        parent=company,
        handle="anna",
        user__first_name="Anna",
        user__last_name="Berger",
        user__email="anna@example.com",
    )
    update_storefront(
        member=member,
        display_name="Anna Berger",
        greeting="Welcome to my shop! I am happy to advise you on skin care and nutrition.",
        accent_color="#2e7d5b",
    )
    return member


@pytest.fixture
def catalogue(transactional_db):
    """The sandbox's demo catalogue, in a search index holding nothing else."""
    call_command("clear_index", interactive=False, verbosity=0)
    call_command("sandbox_demo_catalogue", verbosity=0)


@pytest.fixture
def storefront(live_port):
    def url(handle, path="/", domain="localhost"):
        return f"http://{handle}.{domain}:{live_port}{path}"

    return url


@pytest.fixture
def new_context(browser):
    """Fresh browser contexts (own cookies), closed after the test even if it fails.

    Open keep-alive connections must not outlive the test: the live server's request
    threads would close them after the server stopped sharing the in-memory database.
    """
    contexts = []

    def make():
        context = browser.new_context(viewport=VIEWPORT)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def register(page, email, **fields):
    for label, value in fields.items():
        page.get_by_label(label).fill(value)
    page.locator("#id_first_name").fill(email.split("@")[0].title())
    page.locator("#id_last_name").fill("Neu")
    page.get_by_label("Email address").fill(email)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("#register_form button[type=submit]").click()
    expect(page.locator("#logout_link")).to_be_attached()


def test_customer_link(new_context, anna, catalogue, storefront):
    context = new_context()
    page = context.new_page()

    page.goto(storefront("anna"))
    banner = page.locator("#storefront-banner")
    expect(banner).to_be_visible()
    expect(banner).to_have_attribute("data-handle", "anna")
    expect(page.locator("#storefront-name")).to_have_text("Your consultant: Anna Berger")
    expect(page.locator("#storefront-greeting")).to_contain_text("Welcome to my shop!")
    expect(page.locator("#storefront-opportunity")).to_have_count(0)
    expect(page.get_by_text("Aloe Vera Day Cream").first).to_be_visible()
    assert not EARNING.search(page.locator("body").inner_text())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "storefront-customer-link.png", full_page=True)

    # A product page of the customer link: still no opportunity.
    page.get_by_text("Aloe Vera Day Cream").first.click()
    expect(page.locator("h1")).to_have_text("Aloe Vera Day Cream")
    expect(page.locator("#storefront-banner")).to_be_visible()
    expect(page.locator("#storefront-opportunity")).to_have_count(0)
    assert not EARNING.search(page.locator("body").inner_text())

    # Sign-up: no sponsor field, the page names Anna; nothing about earning.
    page.goto(storefront("anna", "/accounts/register/"))
    expect(page.locator("#register_form")).to_be_visible()
    expect(page.locator("#signup-sponsor")).to_have_attribute("data-sponsor", "anna")
    expect(page.locator("#signup-sponsor")).to_contain_text("Anna Berger")
    expect(page.get_by_label("Sponsor ID")).to_have_count(0)
    expect(page.locator("input[name=sponsor_id]")).to_have_count(0)
    expect(page.locator("input[name=handle]")).to_have_count(0)
    assert not EARNING.search(page.locator("body").inner_text())
    register(page, "carla@example.com")

    member = Member.objects.get(user__email="carla@example.com")
    assert member.parent_id == anna.pk
    assert member.kind == Member.CUSTOMER
    assert member.attribution == "storefront"


def test_distributor_link(new_context, anna, catalogue, storefront):
    context = new_context()
    page = context.new_page()

    page.goto(storefront("anna", "/join/"))
    expect(page.locator("#opportunity")).to_be_visible()
    expect(page.locator("#opportunity")).to_contain_text("Become a partner with Anna Berger.")
    expect(page.locator("#distributor-signup")).to_be_visible()
    expect(page.locator("#storefront-name")).to_have_text("Your consultant: Anna Berger")
    expect(page.locator("#storefront-opportunity")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "storefront-partner-link.png", full_page=True)

    # The shop keeps the partner mode for the visit: the banner offers the opportunity.
    page.goto(storefront("anna", "/catalogue/"))
    expect(page.get_by_text("Aloe Vera Day Cream").first).to_be_visible()
    expect(page.locator("#storefront-opportunity")).to_be_visible()
    page.locator("#storefront-opportunity").click()
    expect(page).to_have_url(storefront("anna", "/join/"))

    page.locator("#distributor-signup").click()
    expect(page).to_have_url(storefront("anna", "/accounts/register/"))
    expect(page.locator("#signup-sponsor")).to_have_attribute("data-sponsor", "anna")
    expect(page.locator("#signup-sponsor")).to_contain_text(
        "You join as a partner in the team of Anna Berger."
    )
    expect(page.get_by_label("Sponsor ID")).to_have_count(0)
    expect(page.locator("#register_form")).to_contain_text(
        "Your shop will be at yourname.localhost. Leave blank to derive it from your name."
    )
    register(page, "dora@example.com", **{"Your storefront name": "Dora-Vital"})

    # The welcome page: who the sponsor is, both links of her storefront, the next steps.
    expect(page).to_have_url(storefront("anna", "/accounts/storefront/welcome/"))
    expect(page.locator(".alert-success")).to_contain_text(
        "Welcome! Your sponsor is Anna Berger."
    )
    expect(page.locator("#welcome-sponsor")).to_contain_text("Anna Berger")
    expect(page.locator("#customer-link")).to_have_text(storefront("dora-vital"))
    expect(page.locator("#distributor-link")).to_have_text(storefront("dora-vital", "/join/"))
    expect(page.locator("#welcome-setup-storefront")).to_be_visible()
    expect(page.locator("#welcome-voucher")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "partner-welcome.png", full_page=True)

    member = Member.objects.get(user__email="dora@example.com")
    assert member.parent_id == anna.pk
    assert member.kind == Member.DISTRIBUTOR
    assert member.handle == "dora-vital"
    assert member.attribution == "storefront"
    first_line = Member.objects.filter(parent=anna).values_list("user__email", flat=True)
    assert set(first_line) == {"dora@example.com"}

    # Her own storefront answers at once.
    page.goto(storefront("dora-vital"))
    expect(page.locator("#storefront-banner")).to_have_attribute("data-handle", "dora-vital")


def test_attribution_cookie_proposes_the_storefront_on_the_company_site(
    new_context, anna, settings, storefront, live_port
):
    settings.OSCAR_MLM_COMPANY_SIGNUP = "sponsor_id"
    context = new_context()
    page = context.new_page()

    # A visit to Anna's storefront under shop.localhost sets the parent-domain cookie.
    page.goto(storefront("anna", domain="shop.localhost"))
    expect(page.locator("#storefront-banner")).to_have_attribute("data-handle", "anna")
    cookie_domains = {c["domain"] for c in context.cookies()}
    assert ".shop.localhost" in cookie_domains, context.cookies()

    # Later, on the company site: no banner, but the sign-up proposes Anna.
    page.goto(f"http://shop.localhost:{live_port}/accounts/register/")
    expect(page.locator("#storefront-banner")).to_have_count(0)
    expect(page.locator("#signup-sponsor")).to_have_attribute("data-sponsor", "anna")
    expect(page.locator("#signup-sponsor")).to_contain_text("Anna Berger")
    expect(page.get_by_label("Sponsor ID")).to_have_count(0)
    expect(page.locator("input[name=sponsor_id]")).to_have_count(0)
    register(page, "emil@example.com")

    member = Member.objects.get(user__email="emil@example.com")
    assert member.parent_id == anna.pk
    assert member.kind == Member.CUSTOMER
    assert member.attribution == "cookie"
    assert member.attributed_storefront_id == anna.pk


def test_banner_on_a_phone(browser, anna, catalogue, storefront):
    """At 375 px the banner's text gets the full width and the button sits below it."""
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(storefront("anna", "/join/"))
        text = page.locator("#storefront-greeting").bounding_box()
        button = page.locator("#storefront-opportunity").bounding_box()
        banner = page.locator("#storefront-banner > div").bounding_box()
        # The text is not squeezed into a column beside the button...
        assert text["width"] > banner["width"] * 0.6
        # ...the button is below it, one line high, as wide as the banner's inside.
        assert button["y"] >= text["y"] + text["height"]
        assert button["height"] < 50
        assert button["width"] > banner["width"] * 0.8
        # Nothing sticks out sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "storefront-phone.png")

        # From the small breakpoint up: one row, the button beside the text.
        page.set_viewport_size({"width": 1024, "height": 800})
        text = page.locator("#storefront-greeting").bounding_box()
        button = page.locator("#storefront-opportunity").bounding_box()
        assert button["x"] > text["x"] + text["width"]
        assert button["height"] < 50
    finally:
        context.close()
