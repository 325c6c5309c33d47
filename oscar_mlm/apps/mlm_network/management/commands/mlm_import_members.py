from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from tqdm import tqdm

from oscar_mlm.apps.mlm_network import imports, services
from oscar_mlm.apps.mlm_network.exceptions import NetworkError


class DryRun(Exception):
    """Rolls the dry run back after it did everything a real run does."""


class Command(BaseCommand):
    help = (
        "Enter existing users into the network: every user who is not a member yet as a "
        "customer of the company, or the users of a CSV file below the sponsors it names "
        "(columns email, sponsor, kind, handle). Audited as an import; all or nothing; "
        "a second run enters nobody twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--csv", metavar="FILE", help="CSV file (see docs/volumes.rst).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and show everything, change nothing."
        )
        parser.add_argument(
            "--include-staff",
            action="store_true",
            help="Without --csv: also enter staff users and superusers.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        try:
            plan = self.plan(options)
        except NetworkError as exc:
            raise CommandError(str(exc.message)) from exc
        for line, user, note in plan.already:
            if note:
                self.stdout.write(
                    _("Line %(line)s: %(email)s %(note)s")
                    % {"line": line, "email": user.email, "note": note}
                )
        if not plan.ok:
            for error in plan.errors:
                self.stderr.write(error)
            raise CommandError(
                _("%(count)s error(s) in the input; nothing was changed.")
                % {"count": len(plan.errors)}
            )
        reason = _("Import") + (f" {Path(options['csv']).name}" if options["csv"] else "")
        try:
            entered = self.run(plan, reason, options)
        except NetworkError as exc:
            raise CommandError(
                _("The import stopped: %(error)s Nothing was changed.") % {"error": exc.message}
            ) from exc
        customers = sum(1 for m in entered if m.kind == "customer")
        summary = _(
            "%(count)s entered (%(customers)s customers, %(distributors)s distributors), "
            "%(already)s already members."
        ) % {
            "count": len(entered),
            "customers": customers,
            "distributors": len(entered) - customers,
            "already": len(plan.already),
        }
        if options["dry_run"]:
            summary = _("Dry run, nothing was changed: %(summary)s") % {"summary": summary}
        self.stdout.write(self.style.SUCCESS(summary))

    def plan(self, options):
        if options["csv"]:
            try:
                data = Path(options["csv"]).read_bytes().decode("utf-8")
            except UnicodeDecodeError as exc:
                raise CommandError(
                    _("%(file)s is not UTF-8 text.") % {"file": options["csv"]}
                ) from exc
            except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
                raise CommandError(
                    _("Cannot read %(file)s: %(error)s")
                    % {"file": options["csv"], "error": getattr(exc, "strerror", None) or exc}
                ) from exc
            return imports.read_csv(data)
        users = imports.users_without_member(include_staff=options["include_staff"])
        return imports.plan_company_customers(users)

    def run(self, plan, reason, options):
        entered = []
        with tqdm(
            total=len(plan.rows), unit="person", disable=options["no_progress"], file=self.stderr
        ) as bar:
            try:
                with transaction.atomic():
                    entered = services.import_members(plan.rows, reason=reason, progress=bar.update)
                    if options["dry_run"]:
                        raise DryRun()
            except DryRun:
                pass
        return entered
