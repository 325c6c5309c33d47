from django.conf import settings
from django.contrib.sites.models import Site
from django.core.mail import send_mail
from django.template.loader import render_to_string
from oscar.apps.customer.utils import get_password_reset_url


def send_welcome(member):
    """Tell a person entered by someone else that they can set a password.

    The link is built from the Sites framework, never from a request's Host
    header, so a forged header cannot send people to a foreign domain.
    """
    user = member.user
    site = Site.objects.get_current()
    scheme = "https" if getattr(settings, "SESSION_COOKIE_SECURE", False) else "http"
    context = {
        "member": member,
        "user": user,
        "site": site,
        "sponsor": member.parent,
        "set_password_url": f"{scheme}://{site.domain}{get_password_reset_url(user)}",
    }
    subject = render_to_string("oscar_mlm/mlm_network/emails/welcome_subject.txt", context)
    body = render_to_string("oscar_mlm/mlm_network/emails/welcome_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])
