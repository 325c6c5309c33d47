"""Tabs that our apps add to Oscar's product page in the dashboard.

Oscar's product page (``oscar/dashboard/catalogue/product_update.html``) can be
overridden by one template only: if two apps each shipped an override, only
the first would show. So the ``oscar_mlm`` package ships the one override,
which renders every tab registered here, and each installed app registers its
own tab in ``AppConfig.ready()``::

    register_product_tab(ProductTab("mlm_example", _("Example"), "mlm_example/product_tab.html"))

An app that is not installed registers nothing, so its tab is simply absent.
A tab's template is included inside the tab pane with the page's context
(``product``, ``parent``, ``request``...); tabs show only for a saved product.
"""

from dataclasses import dataclass

_tabs = {}


@dataclass(frozen=True)
class ProductTab:
    id: str  # the pane's HTML id and the tab's key
    label: str
    template: str
    order: int = 100


def register_product_tab(tab):
    """Add (or replace, by ``id``) a tab of Oscar's product page."""
    _tabs[tab.id] = tab


def unregister_product_tab(tab_id):
    _tabs.pop(tab_id, None)


def product_tabs():
    """The registered tabs, by ``order`` then ``id``."""
    return sorted(_tabs.values(), key=lambda tab: (tab.order, tab.id))
