"""Oscar's order pages in the customer's language: the status, and the credit paid."""

import re
from decimal import Decimal as D

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from .conftest import place_order, product_with_credit

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")


def status_on(html):
    match = re.search(r"<h[23]>\s*Status\s*</h[23]>\s*(?:</div>)?\s*<p>(.*?)</p>", html, re.S)
    return match.group(1).strip()


@pytest.mark.parametrize(
    "status, english, german",
    [
        ("Pending", "Pending", "Ausstehend"),
        ("Being processed", "Being processed", "In Bearbeitung"),
        ("Complete", "Complete", "Abgeschlossen"),
        ("Cancelled", "Cancelled", "Storniert"),
        ("On hold", "On hold", "On hold"),  # a shop's own name: shown as it is
    ],
)
def test_the_order_status_reads_in_the_customers_language(
    client, customer, status, english, german
):
    order = place_order(customer, (product_with_credit("10.00"), 1))
    Order.objects.filter(pk=order.pk).update(status=status)
    client.force_login(customer)
    url = reverse("customer:order", kwargs={"order_number": order.number})

    assert status_on(client.get(url).content.decode()) == english
    client.cookies["django_language"] = "de"
    assert status_on(client.get(url).content.decode()) == german


def test_the_guests_order_page_shows_the_status_in_german_too(client):
    order = place_order(None, (product_with_credit("10.00"), 1))
    Order.objects.filter(pk=order.pk).update(guest_email="guest@example.com", status="Pending")
    session = client.session
    session["anon_order_email"] = "guest@example.com"  # as Oscar's order-status form sets it
    session.save()
    client.cookies["django_language"] = "de"
    url = reverse(
        "customer:anon-order",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )

    assert status_on(client.get(url).content.decode()) == "Ausstehend"


def test_the_page_around_the_status_is_oscars(client, customer):
    order = place_order(customer, (product_with_credit("12.34"), 1))
    client.force_login(customer)
    client.cookies["django_language"] = "de"

    html = client.get(reverse("customer:order", kwargs={"order_number": order.number}))

    # Lines, totals and actions still render through the wrapped order.
    assert order.lines.get().title in html.content.decode()
    assert "12,34" in html.content.decode()
    assert html.context["order"].pk == order.pk
    assert D(html.context["order"].total_incl_tax) == order.total_incl_tax
