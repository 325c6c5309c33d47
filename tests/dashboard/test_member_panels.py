"""The member page shows the member's volumes, credit ledger and voucher codes, and links
to the credit adjustment."""

from decimal import Decimal as D

import pytest

from oscar_mlm.apps.mlm_credit import services as credit
from oscar_mlm.apps.mlm_vouchers import services as vouchers
from tests.volumes.conftest import place_order, product

from .helpers import url

pytestmark = pytest.mark.django_db


def test_member_page_shows_volumes_credit_and_codes(staff_client, network, staff):
    anna = network.anna
    program = vouchers.create_program(name="New customers 10%", value=D("10.00"))
    code = vouchers.issue_voucher(member=anna, program=program)
    account = credit.open_account(anna.user, "EUR")
    credit.adjust(
        account=account, amount="7.50", currency="EUR", reason="Welcome gift", created_by=staff
    )
    place_order(network.dora.user, (product("40.00"), 1))

    html = staff_client.get(url("mlm-member-detail", pk=anna.pk)).content.decode()
    assert 'id="member-volumes"' in html
    volumes = html.split('id="member-volumes"')[1].split("</table>")[0]
    assert "40.00" in volumes  # Dora's order counts as Anna's own volume
    credit_panel = html.split('id="member-credit"')[1].split("</table>")[0]
    assert "Welcome gift" in credit_panel and "7.50" in credit_panel
    assert url("mlm-credit-adjust", user_pk=anna.user.pk) in credit_panel
    assert url("mlm-credit-account-detail", pk=account.pk) in credit_panel
    codes = html.split('id="member-voucher-codes"')[1].split("</table>")[0]
    assert code.voucher.code in codes


def test_a_customer_has_no_voucher_codes_panel(staff_client, network):
    html = staff_client.get(url("mlm-member-detail", pk=network.carl.pk)).content.decode()
    assert 'id="member-voucher-codes"' not in html
    assert 'id="member-credit"' in html and "No credit account yet." in html
    assert "Group volume" not in html
