"""Staff run and close a commission period from the dashboard while a django-tasks worker
carries out the queued work; a distributor enters tax details, opens the statement and
downloads the credit note PDF."""

import datetime as dt
import re
from pathlib import Path

import pytest
from oscar.core.loading import get_model
from playwright.sync_api import expect

from oscar_mlm.apps.mlm_commissions import services
from tests.commissions.helpers import Book
from tests.commissions.test_worked_example import PLAN, build_network, november, october
from tests.statements.conftest import TAX
from tests.statements.helpers import clear_commissions, pdf_text, worker

from .screens import SCREENSHOTS
from .steps import log_in

Permission = get_model("auth", "Permission")
Period = get_model("mlm_commissions", "CommissionPeriod")


def run_worker():
    """``manage.py db_worker --batch`` in the test's thread: it carries out what is queued.

    In this thread, because the live server shares the test's in-memory SQLite
    connection: a worker thread of its own would meet SQLite's shared-cache
    table locks (no busy timeout there). The page is parked meanwhile, so no
    request runs beside the worker.
    """
    worker(worker_id="e2e-worker", batch=True).run()


@pytest.fixture
def example(transactional_db, settings):
    settings.OSCAR_MLM_COMMISSION_MAX_TOTAL_RATE = "40"
    settings.OSCAR_MLM_COMPANY_LEGAL_NAME = "Muster Vertrieb GmbH"
    settings.OSCAR_MLM_COMPANY_ADDRESS = ["Musterweg 5", "80331 München"]
    settings.OSCAR_MLM_COMPANY_VAT_ID = "DE999999999"
    from oscar_mlm.apps.mlm_network import services as network
    from oscar_mlm.test.factories import UserFactory

    book = Book(network.ensure_company())
    build_network(book)
    october(book)
    services.create_plan(valid_from=dt.date(2025, 10, 1), **PLAN)
    book.october = services.month_period("2025-10")
    services.run_period(book.october)
    services.close_period(book.october)
    november(book)
    book.november = services.month_period("2025-11")
    staff = UserFactory(email="stella@example.com", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="mlm_commissions"))
    yield book
    clear_commissions()


def carry_out_queued_work(page):
    """The job page waits for a worker; the worker runs; the page shows the result."""
    expect(page).to_have_url(re.compile(r"/dashboard/mlm/commissions/jobs/\d+/"))
    expect(page.locator("#mlm-job-state")).to_have_attribute("data-state", "READY")
    expect(page.locator("#mlm-job-waiting")).to_be_visible()
    job_url = page.url
    page.goto("about:blank")
    run_worker()
    page.goto(job_url)
    expect(page.locator("#mlm-job-state")).to_have_attribute("data-state", "SUCCESSFUL")


def test_staff_run_and_close_a_period_from_the_dashboard(page, example):
    log_in(page, "stella@example.com")
    page.goto("/dashboard/mlm/commissions/")
    page.get_by_role("link", name="2025-11").click()
    expect(page.locator("#mlm-no-statements")).to_be_visible()

    page.locator("#mlm-action-run").click()
    carry_out_queued_work(page)
    expect(page.locator("#mlm-job-total")).to_contain_text("2.80")  # 3.00 + 3.80 - 4.00
    page.screenshot(path=SCREENSHOTS / "commissions-run-done.png", full_page=True)

    page.locator("#mlm-back-to-period").click()
    expect(page.locator("#mlm-statements")).to_contain_text("B2")
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator("#mlm-action-close").click()
    carry_out_queued_work(page)
    page.locator("#mlm-back-to-period").click()
    expect(page.locator("#mlm-period-facts")).to_contain_text("Closed")
    expect(page.locator("#mlm-payout-csv")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "commissions-period-closed.png", full_page=True)
    assert Period.objects.get(pk=example.november.pk).is_closed


def test_distributor_enters_tax_details_and_downloads_the_credit_note(page, example):
    log_in(page, example["D1"].user.email)
    page.goto("/accounts/commissions/")
    expect(page.locator("#mlm-tax-missing")).to_be_visible()
    page.locator("#mlm-tax-missing a").click()
    page.locator("#id_tax_status_0").check()  # small business
    page.locator("#id_name").fill(TAX["name"])
    page.locator("#id_street").fill(TAX["street"])
    page.locator("#id_postcode").fill("1011")  # four digits: refused
    page.locator("#id_city").fill(TAX["city"])
    page.locator("#id_tax_number").fill(TAX["tax_number"])
    page.locator("#mlm-tax-save").click()
    expect(page.locator("#mlm-tax-form")).to_contain_text("A German postcode has five digits.")
    page.locator("#id_postcode").fill(TAX["postcode"])
    page.locator("#mlm-tax-save").click()
    expect(page.locator("body")).to_contain_text("Your tax details were saved.")

    page.goto("/accounts/commissions/")
    page.get_by_role("link", name="2025-10").click()
    expect(page.locator("#mlm-statement-total")).to_contain_text("15.50")
    expect(page.locator("#mlm-credit-note")).to_contain_text("GS-000001")
    expect(page.locator("#mlm-statement-lines")).to_contain_text("Level 1: 10 % of 100.00")
    page.screenshot(path=SCREENSHOTS / "commissions-statement.png", full_page=True)
    with page.expect_download() as download:
        page.locator("#mlm-statement-pdf").click()
    assert download.value.suggested_filename == "credit-note-GS-000001.pdf"
    text = pdf_text(Path(download.value.path()).read_bytes())
    assert "Credit note (Gutschrift) GS-000001" in text and "§ 19 UStG" in text
    assert "Dieter Eins" in text and "Muster Vertrieb GmbH" in text
