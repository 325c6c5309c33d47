from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from tqdm import tqdm

from oscar_mlm.apps.mlm_credit import services
from oscar_mlm.conf import get_setting


class Command(BaseCommand):
    help = "Book the expiry of old credit (FIFO). Run daily; a second run on a day books nothing."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        months = get_setting("OSCAR_MLM_CREDIT_EXPIRY_MONTHS")
        if not months:
            self.stdout.write(_("Credit does not expire (OSCAR_MLM_CREDIT_EXPIRY_MONTHS is off)."))
            return
        total = services.accounts_to_expire().count()
        with tqdm(
            total=total, unit="account", disable=options["no_progress"], file=self.stderr
        ) as bar:
            booked, amount = services.expire_all(progress=bar.update)
        self.stdout.write(
            _("%(count)s expiry bookings, %(amount)s in total.")
            % {"count": booked, "amount": amount}
        )
