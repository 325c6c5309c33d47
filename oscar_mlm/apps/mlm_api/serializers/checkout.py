"""django-oscar-api override (``OSCARAPI_OVERRIDE_MODULES``): the API checkout with credit.

oscarapi's ``CheckoutSerializer.create`` places the order directly, so Oscar's
``handle_payment`` never runs there. This serializer spends the credit first,
through the same :class:`~oscar_mlm.apps.mlm_credit.payment.CreditPlacementMixin`
as the web checkout: the spend under the account lock, the payment source
recorded before the order is placed, the spend held in the order's transaction
and given back if placement fails, a duplicate submit of the same order refused
(406, as oscarapi answers checkout errors). The order is placed inside
:func:`oscar_mlm.placement.placing`, so volume records see its storefront: the
host's, or the ``X-Storefront`` header / ``storefront`` field of a headless
storefront.

``credit``: ``"all"`` (what is available, up to the total), ``"none"``, or an
amount (exactly that, at most the total). Left out: ``"all"`` if
``OSCAR_MLM_CREDIT_AUTO_APPLY`` (as on the web), else ``"none"``. The rest of
the total is left to the shop's payment, as oscarapi leaves all of it
(``payment_url``, ``oscarapi_post_checkout``).
"""

from contextlib import nullcontext

from django.apps import apps
from django.db import IntegrityError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.apps.payment.exceptions import PaymentError
from oscarapi.serializers import checkout
from rest_framework import exceptions, serializers

from oscar_mlm.conf import get_setting
from oscar_mlm.exceptions import MlmError
from oscar_mlm.placement import placement_from_request, placing

from ..storefront import PARAMETER, apply_storefront

__all__ = ["CheckoutSerializer"]

ALL, NONE = "all", "none"

if apps.is_installed("oscar_mlm.apps.mlm_credit"):
    from oscar_mlm.apps.mlm_credit import services as credit
    from oscar_mlm.apps.mlm_credit.payment import CreditPlacementMixin
else:  # pragma: no cover - the credit app is optional
    credit = None

    class CreditPlacementMixin:
        def compensating(self, order_number):
            return nullcontext()

class CheckoutSerializer(CreditPlacementMixin, checkout.CheckoutSerializer):
    credit = serializers.CharField(
        required=False,
        max_length=32,
        help_text=gettext_lazy(
            'Loyalty credit to spend: "all" (what is available, up to the total), "none", '
            "or an amount such as 5.00."
        ),
    )
    storefront = serializers.CharField(
        required=False,
        max_length=63,
        help_text=gettext_lazy(
            "The storefront the order is placed on, for headless storefronts (or the "
            "X-Storefront header); the storefront's own host wins."
        ),
    )

    _order_number = None

    def validate_credit(self, value):
        choice = value.strip().lower()
        if choice in (ALL, NONE):
            return choice
        if credit is None:
            raise serializers.ValidationError(_("This shop has no loyalty credit."))
        try:
            return credit.parse_amount(choice)
        except MlmError as exc:
            raise serializers.ValidationError(str(exc.message)) from exc

    def validate(self, attrs):
        apply_storefront(self.request, {PARAMETER: attrs.get(PARAMETER)})
        attrs = super().validate(attrs)
        attrs["credit"] = self.credit_choice(attrs)
        return attrs

    def credit_choice(self, attrs):
        """What to spend: ``NONE``, ``ALL`` or an amount; refused if it cannot be had."""
        asked = attrs.get("credit")
        explicit = asked is not None
        if not explicit:
            asked = ALL if get_setting("OSCAR_MLM_CREDIT_AUTO_APPLY") else NONE
        if asked == NONE or credit is None:
            return NONE
        user = self.request.user
        if not user.is_authenticated:
            if explicit:
                raise serializers.ValidationError(
                    {"credit": [_("Only a signed-in customer has credit to spend.")]}
                )
            return NONE
        if asked != ALL:
            total = attrs["order_total"]
            available = credit.available_credit(user, total.currency)
            if asked > available:
                raise serializers.ValidationError(
                    {
                        "credit": [
                            _("Only %(balance)s %(currency)s of credit is available.")
                            % {"balance": available, "currency": total.currency}
                        ]
                    }
                )
            try:
                # The spend checks it again under the lock; asked early, it is a field error.
                credit.check_cap(min(asked, total.incl_tax), total.incl_tax, total.currency)
            except MlmError as exc:
                raise serializers.ValidationError({"credit": [str(exc.message)]}) from exc
        return asked

    def generate_order_number(self, basket):
        # One number per checkout: the spend and the order must carry the same one.
        if self._order_number is None:
            self._order_number = super().generate_order_number(basket)
        return self._order_number

    def create(self, validated_data):
        request = self.request
        choice = validated_data.pop("credit", NONE)
        validated_data.pop(PARAMETER, None)
        number = self.generate_order_number(validated_data["basket"])
        try:
            with placing(placement_from_request(request, channel="api")):
                if choice != NONE:
                    self.spend_credit(
                        request.user,
                        number,
                        validated_data["order_total"],
                        None if choice == ALL else choice,
                    )
                with self.compensating(number):
                    return super().create(validated_data)
        except (PaymentError, UnableToPlaceOrder) as exc:
            raise exceptions.NotAcceptable(str(exc)) from exc
        except IntegrityError as exc:
            # Two identical submits without credit race to the order number.
            raise exceptions.NotAcceptable(_("This order is already being placed.")) from exc
