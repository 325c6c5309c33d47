"""The web checkout captures the storefront of an order; the records see what placement saw."""

from decimal import Decimal as D

import pytest
from oscar.core.loading import get_model

from oscar_mlm.apps.checkout.views import PaymentDetailsView
from oscar_mlm.apps.mlm_credit import services as credit
from oscar_mlm.apps.mlm_vouchers import services as vouchers
from oscar_mlm.test.factories import CustomerFactory

from .conftest import ANNA_HOST, COMPANY_HOST, go_to_preview, place, product, record

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
VolumeRecord = get_model("mlm_commissions", "VolumeRecord")
Member = get_model("mlm_network", "Member")


@pytest.fixture(autouse=True)
def shop(germany, settings):
    settings.OSCAR_ALLOW_ANON_CHECKOUT = True


def test_a_guest_order_on_a_storefront_belongs_to_its_owner(client, anna):
    go_to_preview(client, product("12.00"), host=ANNA_HOST, guest_email="Guest@Example.com")
    place(client, ANNA_HOST)
    r = record(Order.objects.get())
    assert (r.buyer_kind, r.owner, r.owned_by, r.storefront) == ("guest", anna, "storefront", anna)
    assert (r.value, r.volume, r.guest_email) == (D("12.00"), D("12.00"), "guest@example.com")


def test_a_guest_who_visited_a_storefront_belongs_to_it_on_the_company_site(client, anna, ben):
    client.get("/", HTTP_HOST="ben.localhost:8000")
    assert client.cookies["mlm_ref"].value
    go_to_preview(client, product(), host=COMPANY_HOST, guest_email="guest@example.com")
    place(client, COMPANY_HOST)
    r = record(Order.objects.get())
    assert (r.owner, r.owned_by, r.storefront) == (ben, "cookie", None)


def test_a_guest_on_the_company_site_without_a_visit_belongs_to_the_company(client, company):
    go_to_preview(client, product(), guest_email="guest@example.com")
    place(client)
    r = record(Order.objects.get())
    assert (r.owner, r.owned_by) == (company, "company")


def test_a_customer_on_another_storefront_still_belongs_to_their_sponsor(client, anna, ben, dora):
    client.force_login(dora.user)
    go_to_preview(client, product(), host="ben.localhost:8000")
    place(client, "ben.localhost:8000")
    r = record(Order.objects.get())
    assert (r.buyer, r.owner, r.owned_by, r.storefront) == (dora, anna, "sponsor", ben)


def test_paying_with_credit_does_not_reduce_volume(client, anna, dora):
    account = credit.open_account(dora.user, "EUR")
    credit.adjust(account=account, amount="7.00", currency="EUR", reason="gift", created_by=None)
    client.force_login(dora.user)
    preview = go_to_preview(client, product("10.00"), quantity=2)
    assert preview.context["mlm_credit"]["applied"] == D("7.00")
    place(client)
    order = Order.objects.get()
    assert order.sources.get().amount_debited == D("7.00")
    r = record(order)
    assert r.value == r.volume == D("20.00")


@pytest.fixture
def program(db):
    return vouchers.create_program(name="New customers 10%", value=D("10.00"))


def test_a_voucher_that_moves_the_buyer_makes_its_issuer_the_owner(client, anna, ben, program):
    """The reassignment happens inside the order transaction, before the record is written:
    the buyer becomes the issuer's customer with this very order, so the issuer owns it."""
    nina = CustomerFactory(parent=ben, user__email="nina@example.com")
    code = vouchers.issue_voucher(member=anna)
    client.force_login(nina.user)
    go_to_preview(client, product("50.00"), code=code.code)
    place(client)
    nina.refresh_from_db()
    assert nina.parent == anna
    r = record(Order.objects.get())
    assert (r.buyer, r.sponsor, r.owner, r.owned_by) == (nina, anna, anna, "sponsor")
    assert r.value == r.volume == D("45.00")  # net of the voucher's 10 %


def test_a_guest_with_a_voucher_on_the_company_site_belongs_to_its_issuer(client, anna, program):
    code = vouchers.issue_voucher(member=anna)
    go_to_preview(client, product("50.00"), code=code.code, guest_email="new@example.com")
    place(client)
    r = record(Order.objects.get())
    assert (r.buyer_kind, r.owner, r.owned_by) == ("guest", anna, "voucher")


def test_the_storefront_beats_the_voucher_for_a_guest(client, anna, ben, program):
    code = vouchers.issue_voucher(member=ben)
    go_to_preview(
        client, product("50.00"), host=ANNA_HOST, code=code.code, guest_email="new@example.com"
    )
    place(client, ANNA_HOST)
    r = record(Order.objects.get())
    assert (r.owner, r.owned_by, r.storefront) == (anna, "storefront", anna)


def test_a_placement_that_fails_after_the_signal_leaves_neither_order_nor_records(
    client, anna, dora, monkeypatch
):
    def broken(self, order):
        raise RuntimeError("payment details could not be saved")

    monkeypatch.setattr(PaymentDetailsView, "save_payment_details", broken)
    client.force_login(dora.user)
    go_to_preview(client, product(), quantity=1)
    client.raise_request_exception = False
    response = client.post("/checkout/preview/", {"action": "place_order"}, HTTP_HOST=COMPANY_HOST)
    assert response.status_code == 200  # Oscar shows the preview again with an error
    assert not Order.objects.exists()
    assert not VolumeRecord.objects.exists()


def test_the_placement_context_is_gone_after_the_checkout(client, anna):
    from oscar_mlm.placement import current_placement

    go_to_preview(client, product(), host=ANNA_HOST, guest_email="guest@example.com")
    place(client, ANNA_HOST)
    assert record(Order.objects.get()).storefront == anna
    assert current_placement() is None
