"""Security and robustness of partner storefronts (issue 4).

The sandbox serves the company site on ``localhost`` and storefronts on
``<handle>.localhost`` (and ``<handle>.shop.localhost``, where browsers accept a
parent-domain cookie). Each test says which property of the host setup it proves.
"""

import re
import time
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.core import mail, signing
from django.core.cache import caches
from django.test import Client, override_settings
from django.utils import timezone, translation
from oscar.core.loading import get_model

from oscar_mlm.test.factories import CustomerFactory, DistributorFactory

Member = get_model("mlm_network", "Member")
SponsorChange = get_model("mlm_network", "SponsorChange")
HandleRedirect = get_model("mlm_network", "HandleRedirect")
Storefront = get_model("mlm_storefront", "Storefront")
User = get_user_model()

PASSWORD = "secret-pass-123"  # UserFactory's password
LOGIN = "/accounts/login/"
REGISTER = "/accounts/register/"
PAGE = "/catalogue/"  # "/" redirects here
SITE_DOMAIN = "sites-framework.example"
COOKIE = "mlm_ref"
SALT = "oscar_mlm.attribution"

SIGNUP = {
    "email": "new@example.com",
    "first_name": "Nina",
    "last_name": "Neu",
    "password1": "a-Long-pass-123",
    "password2": "a-Long-pass-123",
}


def _distributor(parent, handle, name):
    return DistributorFactory(
        parent=parent, handle=handle, user__first_name=name, user__email=f"{handle}@example.com"
    )


@pytest.fixture
def anna(company):
    member = _distributor(company, "anna", "Anna")
    Storefront.objects.create(member=member, display_name="Anna's Corner")
    return member


@pytest.fixture
def ben(company):
    member = _distributor(company, "ben", "Ben")
    Storefront.objects.create(member=member, display_name="Ben's Bazaar")
    return member


@pytest.fixture
def carl(anna):
    """A customer in Anna's first line."""
    return CustomerFactory(parent=anna, user__email="carl@example.com", user__first_name="Carl")


@pytest.fixture
def site(db):
    Site.objects.filter(pk=django_settings.SITE_ID).update(domain=SITE_DOMAIN, name="The Shop")
    Site.objects.clear_cache()
    yield Site.objects.get_current()
    Site.objects.clear_cache()


def get(client, host, path=PAGE, **extra):
    return client.get(path, HTTP_HOST=host, **extra)


def storefront_of(response):
    storefront = getattr(response.wsgi_request, "storefront", None)
    return storefront.handle if storefront is not None else None


def banner_handle(response):
    found = re.search(rb'id="storefront-banner" data-handle="([^"]*)"', response.content)
    return found.group(1).decode() if found else None


def template_names(response):
    return [t.name for t in response.templates]


def csrf_token(response):
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.content)[1].decode()


def landing(response, own):
    """Where a browser on ``http://<own>/`` goes when it follows the redirect."""
    location = response["Location"].strip().replace("\\", "/")  # browsers treat \ as /
    return urlsplit(urljoin(f"http://{own}/", location)).netloc


# -- Host-header matrix -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "anna.localhost",
        "ANNA.LOCALHOST",
        "Anna.LocalHost",
        "anna.localhost.",
        "ANNA.LOCALHOST.:8000",
        "anna.localhost:8000",
        "anna.localhost:443",
        "anna.shop.localhost",
        "anna.shop.localhost:8000",
    ],
)
def test_storefront_host_variants_resolve_to_the_owner(client, anna, host):
    """Case, a trailing dot and any port don't change whose storefront it is."""
    response = get(client, host)
    assert response.status_code == 200
    assert storefront_of(response) == "anna"
    assert banner_handle(response) == "anna"


@pytest.mark.parametrize(
    "host",
    [
        "localhost",
        "localhost:8000",
        "LOCALHOST.",
        "www.localhost",
        "WWW.localhost:8000",
        "shop.localhost:8000",
        "127.0.0.1:8000",
    ],
)
def test_company_hosts_have_no_storefront(client, anna, host):
    response = get(client, host)
    assert response.status_code == 200
    assert storefront_of(response) is None
    assert banner_handle(response) is None


@pytest.mark.parametrize("label", ["api", "admin", "static", "dashboard", "www", "API", "Admin"])
def test_reserved_names_never_resolve_to_a_distributor(client, company, label):
    """Even a distributor row that somehow holds a reserved handle is not served on it."""
    _distributor(company, label.lower(), "Squatter")
    response = get(client, f"{label}.localhost:8000")
    assert response.status_code == 200
    assert storefront_of(response) is None
    assert banner_handle(response) is None


@pytest.mark.parametrize(
    "host", ["a.b.localhost", "x.anna.localhost", "anna.ben.localhost:8000", "a.b.c.localhost"]
)
def test_nested_names_are_nobodys_storefront(client, anna, ben, host):
    response = get(client, host)
    assert response.status_code == 404
    assert storefront_of(response) is None


# The django-hosts pattern ends in "(\.|:|$)", so "anna.localhost.localhost" (allowed by
# ".localhost") matches the storefront pattern with handle "anna"; resolve_storefront accepts
# only "<handle>.<storefront domain>". Production equivalent: anna.shop.example.shop.example.
@pytest.mark.parametrize("host", ["anna.localhost.localhost", "anna.localhost.ben.localhost"])
def test_nested_name_repeating_the_parent_is_nobodys_storefront(client, anna, ben, host):
    response = get(client, host)
    assert storefront_of(response) is None
    assert response.status_code == 404


@pytest.fixture
def unusable(company):
    """Storefront names that must answer exactly like an unknown one."""
    gone = _distributor(company, "gone", "Gone")
    Member.objects.filter(pk=gone.pk).update(status=Member.INACTIVE)
    hidden = _distributor(company, "hidden", "Hidden")
    Storefront.objects.create(member=hidden, is_hidden=True)
    HandleRedirect.objects.create(  # a renamed handle whose forwarding has expired
        old_handle="expired", member=hidden, expires=timezone.now() - timezone.timedelta(days=1)
    )
    return ["ghost", "gone", "hidden", "expired"]


def test_unknown_inactive_and_hidden_storefronts_answer_404_not_500(client, unusable):
    answers = {}
    for handle in unusable:
        response = get(client, f"{handle}.localhost:8000")
        answers[handle] = (response.status_code, template_names(response), storefront_of(response))
    assert answers["ghost"][0] == 404
    assert answers["ghost"][2] is None
    # Inactive, hidden and expired answer exactly like the unknown handle.
    assert answers == {h: answers["ghost"] for h in unusable}


# The shop's urls.py sets handler404 = "oscar.views.handler404": an unknown storefront
# gets Oscar's friendly page, not Django's bare "Not Found".
def test_unknown_storefront_renders_oscars_404_page(client, company):
    response = get(client, "ghost.localhost:8000")
    assert response.status_code == 404
    assert "oscar/404.html" in template_names(response)


def test_unknown_storefront_answers_in_the_visitors_language(client, company):
    response = client.get("/", HTTP_HOST="ghost.localhost:8000", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 404
    with translation.override("de"):
        assert translation.gettext("Page not found") in response.content.decode()
    assert "Page not found" not in response.content.decode()


def test_unknown_storefront_renders_oscars_404_page_under_debug_too(client, company, settings):
    settings.DEBUG = True
    response = get(client, "ghost.localhost:8000")
    assert response.status_code == 404
    assert "oscar/404.html" in template_names(response)
    assert b"DEBUG = True" not in response.content


@pytest.mark.parametrize("handle", ["ghost", "gone", "hidden", "expired"])
def test_unknown_storefront_can_redirect_to_the_company_site(client, unusable, settings, handle):
    settings.OSCAR_MLM_UNKNOWN_STOREFRONT = "redirect"
    response = get(client, f"{handle}.localhost:8000", "/catalogue/?q=x")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).netloc == "localhost:8000"


def test_nested_name_redirects_to_the_company_site_too(client, anna, settings):
    settings.OSCAR_MLM_UNKNOWN_STOREFRONT = "redirect"
    response = get(client, "x.anna.localhost:8000")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).netloc == "localhost:8000"


@pytest.mark.parametrize(
    "host",
    [
        "anna.localhost.evil.com",
        "ANNA.LOCALHOST.EVIL.COM",
        "anna.localhost.evil.com:8000",
        "anna.localhost.evil.com.",
        "evil.com",
        "evil.com:8000",
        "localhost.evil.com",
        "evillocalhost",
        "anna.evillocalhost",
        "anna.localhost@evil.com",
        "anna.localhost:8000@evil.com",
        "[::1]:8000",
    ],
)
def test_foreign_hosts_are_refused_by_allowed_hosts(client, anna, caplog, host):
    """ALLOWED_HOSTS is the gate: the django-hosts pattern alone would accept some of these."""
    response = get(client, host)
    assert response.status_code == 400
    assert b"anna" not in response.content.lower()
    assert any(r.name == "django.security.DisallowedHost" for r in caplog.records)


def test_foreign_suffix_is_refused_even_without_the_gate(client, anna, settings):
    """The host pattern ends in ``(\\.|:|$)`` and matches anna.localhost.evil.com; the
    callback accepts only <handle>.<storefront domain>, so even a careless
    ALLOWED_HOSTS = ["*"] does not serve Anna's storefront there."""
    settings.ALLOWED_HOSTS = ["*"]
    response = get(client, "anna.localhost.evil.com")
    assert response.status_code == 404
    assert storefront_of(response) is None


def test_sandbox_allowed_hosts_are_the_parent_domain_only():
    # pytest-django adds "testserver"; nothing outside the parent domain is allowed.
    assert set(django_settings.ALLOWED_HOSTS) <= {
        "localhost",
        ".localhost",
        "127.0.0.1",
        "testserver",
    }
    assert not django_settings.USE_X_FORWARDED_HOST


@pytest.mark.parametrize("forwarded", ["anna.localhost", "evil.com"])
def test_x_forwarded_host_is_ignored(client, anna, forwarded):
    response = get(client, "localhost:8000", HTTP_X_FORWARDED_HOST=forwarded)
    assert response.status_code == 200
    assert storefront_of(response) is None
    assert forwarded.encode() not in response.content


# -- No open redirects ------------------------------------------------------------------------

# Foreign hosts in the forms browsers accept, and another storefront: whatever the parameter
# says, the visitor ends on the host they are on.
FOREIGN = [
    "http://evil.com/",
    "//evil.com",
    "https://evil.com/x",
    "///evil.com/",
    "////evil.com",
    "/\\evil.com",
    "\\\\evil.com",
    "http:\\\\evil.com",
    " //evil.com",
    "http://anna.localhost.evil.com/",
    "http://ben.localhost/",
]


@pytest.mark.parametrize("target", FOREIGN)
def test_login_next_cannot_leave_the_shop(client, anna, carl, target):
    host = "anna.localhost:8000"
    page = client.get(LOGIN, {"next": target}, HTTP_HOST=host)
    assert page.status_code == 200
    response = client.post(
        LOGIN,
        {
            "login_submit": "1",
            "login-username": "carl@example.com",
            "login-password": PASSWORD,
            "login-redirect_url": target,
        },
        HTTP_HOST=host,
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    assert landing(response, host) == host


@pytest.mark.parametrize("target", FOREIGN)
def test_sign_up_redirect_cannot_leave_the_shop(client, anna, target):
    host = "anna.localhost:8000"
    response = client.post(REGISTER, {**SIGNUP, "redirect_url": target}, HTTP_HOST=host)
    assert response.status_code == 302
    assert landing(response, host) == host
    assert Member.objects.get(user__email="new@example.com").parent == anna


@pytest.mark.parametrize("target", FOREIGN)
def test_language_switch_next_cannot_leave_the_shop(client, anna, target):
    host = "anna.localhost:8000"
    response = client.post("/i18n/setlang/", {"language": "de", "next": target}, HTTP_HOST=host)
    assert response.status_code == 302
    assert landing(response, host) == host


def test_renamed_handle_forwarding_stays_on_the_shop(client, anna):
    HandleRedirect.objects.create(
        old_handle="anne", member=anna, expires=timezone.now() + timezone.timedelta(days=1)
    )
    for path in ["//evil.com/", "/\\evil.com", "///evil.com/x"]:
        response = get(client, "anne.localhost:8000", "/", PATH_INFO=path)
        assert response.status_code == 301
        assert landing(response, "anne.localhost:8000") == "anna.localhost:8000"


def test_unknown_storefront_redirect_stays_on_the_shop(client, company, settings):
    settings.OSCAR_MLM_UNKNOWN_STOREFRONT = "redirect"
    response = get(client, "ghost.localhost:8000", "/", PATH_INFO="//evil.com/")
    assert response.status_code == 302
    assert landing(response, "ghost.localhost:8000") == "localhost:8000"


# -- CSRF across subdomains -------------------------------------------------------------------


def login_post(token, **extra):
    return {
        "csrfmiddlewaretoken": token,
        "login_submit": "1",
        "login-username": "nobody@example.com",
        "login-password": "wrong",
        **extra,
    }


def csrf_refusal(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "django.security.csrf"]


def test_csrf_same_host_post_passes(anna):
    """Control: the token works where it was issued (a failed login answers 200)."""
    browser = Client(enforce_csrf_checks=True)
    token = csrf_token(get(browser, "anna.localhost:8000", LOGIN))
    response = browser.post(
        LOGIN,
        login_post(token),
        HTTP_HOST="anna.localhost:8000",
        HTTP_ORIGIN="http://anna.localhost:8000",
    )
    assert response.status_code == 200


def test_csrf_cookie_is_host_only(anna):
    """A browser sends anna's CSRF cookie to anna.localhost only, never to ben or the company."""
    browser = Client(enforce_csrf_checks=True)
    get(browser, "anna.localhost:8000", LOGIN)
    assert browser.cookies["csrftoken"]["domain"] == ""
    assert django_settings.CSRF_COOKIE_DOMAIN is None
    assert django_settings.CSRF_TRUSTED_ORIGINS == []


@pytest.mark.parametrize("target", ["ben.localhost:8000", "localhost:8000"])
def test_csrf_cross_subdomain_post_refused_by_origin(anna, ben, caplog, target):
    """Even if anna's cookie and token reached the other host, the Origin check refuses it."""
    browser = Client(enforce_csrf_checks=True)  # one jar: as if the cookie were shared
    token = csrf_token(get(browser, "anna.localhost:8000", LOGIN))
    response = browser.post(
        LOGIN, login_post(token), HTTP_HOST=target, HTTP_ORIGIN="http://anna.localhost:8000"
    )
    assert response.status_code == 403
    assert any("Origin checking failed" in m for m in csrf_refusal(caplog))


@pytest.mark.parametrize("target", ["ben.localhost:8000", "localhost:8000"])
def test_csrf_token_from_one_storefront_is_useless_on_another(anna, ben, caplog, target):
    """What a browser really sends (host-only cookies): the target's own cookie, or none."""
    on_anna = Client(enforce_csrf_checks=True)
    token = csrf_token(get(on_anna, "anna.localhost:8000", LOGIN))

    never_visited = Client(enforce_csrf_checks=True)
    response = never_visited.post(LOGIN, login_post(token), HTTP_HOST=target)
    assert response.status_code == 403
    assert any("CSRF cookie not set" in m for m in csrf_refusal(caplog))

    caplog.clear()
    visited = Client(enforce_csrf_checks=True)
    get(visited, target, LOGIN)  # the target host's own cookie, another secret
    response = visited.post(LOGIN, login_post(token), HTTP_HOST=target)
    assert response.status_code == 403
    assert any("CSRF token" in m for m in csrf_refusal(caplog))


def test_csrf_https_cross_subdomain_post_refused_by_referer(anna, ben, caplog):
    browser = Client(enforce_csrf_checks=True)
    token = csrf_token(browser.get(LOGIN, HTTP_HOST="anna.localhost", secure=True))
    response = browser.post(
        LOGIN,
        login_post(token),
        HTTP_HOST="ben.localhost",
        HTTP_REFERER="https://anna.localhost/accounts/login/",
        secure=True,
    )
    assert response.status_code == 403
    assert any("Referer checking failed" in m for m in csrf_refusal(caplog))
    # Control: the same cookie and token with ben's own Referer pass.
    response = browser.post(
        LOGIN,
        login_post(token),
        HTTP_HOST="ben.localhost",
        HTTP_REFERER="https://ben.localhost/accounts/login/",
        secure=True,
    )
    assert response.status_code == 200


# -- Caching ----------------------------------------------------------------------------------


def cached_middleware():
    """Django's own cache middleware, in place of the package's (which the sandbox uses)."""
    middleware = [m for m in django_settings.MIDDLEWARE if ".mlm_storefront.cache." not in m]
    middleware.insert(
        middleware.index("django_hosts.middleware.HostsRequestMiddleware") + 1,
        "django.middleware.cache.UpdateCacheMiddleware",
    )
    middleware.insert(
        middleware.index("django_hosts.middleware.HostsResponseMiddleware"),
        "django.middleware.cache.FetchFromCacheMiddleware",
    )
    return middleware


def test_per_site_cache_never_serves_one_storefront_for_another(client, anna, ben):
    """Django's cache key contains the host: each storefront keeps its own banner.

    One language only: with two, every page carries the language form's CSRF token, and
    Django's cache refuses to store responses that (re)set the CSRF cookie, so nothing would
    be cached and the test would prove nothing.
    """
    location = f"storefront-security-{time.monotonic_ns()}"
    with override_settings(
        MIDDLEWARE=cached_middleware(),
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": location,
            }
        },
        CACHE_MIDDLEWARE_SECONDS=300,
        LANGUAGES=[("en", "English")],
    ):
        cache = caches["default"]
        hosts = {"anna": "anna.localhost:8000", "ben": "ben.localhost:8000"}
        # One browser (one cookie jar, the same Cookie header on both hosts: the cache key
        # differs by host only). The first visit sets the attribution cookie: not cached.
        for _ in range(2):
            for handle, host in hosts.items():
                response = get(client, host)
                assert banner_handle(response) == handle
        assert response.get("Cache-Control") == "max-age=300"  # it is being cached
        stored = len(cache._cache)
        assert stored >= 2

        # Change both names: a page served from the cache still shows the old one.
        Storefront.objects.filter(member=anna).update(display_name="Renamed Anna")
        Storefront.objects.filter(member=ben).update(display_name="Renamed Ben")
        for handle, host in hosts.items():
            response = get(client, host)
            assert banner_handle(response) == handle
            assert f"{handle.capitalize()}'s".encode() in response.content.replace(b"&#x27;", b"'")
        company = get(client, "localhost:8000")
        assert banner_handle(company) is None
        cache.clear()


# -- E-mails build links from the Sites framework ---------------------------------------------


def all_mail_text():
    texts = []
    for message in mail.outbox:
        texts.append(message.body)
        texts.extend(content for content, _type in getattr(message, "alternatives", []))
    return "\n".join(texts)


def assert_links_use_the_sites_domain(text):
    hosts = set(re.findall(r"https?://([^/\s\"'<>]+)", text)) - {"www.w3.org", "schema.org"}
    assert f"://{SITE_DOMAIN}/password-reset/confirm/" in text
    assert hosts == {SITE_DOMAIN}
    assert "localhost" not in text
    assert "127.0.0.1" not in text


@pytest.mark.parametrize(
    "host", ["anna.localhost", "ANNA.LOCALHOST:8000", "ben.localhost:8000", "127.0.0.1"]
)
def test_password_reset_mail_uses_the_sites_domain(client, site, carl, ben, host):
    response = client.post("/password-reset/", {"email": "carl@example.com"}, HTTP_HOST=host)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert_links_use_the_sites_domain(all_mail_text())


def test_password_reset_with_foreign_host_sends_nothing(client, site, carl):
    response = client.post("/password-reset/", {"email": "carl@example.com"}, HTTP_HOST="evil.com")
    assert response.status_code == 400
    assert mail.outbox == []


@pytest.mark.parametrize("host", ["anna.localhost:8000", "ben.localhost:8000", "localhost"])
def test_welcome_mail_uses_the_sites_domain(
    client, site, anna, ben, host, django_capture_on_commit_callbacks
):
    client.force_login(anna.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/network/add/",
            {
                "email": "dora@example.com",
                "first_name": "Dora",
                "last_name": "D",
                "kind": "customer",
            },
            HTTP_HOST=host,
        )
    assert response.status_code == 302
    assert Member.objects.get(user__email="dora@example.com").parent == anna
    assert len(mail.outbox) == 1
    assert_links_use_the_sites_domain(all_mail_text())


# -- Cookie scope -----------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["anna.localhost:8000", "anna.shop.localhost:8000", "localhost"])
def test_session_and_csrf_cookies_are_host_only(client, anna, carl, host):
    assert django_settings.SESSION_COOKIE_DOMAIN is None
    page = get(client, host, LOGIN)
    assert page.cookies["csrftoken"]["domain"] == ""
    response = client.post(
        LOGIN,
        {"login_submit": "1", "login-username": "carl@example.com", "login-password": PASSWORD},
        HTTP_HOST=host,
    )
    assert response.status_code == 302
    assert response.cookies["sessionid"]["domain"] == ""
    assert response.cookies["sessionid"]["httponly"]


@pytest.mark.parametrize(
    "host, domain",
    [
        ("anna.shop.localhost", ".shop.localhost"),
        ("anna.shop.localhost:8000", ".shop.localhost"),
        ("ANNA.SHOP.LOCALHOST.", ".shop.localhost"),
        ("anna.localhost", ""),
        ("anna.localhost:8000", ""),
    ],
)
def test_attribution_cookie_domain_only_below_shop_localhost(client, anna, host, domain):
    response = get(client, host)
    cookie = response.cookies[COOKIE]
    assert cookie["domain"] == domain
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 30 * 86400


@pytest.mark.parametrize("host", ["localhost:8000", "shop.localhost:8000", "ghost.localhost:8000"])
def test_no_attribution_cookie_off_storefronts(client, anna, host):
    response = get(client, host)
    assert COOKIE not in response.cookies


def genuine_cookie(handle):
    browser = Client()
    get(browser, f"{handle}.shop.localhost:8000")
    return browser.cookies[COOKIE].value


def forged_cookie(kind):
    value = f"anna:{int(time.time())}"
    if kind == "plain":
        return value
    if kind == "other salt":
        return signing.get_cookie_signer(salt=COOKIE + "another.salt").sign(value)
    if kind == "other key":
        key = b"django.http.cookies" + b"not-the-secret-key"
        return signing.TimestampSigner(key=key, salt=COOKIE + SALT).sign(value)
    # Ben's genuine cookie with the handle swapped for anna's.
    return genuine_cookie("ben").replace("ben:", "anna:", 1)


@pytest.mark.parametrize("kind", ["plain", "other salt", "other key", "tampered"])
def test_forged_attribution_cookie_is_ignored(client, anna, ben, settings, kind):
    settings.OSCAR_MLM_COMPANY_SIGNUP = "sponsor_id"
    client.cookies[COOKIE] = forged_cookie(kind)
    page = client.get(REGISTER, HTTP_HOST="shop.localhost:8000")
    assert b'name="sponsor_id"' in page.content  # no attributed sponsor proposed
    response = client.post(
        REGISTER, {**SIGNUP, "sponsor_id": "ben"}, HTTP_HOST="shop.localhost:8000"
    )
    assert response.status_code == 302
    member = Member.objects.get(user__email="new@example.com")
    assert member.parent == ben
    assert member.attribution == "sponsor_id"


def test_forged_attribution_cookie_does_not_open_a_closed_company_site(client, anna):
    """Policy "none": only a genuine cookie opens sign-up on the company site."""
    client.cookies[COOKIE] = f"anna:{int(time.time())}"
    response = client.post(REGISTER, SIGNUP, HTTP_HOST="shop.localhost:8000")
    assert response.status_code == 403
    assert not User.objects.filter(email="new@example.com").exists()


def test_genuine_attribution_cookie_names_the_sponsor(client, anna, ben, settings):
    """Control for the forgery tests: the real cookie does make anna the sponsor."""
    settings.OSCAR_MLM_COMPANY_SIGNUP = "sponsor_id"
    client.cookies[COOKIE] = genuine_cookie("anna")
    page = client.get(REGISTER, HTTP_HOST="shop.localhost:8000")
    assert b'name="sponsor_id"' not in page.content
    response = client.post(
        REGISTER, {**SIGNUP, "sponsor_id": "ben"}, HTTP_HOST="shop.localhost:8000"
    )
    assert response.status_code == 302
    member = Member.objects.get(user__email="new@example.com")
    assert member.parent == anna
    assert member.attribution == "cookie"


# -- Existing members are never moved ---------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["localhost:8000", "shop.localhost:8000", "ben.localhost:8000", "ben.shop.localhost"]
)
def test_login_elsewhere_does_not_move_a_customer(client, anna, ben, carl, host):
    before = (carl.parent_id, carl.attribution, carl.attributed_storefront_id, carl.attributed)
    changes = SponsorChange.objects.count()
    # Ben's storefront first, on his partner link: his attribution cookie, partner mode.
    get(client, "ben.shop.localhost:8000", "/join/")
    get(client, "ben.shop.localhost:8000")
    response = client.post(
        LOGIN,
        {"login_submit": "1", "login-username": "carl@example.com", "login-password": PASSWORD},
        HTTP_HOST=host,
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    get(client, host)
    get(client, host, "/accounts/")
    carl.refresh_from_db()
    assert (carl.parent_id, carl.attribution, carl.attributed_storefront_id, carl.attributed) == (
        before
    )
    assert SponsorChange.objects.count() == changes
