"""django-oscar-api override (``OSCARAPI_OVERRIDE_MODULES``): redeeming a partner's code.

A code sent to oscarapi's ``basket/add-voucher/`` goes through the same check
as the web's voucher form (``mlm_vouchers.entry``): forgiving input, one answer
for unknown and deactivated codes, the plain reason a partner's code cannot be
used, and the throttle of failed attempts (429 while it holds). The buyer is
assigned to the code's partner when the order is placed, inside Oscar's order
transaction, whichever checkout places it.
"""

from django.apps import apps
from oscarapi.basket import operations
from oscarapi.serializers import basket
from rest_framework import serializers
from rest_framework.exceptions import Throttled

__all__ = ["VoucherAddSerializer"]


class VoucherAddSerializer(basket.VoucherAddSerializer):
    def validate(self, attrs):
        if apps.is_installed("oscar_mlm.apps.mlm_vouchers"):
            from oscar_mlm.apps.mlm_vouchers.entry import check_entered_code
            from oscar_mlm.apps.mlm_vouchers.exceptions import TooManyAttempts, VoucherError

            request = self.context["request"]
            try:
                attrs["vouchercode"] = check_entered_code(
                    request, attrs.get("vouchercode", ""), operations.get_basket(request)
                )
            except TooManyAttempts as exc:
                raise Throttled(detail=str(exc.message)) from exc
            except VoucherError as exc:
                raise serializers.ValidationError(str(exc.message)) from exc
        return super().validate(attrs)
