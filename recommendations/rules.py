"""The tracker's rules, in the council's words, free of Django so they can be unit-tested alone.

"If the Panel confirms acceptance of the items marked as completed they will be removed from the
list. In cases where action on the recommendation is outstanding or the Panel does not accept the
matter has been adequately completed, it will be kept on the list and reported back to the next
meeting. It will remain on the list until such time as the Panel accepts the recommendation as
completed. Rejected recommendations will only be removed from the list after being reported to
the Panel."
"""

from __future__ import annotations

import calendar
from datetime import date
from enum import StrEnum

#: Months the executive has to respond to a recommendation, counted from the meeting.
RESPONSE_MONTHS = 2


class Decision(StrEnum):
    """What the panel decides about an item of the monitoring report at a meeting."""

    ACCEPTED = "accepted"
    NOT_ACCEPTED = "not_accepted"
    REJECTION_NOTED = "rejection_noted"


DECISION_LABELS: dict[Decision, str] = {
    Decision.ACCEPTED: "Accepted as complete",
    Decision.NOT_ACCEPTED: "Not accepted – stays on the list",
    Decision.REJECTION_NOTED: "Rejection noted – leaves the list",
}


class ListReason(StrEnum):
    """Why a recommendation is on the list put to a meeting."""

    OPEN = "open"
    COMPLETE_AWAITING_ACCEPTANCE = "complete_awaiting_acceptance"
    REJECTED_AWAITING_REPORT = "rejected_awaiting_report"


class ResponseState(StrEnum):
    RECEIVED = "received"
    AWAITING = "awaiting"
    OVERDUE = "overdue"


def is_on_list(
    *,
    made_on: date,
    report_date: date,
    accepted_on: date | None,
    rejection_reported_on: date | None,
) -> bool:
    """Whether a recommendation is on the monitoring list put to a meeting held on `report_date`.

    Rule: it was made at an earlier meeting (a meeting does not monitor its own
    recommendations), and it had not left the list before that meeting. It leaves the list at the
    meeting that accepts it as complete, or at the meeting to which its rejection is reported, so
    it is still on the list of that very meeting (that is where the panel decides) and on none
    after it.
    """
    if made_on >= report_date:
        return False
    if accepted_on is not None and accepted_on < report_date:
        return False
    return not (rejection_reported_on is not None and rejection_reported_on < report_date)


def list_reason(*, is_complete: bool, is_rejected: bool) -> ListReason:
    """Why an item that is on the list is there.

    Rule: a complete item waits for the panel to accept it; a rejected one waits to be reported;
    anything else is open (action outstanding).
    """
    if is_complete:
        return ListReason.COMPLETE_AWAITING_ACCEPTANCE
    if is_rejected:
        return ListReason.REJECTED_AWAITING_REPORT
    return ListReason.OPEN


def allowed_decisions(
    *, is_complete: bool, is_rejected: bool, on_list: bool
) -> tuple[Decision, ...]:
    """The decisions the panel may record about an item at a meeting.

    Rule: only items on the list are decided. An item marked complete may be accepted (it leaves
    the list) or not accepted (it stays and is reported back). A rejected item may have its
    rejection noted (it leaves the list). An open item has nothing to decide: it stays on the list
    until its status changes.
    """
    if not on_list:
        return ()
    if is_complete:
        return (Decision.ACCEPTED, Decision.NOT_ACCEPTED)
    if is_rejected:
        return (Decision.REJECTION_NOTED,)
    return ()


def is_overdue(
    *, due_date: date | None, today: date, is_complete: bool, is_rejected: bool, on_list: bool
) -> bool:
    """Whether a recommendation is overdue.

    Rule: it has a due date that has passed, it is still on the list, and it is neither complete
    (waiting for acceptance is not late) nor rejected.
    """
    if due_date is None or not on_list or is_complete or is_rejected:
        return False
    return due_date < today


def add_months(*, on: date, months: int) -> date:
    """The same day `months` later, or the month's last day when that day does not exist."""
    month_index = on.month - 1 + months
    year, month = on.year + month_index // 12, month_index % 12 + 1
    day = min(on.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def default_response_due(*, meeting_date: date) -> date:
    """When the executive's response to a recommendation is due, unless set otherwise.

    Rule: two months after the meeting that made it (31 December → 28 or 29 February).
    """
    return add_months(on=meeting_date, months=RESPONSE_MONTHS)


def response_state(
    *, response_due: date | None, first_response_on: date | None, today: date
) -> ResponseState:
    """Whether the executive has responded to a recommendation.

    Rule: the first "action taken" update is the response. Without one the recommendation is
    awaiting a response, and overdue for one once its response due date has passed.
    """
    if first_response_on is not None:
        return ResponseState.RECEIVED
    if response_due is not None and response_due < today:
        return ResponseState.OVERDUE
    return ResponseState.AWAITING
