import datetime as dt
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.test import override_settings
from oscar.core.loading import get_model
from oscar.test.factories import ShippingAddressFactory, UserAddressFactory

from oscar_mlm.apps.mlm_backoffice import services as crm
from oscar_mlm.apps.mlm_commissions import services as commissions
from oscar_mlm.apps.mlm_credit import services as credit
from oscar_mlm.apps.mlm_network import services as network
from oscar_mlm.apps.mlm_vouchers import services as vouchers
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory, UserFactory
from tests.commissions.helpers import Book
from tests.statements.helpers import work_off_queue
from tests.vouchers.helpers import basket_with, place

Storefront = get_model("mlm_storefront", "Storefront")
Email = get_model("communication", "Email")

EMAIL = "zelda.quornfield@example.com"
FIRST, LAST = "Zelda", "Quornfield"
OLD_HANDLE, HANDLE = "zelda-quornfield", "zq-beauty"
# What must not be found anywhere after the erasure (case-insensitive).
TRACES = ["zelda", "quornfield", "zq-beauty"]


@pytest.fixture
def person(company, settings):
    """Zelda: bought as a guest with Ben's code, then joined; a distributor with a renamed
    storefront, a code carrying her handle that a guest used, an order of her own, an
    address, credit, audit entries, an e-mail sent to her and an admin log line; tax
    details, a closed commission period with her statement and credit note, queued runs
    whose results name her; CRM notes, a follow-up and a tag she wrote, a note of Ben's and
    a staff read that mention her."""
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
            "postcode": "10115",
            "city": "Berlin",
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
    business = _business(company, settings, staff, ben, zelda)
    zelda.refresh_from_db()
    return SimpleNamespace(
        **business,
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


def _business(company, settings, staff, ben, zelda):
    """Zelda's commissions (October 2025, closed from the dashboard's queue) and CRM."""
    settings.OSCAR_MLM_COMPANY_LEGAL_NAME = "Muster Vertrieb GmbH"
    settings.OSCAR_MLM_COMPANY_ADDRESS = ["Musterweg 5", "80331 München"]
    settings.OSCAR_MLM_COMPANY_VAT_ID = "DE999999999"
    get_model("address", "Country").objects.get_or_create(
        iso_3166_1_a2="DE", defaults={"name": "Germany", "printable_name": "Germany"}
    )
    book = Book(company)
    book.members.update(Ben=ben, Zelda=zelda)
    book.sale(9001, "100.00", buyer="Zelda", day="2025-10-10")
    commissions.create_plan(
        valid_from=dt.date(2025, 10, 1), levels=3, rates=["10", "5", "3"],
        own_volume_rate="5", minimum_own_volume="50",
    )  # fmt: skip
    commissions.save_tax_profile(
        zelda, tax_status="small_business", name=f"{FIRST} {LAST}",
        street="Quornfield Lane 1", postcode="10115", city="Berlin", country="DE",
        tax_number="21/815/08150", vat_id="",
    )  # fmt: skip
    october = commissions.month_period("2025-10")
    for action in ("run", "close"):  # as staff do from the dashboard
        commissions.queue_job(october, action, user=staff)
        assert work_off_queue() == 1
    note = commissions.credit_note_for(october, zelda)
    assert note is not None and note.name == f"{FIRST} {LAST}"

    gina = CustomerFactory(parent=zelda, user__first_name="Gina")
    crm.add_note(distributor=zelda, customer=gina, channel="call",
                 text=f"{FIRST} promised Gina a sample")  # fmt: skip
    crm.add_follow_up(distributor=zelda, customer=gina, due=dt.date(2026, 12, 1),
                      text=f"{FIRST} calls back")  # fmt: skip
    crm.set_tags(distributor=zelda, customer=gina, tags="zq-beauty fans")
    hugo = CustomerFactory(parent=ben, user__first_name="Hugo")
    bens_note = crm.add_note(distributor=ben, customer=hugo, channel="visit",
                             text=f"Hugo came through {FIRST}")  # fmt: skip
    crm.read_notes_as_staff(staff_user=staff, member=zelda, reason=f"{LAST} asked for help")
    return {
        "october": october,
        "october_order": book.orders[9001],
        "credit_note": note,
        "gina": gina,
        "bens_note": bens_note,
    }
