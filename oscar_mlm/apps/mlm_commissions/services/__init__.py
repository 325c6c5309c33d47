"""Every state change of volumes and commissions, one transaction each.

Importable as ``mlm_commissions.services``; one module per concern:
:mod:`.recording` (volume records at placement), :mod:`.refunds` (negative
records for refunds and cancellations), :mod:`.rules` (what a product counts),
:mod:`.commissions` (plans, periods, runs, close, verification, what-if and
the reads of statement pages).
"""

from .commissions import (
    LOCK_KEY,
    MONTH,
    REASONS,
    RunResult,
    Verification,
    WhatIf,
    WhatIfRow,
    build_plan,
    check_closable,
    check_runnable,
    close_period,
    create_period,
    create_plan,
    explain_line,
    export_period,
    lines_for,
    month_period,
    next_month,
    order_path,
    parse_month,
    plan_for,
    queue_close,
    queue_run,
    run_period,
    statement_for,
    validate_plan,
    verify_period,
    what_if,
    write_json,
)
from .recording import record_order
from .refunds import cancel_order, refund_lines
from .rules import remove_volume_rule, set_volume_rule

__all__ = [
    "LOCK_KEY",
    "MONTH",
    "REASONS",
    "RunResult",
    "Verification",
    "WhatIf",
    "WhatIfRow",
    "build_plan",
    "cancel_order",
    "check_closable",
    "check_runnable",
    "close_period",
    "create_period",
    "create_plan",
    "explain_line",
    "export_period",
    "lines_for",
    "month_period",
    "next_month",
    "order_path",
    "parse_month",
    "plan_for",
    "queue_close",
    "queue_run",
    "record_order",
    "refund_lines",
    "remove_volume_rule",
    "run_period",
    "set_volume_rule",
    "statement_for",
    "validate_plan",
    "verify_period",
    "what_if",
    "write_json",
]
