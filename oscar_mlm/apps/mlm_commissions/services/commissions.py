"""Commission plans, periods, runs, close, what-if, and the reads the statement pages need.

Plans: :func:`create_plan`, :func:`plan_for`, :func:`validate_plan`.
Periods: :func:`create_period`, :func:`month_period`, :func:`parse_month`.
Runs: :func:`run_period` (``preview=True`` writes nothing), :func:`close_period`,
:func:`verify_period`, :func:`what_if`, :func:`queue_run`.
Reads: :func:`statement_for`, :func:`lines_for`, :func:`order_path`,
:func:`explain_line`, :func:`write_json`.

Each state change runs in one transaction and raises a
:class:`~.exceptions.CommissionError` (nothing changed) on bad input. Runs
and closes of one period exclude each other: on PostgreSQL through a session
advisory lock held for the whole run, so a close during a run is refused.
"""

import contextlib
import datetime as dt
import json
import re
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import numpy as np
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from oscar_mlm.conf import get_setting

from .. import engine, runs, snapshot
from ..exceptions import CommissionError, PeriodClosed

# Key of the advisory locks of commission runs (with the period id as second key).
LOCK_KEY = 0x4D4C4D43  # "MLMC"


def _models():
    return (
        get_model("mlm_commissions", "CommissionPlan"),
        get_model("mlm_commissions", "CommissionPeriod"),
    )


# -- plans --------------------------------------------------------------------------------------


def _decimal(value, what):
    if isinstance(value, float):
        value = str(value)
    if not isinstance(value, (Decimal, int)) and (
        not str(value).isascii() or "\x00" in str(value) or len(str(value)) > 40
    ):
        raise CommissionError(_("%(what)s is not a number: %(value)s") % {
            "what": what, "value": repr(str(value)[:20])})
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError, TypeError):
        raise CommissionError(_("%(what)s is not a number: %(value)s") % {
            "what": what, "value": str(value)[:40]}) from None
    if not number.is_finite():
        raise CommissionError(_("%(what)s is not a number: %(value)s") % {
            "what": what, "value": str(value)[:40]})
    return number


def validate_plan(*, levels, rates, own_volume_rate=0, minimum_own_volume=0,
                  unqualified_share="company"):
    """Check a plan's figures; return them cleaned, or raise CommissionError."""
    Plan, _Period = _models()
    max_levels = int(get_setting("OSCAR_MLM_COMMISSION_LEVELS"))
    ceiling = _decimal(get_setting("OSCAR_MLM_COMMISSION_MAX_TOTAL_RATE"), _("The ceiling"))
    if isinstance(levels, bool) or not (
        isinstance(levels, int) or re.fullmatch(r"\s*-?[0-9]{1,6}\s*", str(levels))
    ):
        raise CommissionError(_("The number of levels must be a whole number."))
    levels = int(levels)
    if levels < 1:
        raise CommissionError(_("A plan needs at least one level."))
    if levels > max_levels:
        raise CommissionError(
            _("A plan may pay at most %(max)s levels (OSCAR_MLM_COMMISSION_LEVELS).")
            % {"max": max_levels}
        )
    if isinstance(rates, str):
        rates = [r for r in rates.split(",") if r.strip()]
    rates = [_decimal(r, _("Rate of level %(level)s") % {"level": i}) for i, r in
             enumerate(rates, start=1)]
    if len(rates) != levels:
        raise CommissionError(
            _("The plan has %(levels)s levels but %(rates)s rates: give one rate per level.")
            % {"levels": levels, "rates": len(rates)}
        )
    own = _decimal(own_volume_rate or 0, _("The rate on own volume"))
    minimum = _decimal(minimum_own_volume or 0, _("The minimum own volume"))
    for label, rate in [(_("own volume"), own)] + [
        (_("level %(level)s") % {"level": i}, r) for i, r in enumerate(rates, start=1)
    ]:
        if rate < 0:
            raise CommissionError(_("The rate of %(what)s is negative.") % {"what": label})
        if rate > ceiling:
            raise CommissionError(
                _("The rate of %(what)s (%(rate)s %%) is above the ceiling of %(max)s %%.")
                % {"what": label, "rate": rate, "max": ceiling}
            )
        if rate != rate.quantize(Decimal("0.0001")):
            raise CommissionError(
                _("The rate of %(what)s has more than four decimal places.") % {"what": label}
            )
    total = own + sum(rates, Decimal(0))
    if total > ceiling:
        raise CommissionError(
            _("The rates add up to %(total)s %%, more than the ceiling of %(max)s %% "
              "(OSCAR_MLM_COMMISSION_MAX_TOTAL_RATE).") % {"total": total, "max": ceiling}
        )
    if minimum < 0:
        raise CommissionError(_("The minimum own volume cannot be negative."))
    if minimum >= Decimal("1e10"):
        raise CommissionError(_("The minimum own volume is too large."))
    if minimum != minimum.quantize(Decimal("0.01")):
        raise CommissionError(_("The minimum own volume must be an amount in cents."))
    if unqualified_share not in (Plan.COMPANY, Plan.COMPRESSION):
        raise CommissionError(
            _("The share of an unqualified distributor is kept by the company ('company') "
              "or compressed ('compression').")
        )
    return {
        "levels": levels,
        "level_rates": [str(r.quantize(Decimal("0.0001"))) for r in rates],
        "own_volume_rate": own.quantize(Decimal("0.0001")),
        "minimum_own_volume": minimum.quantize(Decimal("0.01")),
        "unqualified_share": unqualified_share,
    }


def build_plan(*, levels, rates, own_volume_rate=0, minimum_own_volume=0,
               unqualified_share="company", currency=None, valid_from=None, name=""):
    """An unsaved, validated plan (for :func:`what_if`)."""
    Plan, _Period = _models()
    fields = validate_plan(levels=levels, rates=rates, own_volume_rate=own_volume_rate,
                           minimum_own_volume=minimum_own_volume,
                           unqualified_share=unqualified_share)
    return Plan(
        name=name, valid_from=valid_from, currency=currency or _default_currency(), **fields
    )


def _default_currency():
    from django.conf import settings

    return settings.OSCAR_DEFAULT_CURRENCY


def create_plan(*, valid_from, levels, rates, own_volume_rate=0, minimum_own_volume=0,
                unqualified_share="company", currency=None, name="", user=None):
    """A new plan version, valid from ``valid_from`` (a date) until the next version.

    A version cannot start inside a closed period or before one, so what was
    paid never changes.
    """
    Plan, Period = _models()
    if not isinstance(valid_from, dt.date) or isinstance(valid_from, dt.datetime):
        raise CommissionError(_("A plan needs the date it is valid from."))
    with transaction.atomic():
        plan = build_plan(levels=levels, rates=rates, own_volume_rate=own_volume_rate,
                          minimum_own_volume=minimum_own_volume,
                          unqualified_share=unqualified_share, currency=currency,
                          valid_from=valid_from, name=str(name or "")[:128])
        last_closed = Period.objects.filter(status=Period.CLOSED).order_by("-end").first()
        if last_closed is not None and valid_from < last_closed.end:
            raise CommissionError(
                _("Periods up to %(date)s are closed: a new plan can start on %(date)s at the "
                  "earliest.") % {"date": last_closed.end}
            )
        if Plan.objects.filter(valid_from=valid_from).exists():
            raise CommissionError(
                _("A plan version valid from %(date)s exists already.") % {"date": valid_from}
            )
        plan.created_by = user
        try:
            with transaction.atomic():
                plan.save()
        except IntegrityError:
            raise CommissionError(
                _("A plan version valid from %(date)s exists already.") % {"date": valid_from}
            ) from None
        return plan


def plan_for(day):
    """The plan version valid on ``day``."""
    Plan, _Period = _models()
    plan = Plan.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
    if plan is None:
        raise CommissionError(
            _("No commission plan is valid on %(date)s: create one first.") % {"date": day}
        )
    return plan


# -- periods ------------------------------------------------------------------------------------

MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


def parse_month(text):
    """``"2025-10"`` -> ``date(2025, 10, 1)``; CommissionError on anything else."""
    match = MONTH.fullmatch(str(text or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise CommissionError(
            _("A period is given as YYYY-MM, e.g. 2025-10; got %(value)s.")
            % {"value": repr(str(text)[:20])}
        )
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def next_month(day):
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def create_period(start, end=None):
    """A period from ``start`` to ``end`` (exclusive; default: one month). Never overlaps."""
    _Plan, Period = _models()
    if not isinstance(start, dt.date) or isinstance(start, dt.datetime):
        raise CommissionError(_("A period needs a start date."))
    end = end or (next_month(start) if start.day == 1 else None)
    if end is None:
        raise CommissionError(_("A period that does not start on the 1st needs an end date."))
    if end <= start:
        raise CommissionError(_("A period must end after it starts."))
    with transaction.atomic():
        _lock_periods()
        clash = Period.objects.filter(start__lt=end, end__gt=start).order_by("start").first()
        if clash is not None:
            raise CommissionError(
                _("The period %(new)s would overlap the period %(old)s.")
                % {"new": f"{start}..{end}", "old": clash}
            )
        try:
            with transaction.atomic():
                return Period.objects.create(start=start, end=end)
        except IntegrityError:
            raise CommissionError(
                _("The period %(new)s would overlap an existing period.")
                % {"new": f"{start}..{end}"}
            ) from None


def month_period(month, create=True):
    """The period of a month (``"2025-10"`` or a date), created if missing."""
    _Plan, Period = _models()
    start = parse_month(month) if isinstance(month, str) else month.replace(day=1)
    period = Period.objects.filter(start=start).first()
    if period is not None:
        if period.end != next_month(start):
            raise CommissionError(
                _("The period starting %(date)s is not a calendar month.") % {"date": start}
            )
        return period
    if not create:
        raise CommissionError(_("There is no period for %(month)s.") % {"month": month})
    return create_period(start)


def _lock_periods():
    """Serialise period creation (PostgreSQL); SQLite serialises writers anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [LOCK_KEY])


# -- runs ---------------------------------------------------------------------------------------


@dataclass
class RunResult:
    """What a run computed (and, unless a preview, wrote)."""

    period: object
    plan: object
    result: engine.Result
    structure_at: dt.datetime
    preview: bool
    written: bool
    seconds: float
    inputs: object = None
    summary: dict = field(default_factory=dict)

    @property
    def checksum(self):
        return self.result.checksum

    def totals(self):
        """``{member id: Decimal total}`` of every statement."""
        r = self.result
        return {int(m): _decimal_cents(t) for m, t in zip(r.member, r.total, strict=True)}

    def statement(self, member_id):
        """A dict of one member's statement figures, or None."""
        r = self.result
        i = int(np.searchsorted(r.member, member_id))
        if i >= len(r.member) or r.member[i] != member_id:
            return None
        return _statement_dict(r, i)

    def lines_of(self, member_id):
        r = self.result
        return [_line_dict(x) for x in r.lines[r.lines["beneficiary"] == member_id]]

    def write_json(self, fp):
        write_json(self, fp)


def _decimal_cents(c):
    return (Decimal(int(c)) / 100).quantize(Decimal("0.01"))


def _decimal_rate(r):
    return (Decimal(int(r)) / engine.RATE_SCALE).quantize(Decimal("0.0001"))


def _statement_dict(r, i):
    return {
        "member": int(r.member[i]),
        "personal_volume": _decimal_cents(r.personal_volume[i]),
        "own_volume": _decimal_cents(r.own_volume[i]),
        "end_customer_volume": _decimal_cents(r.end_customer_volume[i]),
        "group_volume": _decimal_cents(r.group_volume[i]),
        "group_volume_levels": [_decimal_cents(c) for c in r.group_volume_levels[i]],
        "active": bool(r.active[i]),
        "qualified": bool(r.qualified[i]),
        "commission": _decimal_cents(r.commission[i]),
        "corrections": _decimal_cents(r.corrections[i]),
        "opening_balance": _decimal_cents(r.opening_balance[i]),
        "total": _decimal_cents(r.total[i]),
    }


REASONS = {
    engine.PAID: "paid",
    engine.NOT_QUALIFIED: "not_qualified",
    engine.INACTIVE: "inactive",
    engine.NOT_DISTRIBUTOR: "not_distributor",
    engine.BEYOND_CAP: "beyond_cap",
    engine.NOT_COMMISSIONABLE: "not_commissionable",
    engine.NO_RATE: "no_rate",
}


def _line_dict(x):
    return {
        "kind": "correction" if x["kind"] == engine.CORRECTION else "commission",
        "order": int(x["order"]),
        "buyer": int(x["buyer"]) or None,
        "owner": int(x["owner"]),
        "beneficiary": int(x["beneficiary"]),
        "level": int(x["level"]),
        "distance": int(x["distance"]),
        "volume": _decimal_cents(x["volume"]),
        "rate": _decimal_rate(x["rate"]),
        "amount": _decimal_cents(x["amount"]),
        "paid": bool(x["paid"]),
        "reason": REASONS[int(x["reason"])],
        "passed_to": int(x["passed_to"]) or None,
        "corrects": int(x["corrects"]) or None,
    }


@contextlib.contextmanager
def _period_lock(period, wait=True):
    """Exclude other runs and closes of ``period`` (PostgreSQL session advisory lock)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_KEY, period.pk])
        else:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_KEY, period.pk])
            if not cursor.fetchone()[0]:
                raise CommissionError(
                    _("A commission run of %(period)s is in progress; try again when it has "
                      "finished.") % {"period": period}
                )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_KEY, period.pk])


def _check_runnable(period):
    if period.is_closed:
        raise PeriodClosed(
            _("The period %(period)s is closed; its results never change. Refunds of its "
              "orders are corrected in the next open period.") % {"period": period}
        )


def _compute(period, plan, progress=None, moment=None):
    inputs = runs.load_inputs(period, plan, moment=moment)
    if progress:
        progress("load", len(inputs.sales))
    result = engine.compute(
        inputs.structure,
        runs.plan_for_engine(plan),
        inputs.sales,
        inputs.corrections,
        inputs.carried,
        progress=(lambda n: progress("compute", n)) if progress else None,
    )
    return inputs, result


def _summary(inputs, result, seconds):
    lines = result.lines
    paid = lines["paid"] == 1
    return {
        "orders": int(result.orders),
        "records": inputs.records,
        "statements": int(len(result)),
        "lines": int(len(lines)),
        "paid_lines": int(paid.sum()),
        "commission": str(_decimal_cents(result.commission.sum())),
        "corrections": str(_decimal_cents(result.corrections.sum())),
        "total": str(_decimal_cents(result.total.sum())),
        "refunds_netted": len(inputs.netted),
        "refunds_corrected": len(inputs.corrected),
        "members_in_structure": int(len(inputs.structure)),
        "other_currencies": inputs.other_currencies,
        "seconds": round(seconds, 3),
    }


def _atomic_fresh():
    """An outermost transaction whose reads see one snapshot (REPEATABLE READ on PostgreSQL)."""
    if connection.in_atomic_block:
        return transaction.atomic()
    return _RepeatableRead()


class _RepeatableRead:
    def __enter__(self):
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return self

    def __exit__(self, *exc):
        return self.atomic.__exit__(*exc)


def run_period(period, *, preview=False, progress=None, moment=None):
    """Compute ``period`` and (unless ``preview``) replace its statements and lines.

    A preview reads the same data and writes nothing; run it as often as you
    like. A run of a closed period raises :class:`PeriodClosed`. Rerunning
    gives identical results and never duplicates a line. ``progress(stage, n)``
    is told how far the run is (stages ``load``, ``compute``, ``write``).
    """
    _Plan, Period = _models()
    started = time.perf_counter()
    period = Period.objects.get(pk=period.pk)
    _check_runnable(period)
    plan = plan_for(period.start)
    if preview:
        with _atomic_fresh():
            inputs, result = _compute(period, plan, progress, moment)
        seconds = time.perf_counter() - started
        return RunResult(period, plan, result, inputs.structure_at, True, False, seconds,
                         inputs, _summary(inputs, result, seconds))
    with _period_lock(period, wait=True), _atomic_fresh():
        period = Period.objects.select_for_update().get(pk=period.pk)
        _check_runnable(period)
        inputs, result = _compute(period, plan, progress, moment)
        _write(period, plan, inputs, result, progress)
        seconds = time.perf_counter() - started
        period.summary = _summary(inputs, result, seconds)
        period.save(update_fields=["plan", "currency", "last_run", "checksum", "summary"])
    return RunResult(period, plan, result, inputs.structure_at, False, True, seconds, inputs,
                     period.summary)


def _write(period, plan, inputs, result, progress=None):
    Snapshot = get_model("mlm_commissions", "CommissionSnapshot")
    runs.write_results(period, plan.currency, result)
    Snapshot.objects.filter(period=period).delete()
    Snapshot.objects.create(
        period=period,
        structure_at=inputs.structure_at,
        members=len(inputs.structure),
        records=len(inputs.sale_ids),
        data=snapshot.encode(inputs.structure, inputs.sale_ids),
    )
    period.plan = plan
    period.currency = plan.currency
    period.last_run = timezone.now()
    period.checksum = result.checksum
    if progress:
        progress("write", len(result.lines))


def close_period(period, *, user=None, progress=None, now=None):
    """Close ``period`` for good: final results, frozen inputs, the checksum.

    Refused while a run of it is in progress, before it has ended, twice, or
    while an earlier period is open. Results are computed afresh (refunds
    up to now are netted) and written if they differ from the last run's.
    """
    _Plan, Period = _models()
    SettledRefund = get_model("mlm_commissions", "SettledRefund")
    period = Period.objects.get(pk=period.pk)
    now = now or timezone.now()
    check_closable(period, now=now)
    plan = plan_for(period.start)
    with _period_lock(period, wait=False), _atomic_fresh():
        try:
            period = Period.objects.select_for_update(nowait=True).get(pk=period.pk)
        except Exception as exc:  # a run holds the row (SQLite has no row locks)
            raise CommissionError(
                _("A commission run of %(period)s is in progress; try again when it has "
                  "finished.") % {"period": period}
            ) from exc
        _check_runnable(period)
        started = time.perf_counter()
        inputs, result = _compute(period, plan, progress, moment=runs.bounds(period)[1])
        if result.checksum != period.checksum or period.plan_id != plan.pk:
            _write(period, plan, inputs, result, progress)
        else:
            _write_snapshot_only(period, inputs)
        SettledRefund.objects.bulk_create(
            [SettledRefund(record_id=r, period=period, how=SettledRefund.NETTED)
             for r in inputs.netted]
            + [SettledRefund(record_id=r, period=period, how=SettledRefund.CORRECTED)
               for r in inputs.corrected]
        )
        period.summary = _summary(inputs, result, time.perf_counter() - started)
        period.plan = plan
        period.currency = plan.currency
        period.checksum = result.checksum
        period.status = Period.CLOSED
        period.closed = now
        period.closed_by = user
        period.save()
    return period


def check_closable(period, *, now=None):
    """Raise unless ``period`` may be closed now: open, ended, no earlier period open.

    :func:`close_period` checks this first; callers that queue the close in the
    background (the API) check it before, to refuse at once.
    """
    _Plan, Period = _models()
    _check_runnable(period)
    if (now or timezone.now()) < runs.bounds(period)[1]:
        raise CommissionError(
            _("The period %(period)s has not ended yet; it can be closed from %(end)s on.")
            % {"period": period, "end": period.end}
        )
    earlier = Period.objects.filter(status=Period.OPEN, start__lt=period.start).order_by("start")
    if earlier.exists():
        raise CommissionError(
            _("Close the earlier period %(earlier)s first.") % {"earlier": earlier.first()}
        )


def check_runnable(period):
    """Raise ``PeriodClosed`` for a closed period (runs and previews refuse it)."""
    _check_runnable(period)


def _write_snapshot_only(period, inputs):
    Snapshot = get_model("mlm_commissions", "CommissionSnapshot")
    Snapshot.objects.filter(period=period).delete()
    Snapshot.objects.create(
        period=period,
        structure_at=inputs.structure_at,
        members=len(inputs.structure),
        records=len(inputs.sale_ids),
        data=snapshot.encode(inputs.structure, inputs.sale_ids),
    )


@dataclass
class Verification:
    ok: bool
    stored: str  # the checksum kept with the period
    recomputed: str  # from the frozen inputs
    rows: str  # from the statements and lines in the database
    message: str = ""
    # Sale records booked in the closed period that arrived after its close: never counted.
    late_records: int = 0


def verify_period(period):
    """Recompute a period from its frozen inputs and compare checksums (no writes).

    For a closed period the recomputation must match the checksum stored at
    close, and so must the rows in the database. For an open period it
    compares the rows with the last run.
    """
    _Plan, Period = _models()
    period = Period.objects.get(pk=period.pk)
    if period.plan_id is None:
        raise CommissionError(_("The period %(period)s has not been run yet.") % {
            "period": period})
    with _atomic_fresh():
        if period.is_closed:
            inputs, result = _compute(period, period.plan)
            recomputed, late = result.checksum, inputs.late
        else:
            recomputed, late = "", 0
        rows = runs.stored_checksum(period, period.plan)
    ok = rows == period.checksum and (not period.is_closed or recomputed == period.checksum)
    if ok:
        message = _("%(period)s: checksum %(sum)s verified.") % {
            "period": period, "sum": period.checksum}
    else:
        message = _("%(period)s: checksum MISMATCH (stored %(stored)s, recomputed "
                    "%(recomputed)s, rows %(rows)s).") % {
            "period": period, "stored": period.checksum, "recomputed": recomputed or "-",
            "rows": rows}
    if late:
        message = str(message) + " " + _(
            "%(count)s sale records booked in the period arrived after it closed and are not "
            "counted in any period.") % {"count": late}
    return Verification(ok, period.checksum, recomputed, rows, message, late)


def export_period(period, progress=None):
    """The full results of ``period`` as a :class:`RunResult`, for :func:`write_json`.

    A closed period is recomputed from its frozen inputs and must match its
    checksum; an open one is previewed (nothing written).
    """
    _Plan, Period = _models()
    period = Period.objects.get(pk=period.pk)
    if not period.is_closed:
        return run_period(period, preview=True, progress=progress)
    started = time.perf_counter()
    with _atomic_fresh():
        inputs, result = _compute(period, period.plan, progress)
    if result.checksum != period.checksum:
        raise CommissionError(
            _("%(period)s does not recompute to its checksum; run mlm_commission_verify.")
            % {"period": period}
        )
    seconds = time.perf_counter() - started
    return RunResult(period, period.plan, result, inputs.structure_at, False, False, seconds,
                     inputs, period.summary)


# -- what-if ------------------------------------------------------------------------------------


@dataclass
class WhatIfRow:
    member: int
    paid: Decimal  # commission paid (lines of the period, corrections not included)
    what_if: Decimal  # commission under the changed plan
    difference: Decimal


@dataclass
class WhatIf:
    period: object
    plan: object
    rows: list
    paid_total: Decimal
    what_if_total: Decimal


def what_if(period, plan):
    """Run ``plan`` (e.g. from :func:`build_plan`) on a closed period's frozen data.

    Returns the commission per distributor under that plan beside what was
    paid; writes nothing.
    """
    _Plan, Period = _models()
    Statement = get_model("mlm_commissions", "CommissionStatement")
    period = Period.objects.get(pk=period.pk)
    if not period.is_closed:
        raise CommissionError(
            _("What-if runs use a closed period's frozen data; %(period)s is open.")
            % {"period": period}
        )
    with _atomic_fresh():
        inputs = runs.load_inputs(period, period.plan)
        result = engine.compute(inputs.structure, runs.plan_for_engine(plan), inputs.sales)
        paid = dict(Statement.objects.filter(period=period).values_list("member_id",
                                                                         "commission"))
    changed = {int(m): _decimal_cents(c) for m, c in zip(result.member, result.commission,
                                                          strict=True)}
    rows = []
    for member in sorted(set(paid) | set(changed)):
        before = paid.get(member, Decimal("0.00"))
        after = changed.get(member, Decimal("0.00"))
        rows.append(WhatIfRow(member, before, after, after - before))
    return WhatIf(
        period=period,
        plan=plan,
        rows=rows,
        paid_total=sum((r.paid for r in rows), Decimal("0.00")),
        what_if_total=sum((r.what_if for r in rows), Decimal("0.00")),
    )


# -- background ---------------------------------------------------------------------------------


def queue_run(period, preview=False):
    """Queue :func:`run_period` as a django-tasks task (for the dashboard)."""
    from ..tasks import run_commission_period

    return run_commission_period.enqueue(period.pk, preview=preview)


def queue_close(period, user=None):
    """Queue the close and its credit notes as a django-tasks task (checked first).

    The task calls ``close_and_issue_credit_notes``; :func:`check_closable` refuses at once.
    """
    from ..tasks import close_commission_period

    check_closable(period)
    return close_commission_period.enqueue(period.pk, user.pk if user else None)


# -- reads for statement pages ------------------------------------------------------------------


def statement_for(period, member):
    """The stored statement of ``member`` in ``period``, or None."""
    Statement = get_model("mlm_commissions", "CommissionStatement")
    return Statement.objects.filter(period=period, member=member).first()


def lines_for(period, member, kind=None):
    """The stored lines of which ``member`` is the beneficiary (paid and not)."""
    Line = get_model("mlm_commissions", "CommissionLine")
    lines = Line.objects.filter(period=period, beneficiary=member)
    if kind is not None:
        lines = lines.filter(kind=kind)
    return lines.order_by("kind", "order_id", "distance", "reason")


def order_path(period, order, owner=None):
    """The lines of one order in ``period``, owner first: the path that explains each."""
    Line = get_model("mlm_commissions", "CommissionLine")
    lines = Line.objects.filter(period=period, order=order, kind=engine.COMMISSION)
    if owner is not None:
        lines = lines.filter(owner=owner)
    return list(lines.order_by("owner_id", "distance", "reason"))


def rate_text(rate):
    """A rate as people write it: ``10.0000`` -> ``"10"``, ``2.5000`` -> ``"2.5"``."""
    return format(Decimal(rate).normalize(), "f")


def explain_line(line, statement=None):
    """One sentence that says why ``line`` was paid or not (translated).

    ``statement``: the beneficiary's statement of the line's period, if the
    caller has it (saves a query per line on statement pages).
    """
    Line = get_model("mlm_commissions", "CommissionLine")
    period = line.period
    plan = period.plan
    values = {
        "level": line.level,
        "rate": rate_text(line.rate),
        "volume": line.volume,
        "amount": line.amount,
        "currency": period.currency,
    }
    if line.kind == Line.CORRECTION:
        return _("Correction: %(volume)s %(currency)s of the order was refunded after "
                 "%(period)s closed; %(rate)s %% of it is reversed: %(amount)s.") % {
            # Correction lines hold the refunded volume negated; the sentence says how much.
            **values, "volume": abs(line.volume), "period": line.corrects}
    if line.reason == Line.PAID:
        if line.level == 0:
            return _("Own volume: %(rate)s %% of %(volume)s = %(amount)s %(currency)s.") % values
        return _("Level %(level)s: %(rate)s %% of %(volume)s = %(amount)s %(currency)s.") % values
    if line.reason == Line.NOT_QUALIFIED:
        if statement is None or statement.member_id != line.beneficiary_id:
            statement = statement_for(period, line.beneficiary_id)
        own = statement.own_volume if statement else Decimal("0.00")
        text = _("Not paid: own volume %(own)s is below the minimum %(minimum)s.") % {
            "own": own, "minimum": plan.minimum_own_volume}
    elif line.reason == Line.INACTIVE:
        text = _("Not paid: inactive at the end of the period.")
    elif line.reason == Line.NOT_DISTRIBUTOR:
        text = _("Not paid: not a distributor at the end of the period.")
    elif line.reason == Line.BEYOND_CAP:
        return _("Not paid: beyond the plan's %(cap)s levels.") % {"cap": plan.levels}
    elif line.reason == Line.NOT_COMMISSIONABLE:
        return _("Not paid: the product is not commissionable.")
    else:
        return _("Not paid: the plan pays nothing at this level.")
    if plan.compression:
        if line.passed_to_id:
            return text + " " + _("Compression passed the share to %(whom)s.") % {
                "whom": line.passed_to}
        return text + " " + _("No qualified distributor above: the company keeps it.")
    return text + " " + _("The company keeps the share (%(amount)s).") % values


# -- export -------------------------------------------------------------------------------------


def write_json(run, fp):
    """Every distributor's volumes, totals and lines of a run, as JSON (streamed)."""
    r = run.result
    lines = r.lines
    order = np.argsort(lines["beneficiary"], kind="stable")
    lines = lines[order]
    starts = np.searchsorted(lines["beneficiary"], r.member, side="left")
    stops = np.searchsorted(lines["beneficiary"], r.member, side="right")
    head = {
        "period": str(run.period),
        "start": run.period.start.isoformat(),
        "end": run.period.end.isoformat(),
        "status": run.period.status,
        "preview": run.preview,
        "currency": run.plan.currency,
        "plan": {
            "valid_from": run.plan.valid_from.isoformat() if run.plan.valid_from else None,
            "levels": run.plan.levels,
            "rates": list(run.plan.level_rates),
            "own_volume_rate": str(run.plan.own_volume_rate),
            "minimum_own_volume": str(run.plan.minimum_own_volume),
            "unqualified_share": run.plan.unqualified_share,
        },
        "structure_at": run.structure_at.isoformat(),
        "checksum": run.checksum,
        "summary": run.summary,
    }
    fp.write(json.dumps(head, default=str)[:-1] + ', "distributors": [\n')
    for i in range(len(r.member)):
        item = _statement_dict(r, i)
        item["lines"] = [_line_dict(x) for x in lines[starts[i]:stops[i]]]
        fp.write(("" if i == 0 else ",\n") + json.dumps(item, default=str))
    fp.write("\n]}\n")
