"""No English string of ours on German pages.

Two checks that catch different mistakes:

* the catalogue: every message of ``oscar_mlm/locale/de/.../django.po`` has a German
  translation that is neither empty nor fuzzy, with the same placeholders;
* the pages: every page of the package (and Oscar's pages we change) is rendered in German
  for a visitor, a customer, a distributor and staff, on the company site and on a
  storefront, while every translation lookup is recorded. A lookup that no German catalogue
  answers is a string of ours that ``makemessages`` never saw or nobody translated; Oscar's
  and Django's own gaps (strings in their catalogues without German) are theirs, not ours.

The browser test ``tests/e2e/test_german_checkout.py`` adds what lookups cannot see: text
that never went through a translation function (data such as a payment source's name).
"""

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from babel.messages.checkers import python_format
from babel.messages.pofile import read_po
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.translation import _trans, trans_real
from oscar.apps.partner.strategy import Selector
from oscar.core.loading import get_model
from oscar.test import factories as oscar_factories
from oscar.test.basket import add_product

from oscar_mlm.apps.mlm_backoffice import services as crm
from oscar_mlm.apps.mlm_commissions import services as commissions
from oscar_mlm.apps.mlm_credit import services as credit
from oscar_mlm.apps.mlm_credit.payment import credit_source_type
from oscar_mlm.apps.mlm_storefront.services import update_storefront
from oscar_mlm.apps.mlm_vouchers import services as vouchers
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory, UserFactory

from .german import OUR_PO, upstream_msgids

# Namespaces of the package's pages (the API answers JSON and is not a page).
OUR_NAMESPACES = {
    "mlm_network",
    "mlm_storefront",
    "mlm_vouchers",
    "mlm_credit",
    "mlm_commissions",
    "mlm_dashboard",
    "mlm_backoffice",
}
Basket = get_model("basket", "Basket")


# -- the catalogue ---------------------------------------------------------------------------


def our_catalogue():
    with OUR_PO.open("rb") as po:
        return read_po(po, locale="de")


def test_every_message_of_ours_has_a_german_translation():
    catalogue = our_catalogue()
    missing, fuzzy, bad_format = [], [], []
    for message in catalogue:
        if not message.id:
            continue  # the header
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(forms):
            missing.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
        try:
            python_format(catalogue, message)
        except Exception as error:  # babel's TranslationError
            bad_format.append((message.id, str(error)))
    assert missing == [], "untranslated: run makemessages and translate"
    assert fuzzy == [], "fuzzy: check the German and drop the fuzzy flag"
    assert bad_format == []


# -- the pages -------------------------------------------------------------------------------


@pytest.fixture
def lookups(monkeypatch):
    """Every translation lookup while German is active: (context, msgid, key in catalogue)."""
    seen = []

    def record(name, real):
        def spy(*args):
            if trans_real.get_language() == "de":
                if name == "gettext":
                    context, msgid, key = None, args[0], args[0]
                elif name == "pgettext":
                    context, msgid = args[0], args[1]
                    key = f"{context}\x04{msgid}"
                elif name == "ngettext":
                    context, msgid, key = None, args[0], (args[0], 0)
                else:  # npgettext
                    context, msgid = args[0], args[1]
                    key = (f"{context}\x04{msgid}", 0)
                if isinstance(msgid, str) and re.search("[A-Za-z]", msgid):
                    seen.append((context, msgid, key))
            return real(*args)

        return spy

    for name in ("gettext", "ngettext", "pgettext", "npgettext"):
        monkeypatch.setattr(_trans, name, record(name, getattr(trans_real, name)), raising=False)
    return seen


def untranslated(seen):
    catalogue = trans_real.translation("de")._catalog
    upstream = upstream_msgids()
    return sorted(
        {
            (context, msgid)
            for context, msgid, key in seen
            if key not in catalogue and (context, msgid) not in upstream
        },
        key=str,
    )


def our_url_names():
    """(namespace, name, route kwargs) of every page of the package."""

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace in OUR_NAMESPACES:
                yield namespace, pattern.name, sorted(pattern.pattern.converters)

    return sorted(set((ns, name, tuple(kw)) for ns, name, kw in walk(get_resolver().url_patterns)))


@pytest.fixture
def world(db, company, settings):
    settings.OSCAR_MLM_COMPANY_SIGNUP = "sponsor_id"
    staff = UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)
    anna = DistributorFactory(parent=company, handle="anna", user__first_name="Anna")
    update_storefront(member=anna, display_name="Annas Naturpflege", greeting="Hallo!")
    dora = CustomerFactory(parent=anna, user__first_name="Dora", user__email="dora@example.com")
    program = vouchers.create_program(name="Neukunden", value=D("10.00"))
    code = vouchers.issue_voucher(member=anna)
    product = oscar_factories.create_product(title="Tagescreme", price=D("10.00"), num_in_stock=9)
    account = credit.open_account(dora.user, "EUR")
    credit.adjust(account=account, amount="5.00", currency="EUR", reason="Gruß", created_by=staff)
    basket = Basket.objects.create(owner=dora.user)
    basket.strategy = Selector().strategy()
    add_product(basket, product=product, quantity=1)
    order = oscar_factories.create_order(basket=basket, user=dora.user)
    # The rest to pay by invoice: the customer's order page says so, staff may mark it paid.
    settings.OSCAR_MLM_PAYMENT_METHODS = ("oscar_mlm.apps.checkout.methods.Invoice",)
    order.sources.create(
        source_type=credit_source_type("Invoice"),
        currency=order.currency,
        amount_allocated=order.total_incl_tax,
        amount_debited=0,
    )
    # The back office: a plan (the estimate), a note, a follow-up due today, tags.
    commissions.create_plan(valid_from=dt.date(2020, 1, 1), levels=2, rates=["5", "3"],
                            own_volume_rate="2", minimum_own_volume="50")  # fmt: skip
    crm.add_note(distributor=anna, customer=dora, channel="call", text="Mag Rosen")
    follow_up = crm.add_follow_up(distributor=anna, customer=dora, due=timezone.localdate(),
                                  text="Anrufen")  # fmt: skip
    crm.set_tags(distributor=anna, customer=dora, tags="Stammkundin")
    # Commissions: a plan, this month run (Anna's statement), a queued preview, tax details.
    commissions.create_plan(valid_from=timezone.localdate().replace(day=1), levels=2,
                            rates=["10", "5"], own_volume_rate="5", minimum_own_volume="0")
    period = commissions.month_period(timezone.localdate())
    commissions.run_period(period)
    job = commissions.queue_job(period, "preview", user=staff)
    return {
        "follow_up": follow_up,
        "staff": staff,
        "anna": anna,
        "dora": dora,
        "program": program,
        "code": code,
        "product": product,
        "account": account,
        "order": order,
        "period": period,
        "job": job,
    }


def kwargs_for(name, converters, world):
    """Values for a page's URL; a new page with other arguments must be added here."""
    by_name = {
        "pk": {
            "mlm-credit-account-detail": world["account"].pk,
            "mlm-voucherprogram-update": world["program"].pk,
            "mlm-backoffice-node": world["anna"].pk,
            "mlm-backoffice-followup-done": world["follow_up"].pk,
            **{
                f"mlm-backoffice-{page}": world["dora"].pk
                for page in ("member", "customer", "note-create", "followup-create",
                             "customer-tags")
            },  # fmt: skip
            "mlm-commission-job-detail": world["job"].pk,
            **{
                name: world["period"].pk
                for name in (
                    "mlm-commission-period-detail",
                    "mlm-commission-job-create",
                    "mlm-commission-whatif",
                    "mlm-commission-payout-export",
                    "mlm-commission-statement-detail",
                    "mlm-commission-statement-export",
                    "mlm-commission-statement-pdf",
                )
            },
        },
        "number": world["order"].number,
        "period_pk": world["period"].pk,
        "member_pk": world["anna"].pk,
        "node_pk": world["dora"].pk,  # in Anna's downline (the staff tree around her)
        "user_pk": world["dora"].user.pk,
        "product_pk": world["product"].pk,
        "class_pk": world["product"].product_class_id,
    }
    values = {}
    for kwarg in converters:
        value = by_name.get(kwarg)
        if isinstance(value, dict):
            # Member pages and the voucher report per partner take a member's pk.
            value = value.get(
                name, world["anna"].pk if "member" in name or "distributor" in name else None
            )
        assert value is not None, f"tests/test_german_pages.py: give {name} a value for {kwarg}"
        values[kwarg] = value
    return values


def visit(client, url, host="localhost", method="get"):
    response = getattr(client, method)(url, HTTP_HOST=host, follow=True)
    assert response.status_code < 500, url
    return response


def test_the_package_pages_have_no_untranslated_string_of_ours(client, world, lookups):
    client.cookies["django_language"] = "de"
    pages = [
        reverse(f"{ns}:{name}", kwargs=kwargs_for(name, converters, world))
        for ns, name, converters in our_url_names()
        # CSV downloads (streamed, so nothing is looked up here): the ledger's is checked
        # with the ledger, the commission CSVs in tests/statements. PDFs are rendered.
        if name != "mlm-credit-export" and not name.endswith("-export")
    ]
    assert len(pages) > 30
    # Oscar's pages we change or add to.
    order = world["order"]
    pages += [
        "/accounts/",
        reverse("customer:order", kwargs={"order_number": order.number}),
        "/basket/",
        "/catalogue/",
        world["product"].get_absolute_url(),
        f"/dashboard/catalogue/products/{world['product'].pk}/",
        f"/dashboard/orders/{order.number}/",
    ]
    roles = [None, world["dora"].user, world["anna"].user, world["staff"]]
    for user in roles:
        client.logout()
        if user is not None:
            client.force_login(user)
        client.cookies["django_language"] = "de"
        for page in pages:
            visit(client, page)
        # The storefront: customer link, then partner link (the mode stays for the visit).
        for page in ("/", "/accounts/register/", "/join/", "/", "/accounts/register/"):
            visit(client, page, host="anna.localhost")
        # Forms sent empty show their error messages.
        for page in (
            "/accounts/register/",
            reverse("mlm_network:mlm-network-signup"),
            reverse("mlm_storefront:mlm-storefront-edit"),
            reverse("mlm_dashboard:mlm-member-create"),
            reverse("mlm_dashboard:mlm-voucherprogram-create"),
            reverse("mlm_dashboard:mlm-credit-adjust", kwargs={"user_pk": world["dora"].user.pk}),
            reverse("mlm_backoffice:mlm-backoffice-note-create", kwargs={"pk": world["dora"].pk}),
            reverse("mlm_backoffice:mlm-backoffice-followup-create",
                    kwargs={"pk": world["dora"].pk}),  # fmt: skip
            reverse("mlm_dashboard:mlm-commission-plan-create"),
            reverse("mlm_dashboard:mlm-commission-period-create"),
            reverse("mlm_commissions:mlm-tax-profile"),
            # Staff (the last role) mark the invoice paid: the message on Oscar's order page.
            reverse("mlm_dashboard:mlm-order-mark-paid", kwargs={"number": order.number}),
            # Staff read Anna's CRM notes (logged): the notes' tables.
            reverse("mlm_dashboard:mlm-member-notes", kwargs={"pk": world["anna"].pk}),
        ):
            visit(client, page, method="post")
        # A voucher code in the basket.
        client.post("/basket/vouchers/add/", {"code": world["code"].code}, follow=True)
        visit(client, "/basket/")

    assert lookups, "no lookups recorded: the spy is not in place"
    assert untranslated(lookups) == []


def test_the_check_catches_a_string_nobody_translated(client, world, lookups):
    """The spy works: a message that is in no catalogue is reported."""
    from django.utils.translation import gettext, override

    with override("de"):
        gettext("A sentence nobody has translated yet")
        gettext("My credit")

    assert untranslated(lookups) == [(None, "A sentence nobody has translated yet")]
