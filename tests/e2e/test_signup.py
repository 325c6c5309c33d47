"""Sign-up on the company site, in a real browser."""

import re

from django.contrib.auth import get_user_model
from oscar.core.loading import get_model
from playwright.sync_api import expect

from oscar_mlm.test.factories import DistributorFactory

from .screens import SCREENSHOTS

Member = get_model("mlm_network", "Member")

PASSWORD = "Kr4ftig-genug-2024"


def fill_registration(page, sponsor_id, email):
    page.get_by_label("Sponsor ID").fill(sponsor_id)
    page.locator("#id_first_name").fill("Nina")
    page.locator("#id_last_name").fill("Neu")
    page.get_by_label("Email address").fill(email)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("#register_form button[type=submit]").click()


def test_sign_up_with_sponsor_id(page, settings, transactional_db, company):
    settings.OSCAR_MLM_COMPANY_SIGNUP = "sponsor_id"
    sponsor = DistributorFactory(handle="anna-berger")
    User = get_user_model()

    page.goto("/accounts/register/")
    expect(page.get_by_label("Sponsor ID")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "signup-sponsor-id.png", full_page=True)

    # An unknown sponsor id: a form error, and nobody is created.
    fill_registration(page, "nobody-here", "new@example.com")
    expect(page.locator("#register_form")).to_contain_text("No sponsor with this id exists")
    assert not User.objects.filter(email="new@example.com").exists()
    assert not Member.objects.filter(user__email="new@example.com").exists()

    # The handle of an active distributor: registered, logged in, below the sponsor.
    fill_registration(page, sponsor.handle, "new@example.com")
    expect(page).to_have_url(re.compile(r"/accounts/"))
    expect(page.locator("#logout_link")).to_be_attached()
    expect(page.locator("#register_form")).to_have_count(0)
    member = Member.objects.get(user__email="new@example.com")
    assert member.parent_id == sponsor.pk
    assert member.kind == Member.CUSTOMER


def test_sign_up_closed_by_default(page, transactional_db, company):
    page.goto("/accounts/register/")
    expect(page.locator("#signup-closed")).to_be_visible()
    expect(page.locator("#register_form")).to_have_count(0)
    expect(page.locator("input[name=password1]")).to_have_count(0)
    expect(page.get_by_label("Sponsor ID")).to_have_count(0)
