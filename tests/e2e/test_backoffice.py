"""The partner back office in Chromium, with the screenshots of docs/backoffice.rst.

A distributor reads the overview (live volume of an order just placed, the estimate,
the charts), opens the tree with the keyboard (a node's first line loads on demand),
searches the downline by name, and writes a note and a follow-up on a customer's card.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from oscar.core.loading import get_model
from playwright.sync_api import expect

from oscar_mlm.apps.mlm_commissions import services as commissions
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory
from tests.backoffice.conftest import place_order

from .screens import SCREENSHOTS
from .steps import log_in

CustomerNote = get_model("mlm_backoffice", "CustomerNote")
FollowUp = get_model("mlm_backoffice", "FollowUp")

VIEWPORT = {"width": 1280, "height": 1000}


def person(factory, parent, first, last, **kwargs):
    return factory(
        parent=parent,
        user__first_name=first,
        user__last_name=last,
        user__email=f"{first.lower()}@example.com",
        **kwargs,
    )


@pytest.fixture
def net(transactional_db, company, settings):
    settings.OSCAR_MLM_COMMISSION_MAX_TOTAL_RATE = "40"
    commissions.create_plan(
        valid_from=dt.date(2020, 1, 1), levels=3, rates=["10", "5", "3"],
        own_volume_rate="5", minimum_own_volume="20",
    )  # fmt: skip
    anna = person(DistributorFactory, company, "Anna", "Berger", handle="anna")
    ben = person(DistributorFactory, anna, "Ben", "Brandt", handle="ben")
    carla = person(DistributorFactory, ben, "Carla", "Conrad", handle="carla")
    emil = person(CustomerFactory, carla, "Emil", "Engel")
    dora = person(CustomerFactory, anna, "Dora", "Decker")
    person(CustomerFactory, anna, "Felix", "Fuchs")
    person(DistributorFactory, company, "Zoe", "Zander", handle="zoe")
    return {"anna": anna, "ben": ben, "carla": carla, "emil": emil, "dora": dora}


@pytest.fixture
def anna_page(browser, live_url, net):
    context = browser.new_context(viewport=VIEWPORT, base_url=live_url)
    page = context.new_page()
    log_in(page, "anna@example.com")
    yield page
    context.close()


def test_the_overview_shows_an_order_as_soon_as_it_is_placed(anna_page, net):
    page = anna_page
    page.goto("/accounts/business/")
    expect(page.locator("#mlm-figure-own td").first).to_have_text("0.00")
    place_order(net["dora"].user, "30.00")  # Anna's own customer
    place_order(net["carla"].user, "40.00")  # level 2 below Anna
    page.reload()
    expect(page.locator("#mlm-figure-own td").first).to_have_text("30.00")
    expect(page.locator("#mlm-figure-group td").first).to_have_text("40.00")
    estimate = page.locator("#mlm-estimate")
    expect(estimate).to_contain_text("estimate")
    # 5 % of 30.00 own volume + 5 % of 40.00 on level 2.
    expect(page.locator("#mlm-estimate-total")).to_have_text(re.compile(r"3\.50"))
    expect(page.locator("#mlm-chart-volume svg rect")).not_to_have_count(0)
    expect(page.locator("#mlm-chart-growth svg title").first).to_contain_text("New customers")
    # The menu: every page of a distributor under "My business".
    menu = page.locator(".nav.nav-pills.flex-column")
    for label in ("Overview", "Structure", "My customers", "Follow-ups", "My network"):
        expect(menu.get_by_role("link", name=label, exact=True)).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "backoffice-overview.png", full_page=True)


def test_the_tree_opens_a_node_from_the_keyboard_and_searches(anna_page, net):
    page = anna_page
    page.goto("/accounts/business/structure/")
    tree = page.locator("#mlm-tree")
    expect(tree).to_contain_text("Ben Brandt")
    expect(tree).not_to_contain_text("Carla Conrad")  # not loaded until Ben opens
    toggle = page.locator(f'button[aria-controls="mlm-children-{net["ben"].pk}"]')
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_have_accessible_name(re.compile("First line of Ben Brandt: 1 member"))
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    children = page.locator(f"#mlm-children-{net['ben'].pk}")
    expect(children).to_be_visible()
    expect(children).to_contain_text("Carla Conrad")
    expect(children).to_contain_text("level 2")
    expect(children).not_to_contain_text("carla@example.com")  # deeper: no contact data
    expect(page.locator("#mlm-tree-status")).to_contain_text("1 members loaded")
    carla = page.locator(f'button[aria-controls="mlm-children-{net["carla"].pk}"]')
    carla.focus()
    page.keyboard.press("Space")
    expect(page.locator(f"#mlm-children-{net['carla'].pk}")).to_contain_text("Emil Engel")
    page.screenshot(path=SCREENSHOTS / "backoffice-structure.png", full_page=True)
    page.keyboard.press("Space")  # closes again
    expect(carla).to_have_attribute("aria-expanded", "false")
    expect(page.locator(f"#mlm-children-{net['carla'].pk}")).to_be_hidden()

    page.get_by_label("Search your structure by name").fill("engel")
    page.get_by_label("Search your structure by name").press("Enter")
    results = page.locator("#mlm-search-results")
    expect(results).to_contain_text("Emil Engel")
    expect(results.locator("tbody tr")).to_have_count(1)
    page.get_by_label("Search your structure by name").fill("Zander")  # another leg
    page.locator("#mlm-structure-search").get_by_role("button", name="Search").click()
    expect(page.locator("#mlm-search-none")).to_be_visible()


def test_a_note_and_a_follow_up_on_a_customers_card(anna_page, net):
    page = anna_page
    dora = net["dora"]
    place_order(dora.user, "12.50", quantity=2)
    page.goto("/accounts/business/customers/")
    page.get_by_role("link", name="Dora Decker").click()
    expect(page.locator("#mlm-customer-orders")).to_contain_text("1 order")
    expect(page.locator("#mlm-customer-contact")).to_contain_text("dora@example.com")

    form = page.locator("#mlm-note-form")
    form.get_by_label("Visit").check()
    form.get_by_label("Note").fill("Tried the night cream; wants the travel size.")
    form.get_by_role("button", name="Save the note").click()
    expect(page.locator(".alert-success")).to_contain_text("The note is saved.")
    expect(page.locator("#mlm-notes")).to_contain_text("wants the travel size")
    expect(page.locator("#mlm-notes")).to_contain_text("Visit")

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    follow_up = page.locator("#mlm-followup-form")
    follow_up.get_by_label("Due on").fill(tomorrow.isoformat())
    follow_up.get_by_label("What to do").fill("Bring the travel size")
    follow_up.get_by_role("button", name="Plan a follow-up").click()
    expect(page.locator("#mlm-open-follow-ups")).to_contain_text("Bring the travel size")

    page.locator("#id_tags").fill("regular, skin care")
    page.get_by_role("button", name="Save tags").click()
    expect(page.locator("#id_tags")).to_have_value("regular, skin care")
    page.screenshot(path=SCREENSHOTS / "backoffice-customer.png", full_page=True)

    page.goto("/accounts/business/follow-ups/")
    row = page.locator("#mlm-follow-up-table tbody tr")
    expect(row).to_contain_text("Dora Decker")
    row.get_by_role("button", name=re.compile("Done")).click()
    expect(page.locator("#mlm-follow-ups-none")).to_be_visible()
    assert CustomerNote.objects.get().channel == "visit"
    assert FollowUp.objects.get().done is not None
