"""Staff endpoints, credit reads and adjustments, and the commission reads."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.test import override_settings
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_commissions import services as commissions
from oscar_mlm.apps.mlm_credit import services as credit

from .conftest import api
from .helpers import fund

pytestmark = pytest.mark.django_db

Member = get_model("mlm_network", "Member")
SponsorChange = get_model("mlm_network", "SponsorChange")
CreditEntry = get_model("mlm_credit", "CreditEntry")
Period = get_model("mlm_commissions", "CommissionPeriod")
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_staff_create_reassign_promote_deactivate(as_, network):
    staff = as_("staff")
    made = staff.post(
        "/api/mlm/staff/members/",
        {"email": "neu@example.com", "sponsor_id": "ben", "first_name": "Neu"},
        format="json",
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["sponsor"]["handle"] == "ben"
    moved = staff.post(f"/api/mlm/staff/members/{pk}/reassign/",
                       {"sponsor_id": "otto", "reason": "asked"}, format="json")
    assert moved.status_code == 200 and moved.json()["sponsor"]["handle"] == "otto"
    change = SponsorChange.objects.filter(member_id=pk).latest("pk")
    assert (change.reason, change.changed_by) == ("asked", network.staff)
    promoted = staff.post(f"/api/mlm/staff/members/{pk}/promote/", {"handle": "Neu"},
                          format="json")
    assert promoted.json()["kind"] == "distributor" and promoted.json()["handle"] == "neu"
    gone = staff.post(f"/api/mlm/staff/members/{network.ben.pk}/deactivate/",
                      {"reason": "left"}, format="json")
    assert gone.status_code == 200
    assert gone.json()["member"]["status"] == "inactive"
    assert [m["id"] for m in gone.json()["moved"]] == [network.carla.pk]
    back = staff.post(f"/api/mlm/staff/members/{network.ben.pk}/reactivate/")
    assert back.json()["status"] == "active"


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("reassign/", {"sponsor_id": "nobody", "reason": "x"}, "sponsor_id"),
        ("reassign/", {"sponsor_id": "carla"}, "reason"),
        ("reassign/", {"sponsor_id": "²", "reason": "x"}, "sponsor_id"),
        ("promote/", {"handle": "www"}, "handle"),
        ("deactivate/", {}, "reason"),
    ],
)
def test_staff_refusals_change_nothing(as_, network, url, body, field):
    before = list(Member.objects.order_by("pk").values_list("parent_id", "kind", "status"))
    response = as_("staff").post(f"/api/mlm/staff/members/{network.dora.pk}/{url}", body,
                                 format="json")
    assert response.status_code == 400, response.content
    assert field in response.json() or "non_field_errors" in response.json()
    assert list(Member.objects.order_by("pk").values_list("parent_id", "kind", "status")) == before


def test_a_move_that_would_cycle_is_refused(as_, network):
    response = as_("staff").post(
        f"/api/mlm/staff/members/{network.anna.pk}/reassign/",
        {"sponsor_id": "carla", "reason": "x"}, format="json",
    )
    assert response.status_code == 400
    assert "cycle" in response.json()["sponsor_id"][0]


def test_credit_adjustment_books_once_per_key(as_, network):
    staff = as_("staff")
    url = f"/api/mlm/staff/members/{network.dora.pk}/credit/"
    body = {"amount": "5.00", "direction": "credit", "reason": "sorry",
            "idempotency_key": "ticket-4711"}
    first = staff.post(url, body, format="json")
    assert first.status_code == 201, first.content
    again = staff.post(url, body, format="json")  # a retry after a lost answer
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert CreditEntry.objects.filter(kind="adjusted").count() == 1
    assert credit.available_credit(network.dora.user, "EUR") == D("5.00")
    other = staff.post(url, {**body, "amount": "7.00"}, format="json")
    assert other.status_code == 400
    assert "idempotency_key" in other.json()
    header = staff.post(url, {k: v for k, v in body.items() if k != "idempotency_key"},
                        format="json", HTTP_IDEMPOTENCY_KEY="ticket-4711")
    assert header.status_code == 200
    assert credit.check_books() == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "1e999"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"amount": "²"}, "amount"),
        ({"currency": "XYZ"}, "currency"),
        ({"reason": ""}, "reason"),
        ({"idempotency_key": "short"}, "idempotency_key"),
        ({"idempotency_key": "has space in it"}, "idempotency_key"),
        ({"direction": "both"}, "direction"),
    ],
)
def test_bad_adjustments_book_nothing(as_, network, change, field):
    body = {"amount": "5.00", "direction": "credit", "reason": "x", "idempotency_key": "key-0001",
            **change}
    response = as_("staff").post(f"/api/mlm/staff/members/{network.dora.pk}/credit/", body,
                                 format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not CreditEntry.objects.exists()


def test_balance_and_ledger_pages(as_, network):
    account = fund(network.dora.user, "1.00")
    for n in range(4):
        credit.adjust(account=account, amount="1.00", currency="EUR", reason=f"r{n}",
                      created_by=None)
    client = as_("dora")
    assert client.get("/api/mlm/credit/").json() == {
        "currency": "EUR", "available": "5.00", "pending": "0.00"}
    page = client.get("/api/mlm/credit/ledger/?limit=2").json()
    assert [e["reason"] for e in page["results"]] == ["r3", "r2"]
    rest = client.get(page["next"]).json()
    assert [e["reason"] for e in rest["results"]] == ["r1", "r0"]
    assert client.get("/api/mlm/credit/?currency=XYZ").status_code == 400
    assert client.get("/api/mlm/credit/ledger/?cursor=garbage").status_code == 400
    assert as_("anna").get("/api/mlm/credit/").json()["available"] == "0.00"


def test_volumes_statements_and_lines_with_reasons(as_, network, run_book):
    client = as_("anna")
    # Live volumes go by the time the order was placed (the book's sales: October 2025).
    volumes = client.get("/api/mlm/commissions/volumes/?period=2025-10").json()
    assert (volumes["own_volume"], volumes["end_customer_volume"]) == ("100.00", "100.00")
    assert volumes["group_volume"] == "40.00"
    assert volumes["group_volume_levels"][0] == {"level": 1, "volume": "40.00"}
    # The estimate: 5 % of the own 100.00, 10 % of level 1's 40.00.
    estimate = volumes["estimate"]
    assert (estimate["total"], estimate["qualified"], estimate["missing"]) == ("9.00", True,
                                                                               "0.00")
    assert [(s["level"], s["amount"]) for s in estimate["shares"]] == [
        (0, "5.00"), (1, "4.00"), (2, "0.00")
    ]
    assert client.get("/api/mlm/commissions/volumes/").json()["estimate"]["total"] == "0.00"
    commissions.run_period(commissions.month_period("2025-10"))
    listed = client.get("/api/mlm/commissions/statements/").json()["results"]
    assert [s["period"] for s in listed] == ["2025-10"]
    statement = client.get("/api/mlm/commissions/statements/2025-10/").json()
    assert statement["own_volume"] == "100.00"
    lines = client.get("/api/mlm/commissions/statements/2025-10/lines/").json()["results"]
    assert lines and all(line["why"] for line in lines)
    assert {line["reason"] for line in lines} <= {"paid", "not_qualified", "beyond_cap",
                                                  "no_rate", "inactive", "not_distributor",
                                                  "not_commissionable"}
    assert client.get("/api/mlm/commissions/statements/2025-11/").status_code == 404
    assert client.get("/api/mlm/commissions/statements/²/").status_code == 404
    assert client.get("/api/mlm/commissions/volumes/?period=2025-13").status_code == 400
    # Otto reads his own statement of that period, never Anna's figures.
    assert as_("otto").get("/api/mlm/commissions/statements/2025-10/").json()["own_volume"] == (
        "0.00"
    )


@override_settings(TASKS=IMMEDIATE)
def test_staff_run_preview_and_close_through_tasks(as_, network, run_book):
    staff = as_("staff")
    preview = staff.post("/api/mlm/staff/periods/2025-10/run/", {"preview": True},
                         format="json")
    assert preview.status_code == 202, preview.content
    assert preview.json()["status"] == "SUCCESSFUL"
    period = Period.objects.get(start=dt.date(2025, 10, 1))
    assert period.last_run is None  # a preview writes nothing
    run = staff.post("/api/mlm/staff/periods/2025-10/run/", {}, format="json")
    assert run.json()["status"] == "SUCCESSFUL"
    closed = staff.post("/api/mlm/staff/periods/2025-10/close/")
    assert closed.status_code == 202 and closed.json()["status"] == "SUCCESSFUL"
    period.refresh_from_db()
    assert period.status == "closed"
    again = staff.post("/api/mlm/staff/periods/2025-10/run/", {}, format="json")
    assert again.status_code == 400 and "closed" in again.json()["month"][0]
    assert staff.get("/api/mlm/staff/periods/2025-10/").json()["status"] == "closed"


def test_staff_close_refuses_a_period_that_has_not_ended(as_, network):
    today = dt.date.today().strftime("%Y-%m")
    staff = as_("staff")
    commissions.month_period(today)
    response = staff.post(f"/api/mlm/staff/periods/{today}/close/")
    assert response.status_code == 400 and "not ended" in response.json()["month"][0]
    assert staff.post("/api/mlm/staff/periods/2025-13/run/", {}, format="json").status_code == 400
    assert staff.get("/api/mlm/staff/tasks/not-a-task/").status_code == 404


def test_queued_tasks_report_their_status(as_, network, run_book):
    staff = as_("staff")
    queued = staff.post("/api/mlm/staff/periods/2025-10/run/", {"preview": True},
                        format="json").json()
    assert queued["status"] == "READY"  # the database queue: a worker runs it
    assert staff.get(queued["url"]).json()["id"] == queued["id"]
    assert api(network.anna.user).get(queued["url"]).status_code == 403
