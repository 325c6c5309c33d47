from django.core.management.base import BaseCommand, CommandError

from oscar_mlm.apps.mlm_commissions import services
from oscar_mlm.apps.mlm_commissions.exceptions import CommissionError

from ._common import add_period_arguments, find_period


class Command(BaseCommand):
    help = (
        "Recompute a period from its frozen inputs and compare with the checksum stored at "
        "close and with the rows in the database. Exits with an error on a mismatch."
    )

    def add_arguments(self, parser):
        add_period_arguments(parser)

    def handle(self, *args, **options):
        period = find_period(options)
        try:
            check = services.verify_period(period)
        except CommissionError as exc:
            raise CommandError(exc.message) from None
        if not check.ok:
            raise CommandError(str(check.message))
        self.stdout.write(str(check.message))
