"""Closing a period and issuing its credit notes: what every way of closing does.

The command ``mlm_commission_close``, the dashboard's close job and the API's
queued close (``tasks.close_commission_period``) all call
:func:`close_and_issue_credit_notes`, so they cannot drift apart.
"""

from typing import NamedTuple

from . import commissions, statements


class Closed(NamedTuple):
    period: object
    credit_notes: list


def close_and_issue_credit_notes(period, *, user=None, progress=None, now=None):
    """Close ``period`` (:func:`close_period`), then issue its credit notes; a :class:`Closed`.

    Two transactions, one after the other, on purpose: the close must be the
    outermost one (a single REPEATABLE READ snapshot under the period's lock),
    and a period stays closed if issuing the notes is refused (say, numbering
    busy elsewhere): ``issue_credit_notes(period=...)`` issues the missing ones
    later, as the dashboard's button does.
    """
    period = commissions.close_period(period, user=user, progress=progress, now=now)
    return Closed(period, statements.issue_credit_notes(period=period))
