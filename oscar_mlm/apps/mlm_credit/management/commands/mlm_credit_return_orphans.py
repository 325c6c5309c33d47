from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from tqdm import tqdm

from oscar_mlm.apps.mlm_credit import services
from oscar_mlm.parsing import int_argument

# A hundred years: further back than any ledger, and a date the calendar can still hold.
MAX_DAYS = 36500


class Command(BaseCommand):
    help = (
        "Give back credit spent on orders that were never placed (the process died between "
        "the spend and the order). Run it every 15 minutes or hourly; a second run books nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int_argument(0, MAX_DAYS),
            default=None,
            help="Look this many days back (default OSCAR_MLM_CREDIT_ORPHAN_LOOKBACK_DAYS; "
            "0: the whole ledger).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only list the orphans, book nothing."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        days = options["days"]
        orphans = services.orphan_spends(lookback_days=days)
        if options["dry_run"]:
            for entry in orphans:
                self.stdout.write(
                    _("%(key)s: %(amount)s %(currency)s, no order")
                    % {
                        "key": entry.idempotency_key,
                        "amount": -entry.amount,
                        "currency": entry.account.currency,
                    }
                )
            return
        with tqdm(
            total=orphans.count(), unit="spend", disable=options["no_progress"], file=self.stderr
        ) as bar:
            count, total = services.return_orphan_spends(lookback_days=days, progress=bar.update)
        self.stdout.write(
            _("%(count)s orphan spends returned, %(amount)s in total.")
            % {"count": count, "amount": total}
        )
