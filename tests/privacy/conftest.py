from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.test import override_settings
from oscar.core.loading import get_model
from oscar.test.factories import ShippingAddressFactory, UserAddressFactory

from oscar_mlm.apps.mlm_credit import services as credit
from oscar_mlm.apps.mlm_network import services as network
from oscar_mlm.apps.mlm_vouchers import services as vouchers
from oscar_mlm.test.factories import DistributorFactory, UserFactory
from tests.vouchers.helpers import basket_with, place

Storefront = get_model("mlm_storefront", "Storefront")
Email = get_model("communication", "Email")

EMAIL = "zelda.quornfield@example.com"
FIRST, LAST = "Zelda", "Quornfield"
OLD_HANDLE, HANDLE = "zelda-quornfield", "zq-beauty"
# What must not be found anywhere after the erasure (case-insensitive).
TRACES = ["zelda", "quornfield", "zq-beauty"]


@pytest.fixture
def person(company):
    """Zelda: bought as a guest with Ben's code, then joined; a distributor with a renamed
    storefront, a code carrying her handle that a guest used, an order of her own, an
    address, credit, audit entries, an e-mail sent to her and an admin log line."""
    staff = UserFactory(is_staff=True, is_superuser=True, email="stella@example.com")
    ben = DistributorFactory(parent=company, handle="ben", user__first_name="Ben")
    program = vouchers.create_program(name="New customers 10%", value=D("10.00"))
    ben_code = vouchers.issue_voucher(member=ben, program=program)
    guest = AnonymousUser()
    guest_order = place(basket_with(guest, ben_code), guest, guest_email=EMAIL)

    zelda = DistributorFactory(
        parent=ben,
        handle=OLD_HANDLE,
        user__email=EMAIL,
        user__first_name=FIRST,
        user__last_name=LAST,
    )
    network.rename_handle(member=zelda, new_handle=HANDLE, changed_by=staff)
    zelda.refresh_from_db()
    Storefront.objects.update_or_create(
        member=zelda,
        defaults={
            "display_name": f"{FIRST} {LAST}",
            "greeting": f"Hello, I am {FIRST}!",
            "contact_line": f"Write to {EMAIL}",
        },
    )
    with override_settings(OSCAR_MLM_VOUCHER_CODE_PREFIX="handle"):
        code = vouchers.issue_voucher(member=zelda, program=program)
    assert code.voucher.code.startswith("ZQ-BEAUTY-")
    customer_order = place(basket_with(guest, code), guest, guest_email="gina@example.com")

    address = ShippingAddressFactory(first_name=FIRST, last_name=LAST, line1="Quornfield Lane 1")
    own_order = place(basket_with(zelda.user), user=zelda.user, shipping_address=address)
    UserAddressFactory(user=zelda.user, first_name=FIRST, last_name=LAST)

    account = credit.open_account(zelda.user, "EUR")
    credit.adjust(
        account=account,
        amount="5.00",
        currency="EUR",
        reason=f"Goodwill for {FIRST} {LAST}",
        created_by=staff,
    )
    network.assign_sponsor(
        member=zelda, new_sponsor=company, changed_by=staff, reason=f"{FIRST} asked to move"
    )
    Email.objects.create(user=zelda.user, email=EMAIL, subject=f"Welcome {FIRST}", body_text="Hi")
    LogEntry.objects.create(
        user=staff,
        content_type=ContentType.objects.get_for_model(zelda.user),
        object_id=str(zelda.user.pk),
        object_repr=EMAIL,
        action_flag=CHANGE,
        change_message=f"Changed {LAST}",
    )
    zelda.refresh_from_db()
    return SimpleNamespace(
        staff=staff,
        ben=ben,
        zelda=zelda,
        program=program,
        code=code,
        account=account,
        guest_order=guest_order,
        customer_order=customer_order,
        own_order=own_order,
    )
