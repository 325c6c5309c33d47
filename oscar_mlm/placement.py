"""What the placement of an order knows that Oscar's ``order_placed`` signal does not.

``order_placed`` carries the order and the user, no request: the storefront
the order is placed on and the visitor's attribution cookie are gone by then.
The code that places an order (our checkout fork, later the API) captures
them from the request and places the order inside :func:`placing`; receivers
of ``order_placed`` read them with :func:`current_placement`::

    with placing(placement_from_request(request)):
        order = OrderCreator().place_order(...)

A context variable, so concurrent requests (threads, async tasks) never see
each other's placement, and code that places orders without it (Oscar's
``create_order``, imports) simply has none.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class Placement:
    """The network facts of one order placement, captured from its request.

    ``storefront``: the distributor (a ``Member``) whose storefront the order is
    placed on, or ``None`` on the company site. ``attributed``: the distributor
    the visitor's attribution cookie names (an earlier storefront visit), read
    only for guests on the company site. ``channel`` says where the order came
    from ("web", "api", ...), for logs and reports.
    """

    storefront: object = None
    attributed: object = None
    channel: str = "web"


_current = ContextVar("oscar_mlm_placement", default=None)


@contextmanager
def placing(placement):
    """Make ``placement`` the current one for the code inside the block."""
    token = _current.set(placement)
    try:
        yield placement
    finally:
        _current.reset(token)


def current_placement():
    """The :class:`Placement` of the order being placed, or ``None``."""
    return _current.get()


def placement_from_request(request, channel="web"):
    """The storefront of ``request`` and, for a guest on the company site, the cookie's distributor.

    The cookie is read only where it can matter (a guest outside any storefront),
    so a member's checkout costs no query for it.
    """
    storefront = getattr(getattr(request, "storefront", None), "member", None)
    attributed = None
    user = getattr(request, "user", None)
    is_guest = user is None or not user.is_authenticated
    if storefront is None and is_guest and apps.is_installed("oscar_mlm.apps.mlm_storefront"):
        from oscar_mlm.apps.mlm_storefront.attribution import attributed_member

        attributed, _visited = attributed_member(request)
    return Placement(storefront=storefront, attributed=attributed, channel=channel)
