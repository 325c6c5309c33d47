"""The one exception base of the package.

Every domain error of every app extends :class:`MlmError`: it carries a
translated, user-facing ``message`` that forms, views, API views and
commands show as it is. Whenever a service raises one, nothing was changed.

A refusal that happens while Oscar places an order raises a subclass of
:class:`PlacementRefused`, which is also Oscar's ``UnableToPlaceOrder``: the
checkout then shows the message to the customer and keeps the basket,
instead of "A problem occurred..." and a traceback in the log. It is also a
``ValueError``, which django-oscar-api's checkout turns into a 406 answer
carrying the message.
"""

from django.utils.translation import gettext_lazy as _
from oscar.apps.order.exceptions import UnableToPlaceOrder


class MlmError(Exception):
    default_message = _("The change could not be made.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class PlacementRefused(MlmError, UnableToPlaceOrder, ValueError):
    """Raised inside Oscar's order placement; the customer sees ``message``."""

    default_message = _("The order could not be placed.")
