"""What a shop does right after following the install guide, run inside that project.

Started by test_install_guide.py as ``python scenario.py`` in the generated
project (settings ``shop.settings``); it imports nothing from the repository's
tests or sandbox. Staff set up what the dashboard would (a partner, a voucher
programme, a product, welcome credit) through the documented services; then,
through the shop's own URLs and hosts: a customer signs up on Anna's storefront,
Ben generates a voucher code in his account, and the customer orders with Ben's
code and her credit through Oscar's web checkout.
"""

import os
import sys
from decimal import Decimal as D

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402
from oscar.test.factories import create_product  # noqa: E402

from oscar_mlm.apps.mlm_credit import services as credit  # noqa: E402
from oscar_mlm.apps.mlm_network import services as network  # noqa: E402
from oscar_mlm.apps.mlm_vouchers import services as vouchers  # noqa: E402

setup_test_environment()  # the locmem mail outbox, response.context

Member = get_model("mlm_network", "Member")
Order = get_model("order", "Order")
Country = get_model("address", "Country")
DistributorVoucher = get_model("mlm_vouchers", "DistributorVoucher")
Redemption = get_model("mlm_vouchers", "Redemption")
User = get_model("auth", "User")

COMPANY = "www.shop.example"
PASSWORD = "a-Long-pass-123"


def check(condition, what):
    if not condition:
        sys.exit(f"FAILED: {what}")
    print(f"ok: {what}")


def distributor(handle, sponsor):
    member = network.create_person(
        email=f"{handle}@example.com",
        sponsor=sponsor,
        first_name=handle.title(),
        kind="distributor",
        handle=handle,
        send_welcome=False,
    )
    member.user.set_password(PASSWORD)
    member.user.save()
    return member


def logged_in(email):
    client = Client()
    check(client.login(username=email, password=PASSWORD), f"{email} logs in")
    return client


# -- staff, as they would in the dashboard ---------------------------------------------------
company = network.get_company()
anna = distributor("anna", company)
ben = distributor("ben", company)
vouchers.create_program(name="New customers 10%", value=D("10.00"))
product = create_product(price=D("40.00"), num_in_stock=10, title="Day cream")
Country.objects.create(
    iso_3166_1_a2="DE", iso_3166_1_a3="DEU", printable_name="Germany", is_shipping_country=True
)
staff = User.objects.create_user("staff", "staff@example.com", PASSWORD, is_staff=True)

# -- a sign-up on a storefront: no sponsor id, the storefront's owner is the sponsor ---------
visitor = Client()
page = visitor.get("/accounts/register/", HTTP_HOST="anna.shop.example")
check(
    page.status_code == 200 and b'name="sponsor_id"' not in page.content, "storefront sign-up page"
)
response = visitor.post(
    "/accounts/register/",
    {
        "first_name": "Dora",
        "last_name": "Doe",
        "email": "dora@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
    },
    HTTP_HOST="anna.shop.example",
)
check(response.status_code == 302, "sign-up on anna.shop.example")
dora = Member.objects.get(user__email="dora@example.com")
check((dora.parent, dora.attribution) == (anna, "storefront"), "Dora is Anna's customer")

# -- Ben generates a code in his account ----------------------------------------------------
ben_client = logged_in("ben@example.com")
check(
    ben_client.post("/accounts/vouchers/", {}, HTTP_HOST=COMPANY).status_code == 302,
    "Ben generates a voucher code",
)
code = DistributorVoucher.objects.get(issuer=ben).code
tabs = ben_client.get("/accounts/profile/", HTTP_HOST=COMPANY).content.decode()
check(
    all(f'href="{url}"' in tabs for url in ("/accounts/network/", "/accounts/vouchers/")),
    "Ben's account menu",
)

# -- Dora has credit and orders with Ben's code --------------------------------------------
currency = settings.OSCAR_DEFAULT_CURRENCY
account = credit.open_account(dora.user, currency)
credit.adjust(account=account, amount="5.00", currency=currency, reason="Welcome", created_by=staff)
shop = logged_in("dora@example.com")
check(
    shop.post(f"/basket/add/{product.pk}/", {"quantity": 1}, HTTP_HOST=COMPANY).status_code == 302,
    "basket",
)
shop.post("/basket/vouchers/add/", {"code": code.lower()}, HTTP_HOST=COMPANY)
address = {
    "first_name": "Dora",
    "last_name": "Muster",
    "line1": "Hauptstr. 1",
    "line4": "Berlin",
    "postcode": "10115",
    "country": "DE",
}
check(
    shop.post("/checkout/shipping-address/", address, HTTP_HOST=COMPANY).status_code == 302,
    "shipping address",
)
shop.get("/checkout/shipping-method/", HTTP_HOST=COMPANY, follow=True)
preview = shop.get("/checkout/preview/", HTTP_HOST=COMPANY)
check(preview.status_code == 200, "preview")
check(preview.context["basket"].total_discount == D("4.00"), "Ben's code takes 10 % off")
check(preview.context["mlm_credit"]["applied"] == D("5.00"), "the credit pays 5.00")
response = shop.post("/checkout/preview/", {"action": "place_order"}, HTTP_HOST=COMPANY)
check(response.status_code == 302 and "thank-you" in response["Location"], "order placed")

order = Order.objects.get(user=dora.user)
check(order.total_incl_tax == D("36.00"), "order total 36.00")
sources = {s.source_type.name: s.amount_debited for s in order.sources.all()}
check(sources.get("Loyalty credit") == D("5.00"), "5.00 paid with credit")
account.refresh_from_db()
check(account.balance == D("0.00") and credit.check_books() == [], "the books balance")
dora.refresh_from_db()
check(dora.parent == ben, "the voucher moved Dora to Ben")
check(Redemption.objects.filter(order=order).exists(), "the redemption is recorded")
print("SCENARIO OK")
