"""Every state change of volumes and commissions, importable as ``mlm_commissions.services``.

By concern: :mod:`.commissions` (plans, periods, runs, close, verification,
what-if and the reads of statement pages).
"""

from .commissions import (  # noqa: F401
    LOCK_KEY,
    MONTH,
    REASONS,
    RunResult,
    Verification,
    WhatIf,
    WhatIfRow,
    build_plan,
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
    queue_run,
    run_period,
    statement_for,
    validate_plan,
    verify_period,
    what_if,
    write_json,
)
