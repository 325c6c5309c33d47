"""Runs, reruns, previews, close, verification, the database guards, commands, what-if."""

import datetime as dt
import io
import json
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_commissions import services

Plan = get_model("mlm_commissions", "CommissionPlan")
Period = get_model("mlm_commissions", "CommissionPeriod")
Statement = get_model("mlm_commissions", "CommissionStatement")
Line = get_model("mlm_commissions", "CommissionLine")
Snapshot = get_model("mlm_commissions", "CommissionSnapshot")
SettledRefund = get_model("mlm_commissions", "SettledRefund")


@pytest.fixture
def world(book):
    services.create_plan(valid_from=dt.date(2025, 10, 1), levels=2, rates=["10", "5"],
                         own_volume_rate="5", minimum_own_volume="20")
    book.distributor("Anna")
    book.distributor("Ben", "Anna")
    book.distributor("Carla", "Ben")
    book.customer("Dora", "Carla")
    book.sale(1, "100.00", buyer="Dora")
    book.sale(2, "40.00", buyer="Ben")
    book.sale(3, "30.00", buyer="Anna", day="2025-11-02")  # November
    return book


def rows(period):
    return (
        list(Statement.objects.filter(period=period).order_by("member_id").values_list(
            "member_id", "own_volume", "group_volume", "commission", "total")),
        list(Line.objects.filter(period=period).order_by("order_id", "distance").values_list(
            "order_id", "beneficiary_id", "level", "amount", "paid", "reason")),
    )


def test_rerun_gives_identical_results_and_no_duplicates(world):
    period = services.month_period("2025-10")
    first = services.run_period(period)
    before = rows(period)
    second = services.run_period(period)
    assert rows(period) == before
    assert first.checksum == second.checksum
    assert Line.objects.filter(period=period).count() == len(before[1]) == 5
    assert Snapshot.objects.filter(period=period).count() == 1


def test_preview_writes_nothing(world):
    period = services.month_period("2025-10")
    run = services.run_period(period, preview=True)
    assert not Statement.objects.exists() and not Line.objects.exists()
    assert not Snapshot.objects.exists()
    assert Period.objects.get().checksum == ""
    assert run.totals()[world["Carla"].pk] == D("5.00")
    assert services.run_period(period).checksum == run.checksum


def test_close_freezes_and_verifies(world):
    period = services.month_period("2025-10")
    services.run_period(period)
    services.close_period(period)
    period.refresh_from_db()
    assert period.is_closed and len(period.checksum) == 64
    check = services.verify_period(period)
    assert check.ok and check.recomputed == check.rows == period.checksum
    # the network moves after close: the closed period recomputes identically
    from oscar_mlm.apps.mlm_network import services as network

    network.assign_sponsor(member=world["Carla"], new_sponsor=world["Anna"], reason="test")
    assert services.verify_period(period).ok


def test_structure_is_the_one_at_the_end_of_the_period(world):
    """A sponsor move after the period's end does not change the period (rule 4)."""
    from oscar_mlm.apps.mlm_network import services as network

    period = services.month_period("2025-10")
    before = services.run_period(period, preview=True).totals()
    network.assign_sponsor(member=world["Carla"], new_sponsor=world["Anna"],
                           reason="moved in December")
    assert services.run_period(period, preview=True).totals() == before


def test_database_refuses_changes_to_a_closed_period(world):
    period = services.month_period("2025-10")
    period = services.close_period(period)
    line = Line.objects.filter(period=period).first()
    statement = Statement.objects.filter(period=period).first()
    attempts = [
        lambda: Line.objects.filter(pk=line.pk).update(amount=D("999.00")),
        lambda: Line.objects.filter(pk=line.pk).delete(),
        lambda: Statement.objects.filter(pk=statement.pk).update(total=D("999.00")),
        lambda: Statement.objects.filter(pk=statement.pk).delete(),
        lambda: Line.objects.create(
            period=period, order_id=line.order_id, owner_id=line.owner_id,
            beneficiary_id=line.owner_id, level=0, distance=0, volume=1, rate=1, amount=1,
            paid=True),
        lambda: Period.objects.filter(pk=period.pk).update(checksum="x"),
        lambda: Period.objects.filter(pk=period.pk).update(status="open", closed=None),
        lambda: Snapshot.objects.filter(period=period).delete(),
        lambda: Plan.objects.filter(pk=period.plan_id).update(levels=5),
    ]
    for number, attempt in enumerate(attempts):
        with pytest.raises(IntegrityError), transaction.atomic():
            attempt()
            pytest.fail(f"attempt {number} was not refused")
    period.refresh_from_db()
    assert period.is_closed and services.verify_period(period).ok


def test_overlap_refused_by_the_database(db):
    Period.objects.create(start=dt.date(2025, 10, 1), end=dt.date(2025, 11, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Period.objects.create(start=dt.date(2025, 10, 20), end=dt.date(2025, 11, 20))


def test_refunds_in_an_open_period_net_out(world):
    world.refund(1, day="2025-11-20", volume="40.00")  # the period is still open
    period = services.month_period("2025-10")
    run = services.run_period(period)
    carla = run.statement(world["Carla"].pk)
    assert carla["own_volume"] == D("60.00")
    assert carla["commission"] == D("3.00")
    services.close_period(period)
    assert SettledRefund.objects.get().how == SettledRefund.NETTED
    # the netted refund is never corrected again
    november = services.run_period(services.month_period("2025-11"))
    assert not (november.result.lines["kind"] == 2).any()


def test_partial_refund_after_close_is_corrected_proportionally(world):
    october = services.month_period("2025-10")
    services.close_period(october)
    world.refund(1, day="2025-11-20", volume="33.33")
    november = services.month_period("2025-11")
    services.run_period(november)
    corrections = list(
        Line.objects.filter(period=november, kind=Line.CORRECTION)
        .order_by("distance").values_list("beneficiary_id", "level", "volume", "rate", "amount")
    )
    # October paid Carla 5 % own and Ben 10 % L1 on order 1; Anna (no October volume)
    # was not qualified, so nothing of hers is reversed
    assert corrections == [
        (world["Carla"].pk, 0, D("-33.33"), D("5.0000"), D("-1.67")),
        (world["Ben"].pk, 1, D("-33.33"), D("10.0000"), D("-3.33")),
    ]
    carla = Statement.objects.get(period=november, member=world["Carla"])
    assert (carla.own_volume, carla.corrections) == (D("0.00"), D("-1.67"))
    services.close_period(november)
    assert SettledRefund.objects.get().how == SettledRefund.CORRECTED
    assert services.verify_period(november).ok
    assert services.verify_period(october).ok


def test_what_if(world):
    period = services.month_period("2025-10")
    services.close_period(period)
    paid = {s.member_id: s.commission for s in Statement.objects.filter(period=period)}
    richer = services.build_plan(levels=2, rates=["20", "10"], own_volume_rate="5",
                                 minimum_own_volume="20")
    result = services.what_if(period, richer)
    by_member = {r.member: r for r in result.rows}
    assert by_member[world["Ben"].pk].paid == paid[world["Ben"].pk] == D("12.00")
    assert by_member[world["Ben"].pk].what_if == D("22.00")  # 2.00 own + 20 % of 100
    assert result.what_if_total > result.paid_total
    assert not Plan.objects.filter(levels=2, level_rates=["20.0000", "10.0000"]).exists()
    period.refresh_from_db()
    assert services.verify_period(period).ok


def test_commands(world, tmp_path):
    out = io.StringIO()
    call_command("mlm_commission_run", "--period", "2025-10", "--preview", "--no-progress",
                 stdout=out)
    assert "Preview: nothing was written." in out.getvalue()
    assert not Statement.objects.exists()
    target = tmp_path / "october.json"
    call_command("mlm_commission_run", "--period", "2025-10", "--json", str(target),
                 "--no-progress", stdout=out)
    data = json.loads(target.read_text())
    by_member = {d["member"]: d for d in data["distributors"]}
    carla = by_member[world["Carla"].pk]
    assert carla["own_volume"] == "100.00" and carla["end_customer_volume"] == "100.00"
    assert [(x["order"], x["amount"], x["paid"]) for x in carla["lines"]] == [
        (world.orders[1].pk, "5.00", True)]
    assert data["checksum"] == Period.objects.get().checksum
    call_command("mlm_commission_close", "--period", "2025-10", "--no-progress",
                 "--json", str(tmp_path / "final.json"), stdout=out)
    assert json.loads((tmp_path / "final.json").read_text())["checksum"] == data["checksum"]
    call_command("mlm_commission_verify", "--period", "2025-10", stdout=out)
    assert "verified" in out.getvalue()
    with pytest.raises(CommandError, match="closed"):
        call_command("mlm_commission_run", "--period", "2025-10", "--no-progress")
    with pytest.raises(CommandError, match="closed"):
        call_command("mlm_commission_close", "--period", "2025-10", "--no-progress")
    plans = io.StringIO()
    call_command("mlm_commission_plan", stdout=plans)
    assert "2025-10-01  2 levels  10.0000, 5.0000 %" in plans.getvalue()


def test_verify_detects_tampering(world):
    period = services.month_period("2025-10")
    services.run_period(period)
    line = Line.objects.filter(period=period, paid=True).first()
    Line.objects.filter(pk=line.pk).update(amount=line.amount + D("0.01"))
    check = services.verify_period(period)
    assert not check.ok and "MISMATCH" in str(check.message)
    with pytest.raises(CommandError, match="MISMATCH"):
        call_command("mlm_commission_verify", "--period", "2025-10")


def test_other_currencies_are_not_counted(world):
    world.sale(9, "500.00", buyer="Ben", currency="USD")
    run = services.run_period(services.month_period("2025-10"), preview=True)
    assert run.statement(world["Ben"].pk)["own_volume"] == D("40.00")
    assert run.summary["other_currencies"] == {"records": 1, "volume_cents": 50000}


def test_not_commissionable_products_explain_themselves(world):
    world.sale(10, None, buyer="Dora", lines=[("25.00", True), ("15.00", False)])
    run = services.run_period(services.month_period("2025-10"), preview=True)
    lines = [x for x in run.lines_of(world["Ben"].pk) if x["order"] == world.orders[10].pk]
    assert [(x["volume"], x["amount"], x["paid"], x["reason"]) for x in lines] == [
        (D("25.00"), D("2.50"), True, "paid"),
        (D("15.00"), D("0.00"), False, "not_commissionable"),
    ]
    assert run.statement(world["Carla"].pk)["own_volume"] == D("125.00")


def test_queue_run(world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    period = services.month_period("2025-10")
    result = services.queue_run(period)
    assert result.return_value["orders"] == 2
    assert Statement.objects.filter(period=period).exists()


def test_sqlite_and_postgres_both_guard(world):
    """The guards exist on the database in use (triggers are installed by a migration)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                           " AND name LIKE 'mlm_%%'")
        else:
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'mlm_%%'")
        assert cursor.fetchone()[0] >= 14


def test_a_sale_that_arrives_after_the_close_is_reported(world):
    period = services.close_period(services.month_period("2025-10"))
    world.sale(77, "10.00", buyer="Ben", day="2025-10-30")  # booked in October, arrived late
    check = services.verify_period(period)
    assert check.ok and check.late_records == 1
    assert "1 sale records booked in the period arrived after it closed" in str(check.message)


def test_members_audited_later_still_carry_the_structure(world):
    """An import (or demo data) audits old members with today's date: the path stays whole."""
    from oscar_mlm.test.factories import SponsorChangeFactory

    SponsorChangeFactory(member=world["Anna"], old_sponsor=None, new_sponsor=world["company"],
                         source="import")
    run = services.run_period(services.month_period("2025-10"), preview=True)
    anna = run.statement(world["Anna"].pk)
    assert anna is not None and anna["group_volume"] == D("140.00")
    assert sorted(x["level"] for x in run.lines_of(world["Anna"].pk)) == [1, 2]
