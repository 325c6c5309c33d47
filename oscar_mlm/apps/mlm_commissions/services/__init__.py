"""Every state change of volumes (and, later, commissions), one transaction each.

Importable as ``mlm_commissions.services``; one module per concern:
:mod:`.recording` (volume records at placement), :mod:`.refunds` (negative
records for refunds and cancellations), :mod:`.rules` (what a product counts).
"""

from .recording import record_order
from .refunds import cancel_order, refund_lines
from .rules import remove_volume_rule, set_volume_rule

__all__ = [
    "cancel_order",
    "record_order",
    "refund_lines",
    "remove_volume_rule",
    "set_volume_rule",
]
