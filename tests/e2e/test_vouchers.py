"""New-customer vouchers (issue 5) in a real browser, from the partner's code to the placed order.

Partner Anna generates a code in her account; a new visitor signs up on the company site under
another sponsor (Ben), redeems Anna's code in the basket and checks out through Oscar's
checkout. The order moves the buyer into Anna's first line, and Anna sees who used her code.
"""

import re
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from oscar.core.loading import get_model
from playwright.sync_api import expect

from oscar_mlm.apps.mlm_vouchers import services
from oscar_mlm.test.factories import DistributorFactory

from .steps import log_in

Member = get_model("mlm_network", "Member")
SponsorChange = get_model("mlm_network", "SponsorChange")
Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")
Redemption = get_model("mlm_vouchers", "Redemption")

PASSWORD = "Kr4ftig-genug-2024"
VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture
def program(transactional_db):
    return services.create_program(name="New customers 10%", value=D("10.00"))


@pytest.fixture
def anna(company):
    member = DistributorFactory(
        parent=company,
        handle="anna",
        user__first_name="Anna",
        user__last_name="Berger",
        user__email="anna@example.com",
    )
    member.user.set_password(PASSWORD)
    member.user.save()
    return member


@pytest.fixture
def ben(company):
    return DistributorFactory(parent=company, handle="ben", user__first_name="Ben")


@pytest.fixture
def catalogue(transactional_db):
    """The sandbox's demo catalogue: products with prices and stock, DE/AT shipping countries."""
    call_command("clear_index", interactive=False, verbosity=0)
    call_command("sandbox_demo_catalogue", verbosity=0)
    return Product.objects.get(upc="MLM-SC-001")  # Aloe Vera Day Cream, EUR 24.90


@pytest.fixture
def new_page(browser, live_url):
    """A page in a fresh browser context (own cookies); the contexts close after the test.

    Closing them before the session ends matters: open keep-alive connections would be
    closed by the live server's request threads after the server stopped sharing the
    in-memory database.
    """
    contexts = []

    def make():
        context = browser.new_context(viewport=VIEWPORT, base_url=live_url)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def test_code_redeemed_at_checkout_moves_the_buyer_to_the_issuer(
    new_page, settings, program, anna, ben, catalogue
):
    settings.OSCAR_MLM_COMPANY_SIGNUP = "sponsor_id"

    # Partner Anna logs in and generates a code.
    distributor = new_page()
    log_in(distributor, "anna@example.com", PASSWORD)
    distributor.goto("/accounts/vouchers/")
    distributor.locator("#mlm-voucher-generate button[type=submit]").click()
    expect(distributor.locator("#mlm-voucher-table code.mlm-code")).to_have_count(1)
    code = distributor.locator("#mlm-voucher-table code.mlm-code").inner_text().strip()
    assert re.fullmatch(r"ANNA(-[A-Z2-9]{4})+", code), code
    expect(distributor.locator("#mlm-voucher-table tbody tr")).to_contain_text("Active")

    # A new visitor signs up on the company site with Ben's sponsor id.
    buyer = new_page()
    buyer.goto("/accounts/register/")
    buyer.get_by_label("Sponsor ID").fill("ben")
    buyer.locator("#id_first_name").fill("Nina")
    buyer.locator("#id_last_name").fill("Neu")
    buyer.get_by_label("Email address").fill("nina@example.com")
    buyer.locator("#id_password1").fill(PASSWORD)
    buyer.locator("#id_password2").fill(PASSWORD)
    buyer.locator("#register_form button[type=submit]").click()
    expect(buyer.locator("#logout_link")).to_be_attached()
    member = Member.objects.get(user__email="nina@example.com")
    assert member.parent_id == ben.pk
    assert member.kind == Member.CUSTOMER

    # She gives her first name in her profile (the partner sees first names only).
    buyer.goto("/accounts/profile/edit/")
    buyer.get_by_label("First name").fill("Nina")
    buyer.get_by_label("Last name").fill("Neumann")
    buyer.locator("#profile_form button[type=submit]").click()
    expect(buyer).to_have_url(re.compile(r"/accounts/profile/$"))

    # A product into the basket, Anna's code (typed loosely) on top.
    buyer.goto(catalogue.get_absolute_url())
    buyer.locator("#add_to_basket_form button[type=submit]").click()
    expect(buyer.locator("#messages .alert-success").first).to_be_visible()
    buyer.goto("/basket/")
    expect(buyer.locator("#basket_totals")).to_contain_text("€24.90")
    buyer.locator("#voucher_form_link a").click()
    buyer.locator("#voucher_form input[name=code]").fill(
        " " + code.lower().replace("-", " - ") + " "
    )
    buyer.locator("#voucher_form button[type=submit]").click()
    totals = buyer.locator("#basket_totals")
    expect(totals).to_contain_text(code)
    expect(totals).to_contain_text("€2.49")  # 10 % of 24.90
    expect(totals).to_contain_text("€22.41")

    # Oscar's checkout as the logged-in user.
    buyer.get_by_role("link", name="Proceed to checkout").click()
    expect(buyer).to_have_url(re.compile(r"/checkout/shipping-address/$"))
    form = buyer.locator("#new_shipping_address")
    form.locator("[name=first_name]").fill("Nina")
    form.locator("[name=last_name]").fill("Neumann")
    form.locator("[name=line1]").fill("Lindenstraße 5")
    form.locator("[name=line4]").fill("Berlin")
    form.locator("[name=postcode]").fill("10115")
    country = form.locator("[name=country]")
    if country.evaluate("e => e.tagName") == "SELECT":
        country.select_option("DE")
    form.locator("button[type=submit]").click()
    # One shipping method (Oscar's free shipping): Oscar skips its page.
    expect(buyer).to_have_url(re.compile(r"/checkout/payment-details/$"))
    buyer.locator("#view_preview").click()
    expect(buyer).to_have_url(re.compile(r"/checkout/preview/$"))
    expect(buyer.locator("#basket_totals")).to_contain_text(code)
    # Loyalty credit (if the checkout fork shows it) is not used: a new buyer has none.
    buyer.locator("#place-order").click()
    expect(buyer).to_have_url(re.compile(r"/checkout/thank-you/$"))
    order = Order.objects.get(user__email="nina@example.com")
    expect(buyer.locator("h1")).to_contain_text(f"Order {order.number}: confirmation")
    assert order.total_incl_tax == D("22.41")

    # The buyer is now in Anna's first line, moved by the voucher.
    member.refresh_from_db()
    assert member.parent_id == anna.pk
    assert member.kind == Member.CUSTOMER
    change = SponsorChange.objects.filter(member=member, source="voucher").get()
    assert change.old_sponsor_id == ben.pk
    assert change.new_sponsor_id == anna.pk
    redemption = Redemption.objects.get(order=order)
    assert redemption.buyer_id == member.pk
    assert redemption.moved

    # Anna sees the redemption.
    distributor.reload()
    row = distributor.locator("#mlm-voucher-table tbody tr", has_text=code)
    expect(row).to_contain_text("Nina")
    expect(row).to_contain_text("Used up")
    expect(row).not_to_contain_text("Neumann")
