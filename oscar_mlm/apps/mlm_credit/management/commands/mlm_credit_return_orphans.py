from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from oscar_mlm.apps.mlm_credit import services


class Command(BaseCommand):
    help = (
        "Give back credit spent on orders that were never placed (the process died between "
        "the spend and the order). Run it every 15 minutes or hourly; a second run books nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
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
        if days is not None and days < 0:
            raise CommandError(_("--days must be 0 or more."))
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
