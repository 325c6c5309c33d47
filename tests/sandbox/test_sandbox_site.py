"""``manage.py sandbox_site``: e-mail links point at the port the sandbox serves."""

from io import StringIO

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.core.management import CommandError, call_command

from oscar_mlm.apps.mlm_network import emails, services
from oscar_mlm.test.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("sandbox_site", *args, stdout=out)
    return out.getvalue()


def test_the_site_gets_the_served_port_and_e_mails_link_there(settings):
    run("--port", "8000")
    out = run("--port", "8010")  # a later run on another port wins

    site = Site.objects.get(pk=settings.SITE_ID)
    assert (site.domain, site.name) == ("localhost:8010", settings.OSCAR_SHOP_NAME)
    assert "localhost:8010" in out

    person = CustomerFactory(parent=services.ensure_company())
    emails.send_welcome(person)
    assert "http://localhost:8010/" in mail.outbox[-1].body


def test_port_80_needs_no_port_in_the_address(settings):
    run("--port", "80")
    assert Site.objects.get(pk=settings.SITE_ID).domain == "localhost"


@pytest.mark.parametrize("port", ["0", "65536", "-1", "eighty", "８０", "²", "80\x00", "", "1e3"])
def test_bad_ports_are_refused_and_change_nothing(port, settings):
    before = Site.objects.get(pk=settings.SITE_ID).domain

    with pytest.raises(CommandError, match="--port must be a whole number from 1 to 65535"):
        run("--port", port)

    assert Site.objects.get(pk=settings.SITE_ID).domain == before
