"""Staff pages of commissions: permissions, plan and period forms, queued jobs, what-if, payouts."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_commissions import services

from .conftest import TAX
from .helpers import pdf_text, work_off_queue

Plan = get_model("mlm_commissions", "CommissionPlan")
Period = get_model("mlm_commissions", "CommissionPeriod")
Statement = get_model("mlm_commissions", "CommissionStatement")
Job = get_model("mlm_commissions", "CommissionJob")
CreditNote = get_model("mlm_commissions", "CreditNote")

pytestmark = pytest.mark.django_db


def staff_urls(world):
    october, november = world.october, world.november
    job = Job.objects.create(period=october, action=Job.PREVIEW)
    member = {"pk": october.pk, "member_pk": world["B2"].pk}
    return [
        reverse("mlm_dashboard:mlm-commission-period-list"),
        reverse("mlm_dashboard:mlm-commission-period-create"),
        reverse("mlm_dashboard:mlm-commission-period-detail", kwargs={"pk": november.pk}),
        reverse("mlm_dashboard:mlm-commission-job-detail", kwargs={"pk": job.pk}),
        reverse("mlm_dashboard:mlm-commission-whatif", kwargs={"pk": october.pk}),
        reverse("mlm_dashboard:mlm-commission-payout-export", kwargs={"pk": october.pk}),
        reverse("mlm_dashboard:mlm-commission-statement-detail", kwargs=member),
        reverse("mlm_dashboard:mlm-commission-statement-export", kwargs=member),
        reverse("mlm_dashboard:mlm-commission-statement-pdf", kwargs=member),
        reverse("mlm_dashboard:mlm-commission-plan-list"),
        reverse("mlm_dashboard:mlm-commission-plan-create"),
    ]


def test_anonymous_goes_to_the_dashboard_login(world, client):
    for url in staff_urls(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("dashboard:login")), url


def test_staff_without_the_permission_get_403(world, plain_staff_client):
    for url in staff_urls(world):
        assert plain_staff_client.get(url).status_code == 403, url
    job_url = reverse("mlm_dashboard:mlm-commission-job-create", kwargs={"pk": world.november.pk})
    assert plain_staff_client.post(job_url, {"action": "run"}).status_code == 403
    assert not Job.objects.filter(action="run").exists()


def test_distributor_gets_403(world, client):
    client.force_login(world["B2"].user)
    for url in staff_urls(world):
        assert client.get(url).status_code in (302, 403), url


def test_staff_with_the_permission_see_every_page(world, staff_client):
    for url in staff_urls(world):
        response = staff_client.get(url)
        assert response.status_code == 200, url
    menu = staff_client.get(reverse("dashboard:index")).content.decode()
    assert reverse("mlm_dashboard:mlm-commission-period-list") in menu


def test_menu_hides_the_pages_from_staff_without_the_permission(world, plain_staff_client):
    menu = plain_staff_client.get(reverse("dashboard:index")).content.decode()
    assert reverse("mlm_dashboard:mlm-commission-period-list") not in menu


def test_period_page_shows_totals_and_statements(world, staff_client):
    url = reverse("mlm_dashboard:mlm-commission-period-detail", kwargs={"pk": world.october.pk})
    page = staff_client.get(url).content.decode()
    # October without compression: 5.00 + 15.50 + 19.50 + 3.00 + 2.50 = 45.50.
    assert "45.50 EUR" in page
    assert reverse("mlm_dashboard:mlm-commission-statement-detail",
                   kwargs={"pk": world.october.pk, "member_pk": world["B2"].pk}) in page
    assert 'id="mlm-payout-csv"' in page and 'id="mlm-action-close"' not in page
    page = staff_client.get(url, {"q": world["B2"].user.email}).content.decode()
    assert page.count("mlm-commission-statement") == 0 or "B2" in page
    assert staff_client.get(url, {"q": "a\x00b"}).status_code == 200
    assert staff_client.get(url, {"after": "²"}).status_code == 200


# -- plans -------------------------------------------------------------------------------------

GOOD_PLAN = {"valid_from": "2026-01-01", "name": "2026", "levels": "3", "rates": "10, 5, 3",
             "own_volume_rate": "5", "minimum_own_volume": "50.00",
             "unqualified_share": "compression"}


def test_plan_form_creates_a_version(world, staff_client):
    url = reverse("mlm_dashboard:mlm-commission-plan-create")
    page = staff_client.get(url).content.decode()
    assert 'value="10, 5, 3"' in page  # starts from the latest version
    response = staff_client.post(url, GOOD_PLAN)
    assert response.status_code == 302
    plan = Plan.objects.get(valid_from=dt.date(2026, 1, 1))
    assert plan.level_rates == ["10.0000", "5.0000", "3.0000"] and plan.compression
    assert plan.created_by.email == "stella@example.com"


@pytest.mark.parametrize("change, message", [
    ({"rates": "30, 10, 5"}, "more than the ceiling of 40"),
    ({"rates": "10, -5, 3"}, "negative"),
    ({"own_volume_rate": "-1"}, "negative"),
    ({"levels": "0", "rates": "10"}, "at least one level"),
    ({"rates": ""}, "This field is required"),
    ({"levels": "11"}, "at most 10 levels"),
    ({"levels": "3", "rates": "10, 5"}, "one rate per level"),
    ({"levels": "²"}, "whole number"),
    ({"rates": "10, 5, x"}, "not a number"),
    ({"rates": "10, 5, ³"}, "not a number"),
    ({"minimum_own_volume": "1e99"}, "too large"),
    ({"minimum_own_volume": "1.005"}, "in cents"),
    ({"rates": "10, 5, 3.00001"}, "four decimal places"),
    ({"valid_from": "2025-10-01"}, "closed"),
    ({"valid_from": "2026-13-01"}, "Enter a valid date"),
    ({"name": "a\x00b"}, "Null characters are not allowed"),
    ({"unqualified_share": "both"}, "Select a valid choice"),
])
def test_plan_form_refuses_bad_plans(world, staff_client, change, message):
    before = list(Plan.objects.values_list("pk", flat=True))
    response = staff_client.post(reverse("mlm_dashboard:mlm-commission-plan-create"),
                                 {**GOOD_PLAN, **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(Plan.objects.values_list("pk", flat=True)) == before


# -- periods -----------------------------------------------------------------------------------


def test_period_form(world, staff_client):
    url = reverse("mlm_dashboard:mlm-commission-period-create")
    response = staff_client.post(url, {"start": "2025-12-01"})
    period = Period.objects.get(start=dt.date(2025, 12, 1))
    assert response["Location"].endswith(
        reverse("mlm_dashboard:mlm-commission-period-detail", kwargs={"pk": period.pk}))
    assert period.end == dt.date(2026, 1, 1)
    count = Period.objects.count()
    for bad, message in [
        ({"start": "2025-12-15", "end": "2026-01-15"}, "would overlap"),
        ({"start": "2026-01-05"}, "needs an end date"),
        ({"start": "2026-02-01", "end": "2026-01-01"}, "must end after it starts"),
        ({"start": "²025-01-01"}, "Enter a valid date"),
        ({"start": ""}, "This field is required"),
    ]:
        response = staff_client.post(url, bad)
        assert response.status_code == 200 and message in response.content.decode(), bad
    assert Period.objects.count() == count


# -- jobs --------------------------------------------------------------------------------------


def test_run_is_queued_not_run_in_the_request_and_its_result_shown(world, staff_client):
    world.sale(1104, "40.00", buyer="E1", day="2025-11-25")  # after November's last run
    before = Statement.objects.get(period=world.november, member=world["E1"]).own_volume
    url = reverse("mlm_dashboard:mlm-commission-job-create", kwargs={"pk": world.november.pk})
    response = staff_client.post(url, {"action": "run"})
    job = Job.objects.get(action="run")
    assert response["Location"] == reverse("mlm_dashboard:mlm-commission-job-detail",
                                           kwargs={"pk": job.pk})
    # Queued as a django-tasks task; the statements did not change in the request.
    task = DBTaskResult.objects.get(id=job.task_id)
    assert task.task_path.endswith("mlm_commissions.tasks.run_commission_job")
    assert task.status == "READY"
    assert Statement.objects.get(period=world.november, member=world["E1"]).own_volume == before
    page = staff_client.get(response["Location"]).content.decode()
    assert 'data-state="READY"' in page and 'http-equiv="refresh"' in page

    assert work_off_queue() == 1  # what the worker does
    assert Statement.objects.get(
        period=world.november, member=world["E1"]).own_volume == before + D("40.00")
    page = staff_client.get(response["Location"]).content.decode()
    assert 'data-state="SUCCESSFUL"' in page and 'http-equiv="refresh"' not in page
    assert 'id="mlm-job-result"' in page and "Highest totals" in page
    period_page = staff_client.get(
        reverse("mlm_dashboard:mlm-commission-period-detail", kwargs={"pk": world.november.pk})
    ).content.decode()
    assert "mlm-job" in period_page and "Done" in period_page


def test_preview_writes_nothing(world, staff_client):
    url = reverse("mlm_dashboard:mlm-commission-job-create", kwargs={"pk": world.november.pk})
    rows = list(Statement.objects.filter(period=world.november).values_list("pk", "total"))
    staff_client.post(url, {"action": "preview"})
    work_off_queue()
    job = Job.objects.get()
    assert services.job_state(job).ok
    assert list(Statement.objects.filter(period=world.november).values_list("pk", "total")) == rows


def test_close_is_queued_and_a_refusal_is_shown(world, staff_client):
    december = services.month_period("2026-12")  # has not ended
    url = reverse("mlm_dashboard:mlm-commission-job-create", kwargs={"pk": december.pk})
    response = staff_client.post(url, {"action": "close"})
    work_off_queue()
    page = staff_client.get(response["Location"]).content.decode()
    assert 'id="mlm-job-error"' in page and "has not ended yet" in page
    december.refresh_from_db()
    assert not december.is_closed


def test_close_from_the_dashboard_issues_credit_notes(world, staff_client):
    services.save_tax_profile(world["B2"], **TAX)
    url = reverse("mlm_dashboard:mlm-commission-job-create", kwargs={"pk": world.november.pk})
    response = staff_client.post(url, {"action": "close"})
    world.november.refresh_from_db()
    assert not world.november.is_closed  # only queued
    work_off_queue()
    world.november.refresh_from_db()
    assert world.november.is_closed and world.november.closed_by.email == "stella@example.com"
    page = staff_client.get(response["Location"]).content.decode()
    assert "Credit notes issued" in page
    # B2's October note came with the tax details, November's with the close.
    assert list(CreditNote.objects.filter(member=world["B2"]).order_by("sequence")
                .values_list("period__start", "net")) == [
        (dt.date(2025, 10, 1), D("19.50")), (dt.date(2025, 11, 1), D("3.80"))]
    # Closed: no more runs or closes.
    response = staff_client.post(url, {"action": "run"}, follow=True)
    assert "is closed" in response.content.decode()
    assert Job.objects.filter(action="run").count() == 0


def test_bad_action_queues_nothing(world, staff_client):
    url = reverse("mlm_dashboard:mlm-commission-job-create", kwargs={"pk": world.november.pk})
    for action in ("delete", "", "run\x00"):
        response = staff_client.post(url, {"action": action}, follow=True)
        assert "Choose what to do" in response.content.decode()
    assert staff_client.get(url).status_code == 405
    missing = reverse("mlm_dashboard:mlm-commission-job-create", kwargs={"pk": 999999})
    assert staff_client.post(missing, {"action": "run"}).status_code == 404
    assert not Job.objects.exists() and not DBTaskResult.objects.exists()


# -- what-if -----------------------------------------------------------------------------------


def test_what_if_with_compression_side_by_side(world, staff_client):
    url = reverse("mlm_dashboard:mlm-commission-whatif", kwargs={"pk": world.october.pk})
    page = staff_client.get(url).content.decode()
    assert 'value="10, 5, 3"' in page
    response = staff_client.post(url, {"levels": "3", "rates": "10, 5, 3", "own_volume_rate": "5",
                                       "minimum_own_volume": "50",
                                       "unqualified_share": "compression"})
    assert response.status_code == 302
    work_off_queue()
    page = staff_client.get(response["Location"]).content.decode()
    # COMMISSIONS.md: with compression B2 earns 27.00 instead of 19.50; the rest is the same.
    assert "45.50" in page and "53.00" in page
    result = services.job_state(Job.objects.get()).result
    rows = {r["member"]: (r["paid"], r["what_if"], r["difference"]) for r in result["rows"]}
    assert rows[world["B2"].pk] == ("19.50", "27.00", "7.50")
    assert result["changed"] == 1


def test_what_if_refuses_bad_plans_and_open_periods(world, staff_client):
    url = reverse("mlm_dashboard:mlm-commission-whatif", kwargs={"pk": world.october.pk})
    response = staff_client.post(url, {"levels": "3", "rates": "30, 10, 5",
                                       "unqualified_share": "company"})
    assert "more than the ceiling" in response.content.decode()
    url = reverse("mlm_dashboard:mlm-commission-whatif", kwargs={"pk": world.november.pk})
    response = staff_client.post(url, {"levels": "3", "rates": "10, 5, 3",
                                       "unqualified_share": "company"})
    assert "is open" in response.content.decode()
    assert not Job.objects.exists()


# -- payouts and the staff's statement view ------------------------------------------------------


def test_payout_csv(world, staff_client):
    user = world["D1"].user
    user.first_name, user.last_name = "=HYPERLINK(\"x\")", "+1"
    user.save()
    services.save_tax_profile(world["D1"], **TAX)
    services.save_tax_profile(world["B2"], **{**TAX, "tax_status": "standard",
                                              "vat_id": "DE123456789"})
    url = reverse("mlm_dashboard:mlm-commission-payout-export", kwargs={"pk": world.october.pk})
    text = b"".join(staff_client.get(url).streaming_content).decode()
    lines = text.strip().splitlines()
    assert lines[0].startswith("Distributor no.,Handle,Name,E-mail,Credit note")
    assert len(lines) == 1 + 5  # E1, D1, B2, C1, B3 are paid
    d1 = next(line for line in lines if line.startswith(f"{world['D1'].pk},"))
    assert "'=HYPERLINK" in d1 and ",15.50,0.00,0.00,15.50,EUR," in d1
    b2 = next(line for line in lines if line.startswith(f"{world['B2'].pk},"))
    assert ",19.50,19.00,3.71,23.21,EUR," in b2 and "GS-00000" in b2
    e1 = next(line for line in lines if line.startswith(f"{world['E1'].pk},"))
    assert "Tax details missing" in e1
    # An open period has no payout list.
    url = reverse("mlm_dashboard:mlm-commission-payout-export",
                  kwargs={"pk": world.november.pk})
    response = staff_client.get(url, follow=True)
    assert "closed periods only" in response.content.decode()


def test_staff_statement_pages(world, staff_client):
    kwargs = {"pk": world.october.pk, "member_pk": world["C2"].pk}
    page = staff_client.get(reverse("mlm_dashboard:mlm-commission-statement-detail",
                                    kwargs=kwargs)).content.decode()
    assert "Not paid: own volume 0.00 is below the minimum 50.00." in page
    text = pdf_text(staff_client.get(reverse("mlm_dashboard:mlm-commission-statement-pdf",
                                             kwargs=kwargs)).content)
    assert "Commission statement" in text
    missing = {"pk": world.october.pk, "member_pk": 999999}
    assert staff_client.get(reverse("mlm_dashboard:mlm-commission-statement-detail",
                                    kwargs=missing)).status_code == 404
