"""Odd input to every URL and form field of the package never answers 500 and changes nothing.

The URLs are found in the resolver (``crawler.package_routes``), so URLs added
later are swept without editing this test. For each role (anonymous, customer,
distributor, staff) on the company site and on a storefront, every route gets:
odd values in its path converters, in each query parameter and in each POST
field it reads (recorded from the view itself and read from the forms it
renders). Each request runs in a savepoint that is rolled back, so one request
cannot change the next one's world; a request that refuses its input must not
have written to the database.
"""

import re
import sys
import traceback
from decimal import Decimal as D
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core.signals import got_request_exception
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model
from oscar.test import factories as oscar_factories

from oscar_mlm.apps.mlm_credit import services as credit
from oscar_mlm.apps.mlm_vouchers import services as vouchers
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory, UserFactory

from . import crawler

pytestmark = pytest.mark.django_db

CreditRule = get_model("mlm_credit", "CreditRule")
Storefront = get_model("mlm_storefront", "Storefront")
User = get_user_model()

COMPANY = "localhost"
STOREFRONT = "anna.localhost"
HOSTS = (COMPANY, STOREFRONT)

# What a browser, a script or an attacker may send. "²" passes str.isdigit() but not int();
# "١٢" passes both (int() reads Arabic-Indic digits); NUL bytes break PostgreSQL text.
ODD = [
    "²",
    "١٢",
    "\x00",
    "7\x00",
    "9" * 30,
    "9223372036854775808",
    "2147483648",
    "-1",
    "0",
    "",
    "1.5",
    "1e999",
    "NaN",
    "<script>alert(1)</script>",
    "x" * 3000,
]
# The smaller set tried in each query parameter and each field of a rendered form, the
# others left as they are (the full set goes into all of them at once).
ODD_EACH = ["²", "١٢", "\x00", "9" * 30, "-1", ""]
# What an int path converter lets through.
ODD_PATH_INT = ["9" * 30, "0", "9223372036854775808", "2147483648"]

# Writes a refused request may still make: the session, the basket Oscar opens lazily
# (and sorl-thumbnail's key-value store, a cache of image sizes).
WRITES_ALLOWED = {"django_session", "basket_basket", "thumbnail_kvstore"}


@pytest.fixture
def world(company, settings):
    settings.MIDDLEWARE = [crawler.MIDDLEWARE, *settings.MIDDLEWARE]
    settings.OSCAR_MLM_COMPANY_SIGNUP = "sponsor_id"
    anna = DistributorFactory(
        parent=company, handle="anna", user__email="anna@example.com", user__first_name="Anna"
    )
    Storefront.objects.create(member=anna, display_name="Anna's shop")
    DistributorFactory(parent=anna, handle="ben", user__email="ben@example.com")
    dora = CustomerFactory(parent=anna, user__email="dora@example.com", user__first_name="Dora")
    staff = UserFactory(is_staff=True, is_superuser=True, email="staff@example.com")
    vouchers.create_program(name="New customers", value=D("10.00"))
    vouchers.issue_voucher(member=anna)
    oscar_factories.CountryFactory(
        iso_3166_1_a2="DE", printable_name="Germany", is_shipping_country=True
    )
    product = oscar_factories.create_product(price=D("10.00"), num_in_stock=100)
    CreditRule.objects.create(product=product, type="fixed", value=D("1.00"))
    account = credit.open_account(dora.user, "EUR")
    credit.adjust(account=account, amount="5.00", currency="EUR", reason="gift", created_by=staff)
    oscar_factories.create_order(user=dora.user)
    oscar_factories.UserAddressFactory(user=dora.user, country__iso_3166_1_a2="DE")
    return {
        "users": {"customer": dora.user, "distributor": anna.user, "staff": staff},
        "product": product,
    }


def client_for(world, role):
    client = Client(raise_request_exception=False)
    user = world["users"].get(role)
    if user is not None:
        client.force_login(user)
        if role != "staff":
            ready_for_preview(client, world["product"])
    return client


def ready_for_preview(client, product):
    """A basket and a checkout session, so the checkout pages show their forms."""
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    client.post(
        reverse("checkout:shipping-address"),
        {
            "first_name": "Eva",
            "last_name": "Muster",
            "line1": "Hauptstr. 1",
            "line4": "Berlin",
            "postcode": "10115",
            "country": "DE",
        },
    )
    client.get(reverse("checkout:shipping-method"))


class Sweep:
    def __init__(self, client, role):
        self.client = client
        self.role = role
        self.failures = []
        self.requests = 0
        self.exception = None

    def note_exception(self, sender, request=None, **kwargs):
        self.exception = describe(sys.exc_info()[1])

    def send(self, method, path, data, host):
        """One request in a savepoint that is rolled back; records a 500 or a refused write."""
        self.requests += 1
        self.exception = None
        connection.queries_log.clear()
        with transaction.atomic():
            with CaptureQueriesContext(connection) as queries:
                response = getattr(self.client, method)(path, data, HTTP_HOST=host)
            transaction.set_rollback(True)
        where = f"{self.role} {method.upper()} {host}{path} {short(data)}"
        if response.status_code >= 500:
            self.failures.append(f"{where} -> {response.status_code}: {self.exception}")
            return response
        # A page accepts a post with a redirect; a JSON API (api/mlm/) with a 2xx answer.
        accepted = response.status_code in (301, 302, 303) or (
            response.get("Content-Type", "").startswith("application/json")
            and 200 <= response.status_code < 300
        )
        refused = method == "get" or not accepted
        writes = crawler.net_writes(queries.captured_queries) - WRITES_ALLOWED
        if refused and writes:
            self.failures.append(f"{where} -> {response.status_code} but wrote to {sorted(writes)}")
        return response


def describe(error):
    """The error and where it came from: the last frame in the package (or else the last)."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "/oscar_mlm/" in f.filename] or frames
    frame = ours[-1]
    text = f"{type(error).__name__}: {error}"
    return f"{text[:200]} at {frame.filename.split('site-packages/')[-1]}:{frame.lineno}"


def short(data):
    return {k: (v[:20] + "…" if len(v) > 20 else v) for k, v in (data or {}).items()}


def id_candidates(route):
    """Ids of existing rows: first of the models the route's name mentions, then the package's."""
    from django.apps import apps

    tokens = {t for t in re.split(r"[^a-z]+", route.name.lower()) if len(t) > 2}
    tokens |= {t for name in route.converters for t in name.split("_") if len(t) > 2}
    labels = crawler.package_labels()

    def rank(model):
        hits = sum(t in model._meta.model_name for t in tokens)
        return (-hits, model._meta.app_label not in labels)

    models = [m for m in apps.get_models() if m._meta.managed and rank(m) < (0, True)]
    seen = []
    for model in sorted(models, key=rank):
        for pk in model._default_manager.order_by("pk").values_list("pk", flat=True)[:2]:
            if pk not in seen:
                seen.append(pk)
    return seen


def real_path(route, client, host):
    """The route filled with ids of existing rows: the first this client's page shows."""
    if not route.converters:
        return route.path()
    first = None
    for tries, pk in enumerate(id_candidates(route)[:40]):
        path = route.path(**{name: pk for name in route.converters})
        with transaction.atomic():
            status = client.get(path, HTTP_HOST=host).status_code
            transaction.set_rollback(True)
        if status == 200:
            return path
        if status != 404:
            first = first or path
        if first and tries > 8:
            break  # refused whatever the id: a login redirect, a 403
    return first or path


@pytest.mark.parametrize("role", ["anonymous", "customer", "distributor", "staff"])
def test_odd_input_never_answers_500_and_changes_nothing(world, role):
    routes = crawler.package_routes()
    assert len(routes) > 20, routes  # the walk found the package's URLs
    client = client_for(world, role)
    sweep = Sweep(client, role)
    got_request_exception.connect(sweep.note_exception)
    try:
        for host in HOSTS:
            # Segments the converters refuse: the resolver's 404 page, once per host.
            for value in ODD:
                sweep.send("get", "/accounts/" + quote(value, safe="") + "/", {}, host)
        for route in routes:
            path = real_path(route, client, COMPANY)
            swept = sweep_route(sweep, route, path, COMPANY)
            # The storefront runs the same views: a shorter pass.
            sweep_route(sweep, route, path, STOREFRONT, skip_forms=swept)
    finally:
        got_request_exception.disconnect(sweep.note_exception)
    print(f"{role}: {sweep.requests} requests over {len(routes)} routes")
    assert not sweep.failures, f"{len(sweep.failures)} failures:\n" + "\n".join(sweep.failures)


def form_key(form):
    return (form.method, tuple(sorted(form.fields)), tuple(form.buttons))


def sweep_route(sweep, route, path, host, skip_forms=None):
    """Odd values into the route's path, query and form fields; returns the forms it swept.

    ``skip_forms`` (the forms swept on the other host) makes it a shorter second pass:
    only forms this host shows differently get each field swept alone.
    """
    page = sweep.send("get", path, {}, host)
    posted = sweep.send("post", path, {}, host)
    get_names = set(getattr(page, "recorded_keys", {}).get("GET", ()))
    post_names = set(getattr(posted, "recorded_keys", {}).get("POST", ()))
    forms = [f for f in crawler.forms_in(page, path) if f.path == path]
    for form in forms:
        (get_names if form.method == "get" else post_names).update(form.fields)
    get_names.discard("csrfmiddlewaretoken")
    post_names.discard("csrfmiddlewaretoken")
    refused = page.status_code != 200 and posted.status_code != 200

    for name, converter in route.converters.items():
        # Values the converter lets through: zero, past the integer columns, huge.
        values = ODD_PATH_INT if converter == "int" else ODD
        for value in values[:1] if refused else values:
            odd_path = route.path(**{n: value if n == name else 1 for n in route.converters})
            sweep.send("get", odd_path, {}, host)
            sweep.send("post", odd_path, {}, host)

    # Each odd value in every name at once...
    for method, names in (("get", get_names), ("post", post_names)):
        if names:
            for value in ODD:
                sweep.send(method, path, dict.fromkeys(sorted(names), value), host)
    # ...and in each name alone, the others left as the page has them.
    if skip_forms is None:
        for name in sorted(get_names):
            for value in ODD_EACH:
                sweep.send("get", path, {name: value}, host)
    swept = set(skip_forms or ())
    for form in forms:
        if form.method != "post" or form_key(form) in swept:
            continue
        swept.add(form_key(form))
        for button in form.buttons or [None]:
            base = dict(form.fields)
            names = [f for f in form.fields if f != "csrfmiddlewaretoken"]
            if button:
                base[button[0]] = button[1]
                names.append(button[0])  # a button's value may be an id
            for field in names:
                for value in ODD_EACH:
                    sweep.send("post", path, {**base, field: value}, host)
    return swept
