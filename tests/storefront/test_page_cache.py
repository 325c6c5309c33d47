"""The page cache for anonymous pages (oscar_mlm.apps.mlm_storefront.cache).

Shared per host and language; nothing of one visitor (CSRF token, session,
basket, attribution, recently viewed products) reaches another; logged-in
users, visitors with a basket and the partner link are never served a shared page.
"""

import json
import re
import time
from decimal import Decimal as D

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.test import Client, RequestFactory
from oscar.core.loading import get_model
from oscar.test import factories as oscar_factories

from oscar_mlm.apps.mlm_storefront import attribution
from oscar_mlm.apps.mlm_storefront import cache as page_cache
from oscar_mlm.apps.mlm_storefront import services as storefront_services
from oscar_mlm.apps.mlm_storefront.context import StorefrontContext
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory

pytestmark = pytest.mark.django_db

Storefront = get_model("mlm_storefront", "Storefront")
ProductRecord = get_model("analytics", "ProductRecord")
Product = get_model("catalogue", "Product")

CATALOGUE = "/catalogue/"
COMPANY = "localhost"
ANNA = "anna.localhost"
BEN = "ben.localhost"
UPDATE = "oscar_mlm.apps.mlm_storefront.cache.UpdateCacheMiddleware"
FETCH = "oscar_mlm.apps.mlm_storefront.cache.FetchFromCacheMiddleware"


def with_page_cache(middleware):
    """``middleware`` with the page cache where docs/hosting.rst puts it (the sandbox has it)."""
    middleware = [name for name in middleware if name not in (UPDATE, FETCH)]
    middleware.insert(
        middleware.index("django_hosts.middleware.HostsRequestMiddleware") + 1, UPDATE
    )
    middleware.insert(middleware.index("django_hosts.middleware.HostsResponseMiddleware"), FETCH)
    return middleware


@pytest.fixture
def cached(settings, tmp_path):
    settings.MIDDLEWARE = with_page_cache(settings.MIDDLEWARE)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"page-cache-{time.monotonic_ns()}",
        }
    }
    settings.CACHE_MIDDLEWARE_SECONDS = 300
    settings.OSCAR_MLM_SIGNUP_RESOLVERS = [
        "oscar_mlm.apps.mlm_storefront.signup.storefront_signup",
        "oscar_mlm.apps.mlm_storefront.signup.attribution_signup",
    ]
    yield settings
    caches["default"].clear()


@pytest.fixture
def shop(company, cached):
    anna = DistributorFactory(parent=company, handle="anna", user__first_name="Anna")
    Storefront.objects.create(member=anna, display_name="Anna's corner")
    ben = DistributorFactory(parent=company, handle="ben", user__first_name="Ben")
    Storefront.objects.create(member=ben, display_name="Ben's corner")
    product = oscar_factories.create_product(title="Aloe cream", price=D("10.00"), num_in_stock=100)
    return {"anna": anna, "ben": ben, "product": product}


def visitor(**kwargs):
    return Client(**kwargs)


def get(client, host, path=CATALOGUE, **extra):
    return client.get(path, HTTP_HOST=host, **extra)


def hit(response):
    return getattr(response.wsgi_request, "mlm_page_cache_hit", False)


def banner(response):
    found = re.search(rb'id="storefront-banner" data-handle="([^"]*)"', response.content)
    return found.group(1).decode() if found else None


def tokens(response):
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()))


def test_an_anonymous_page_is_served_from_the_cache_per_host(shop):
    for host, handle in ((ANNA, "anna"), (BEN, "ben"), (COMPANY, None)):
        first = get(visitor(), host)
        assert not hit(first)
        assert banner(first) == handle
    # Other visitors, other cookie jars: each host its own stored page.
    Product.objects.filter(pk=shop["product"].pk).update(title="Renamed cream")
    for host, handle in ((ANNA, "anna"), (BEN, "ben"), (COMPANY, None)):
        again = get(visitor(), host)
        assert hit(again)
        assert banner(again) == handle
        assert b"Aloe cream" in again.content  # the stored copy


def test_a_storefront_edit_shows_at_once(shop, settings):
    settings.OSCAR_MLM_STOREFRONT_CACHE_SECONDS = 30  # the lookup cache, dropped on save
    get(visitor(), ANNA)
    get(visitor(), BEN)
    assert hit(get(visitor(), ANNA))
    storefront_services.update_storefront(member=shop["anna"], display_name="Anna's new corner")
    page = get(visitor(), ANNA)
    assert not hit(page)
    assert b"Anna&#x27;s new corner" in page.content
    assert hit(get(visitor(), ANNA))
    assert hit(get(visitor(), BEN))  # the other storefronts keep theirs


def test_languages_are_kept_apart(shop):
    english = get(visitor(), ANNA, HTTP_ACCEPT_LANGUAGE="en")
    german = get(visitor(), ANNA, HTTP_ACCEPT_LANGUAGE="de")
    assert not hit(german)  # not the English page
    assert english["Content-Language"] == "en" and german["Content-Language"] == "de"
    assert b"Your consultant" in english.content
    assert b"Ihr Berater" in german.content or b"Ihre Beraterin" in german.content
    by_cookie = visitor()
    by_cookie.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "de"
    again = get(by_cookie, ANNA, HTTP_ACCEPT_LANGUAGE="en")
    assert hit(again) and again["Content-Language"] == "de"
    assert hit(get(visitor(), ANNA, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9"))


def test_each_visitor_gets_an_own_csrf_token_that_posts(shop):
    product = shop["product"]
    first, second = visitor(enforce_csrf_checks=True), visitor(enforce_csrf_checks=True)
    page = get(first, ANNA)
    cached_page = get(second, ANNA)
    assert hit(cached_page)
    assert page_cache.csrf_placeholder().encode() not in cached_page.content
    mine, theirs = tokens(cached_page), tokens(page)
    assert mine and theirs and not mine & theirs
    # The cached page set this visitor's CSRF cookie, and its token goes with it.
    assert django_settings.CSRF_COOKIE_NAME in cached_page.cookies
    add = f"/basket/add/{product.pk}/"
    refused = second.post(
        add, {"quantity": 1, "csrfmiddlewaretoken": next(iter(theirs))}, HTTP_HOST=ANNA
    )
    assert refused.status_code == 403
    added = second.post(
        add, {"quantity": 1, "csrfmiddlewaretoken": next(iter(mine))}, HTTP_HOST=ANNA
    )
    assert added.status_code == 302


def test_a_cached_page_keeps_the_visitors_csrf_cookie(shop):
    get(visitor(), ANNA)
    returning = visitor(enforce_csrf_checks=True)
    first = get(returning, ANNA, path="/")  # a redirect: sets no CSRF cookie
    page = get(returning, ANNA)
    assert hit(page)
    secret = page.cookies[django_settings.CSRF_COOKIE_NAME].value
    again = get(returning, ANNA)
    assert hit(again)
    assert returning.cookies[django_settings.CSRF_COOKIE_NAME].value == secret
    assert first.status_code == 302


def test_a_basket_never_leaks_into_the_shared_page(shop):
    product = shop["product"]
    get(visitor(), ANNA)  # the shared page
    buyer = visitor()
    buyer.post(f"/basket/add/{product.pk}/", {"quantity": 1}, HTTP_HOST=ANNA)
    assert django_settings.OSCAR_BASKET_COOKIE_OPEN in buyer.cookies
    own = get(buyer, ANNA)
    assert not hit(own) and not own.wsgi_request.mlm_page_cache  # not even looked up
    assert own.wsgi_request.basket.num_items == 1
    other = get(visitor(), ANNA)
    assert hit(other)
    assert other.wsgi_request.basket.num_items == 0
    assert not {
        django_settings.SESSION_COOKIE_NAME,
        django_settings.OSCAR_BASKET_COOKIE_OPEN,
    } & set(other.cookies)
    assert mini_basket(own) != mini_basket(other)
    # Nor is the buyer's page stored for anyone.
    assert mini_basket(get(visitor(), ANNA)) == mini_basket(other)


def mini_basket(response):
    """The header's basket total and quick list."""
    html = response.content.decode()
    start = html.index('class="basket-mini')
    return re.sub(r"\s+", " ", html[start : start + 3000])


def test_a_post_neither_gets_nor_fills_a_shared_page(shop):
    register = "/accounts/register/"
    assert get(visitor(), ANNA, path=register).status_code == 200  # stored
    posted = visitor().post(register, {"email": "not-an-address"}, HTTP_HOST=ANNA)
    assert posted.status_code == 200
    assert not hit(posted) and not posted.wsgi_request.mlm_page_cache
    assert b"Enter a valid email address" in posted.content
    again = get(visitor(), ANNA, path=register)
    assert hit(again)
    assert b"Enter a valid email address" not in again.content


def test_a_logged_in_user_never_gets_the_anonymous_page(shop):
    customer = CustomerFactory(parent=shop["anna"], user__first_name="Dora")
    get(visitor(), ANNA)
    get(visitor(), COMPANY)
    client = visitor()
    client.force_login(customer.user)
    for host in (ANNA, COMPANY):
        page = get(client, host)
        assert not hit(page) and not page.wsgi_request.mlm_page_cache
        assert page.wsgi_request.user == customer.user
        assert b"/accounts/logout/" in page.content
    # Nor is a logged-in user's page shared.
    assert b"/accounts/logout/" not in get(visitor(), ANNA).content


def test_the_partner_link_is_never_the_cached_customer_link(shop):
    get(visitor(), ANNA)
    client = visitor()
    opportunity = get(client, ANNA, path="/join/")
    assert opportunity.status_code == 200 and not hit(opportunity)
    page = get(client, ANNA)
    assert not hit(page)
    assert b'id="storefront-opportunity"' in page.content
    assert b'id="storefront-opportunity"' not in get(visitor(), ANNA).content


def attribution_of(client):
    """The storefront the visitor's attribution cookie names (read as the shop reads it)."""
    request = RequestFactory().get("/")
    request.COOKIES = {name: morsel.value for name, morsel in client.cookies.items()}
    found = attribution.read(request)
    return found[0] if found else None


def test_a_storefront_page_from_the_cache_still_attributes_the_visitor(shop):
    get(visitor(), ANNA)
    newcomer = visitor()
    page = get(newcomer, ANNA)
    assert hit(page)
    assert attribution_of(newcomer) == "anna"
    # First storefront wins, cached page or not.
    get(newcomer, BEN)
    page = get(newcomer, BEN)
    assert hit(page)
    assert attribution_of(newcomer) == "anna"


def test_a_page_that_reads_the_attribution_is_kept_apart(shop, settings):
    settings.OSCAR_MLM_COMPANY_SIGNUP = "sponsor_id"
    plain = get(visitor(), COMPANY, path="/accounts/register/")
    assert plain.status_code == 200
    assert b"Anna" not in plain.content
    attributed = visitor()
    get(attributed, ANNA)
    page = get(attributed, COMPANY, path="/accounts/register/")
    assert not hit(page)
    assert b"Anna" in page.content
    # Made from the visitor's own cookie: not stored, not even for this visitor.
    assert not hit(get(attributed, COMPANY, path="/accounts/register/"))
    # The other way round: an attributed visitor's page is not stored for anyone.
    assert b"Anna" not in get(visitor(), COMPANY, path="/accounts/register/").content


def test_a_product_page_from_the_cache_still_counts_as_viewed(shop):
    product = shop["product"]
    url = product.get_absolute_url()
    get(visitor(), ANNA, path=url)
    newcomer = visitor()
    page = get(newcomer, ANNA, path=url)
    assert hit(page)
    history = newcomer.cookies[django_settings.OSCAR_RECENTLY_VIEWED_COOKIE_NAME].value
    assert json.loads(history) == [product.pk]
    assert ProductRecord.objects.get(product=product).num_views == 2
    assert page_cache.PRODUCT_HEADER not in page
    # With a history the page shows other products viewed: not the shared one.
    assert not hit(get(newcomer, ANNA, path=url))


def test_responses_are_private_and_vary_on_cookie(shop):
    get(visitor(), ANNA)
    page = get(visitor(), ANNA)
    assert hit(page)
    assert "private" in page["Cache-Control"] and "no-cache" in page["Cache-Control"]
    vary = {v.strip().lower() for v in page["Vary"].split(",")}
    assert "cookie" in vary
    assert not any(v.startswith(page_cache.COOKIE_VARY_PREFIX.lower()) for v in vary)


def test_a_shared_cache_serves_every_process(shop, settings, tmp_path):
    """Two handlers (two middleware chains, as in two processes) on one file-based cache."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "pages"),
        }
    }
    one, two = visitor(enforce_csrf_checks=True), visitor(enforce_csrf_checks=True)
    assert not hit(get(one, ANNA))
    page = get(two, ANNA)
    assert hit(page) and banner(page) == "anna"
    token = next(iter(tokens(page)))
    added = two.post(
        f"/basket/add/{shop['product'].pk}/",
        {"quantity": 1, "csrfmiddlewaretoken": token},
        HTTP_HOST=ANNA,
    )
    assert added.status_code == 302


@pytest.mark.parametrize(
    "method, cookies, headers, shares",
    [
        ("GET", {}, {}, True),
        ("HEAD", {}, {}, True),
        (
            "GET",
            {"csrftoken": "x", "mlm_ref": "x", "django_language": "de", "other": "x"},
            {},
            True,
        ),
        ("POST", {}, {}, False),
        ("GET", {"sessionid": "x"}, {}, False),
        ("GET", {"oscar_open_basket": "x"}, {}, False),
        ("GET", {"messages": "x"}, {}, False),
        ("GET", {}, {"HTTP_AUTHORIZATION": "Basic eDp4"}, False),
    ],
)
def test_who_shares_pages(settings, method, cookies, headers, shares):
    request = RequestFactory().generic(method, "/", **headers)
    request.COOKIES = cookies
    assert page_cache.shares_pages(request) is shares


def test_a_page_for_an_authenticated_user_is_never_stored(rf, settings):
    """However the user got authenticated (no session cookie needed, e.g. a remote user)."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    middleware = page_cache.UpdateCacheMiddleware(lambda request: HttpResponse("page"))
    request = rf.get("/")
    request.COOKIES = page_cache.WatchedCookies()
    request.user = AnonymousUser()
    assert middleware.shareable(request, HttpResponse("page"), set())
    request.user = CustomerFactory().user
    assert not middleware.shareable(request, HttpResponse("page"), set())


def check_ids(settings):
    from oscar_mlm.apps.mlm_storefront.checks import check_page_cache

    return [message.id for message in check_page_cache(None)]


def test_the_sandbox_order_passes_the_checks(settings):
    assert check_ids(settings) == []


def without(name):
    return lambda middleware: [m for m in middleware if m != name]


def moved(name, before):
    """``name`` moved right before ``before`` (None: to the end)."""

    def change(middleware):
        rest = [m for m in middleware if m != name]
        index = rest.index(before) if before else len(rest)
        return rest[:index] + [name] + rest[index:]

    return change


GZIP = "django.middleware.gzip.GZipMiddleware"
SESSION = "django.contrib.sessions.middleware.SessionMiddleware"


@pytest.mark.parametrize(
    "change, expected",
    [
        (without(FETCH), "oscar_mlm.E211"),
        (without(UPDATE), "oscar_mlm.E211"),
        (moved(FETCH, None), None),  # last is right too
        (moved(UPDATE, None), "oscar_mlm.E212"),
        (moved(FETCH, SESSION), "oscar_mlm.E212"),
        (lambda m: m + [GZIP], "oscar_mlm.E213"),
        (lambda m: [GZIP] + m, None),
    ],
)
def test_a_misplaced_page_cache_is_refused(settings, change, expected):
    settings.MIDDLEWARE = change(with_page_cache(settings.MIDDLEWARE))
    assert check_ids(settings) == ([expected] if expected else [])


def test_csrf_in_sessions_is_warned_about(settings):
    settings.MIDDLEWARE = with_page_cache(settings.MIDDLEWARE)
    settings.CSRF_USE_SESSIONS = True
    assert check_ids(settings) == ["oscar_mlm.W211"]


def test_what_answers_before_the_page_cache_is_left_alone(shop, rf):
    """A static file served early (WhiteNoise) keeps its caching headers and gets no cookie."""
    from django.http import HttpResponse

    static = HttpResponse(b"body{}", content_type="text/css")
    static["Cache-Control"] = "max-age=315360000, public, immutable"
    middleware = page_cache.UpdateCacheMiddleware(lambda request: static)
    request = rf.get("/static/oscar/css/styles.css", HTTP_HOST=ANNA)
    request.storefront = StorefrontContext(member=shop["anna"], handle="anna")  # the callback's
    response = middleware(request)
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert not response.cookies
