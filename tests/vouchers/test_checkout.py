"""A voucher rule that breaks between the basket and the order, through Oscar's checkout.

The customer sees why (not Oscar's "A problem occurred..."), keeps the basket with
the code, and nothing is booked: no order, no redemption, no sponsor change, and
credit spent on it is given back.
"""

import logging
from decimal import Decimal as D

import pytest
from oscar.core.loading import get_model

from oscar_mlm.apps.checkout.views import PaymentDetailsView
from oscar_mlm.apps.mlm_credit import services as credit
from oscar_mlm.apps.mlm_vouchers.exceptions import NotNewCustomer
from tests.credit.conftest import product_with_credit
from tests.credit.test_checkout import fund, go_to_preview, place

from .helpers import basket_with
from .helpers import place as place_directly

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
Redemption = get_model("mlm_vouchers", "Redemption")
SponsorChange = get_model("mlm_network", "SponsorChange")
CreditEntry = get_model("mlm_credit", "CreditEntry")


@pytest.fixture
def at_preview(client, newbie, code):
    """The new customer at the preview, the code's discount applied."""
    from oscar.test.factories import CountryFactory

    CountryFactory(iso_3166_1_a2="DE", printable_name="Germany", is_shipping_country=True)
    client.force_login(newbie.user)
    preview = go_to_preview(client, product_with_credit("40.00"), 1, voucher_code=code.code)
    assert preview.status_code == 200
    assert preview.context["basket"].total_discount == D("4.00")
    return preview.context["basket"]


def order_in_another_tab(monkeypatch, user):
    """While this order's payment is taken, the customer's first order lands from another tab."""
    rest_of_payment = PaymentDetailsView.handle_remaining_payment

    def pay_and_meanwhile(self, order_number, total, **kwargs):
        place_directly(basket_with(user), user)
        return rest_of_payment(self, order_number, total, **kwargs)

    monkeypatch.setattr(PaymentDetailsView, "handle_remaining_payment", pay_and_meanwhile)


def assert_refused_and_nothing_booked(response, basket, newbie, ben, caplog):
    assert response.status_code == 200  # the preview again
    page = response.content.decode()
    assert str(NotNewCustomer.default_message).replace("'", "&#x27;") in page
    assert "A problem occurred" not in page
    # Oscar logs a refused placement as such (the shop's own payment of the rest may
    # have been taken and needs a refund), never as an unhandled exception.
    logged = [r.getMessage() for r in caplog.records if r.name == "oscar.checkout"]
    assert [m for m in logged if "unable to place order" in m and "only for new" in m]
    assert not [m for m in logged if "unhandled exception" in m]
    # The basket is open again, with its line and the code.
    basket = Basket.objects.get(pk=basket.pk)
    assert basket.status == Basket.OPEN
    assert basket.num_lines == 1
    assert list(basket.vouchers.values_list("code", flat=True))
    # Only the order from the other tab exists; nothing of the voucher was booked.
    assert Order.objects.count() == 1
    assert not Order.objects.filter(basket_id=basket.pk).exists()
    assert not Redemption.objects.exists()
    assert not SponsorChange.objects.filter(source="voucher").exists()
    newbie.refresh_from_db()
    assert newbie.parent == ben


def test_a_broken_rule_at_placement_is_shown_and_the_basket_kept(
    client, at_preview, newbie, ben, monkeypatch, caplog
):
    order_in_another_tab(monkeypatch, newbie.user)
    with caplog.at_level(logging.WARNING):
        response = place(client)
    assert_refused_and_nothing_booked(response, at_preview, newbie, ben, caplog)


def test_credit_spent_on_the_refused_order_is_given_back(
    client, newbie, ben, code, monkeypatch, caplog
):
    account = fund(newbie.user, "5.00")
    from oscar.test.factories import CountryFactory

    CountryFactory(iso_3166_1_a2="DE", printable_name="Germany", is_shipping_country=True)
    client.force_login(newbie.user)
    preview = go_to_preview(client, product_with_credit("40.00"), 1, voucher_code=code.code)
    assert preview.context["mlm_credit"]["applied"] == D("5.00")
    order_in_another_tab(monkeypatch, newbie.user)
    with caplog.at_level(logging.WARNING):
        response = place(client)
    assert_refused_and_nothing_booked(response, preview.context["basket"], newbie, ben, caplog)
    account.refresh_from_db()
    assert account.balance == D("5.00")
    kinds = list(CreditEntry.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["adjusted", "spent", "returned"]
    assert credit.check_books() == []
