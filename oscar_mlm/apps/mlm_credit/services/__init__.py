"""Every state change of the loyalty credit books, by concern.

* :mod:`.ledger`: accounts, their locks and the only code that writes
  entries (plus :func:`reverse_entry` and the books' check);
* :mod:`.checkout`: the spend at checkout and its hold in the order's transaction;
* :mod:`.orphans`: spends whose order never came, given back;
* :mod:`.earning`: credit earned by order lines, pending until released;
* :mod:`.refunds`: refunds and cancellations;
* :mod:`.adjustments`: staff bookings;
* :mod:`.expiry`: FIFO expiry;
* :mod:`.rules` and :mod:`.amounts`: which rule applies, what input is accepted.

Each public function takes explicit arguments, runs in one transaction, locks
the account row (``select_for_update``; several accounts in ascending pk
order), appends :class:`CreditEntry` rows and updates the cached totals in
the same transaction, and raises the errors of :mod:`..exceptions` with
nothing booked. Views, the checkout fork, receivers, dashboard forms and
commands only call these, always through this package
(``from oscar_mlm.apps.mlm_credit import services``).

Every entry has an ``idempotency_key``. Booking a key that exists returns
the existing entry and books nothing, so an event processed twice (a
repeated signal, a retried request, a second expiry run on the same day)
books once.

Rounding: amounts are quantized to the cent once, half up
(:func:`oscar_mlm.money.quantize`).
"""

from .adjustments import CREDIT, DEBIT, adjust, adjust_user
from .amounts import (
    MAX_AMOUNT,
    check_currency,
    clean_reason,
    normalise_currency,
    parse_amount,
    shop_currency,
)
from .checkout import (
    check_cap,
    credit_cap,
    credit_to_apply,
    hold_spend,
    max_share,
    spend_for_order,
)
from .earning import (
    earn_for_order,
    is_available_status,
    is_cancelled_status,
    is_refunded_line_status,
    release_for_order,
)
from .expiry import (
    accounts_to_expire,
    expire_account,
    expire_all,
    expiring_amount,
    upcoming_expiry,
)
from .ledger import (
    available_credit,
    check_books,
    get_account,
    open_account,
    reverse_entry,
)
from .orphans import orphan_spends, return_orphan, return_orphan_spends
from .referrals import earn_referral, release_referral, reverse_referral
from .refunds import RefundLine, RefundResult, cancel_order, refund_lines
from .report import months_of_year, programme_report, programme_report_naive
from .rules import rule_for, rules_for

__all__ = [
    "CREDIT",
    "DEBIT",
    "MAX_AMOUNT",
    "RefundLine",
    "RefundResult",
    "accounts_to_expire",
    "adjust",
    "adjust_user",
    "available_credit",
    "cancel_order",
    "check_books",
    "check_cap",
    "check_currency",
    "clean_reason",
    "credit_cap",
    "credit_to_apply",
    "earn_for_order",
    "earn_referral",
    "expire_account",
    "expire_all",
    "expiring_amount",
    "get_account",
    "hold_spend",
    "is_available_status",
    "is_cancelled_status",
    "is_refunded_line_status",
    "max_share",
    "months_of_year",
    "normalise_currency",
    "open_account",
    "orphan_spends",
    "parse_amount",
    "programme_report",
    "programme_report_naive",
    "refund_lines",
    "release_for_order",
    "release_referral",
    "return_orphan",
    "return_orphan_spends",
    "shop_currency",
    "reverse_entry",
    "reverse_referral",
    "rule_for",
    "rules_for",
    "spend_for_order",
    "upcoming_expiry",
]
