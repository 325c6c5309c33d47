"""The curl examples of docs/api.rst, run as they stand against a live server.

Each ``console`` block of the page is one shell script (its ``$`` lines); the
sandbox's address ``http://localhost:8000`` becomes the live server's. The
people, product and credit are the sandbox's demo logins (anna, dora, admin)
with the same member numbers as the examples name.
"""

import re
import subprocess
import textwrap
from decimal import Decimal as D
from pathlib import Path

import pytest
from oscar.core.loading import get_model
from oscar.test import factories as oscar_factories

from oscar_mlm.apps.mlm_credit import services as credit
from oscar_mlm.apps.mlm_network import services as network
from oscar_mlm.apps.mlm_vouchers import services as vouchers
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory, UserFactory

PAGE = Path(__file__).resolve().parents[2] / "docs" / "api.rst"
DIRECTIVE = re.compile(r"^\.\. code-block:: console\s*$")
SANDBOX = "http://localhost:8000"

Member = get_model("mlm_network", "Member")
Order = get_model("order", "Order")


def console_blocks(text):
    lines, blocks, i = text.splitlines(), [], 0
    while i < len(lines):
        if not DIRECTIVE.match(lines[i]):
            i += 1
            continue
        i += 1
        body = []
        while i < len(lines) and (not lines[i].strip() or lines[i].startswith("    ")):
            body.append(lines[i])
            i += 1
        commands = [line[2:] for line in textwrap.dedent("\n".join(body)).splitlines()
                    if line.startswith("$ ")]
        blocks.append(commands)
    return blocks


def person(email, password, **kwargs):
    user = UserFactory(email=email, username=email.split("@")[0], **kwargs)
    user.set_password(password)
    user.save()
    return user


@pytest.fixture
def sandbox_people(settings):
    settings.OSCAR_MLM_CREDIT_AUTO_APPLY = True
    company = network.ensure_company()  # member 1
    anna = DistributorFactory(parent=company, handle="anna", user=person("anna@example.com",
                                                                         "anna"))  # 2
    ben = DistributorFactory(parent=anna, handle="ben", user=person("ben@example.com", "ben"))
    CustomerFactory(parent=ben)  # 4
    dora = CustomerFactory(parent=anna, user=person("dora@example.com", "dora"))  # 5
    person("admin@example.com", "admin", is_staff=True)
    assert dora.pk == 5
    oscar_factories.create_product(price=D("20.00"), num_in_stock=100)  # product 1
    credit.adjust(account=credit.open_account(dora.user, "EUR"), amount="10.00",
                  currency="EUR", reason="Welcome", created_by=None)
    vouchers.create_program(name="Welcome")
    return dora


def test_the_page_has_examples():
    blocks = console_blocks(PAGE.read_text())
    assert len(blocks) >= 5
    assert sum(len(b) for b in blocks) >= 12


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_every_curl_example_works(live_server, sandbox_people):
    for commands in console_blocks(PAGE.read_text()):
        script = "set -euo pipefail\n" + "\n".join(
            f"{command.replace(SANDBOX, live_server.url)}\necho" for command in commands
        )
        result = subprocess.run(["bash", "-c", script], capture_output=True, text=True,
                                timeout=120, check=False)
        assert result.returncode == 0, f"{script}\n{result.stdout}\n{result.stderr}"
    # What the examples did, in the database.
    order = Order.objects.get()
    assert order.sources.get().amount_debited == D("10.00")
    assert credit.available_credit(sandbox_people.user, "EUR") == D("5.00")  # +5 once
