from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from oscar_mlm.apps.mlm_commissions import services
from oscar_mlm.apps.mlm_commissions.exceptions import CommissionError

from ._common import add_period_arguments, find_period, print_summary, progress_bar, write_json


class Command(BaseCommand):
    help = (
        "Run the commissions of a period: volumes, qualification, one statement per "
        "distributor and the lines of every order. Rerunning an open period replaces its "
        "results; --preview writes nothing."
    )

    def add_arguments(self, parser):
        add_period_arguments(parser)
        parser.add_argument("--preview", action="store_true",
                            help="Compute and report, write nothing to the database.")
        parser.add_argument("--json", metavar="FILE",
                            help="Write every distributor's volumes, totals and lines as JSON.")

    def handle(self, *args, **options):
        period = find_period(options, create=True)
        try:
            with progress_bar(self, options, str(period)) as progress:
                run = services.run_period(period, preview=options["preview"], progress=progress)
        except CommissionError as exc:
            raise CommandError(exc.message) from None
        print_summary(self, run)
        if options["preview"]:
            self.stdout.write(_("Preview: nothing was written."))
        if options["json"]:
            write_json(self, run, options["json"])
