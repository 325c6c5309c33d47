"""The network dashboard section in Chromium, as a staff member who holds the section's
permissions through the group of ``mlm_staff_group`` (not a superuser): reassign a sponsor
from the member page, erase a member's personal data, open the growth report. Screenshots
for docs/dashboard.rst and docs/privacy.rst."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from oscar.core.loading import get_model
from playwright.sync_api import expect

from oscar_mlm.test.factories import CustomerFactory, DistributorFactory, UserFactory

from .screens import SCREENSHOTS
from .steps import log_in

Member = get_model("mlm_network", "Member")
SponsorChange = get_model("mlm_network", "SponsorChange")
Erasure = get_model("mlm_network", "Erasure")

pytestmark = pytest.mark.e2e

VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture
def people(transactional_db, company):
    call_command("mlm_staff_group", stdout=open("/dev/null", "w"))
    staff = UserFactory(email="stella@example.com", first_name="Stella", is_staff=True)
    staff.groups.add(Group.objects.get(name="Network staff"))
    anna = DistributorFactory(
        parent=company, handle="anna", user__first_name="Anna", user__email="anna@example.com"
    )
    ben = DistributorFactory(
        parent=company, handle="ben", user__first_name="Ben", user__email="ben@example.com"
    )
    dora = CustomerFactory(
        parent=anna,
        user__first_name="Dora",
        user__last_name="Weber",
        user__email="dora@example.com",
    )
    return {"staff": staff, "anna": anna, "ben": ben, "dora": dora}


@pytest.fixture
def page(browser, live_url):
    context = browser.new_context(viewport=VIEWPORT, base_url=live_url)
    yield context.new_page()
    context.close()


def test_staff_reassign_then_erase_a_member(page, people):
    dora = people["dora"]
    log_in(page, "stella@example.com")
    page.goto(f"/dashboard/mlm/members/{dora.pk}/")
    expect(page.locator("h1")).to_contain_text("Dora Weber")

    page.locator("#id_reassign_sponsor_id").fill("ben")
    page.locator("#id_reassign_reason").fill("Dora asked to join Ben")
    page.locator("#reassign_form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("now has the sponsor")
    dora.refresh_from_db()
    assert dora.parent_id == people["ben"].pk
    assert SponsorChange.objects.filter(member=dora, changed_by=people["staff"]).exists()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "dashboard-member.png", full_page=True)

    page.locator("#erase-link").click()
    expect(page.locator("#erase-intro")).to_be_visible()
    page.locator("#id_reason").fill("E-mail of today")
    page.locator("#id_confirm_email").fill("someone@example.com")
    page.locator("#erase_form button[type=submit]").click()
    expect(page.locator("#erase_form")).to_contain_text("not the member")
    assert not Erasure.objects.exists()
    page.screenshot(path=SCREENSHOTS / "dashboard-erase.png", full_page=True)
    page.locator("#id_confirm_email").fill("dora@example.com")
    page.locator("#erase_form button[type=submit]").click()

    expect(page.locator("#erasure")).to_contain_text("E-mail of today")
    expect(page.locator(".alert-success")).to_contain_text(f"member {dora.pk} was erased")
    assert "Weber" not in page.content() and "dora@example.com" not in page.content()
    dora = Member.objects.select_related("user").get(pk=dora.pk)
    assert dora.parent_id == people["ben"].pk and not dora.user.is_active
    expect(page.locator("#erase-link")).to_have_count(0)


def test_the_growth_report_draws_its_chart(page, people):
    log_in(page, "stella@example.com")
    page.goto("/dashboard/mlm/reports/growth/?months=6")
    expect(page.locator("#growth-chart svg rect").first).to_be_attached()
    expect(page.locator("#growth-by-level")).to_contain_text("1")
    page.screenshot(path=SCREENSHOTS / "dashboard-growth.png", full_page=True)


def test_staff_without_the_permission_see_403(page, people, transactional_db):
    UserFactory(email="sid@example.com", is_staff=True)
    log_in(page, "sid@example.com")
    response = page.goto(f"/dashboard/mlm/members/{people['dora'].pk}/")
    assert response.status == 403
    expect(page.locator("body")).to_contain_text("Permission denied")


def test_staff_open_the_tree_around_a_member_and_read_crm_notes(page, people):
    from oscar_mlm.apps.mlm_backoffice import services as crm

    anna, dora = people["anna"], people["dora"]
    cleo = DistributorFactory(parent=anna, handle="cleo", user__first_name="Cleo")
    CustomerFactory(parent=cleo, user__first_name="Emma", user__last_name="Roth")
    crm.add_note(distributor=anna, customer=dora, channel="call", text="Wants the blue one")
    log_in(page, "stella@example.com")
    page.goto(f"/dashboard/mlm/members/{anna.pk}/")
    page.locator("#member-tree-link").click()
    page.wait_for_load_state("load")  # the tree's script runs once the page has loaded
    expect(page.locator("#mlm-tree")).to_contain_text("Cleo")
    expect(page.locator("#mlm-tree")).not_to_contain_text("Emma")
    toggle = page.locator(f"#mlm-node-{cleo.pk} .mlm-toggle")
    toggle.focus()
    page.keyboard.press("Enter")  # keyboard-operable
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator(f"#mlm-children-{cleo.pk}")).to_contain_text("Emma Roth")
    expect(page.locator(f"#mlm-children-{cleo.pk}")).to_contain_text("level 2")
    page.screenshot(path=SCREENSHOTS / "dashboard-tree.png", full_page=True)

    page.goto(f"/dashboard/mlm/members/{anna.pk}/")
    page.locator("#crm-notes-link").click()
    expect(page.locator("#notes-intro")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Wants the blue one")
    page.locator("#id_reason").fill("Support ticket 4711")
    page.locator("#read_notes_form button[type=submit]").click()
    expect(page.locator("#notes-written")).to_contain_text("Wants the blue one")
    expect(page.locator("#note-reads")).to_contain_text("Support ticket 4711")
    NoteRead = get_model("mlm_backoffice", "NoteRead")
    read = NoteRead.objects.get()
    assert (read.staff, read.member_id, read.notes) == (people["staff"], anna.pk, 1)
