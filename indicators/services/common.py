"""What every write to the dataset shares: the errors a service raises when nothing was
saved, and the messages (the command line's user is core.command_line's)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

from ..models import (
    Missing,
)
from ..rules.validation import Issue

MSG_CLEARED = (
    "{indicator}, {month}: the value cannot be left blank once entered; choose a status "
    "(TBC, N/A, Local or Not reported) instead."
)
MSG_PUBLISHED_NEEDS_REVISION = (
    "{indicator}, {month}: the value is published; a performance manager changes it through a "
    "revision (with a reason)."
)
MSG_NOT_IN_AREA = "{indicator} is not an indicator of {area}."
MSG_REASON_REQUIRED = "Give a reason: it is kept in the value's history."
MSG_CONFIRM_WARNINGS = "Check the warnings below, then tick the box and give a reason to save."
MSG_NOTHING_TO_PUBLISH = (
    "Nothing to publish for {panel}, {month}: no value of that month is approved."
)
MSG_PUBLISH_CHECK_STALE = (
    "{panel}, {month}: the values to publish changed after you opened the check (a value was "
    "approved, changed or withdrawn). Nothing has been published. Check the figures below "
    "again, then publish."
)
MSG_NOT_PUBLISHED = (
    "{indicator}, {month}: the value is not published, so it is changed on the entry screen, "
    "not revised."
)
MSG_REVISION_UNCHANGED = "{indicator}, {month}: the revision changes nothing."
MSG_CHANGED_MEANWHILE = (
    "{indicator}, {month}: {who} saved this value at {when}, after you opened the screen; it is "
    "now {now}. Nothing on the screen has been saved. Check your figure against theirs and "
    "save again."
)
MSG_COMMENTARY_CHANGED_MEANWHILE = (
    "Commentary, {month}: {who} saved the commentary at {when}, after you opened the screen. "
    "Nothing on the screen has been saved. Their analysis now reads: “{analysis}”. Take what "
    "you need of theirs into yours and save again."
)
MSG_TARGETS_CHANGED_MEANWHILE = (
    "{indicator}, {year}: {who} saved this target or its benchmarks at {when}, after you opened "
    "the screen. Nothing on the screen has been saved. Open the screen again to see their "
    "figures, or save again to keep yours."
)
MSG_SAVED_AT_THE_SAME_MOMENT = (
    "{indicator}, {month}: someone else saved this value at the same moment. Nothing on the "
    "screen has been saved. Reload the month to see their figure, then save again."
)


class Rejected(ValidationError):
    """Nothing was saved: `issues` lists every error (and any warnings found with them)."""

    def __init__(self, issues: Sequence[Issue]):
        self.issues = list(issues)
        super().__init__([issue.text for issue in self.issues if issue.is_error])


class NeedsConfirmation(ValidationError):
    """Nothing was saved: the figures raise warnings that must be confirmed with a reason."""

    def __init__(self, issues: Sequence[Issue]):
        self.issues = list(issues)
        super().__init__([issue.text for issue in self.issues])


def first_of_month(month: date) -> date:
    return month.replace(day=1)


def status_label(status: str) -> str:
    return Missing(status).label if status else ""


def same_number(number_a: Decimal | None, number_b: Decimal | None) -> bool:
    if number_a is None or number_b is None:
        return number_a is number_b
    return Decimal(number_a) == Decimal(number_b)
