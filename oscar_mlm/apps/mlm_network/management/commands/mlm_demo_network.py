"""``manage.py mlm_demo_network``: the sandbox's demo network with known logins."""

import argparse
import sys
import time

from django.apps import apps
from django.contrib.sites.models import Site
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from oscar_mlm.apps.mlm_network.exceptions import NetworkError
from oscar_mlm.demo import build as demo
from oscar_mlm.demo.orders import DemoDataError
from oscar_mlm.demo.people import ADMIN, DEMO_PEOPLE
from oscar_mlm.demo.plan import DEFAULT_SEED


def _argument(validate):
    def parse(value):
        try:
            return validate(value)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return parse


class Command(BaseCommand):
    help = (
        "Build a demo network below the company root: a staff login, the distributors "
        "anna, ben and carla, the customers dora and emil, and generated people up to "
        "--size members over several levels (most of them customers). Idempotent: if the "
        "demo network exists (anna@example.com), only print its logins. Sizes above "
        f"{demo.BULK_THRESHOLD} are written in bulk. With --orders, also orders of the last "
        "months, bought by the generated people. A Site still at Django's example.com is "
        "pointed at localhost:8000; the links printed at the end are built from the Site."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--size",
            type=_argument(demo.validate_size),
            default=demo.DEFAULT_SIZE,
            help=f"Members in the network, the company root not counted (default "
            f"{demo.DEFAULT_SIZE}; 1 to {demo.MAX_SIZE}).",
        )
        parser.add_argument(
            "--seed",
            type=_argument(demo.validate_seed),
            default=DEFAULT_SEED,
            help=f"Seed of the generated names, tree and orders; the same seed gives the "
            f"same network (default {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--orders",
            type=_argument(demo.validate_orders),
            default=0,
            help="Orders to generate with the network (default 0), bought by generated "
            "members and some guests, from the products that have a price.",
        )
        parser.add_argument(
            "--months",
            nargs="+",
            type=_argument(demo.validate_month),
            metavar="YYYY-MM",
            default=None,
            help="Months the orders are placed in (default: this month and the two before).",
        )
        parser.add_argument(
            "--password-for-demo-logins",
            dest="password",
            metavar="PASSWORD",
            default=None,
            help="Give every demo login this password instead of the documented ones "
            "(admin/anna/ben/...), e.g. when others can reach the sandbox.",
        )
        parser.add_argument(
            "--no-progress",
            action="store_true",
            help="Show no progress bar (also off with --verbosity 0).",
        )

    def handle(self, *args, **options):
        # call_command(size=...) skips argparse, so check again here.
        try:
            size = demo.validate_size(options["size"])
            seed = demo.validate_seed(options["seed"])
            order_count = demo.validate_orders(options.get("orders") or 0)
            months = options.get("months") or []
            if isinstance(months, str):
                months = [months]
            months = [demo.validate_month(m) for m in months] or None
        except ValueError as error:
            raise CommandError(str(error)) from None
        password = options["password"]
        if password is not None and not password.strip():
            raise CommandError("--password-for-demo-logins must not be empty.")
        verbosity = options["verbosity"]

        if demo.configure_site() and verbosity >= 1:
            self.stdout.write("Site set to localhost:8000, so e-mails carry working links.")

        if demo.demo_exists():
            if verbosity >= 1:
                self.stdout.write(
                    self.style.WARNING("The demo network already exists; nothing was changed.")
                )
                self._print_logins(demo.existing_demo_people(), None, existing=True)
            return

        started = time.monotonic()
        bar_options = dict(
            file=getattr(self.stderr, "_out", sys.stderr),
            disable=options["no_progress"] or verbosity == 0,
            dynamic_ncols=True,
        )
        with (
            tqdm(total=size, unit="member", desc="Demo network", **bar_options) as bar,
            tqdm(
                total=order_count, unit="order", desc="Demo orders",
                **{**bar_options, "disable": bar_options["disable"] or not order_count},
            ) as orders,
        ):
            try:
                result = demo.build_demo(
                    size,
                    seed=seed,
                    password=password,
                    order_count=order_count,
                    months=months,
                    progress=bar,
                    order_progress=orders,
                )
            except NetworkError as error:
                raise CommandError(str(error.message)) from None
            except DemoDataError as error:
                raise CommandError(str(error)) from None
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo network built: {result.members} members below the company root, "
                    f"{result.depth} levels deep, in {time.monotonic() - started:.1f} s"
                    f"{' (bulk)' if result.bulk else ''}."
                )
            )
            if result.orders:
                generated = result.orders
                self.stdout.write(
                    f"Demo orders: {generated.orders} orders with {generated.lines} lines "
                    f"({generated.guest_orders} by guests), placed "
                    f"{generated.first_placed:%Y-%m-%d} to {generated.last_placed:%Y-%m-%d}; "
                    f"{generated.volume_records} volume records."
                )
            self._print_logins(DEMO_PEOPLE[: result.members], password)

    def _print_logins(self, demo_people, password, existing=False):
        out = self.stdout.write
        out("")
        if existing:
            out("Demo logins (the passwords they were created with; the defaults are shown):")
        else:
            out("Demo logins:")
        people = [ADMIN, *demo_people]
        width = max(len(p.email) for p in people)
        for person in people:
            secret = "<the password you gave>" if password else person.password
            out(f"  {person.email:<{width}}  password: {secret:<6}  {person.note}")
        domain = Site.objects.get_current().domain
        shop = f"http://{domain}/"
        out("")
        out(f"Shop:       {shop}")
        out(f"Dashboard:  {shop}dashboard/  (log in as admin@example.com)")
        out(f"Network:    {shop}dashboard/mlm/members/")
        if any(config.label == "mlm_storefront" for config in apps.get_app_configs()):
            # A storefront is <handle>.<the company's host>: the Site's host without "www.".
            storefront = f"http://anna.{domain.removeprefix('www.')}/"
            out(f"Storefront: {storefront} (customer link), {storefront}join/ (partner link)")
            out("            (ben and carla have theirs at their handles, too)")
