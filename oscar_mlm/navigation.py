"""The account menu ("My account"): one registry every app adds its own tabs to.

It works like Oscar's dashboard navigation (``OSCAR_DASHBOARD_NAVIGATION``,
``oscar.apps.dashboard.menu``): an entry names a URL and may name an access
function ``(user, url_name, url_args, url_kwargs) -> bool``. The entries are
not one central list, though: each app config lists its own in
``account_navigation``, so the menu holds exactly the installed apps' tabs.
An app that is left out contributes nothing, and an entry whose URL does not
resolve in the current URLconf (the shop did not mount the app's URLs) is left
out too, never a broken link.

Tabs are grouped in sections. ``account`` follows Oscar's own tabs without a
heading; an app may declare further sections (the network app declares
``business``, "My business", for distributors), which show a heading, and only
when one of their tabs is visible. A shop's own app adds a tab the same way::

    class MyConfig(AppConfig):
        account_navigation = [
            AccountTab("loyalty", _("My points"), "myapp:points", access_fn=members_only),
        ]

and a view marks its tab as the current one with ``active_tab = "loyalty"``
in the template context, as Oscar's account pages do.
"""

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string

ACCOUNT = "account"
BUSINESS = "business"


def _member(user):
    if not getattr(user, "is_authenticated", False):
        return None
    # The reverse one-to-one is cached on the user: one query per request at most.
    try:
        return user.mlm_member
    except ObjectDoesNotExist:
        return None


def members_only(user, url_name=None, url_args=None, url_kwargs=None):
    """Everyone with a place in the network, customers and distributors."""
    return _member(user) is not None


def distributors_only(user, url_name=None, url_args=None, url_kwargs=None):
    member = _member(user)
    return member is not None and member.is_distributor


def not_distributors(user, url_name=None, url_args=None, url_kwargs=None):
    """Everyone but distributors: for a page that distributors find under "My business"."""
    return not distributors_only(user)


@dataclass(frozen=True)
class AccountSection:
    """A group of tabs; ``label`` is its heading ("" for none)."""

    name: str
    label: str = ""
    order: int = 100
    access_fn: object = None


@dataclass(frozen=True)
class AccountTab:
    """One entry of the menu.

    ``name`` is what the tab's views put into the context as ``active_tab``;
    ``access_fn`` a callable or its dotted path (``None``: every logged-in user).
    """

    name: str
    label: str
    url_name: str
    section: str = ACCOUNT
    order: int = 100
    access_fn: object = None
    url_args: tuple = ()
    url_kwargs: tuple = ()


@dataclass(frozen=True)
class VisibleTab:
    tab: AccountTab
    url: str

    @property
    def name(self):
        return self.tab.name

    @property
    def label(self):
        return self.tab.label


@dataclass(frozen=True)
class VisibleSection:
    section: AccountSection
    tabs: list

    @property
    def name(self):
        return self.section.name

    @property
    def label(self):
        return self.section.label


DEFAULT_SECTIONS = (AccountSection(ACCOUNT, order=0),)


def contributions():
    """Every section and tab the installed apps declare, in INSTALLED_APPS order."""
    sections, tabs = {s.name: s for s in DEFAULT_SECTIONS}, []
    for config in apps.get_app_configs():
        for item in getattr(config, "account_navigation", ()):
            if isinstance(item, AccountSection):
                sections[item.name] = item
            else:
                tabs.append(item)
    return sections, tabs


def _allowed(access_fn, user, url_name, url_args, url_kwargs):
    if access_fn is None:
        return True
    if isinstance(access_fn, str):
        access_fn = import_string(access_fn)
    return bool(access_fn(user, url_name, url_args, url_kwargs))


def _url(tab):
    try:
        return reverse(tab.url_name, args=tab.url_args, kwargs=dict(tab.url_kwargs))
    except NoReverseMatch:
        return None  # the app's URLs are not mounted here


def account_navigation(user):
    """The sections with the tabs ``user`` may see, each tab with its URL.

    Sections without a visible tab are left out; tabs keep their ``order``,
    then the order of INSTALLED_APPS.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    sections, tabs = contributions()
    visible = {}
    for tab in sorted(tabs, key=lambda tab: tab.order):  # stable: apps' order among equals
        section = sections.get(tab.section) or sections[ACCOUNT]
        args, kwargs = tab.url_args, dict(tab.url_kwargs)
        if not _allowed(section.access_fn, user, tab.url_name, args, kwargs):
            continue
        if not _allowed(tab.access_fn, user, tab.url_name, args, kwargs):
            continue
        url = _url(tab)
        if url is not None:
            visible.setdefault(section.name, []).append(VisibleTab(tab, url))
    ordered = sorted((sections[name] for name in visible), key=lambda s: (s.order, s.name))
    return [VisibleSection(section, visible[section.name]) for section in ordered]
