"""The account menu: one registry the installed apps add their tabs to."""

import re

import pytest
from django.apps import apps
from django.utils import translation

from oscar_mlm.navigation import (
    BUSINESS,
    AccountSection,
    AccountTab,
    account_navigation,
    distributors_only,
    members_only,
)
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory, UserFactory

pytestmark = pytest.mark.django_db

PROFILE = "/accounts/profile/"


def menu(user):
    return [(s.name, [(t.name, t.url) for t in s.tabs]) for s in account_navigation(user)]


LINK = re.compile(
    r'<a href="(?P<href>[^"]*)" class="nav-link(?P<cls>[^"]*)"[^>]*>(?P<text>[^<]*)</a>'
)


def tab_links(html):
    """The account menu's links in page order, as (href, text, active)."""
    column = html.split('class="nav nav-pills flex-column"', 1)[1].split("</ul>", 1)[0]
    return [
        (m.group("href"), m.group("text").strip(), " active" in m.group("cls"))
        for m in LINK.finditer(column)
    ]


def test_a_distributor_sees_every_installed_apps_tab_in_order(company):
    anna = DistributorFactory(parent=company)
    # All of a distributor's business pages are "My business"; only "My data" (the person's
    # own data download, for every user) stays among the account's own tabs.
    assert menu(anna.user) == [
        ("account", [("privacy", "/accounts/privacy/")]),
        (
            "business",
            [
                ("business", "/accounts/business/"),
                ("structure", "/accounts/business/structure/"),
                ("customers", "/accounts/business/customers/"),
                ("follow-ups", "/accounts/business/follow-ups/"),
                ("network", "/accounts/network/"),
                ("storefront", "/accounts/storefront/"),
                ("vouchers", "/accounts/vouchers/"),
                ("credit", "/accounts/credit/"),
                ("statements", "/accounts/commissions/"),
            ],
        ),
    ]


def test_a_customer_sees_no_distributor_tabs(company):
    dora = CustomerFactory(parent=DistributorFactory(parent=company))
    assert menu(dora.user) == [
        (
            "account",
            [
                ("network", "/accounts/network/"),
                ("credit", "/accounts/credit/"),
                ("privacy", "/accounts/privacy/"),
            ],
        )
    ]


def test_a_user_outside_the_network_and_an_anonymous_visitor(company):
    from django.contrib.auth.models import AnonymousUser

    assert menu(UserFactory()) == [
        (
            "account",
            [
                ("network", "/accounts/network/"),
                ("credit", "/accounts/credit/"),
                ("privacy", "/accounts/privacy/"),
            ],
        )
    ]
    assert menu(AnonymousUser()) == []


def test_the_account_pages_render_the_menu_with_the_current_tab(client, company):
    anna = DistributorFactory(parent=company)
    client.force_login(anna.user)
    links = tab_links(client.get(PROFILE).content.decode())
    ours = [link for link in links if link[0] in ("/accounts/network/", "/accounts/credit/")]
    assert [text for _href, text, _active in ours] == ["My network", "My credit"]
    assert links[0][1] == "Profile"  # Oscar's own tabs come first, unchanged
    credit = tab_links(client.get("/accounts/credit/").content.decode())
    assert [text for _href, text, active in credit if active] == ["My credit"]
    with translation.override("de"):
        client.cookies["django_language"] = "de"
        html = client.get("/accounts/vouchers/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Meine Gutscheincodes" in html


@pytest.fixture
def extra_tabs(monkeypatch):
    """A shop's own app adding to the menu the documented way."""
    config = apps.get_app_config("sandbox")

    def add(*items):
        monkeypatch.setattr(config, "account_navigation", list(items), raising=False)

    return add


def test_a_tab_whose_url_is_not_mounted_is_left_out(company, extra_tabs):
    anna = DistributorFactory(parent=company)
    extra_tabs(AccountTab("points", "My points", "loyalty:points"))
    assert "points" not in [name for _s, tabs in menu(anna.user) for name, _url in tabs]


def test_a_shop_app_adds_a_section_and_tabs_with_access_functions(company, extra_tabs, client):
    anna = DistributorFactory(parent=company)
    dora = CustomerFactory(parent=anna)
    extra_tabs(
        AccountSection("club", "The club", order=50, access_fn=members_only),
        AccountTab("orders2", "Orders again", "customer:order-list", section="club"),
        AccountTab(
            "team",
            "Team",
            "customer:summary",
            section=BUSINESS,
            access_fn="oscar_mlm.navigation.distributors_only",
        ),
        AccountTab("first", "First of all", "customer:profile-view", order=1),
    )
    anna_menu = menu(anna.user)
    assert [name for name, _tabs in anna_menu] == ["account", "club", "business"]
    assert anna_menu[0][1][0] == ("first", "/accounts/profile/")
    assert anna_menu[2][1][-1] == ("team", "/accounts/")
    assert ("statements", "/accounts/commissions/") in anna_menu[2][1]
    # The business section is for distributors; a customer does not see its heading either.
    assert [name for name, _tabs in menu(dora.user)] == ["account", "club"]
    assert [name for name, _tabs in menu(UserFactory())] == ["account"]
    client.force_login(anna.user)
    html = client.get(PROFILE).content.decode()
    assert html.index("The club") < html.index("My business") < html.index(">Team<")


def test_access_functions_answer_like_oscars(company):
    anna = DistributorFactory(parent=company)
    dora = CustomerFactory(parent=anna)
    loner = UserFactory()
    assert distributors_only(anna.user, "x", (), {}) and not distributors_only(dora.user, "x")
    assert members_only(dora.user) and not members_only(loner)
