from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from oscar_mlm.apps.mlm_commissions import services
from oscar_mlm.apps.mlm_commissions.exceptions import CommissionError

from ._common import add_period_arguments, find_period, progress_bar, write_json


class Command(BaseCommand):
    help = (
        "Close a period for good: compute its final results, freeze its structure and "
        "records, store the checksum. A closed period never changes."
    )

    def add_arguments(self, parser):
        add_period_arguments(parser)
        parser.add_argument("--json", metavar="FILE",
                            help="Also write the final results as JSON (for payout).")

    def handle(self, *args, **options):
        period = find_period(options)
        try:
            with progress_bar(self, options, str(period)) as progress:
                period, notes = services.close_and_issue_credit_notes(period, progress=progress)
            self.stdout.write(
                _("%(period)s closed; checksum %(checksum)s.") % {
                    "period": period, "checksum": period.checksum}
            )
            self.stdout.write(_("Credit notes issued: %(count)d.") % {"count": len(notes)})
            if options["json"]:
                write_json(self, services.export_period(period), options["json"])
        except CommissionError as exc:
            raise CommandError(exc.message) from None
