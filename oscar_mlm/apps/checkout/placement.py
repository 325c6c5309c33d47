"""Capture the storefront of an order while it is placed (``order_placed`` has no request)."""

from oscar_mlm.placement import placement_from_request, placing


class PlacementContextMixin:
    """Place the order inside :func:`oscar_mlm.placement.placing` with this request's placement.

    Mix in before the view's other placement mixins: receivers of
    ``order_placed`` (the volume records) then see the storefront the order
    is placed on and, for a guest, the distributor of the attribution cookie.
    """

    def place_order(self, *args, **kwargs):
        with placing(placement_from_request(self.request)):
            return super().place_order(*args, **kwargs)
