import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_commissions import services
from oscar_mlm.apps.mlm_commissions.exceptions import CommissionError
from oscar_mlm.parsing import has_nul


class Command(BaseCommand):
    help = (
        "List the commission plan versions, or add one with --valid-from, --levels and "
        "--rates (e.g. --levels 3 --rates 10,5,3 --own-rate 5 --minimum 50 --compression)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--valid-from", help="YYYY-MM-DD: the first day of the new version.")
        parser.add_argument("--levels", help="The level cap.")
        parser.add_argument("--rates", help="Percent per level, comma separated, level 1 first.")
        parser.add_argument("--own-rate", default="0", help="Percent on own volume (default 0).")
        parser.add_argument("--minimum", default="0",
                            help="Minimum own volume to qualify (default 0).")
        parser.add_argument("--compression", action="store_true",
                            help="Pass unqualified distributors' shares up (default: the "
                            "company keeps them).")
        parser.add_argument("--name", default="", help="A name for the version.")

    def handle(self, *args, **options):
        if options["valid_from"] is None:
            Plan = get_model("mlm_commissions", "CommissionPlan")
            for plan in Plan.objects.order_by("valid_from"):
                self.stdout.write(
                    f"{plan.valid_from}  {plan.levels} levels  {', '.join(plan.level_rates)} %"
                    f"  own {plan.own_volume_rate} %  min {plan.minimum_own_volume}"
                    f"  {plan.unqualified_share}  {plan.currency}  {plan.name}"
                )
            return
        values = [options[k] for k in ("valid_from", "levels", "rates", "own_rate", "minimum",
                                       "name")]
        if any(v is not None and has_nul(v) for v in values):
            raise CommandError(_("The values must not contain NUL characters."))
        try:
            valid_from = dt.date.fromisoformat(options["valid_from"])
        except ValueError:
            raise CommandError(_("--valid-from is a date, YYYY-MM-DD.")) from None
        if options["levels"] is None or options["rates"] is None:
            raise CommandError(_("A new plan needs --levels and --rates."))
        try:
            plan = services.create_plan(
                valid_from=valid_from, levels=options["levels"], rates=options["rates"],
                own_volume_rate=options["own_rate"], minimum_own_volume=options["minimum"],
                unqualified_share="compression" if options["compression"] else "company",
                name=options["name"],
            )
        except CommissionError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(_("Plan valid from %(date)s created.") % {"date": plan.valid_from})
