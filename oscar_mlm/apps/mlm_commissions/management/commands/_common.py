"""What the commission commands share: finding the period, the progress bar, JSON output."""

from contextlib import contextmanager

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from oscar.core.loading import get_model
from tqdm import tqdm

from oscar_mlm.apps.mlm_commissions import services
from oscar_mlm.apps.mlm_commissions.exceptions import CommissionError
from oscar_mlm.parsing import has_nul, parse_id


def add_period_arguments(parser):
    parser.add_argument("--period", help="The month, YYYY-MM (e.g. 2025-10).")
    parser.add_argument("--period-id", help="A period by its number (periods of other lengths).")
    parser.add_argument("--no-progress", action="store_true", help="No progress bar.")


def find_period(options, create=False):
    month, number = options.get("period"), options.get("period_id")
    if bool(month) == bool(number):
        raise CommandError(_("Give either --period YYYY-MM or --period-id N."))
    if number:
        pk = parse_id(number) if not has_nul(number) else None
        Period = get_model("mlm_commissions", "CommissionPeriod")
        period = Period.objects.filter(pk=pk).first() if pk else None
        if period is None:
            raise CommandError(_("There is no period number %(id)s.") % {"id": number[:20]})
        return period
    if has_nul(month):
        raise CommandError(_("A period is given as YYYY-MM, e.g. 2025-10."))
    try:
        return services.month_period(month, create=create)
    except CommissionError as exc:
        raise CommandError(exc.message) from None


@contextmanager
def progress_bar(command, options, label):
    bar = tqdm(desc=label, unit="order", disable=options.get("no_progress"),
               file=command.stderr)

    def progress(stage, n):
        if stage == "load":
            bar.reset(total=n)
            bar.set_postfix_str(_("computing"))
        elif stage == "compute":
            bar.update(n)
        elif stage == "write":
            bar.set_postfix_str(_("written"))

    try:
        yield progress
    finally:
        bar.close()


def write_json(command, run, path):
    try:
        with open(path, "w", encoding="utf-8") as fp:
            run.write_json(fp)
    except OSError as exc:
        raise CommandError(_("Cannot write %(path)s: %(error)s") % {
            "path": path, "error": exc.strerror}) from None
    command.stdout.write(_("JSON written to %(path)s.") % {"path": path})


def print_summary(command, run):
    s = run.summary
    command.stdout.write(
        _("%(period)s: %(orders)s orders, %(statements)s statements, %(lines)s lines "
          "(%(paid)s paid); commission %(commission)s, corrections %(corrections)s, total "
          "%(total)s %(currency)s; checksum %(checksum)s") % {
            "period": run.period, "orders": s["orders"], "statements": s["statements"],
            "lines": s["lines"], "paid": s["paid_lines"], "commission": s["commission"],
            "corrections": s["corrections"], "total": s["total"], "currency": run.plan.currency,
            "checksum": run.checksum,
        }
    )
    if s.get("other_currencies"):
        command.stdout.write(
            _("Not counted: %(records)s records in other currencies than %(currency)s.") % {
                "records": s["other_currencies"]["records"], "currency": run.plan.currency}
        )
