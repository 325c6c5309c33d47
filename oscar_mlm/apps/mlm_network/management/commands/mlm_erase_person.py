from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from oscar_mlm.apps.mlm_network import services
from oscar_mlm.exceptions import MlmError
from oscar_mlm.parsing import clean_text


class Command(BaseCommand):
    help = (
        "Erase a person's personal data on request (GDPR art. 17); cannot be undone. "
        "The member keeps its place in the network; orders, credit, volumes and "
        "commissions stay."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="The person's e-mail address.")
        parser.add_argument("--reason", required=True, help="When and how the person asked.")

    def handle(self, *args, **options):
        email = clean_text(options["email"], max_length=254)
        users = get_user_model()._default_manager.filter(email__iexact=email) if email else []
        if len(users) != 1:
            raise CommandError(
                _("No single user has the e-mail address %(email)s.") % {"email": options["email"]}
            )
        user = users[0]
        try:
            erasure = services.erase_person(user=user, reason=options["reason"])
        except MlmError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            _("Erased: user %(user)s is now %(email)s.")
            % {"user": erasure.user_id, "email": erasure.user.email}
        )
