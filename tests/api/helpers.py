from decimal import Decimal as D

from oscar.core.loading import get_model
from oscar.test import factories as oscar_factories

from oscar_mlm.apps.mlm_credit import services as credit

CreditRule = get_model("mlm_credit", "CreditRule")


def product(price="10.00", credit_value=None):
    item = oscar_factories.create_product(price=D(price), num_in_stock=1000)
    if credit_value is not None:
        CreditRule.objects.create(product=item, type="fixed", value=D(credit_value))
    return item


def fund(user, amount, currency="EUR"):
    account = credit.open_account(user, currency)
    credit.adjust(account=account, amount=amount, currency=currency, reason="gift", created_by=None)
    return account


def fill_basket(client, item, quantity=1):
    """oscarapi's add-product; the basket's URL."""
    response = client.post(
        "/api/basket/add-product/",
        {"url": f"http://testserver/api/products/{item.pk}/", "quantity": quantity},
        format="json",
    )
    assert response.status_code == 200, response.content
    return response.json()["url"]


def checkout(client, basket_url, headers=None, **fields):
    body = {"basket": basket_url, **fields}
    return client.post("/api/checkout/", body, format="json", **(headers or {}))
