from django.core.management.base import BaseCommand

from oscar_mlm.apps.mlm_network import services


class Command(BaseCommand):
    help = "Create the company root of the network if it does not exist (idempotent)."

    def handle(self, *args, **options):
        company = services.ensure_company()
        self.stdout.write(self.style.SUCCESS(f"Company root: member #{company.pk}"))
