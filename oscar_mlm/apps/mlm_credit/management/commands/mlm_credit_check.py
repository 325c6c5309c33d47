from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from oscar_mlm.apps.mlm_credit import services


class Command(BaseCommand):
    help = (
        "Prove the books: every account's balance and pending credit equal the sum of its "
        "bookings; list spends whose order never came into being (--reverse-orphans undoes them)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reverse-orphans",
            action="store_true",
            help="Return credit spent on orders that were never placed "
            "(see mlm_credit_return_orphans).",
        )

    def handle(self, *args, **options):
        wrong = services.check_books()
        for account, sums in wrong:
            self.stderr.write(
                _("Account %(pk)s: balance %(balance)s, bookings %(sum)s")
                % {"pk": account.pk, "balance": account.balance, "sum": sums["amount"]}
            )
        for entry in services.orphan_spends(lookback_days=0):
            self.stderr.write(_("Spend %(key)s has no order") % {"key": entry.idempotency_key})
        if options["reverse_orphans"]:
            count, total = services.return_orphan_spends(lookback_days=0)
            self.stdout.write(
                _("%(count)s orphan spends returned, %(amount)s in total.")
                % {"count": count, "amount": total}
            )
        if wrong:
            raise CommandError(_("%(count)s accounts do not balance.") % {"count": len(wrong)})
        self.stdout.write(_("The books balance."))
