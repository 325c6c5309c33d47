"""``manage.py sandbox_site --port 8010``: the Site is the address the sandbox serves.

E-mails (password reset, welcome, order confirmation) build their links from
the Sites framework, never from a request's Host header. ``dev.sh sandbox``
runs this with the port it serves on (``PORT``), so those links open the
running sandbox, whatever port was chosen and whatever an earlier run set.
"""

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.management.base import BaseCommand, CommandError

from oscar_mlm.parsing import parse_id

DEFAULT_PORT = 8000


def site_domain(port):
    host = settings.PARENT_HOST.lstrip(".")
    return host if port == 80 else f"{host}:{port}"


class Command(BaseCommand):
    help = (
        "Point the Site (SITE_ID) at the address the sandbox serves, PARENT_HOST:PORT "
        "(localhost:8000 by default), so links in e-mails open the running sandbox."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--port",
            default=str(DEFAULT_PORT),
            help=f"The port the sandbox server listens on (default {DEFAULT_PORT}).",
        )

    def handle(self, *args, **options):
        port = parse_id(options["port"], maximum=65535)
        if port is None:
            raise CommandError(
                f"--port must be a whole number from 1 to 65535, not {options['port']!r}."
            )
        domain = site_domain(port)
        name = str(getattr(settings, "OSCAR_SHOP_NAME", domain))
        Site.objects.update_or_create(
            pk=settings.SITE_ID, defaults={"domain": domain, "name": name}
        )
        Site.objects.clear_cache()
        if options["verbosity"] >= 1:
            self.stdout.write(f"Site set to {domain}: e-mails link to http://{domain}/.")
