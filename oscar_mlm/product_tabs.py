"""Tabs that our apps add to Oscar's product page in the dashboard.

Oscar's product page (``oscar/dashboard/catalogue/product_update.html``) can be
overridden by one template only: if two apps each shipped an override, only
the first would show. So the ``oscar_mlm`` package ships the one override,
which renders every tab the installed apps declare. Like the account menu
(:mod:`oscar_mlm.navigation`), each app lists its own tabs in its app config::

    class MlmExampleConfig(OscarConfig):
        dashboard_product_tabs = [
            ProductTab("mlm_example", _("Example"), "mlm_example/product_tab.html"),
        ]

An app that is not installed declares nothing, so its tab is simply absent.
A tab's template is included inside the tab pane with the page's context
(``product``, ``parent``, ``request``...); tabs show only for a saved product.
"""

from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class ProductTab:
    id: str  # the pane's HTML id and the tab's key
    label: str
    template: str
    order: int = 100


def product_tabs():
    """The installed apps' tabs, by ``order`` then ``id``; a later app's tab replaces an
    earlier one of the same ``id`` (a shop's app can swap one of ours)."""
    tabs = {}
    for config in apps.get_app_configs():
        for tab in getattr(config, "dashboard_product_tabs", ()):
            tabs[tab.id] = tab
    return sorted(tabs.values(), key=lambda tab: (tab.order, tab.id))
