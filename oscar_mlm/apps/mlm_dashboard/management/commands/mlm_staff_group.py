from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from oscar_mlm.apps.mlm_dashboard import services
from oscar_mlm.apps.mlm_dashboard.permissions import section_permission_names
from oscar_mlm.parsing import clean_text


class Command(BaseCommand):
    help = (
        "Create or update a group holding every permission of the network dashboard "
        "section; add staff users to it (is_staff) in Oscar's or Django's admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", default="Network staff", help="The group's name.")

    def handle(self, *args, **options):
        name = clean_text(options["name"], max_length=150)
        if not name:
            raise CommandError(_("Give a group name of 1 to 150 characters."))
        group = services.grant_section_to_group(name=name)
        self.stdout.write(
            _("Group “%(name)s” holds %(count)s permissions: %(names)s")
            % {
                "name": group.name,
                "count": group.permissions.count(),
                "names": ", ".join(section_permission_names()),
            }
        )
