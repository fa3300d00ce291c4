"""Monthly entry and approval: a priority area's figures saved for a month, then approved."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator

from core.command_line import recorded_user
from core.concurrency import (
    Outcome,
    outcome,
)
from core.stale_saves import last_change  # the conflict messages name who saved

from .. import permissions
from ..caching import changes_dataset
from ..models import (
    HAS_NUMBER,
    Commentary,
    Indicator,
    PriorityArea,
    Value,
)
from ..rules import validation
from ..rules.concurrency import (
    commentary_token,
    entry_token,
    row_token,
)
from ..rules.validation import ERROR, WARNING, Issue
from .checks import check_figure, series_by_indicator
from .common import (
    MSG_CHANGED_MEANWHILE,
    MSG_CLEARED,
    MSG_COMMENTARY_CHANGED_MEANWHILE,
    MSG_CONFIRM_WARNINGS,
    MSG_NOT_IN_AREA,
    MSG_PUBLISHED_NEEDS_REVISION,
    MSG_REASON_REQUIRED,
    MSG_SAVED_AT_THE_SAME_MOMENT,
    NeedsConfirmation,
    Rejected,
    first_of_month,
    same_number,
)

# --- Monthly entry -------------------------------------------------------------------------


@dataclass
class EntryRow:
    """One row of the entry screen: a number or a status, with an optional fraction. A row
    with none of them is left alone."""

    indicator: Indicator
    number: Decimal | None = None
    status: str = HAS_NUMBER
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    # The `entry_token` of the value when the screen was drawn; None skips the check.
    seen: str | None = None

    @property
    def is_blank(self) -> bool:
        return (
            self.number is None
            and not self.status
            and self.numerator is None
            and self.denominator is None
        )


@dataclass
class CommentaryInput:
    analysis: str = ""
    actions: str = ""
    seen: str | None = None


def _sort_out_concurrent_saves(
    *, rows: Sequence[EntryRow], existing: dict[int, Value], month: date
) -> tuple[list[EntryRow], list[Issue]]:
    """The rows to save, and an issue for each row both this officer and someone else changed
    since the screen was drawn (`concurrency.outcome`)."""
    keep, issues = [], []
    for row in rows:
        old = existing.get(row.indicator.pk)
        decided = outcome(seen=row.seen, stored=entry_token(old), sent=row_token(row))
        if decided is Outcome.SAVE:
            keep.append(row)
        elif decided is Outcome.CONFLICT:
            who, when = last_change(old)
            text = MSG_CHANGED_MEANWHILE.format(
                indicator=row.indicator,
                month=validation.month_label(month),
                who=who,
                when=when,
                now=old.display,
            )
            issues.append(Issue(ERROR, text, row.indicator.pk, "number"))
    return keep, issues


@dataclass
class SaveResult:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    commentary_saved: bool = False
    warnings: list[Issue] = field(default_factory=list)


def area_indicators(area: PriorityArea):
    """The indicators entered on an area's screen: those whose home is the area, in order."""
    return Indicator.objects.filter(priority_area=area, is_active=True).order_by("order", "name")


def check_rows(
    *, rows: Sequence[EntryRow], month: date, existing: dict[int, Value], series, today: date
) -> tuple[list[tuple[EntryRow, Decimal | None]], list[Issue]]:
    """Validate every row of a month (rules in `indicators.rules.validation`, plus: a value once
    entered is not blanked, a published value is not changed here). Returns the rows to write
    with the number to store, and the issues."""
    by_name = {str(row.indicator): row.indicator.pk for row in rows}
    issues = [
        Issue(i.level, i.message, by_name[i.key], i.field)
        for i in validation.find_duplicates(keys=[(str(row.indicator), month) for row in rows])
    ]
    checked = []
    for row in rows:
        indicator = row.indicator
        name = str(indicator)
        old = existing.get(indicator.pk)
        ctx = {"indicator": name, "month": validation.month_label(month)}
        if row.is_blank:
            if old is not None:
                issues.append(Issue(ERROR, MSG_CLEARED.format(**ctx), indicator.pk, "number"))
            continue
        number, found = check_figure(
            indicator=name,
            outturn_type=indicator.outturn_type,
            measure_type=indicator.measure_type,
            month=month,
            today=today,
            number=row.number,
            status=row.status,
            numerator=row.numerator,
            denominator=row.denominator,
            decimals=indicator.decimals,
            series=series.get(indicator.pk, {}),
            key=indicator.pk,
        )
        issues += found
        if old is not None and _changes(old, number, row) and old.state == Value.State.PUBLISHED:
            issues.append(
                Issue(ERROR, MSG_PUBLISHED_NEEDS_REVISION.format(**ctx), indicator.pk, "number")
            )
        checked.append((row, number))
    return checked, issues


def _changes(old: Value, number: Decimal | None, row: EntryRow) -> bool:
    return not (
        same_number(old.number, number)
        and old.status == row.status
        and same_number(old.numerator, row.numerator)
        and same_number(old.denominator, row.denominator)
    )


def _require_confirmation(issues: list[Issue], confirm_warnings: bool, reason: str) -> None:
    warnings = [i for i in issues if i.level == WARNING]
    if warnings and not (confirm_warnings and reason.strip()):
        prompt = Issue(WARNING, MSG_REASON_REQUIRED if confirm_warnings else MSG_CONFIRM_WARNINGS)
        raise NeedsConfirmation([prompt, *warnings])


@changes_dataset
@transaction.atomic
def save_month(
    *,
    user,
    area: PriorityArea,
    month: date,
    rows: Sequence[EntryRow],
    commentary: CommentaryInput | None,
    confirm_warnings: bool = False,
    warning_reason: str = "",
    today: date | None = None,
) -> SaveResult:
    """Save one priority area's month in one transaction: each row's value and the area's
    commentary (analysis, actions/next steps).

    The user must be allowed to edit the area and every indicator in `rows`. Every row is
    validated first; any error raises `Rejected` and nothing is written. Warnings (a value far
    outside the indicator's history) raise `NeedsConfirmation` unless `confirm_warnings` is
    true and `warning_reason` is given; the reason is kept in the values' history. A changed
    provisional or approved value becomes provisional; a published one is never changed here.
    """
    if not permissions.can_enter_data(user) or not permissions.can_edit_area(user, area):
        raise PermissionDenied(permissions.MSG_NOT_YOUR_AREA.format(area=area))
    month = first_of_month(month)
    today = today or timezone.localdate()
    allowed = set(permissions.editable_indicators(user).values_list("pk", flat=True))
    for row in rows:
        if row.indicator.pk not in allowed:
            raise PermissionDenied(
                permissions.MSG_NOT_YOUR_INDICATOR.format(indicator=row.indicator)
            )
        if row.indicator.priority_area_id != area.pk:
            raise PermissionDenied(MSG_NOT_IN_AREA.format(indicator=row.indicator, area=area))

    ids = [row.indicator.pk for row in rows]
    existing = {
        v.indicator_id: v
        for v in Value.objects.select_for_update().filter(indicator_id__in=ids, month=month)
    }
    rows, conflicts = _sort_out_concurrent_saves(rows=rows, existing=existing, month=month)
    series = series_by_indicator(ids)
    checked, issues = check_rows(
        rows=rows, month=month, existing=existing, series=series, today=today
    )
    issues += conflicts
    commentary_obj = _prepare_commentary(user=user, area=area, month=month, commentary=commentary)
    if any(i.is_error for i in issues):
        raise Rejected(issues)
    _require_confirmation(issues, confirm_warnings, warning_reason)

    real_user = recorded_user(user)
    reason = warning_reason.strip() if confirm_warnings else ""
    result = SaveResult(warnings=[i for i in issues if i.level == WARNING])
    for row, number in checked:
        old = existing.get(row.indicator.pk)
        if old is not None and not _changes(old, number, row):
            result.unchanged += 1
            continue
        value = old or Value(indicator=row.indicator, month=month)
        value.number = number
        value.status = row.status
        value.numerator = row.numerator
        value.denominator = row.denominator
        value.state = Value.State.PROVISIONAL
        value.approved_by = None
        value.approved_at = None
        value.entered_by = real_user
        value._history_user = real_user
        if reason:
            value._change_reason = reason[:100]
        if old is None:
            _insert_new_value(value, month=month)
            result.created += 1
        else:
            value.full_clean()
            value.save()
            result.changed += 1
    if commentary_obj is not None:
        commentary_obj.full_clean()
        commentary_obj._history_user = real_user
        commentary_obj.save()
        result.commentary_saved = True
    return result


def _insert_new_value(value: Value, *, month: date) -> None:
    """Insert a value no one had entered when the screen was drawn. Another officer's save of
    the same month can commit between our read and this insert; the unique (indicator, month)
    constraint then refuses it, and the whole month is refused rather than half-saved."""
    try:
        with transaction.atomic():
            value.full_clean()
            value.save()
    except (IntegrityError, ValidationError) as error:
        taken = Value.objects.filter(indicator_id=value.indicator_id, month=month).exists()
        if isinstance(error, ValidationError) and not taken:
            raise
        raise Rejected(
            [
                Issue(
                    ERROR,
                    MSG_SAVED_AT_THE_SAME_MOMENT.format(
                        indicator=value.indicator, month=validation.month_label(month)
                    ),
                    value.indicator_id,
                    "number",
                )
            ]
        ) from error


def _prepare_commentary(
    *, user, area: PriorityArea, month: date, commentary: CommentaryInput | None
) -> Commentary | None:
    """The area's commentary object to save, or None when nothing changes. Refused when someone
    else changed it after the screen was drawn (see `entry_token`)."""
    if commentary is None:
        return None
    analysis_text = commentary.analysis.strip()
    actions_text = commentary.actions.strip()
    obj = Commentary.objects.select_for_update().filter(priority_area=area, month=month).first()
    decided = outcome(
        seen=commentary.seen, stored=commentary_token(obj), sent=commentary_token(commentary)
    )
    if decided is Outcome.KEEP_THEIRS:
        return None
    if decided is Outcome.CONFLICT:
        who, when = last_change(obj)
        raise Rejected(
            [
                Issue(
                    ERROR,
                    MSG_COMMENTARY_CHANGED_MEANWHILE.format(
                        month=validation.month_label(month),
                        who=who,
                        when=when,
                        analysis=Truncator(obj.analysis).chars(300),
                    ),
                )
            ]
        )
    if obj is None:
        if not analysis_text and not actions_text:
            return None
        obj = Commentary(priority_area=area, month=month)
    elif obj.analysis == analysis_text and obj.actions == actions_text:
        return None
    if obj.state == Value.State.PUBLISHED and not permissions.is_performance_manager(user):
        raise PermissionDenied(
            permissions.MSG_PUBLISHED_COMMENTARY.format(month=validation.month_label(month))
        )
    obj.analysis = analysis_text
    obj.actions = actions_text
    return obj


# --- Approval and publication --------------------------------------------------------------


@changes_dataset
@transaction.atomic
def approve_values(*, user, values: Iterable[Value]) -> int:
    """A performance manager approves provisional values (others are left as they are).
    Returns how many were approved."""
    if not permissions.is_performance_manager(user):
        raise PermissionDenied(permissions.MSG_NOT_APPROVER)
    real_user = recorded_user(user)
    now = timezone.now()
    count = 0
    for value in values:
        if value.state != Value.State.PROVISIONAL:
            continue
        value.state = Value.State.APPROVED
        value.approved_by = real_user
        value.approved_at = now
        value.full_clean()
        value._history_user = real_user
        value.save(update_fields=["state", "approved_by", "approved_at"])
        count += 1
    return count


@changes_dataset
@transaction.atomic
def save_value(*, user, value: Value, reason: str = "") -> Value:
    """One value saved from the admin's change form (already checked by `checks.check_figure`,
    warnings confirmed): as a save on the entry screen, it becomes provisional again, entered
    by the user, and needs approving again; a published value changes only by revision."""
    if not permissions.can_edit_indicator(user, value.indicator_id):
        raise PermissionDenied(permissions.MSG_NOT_YOUR_INDICATOR.format(indicator=value.indicator))
    if value.pk is not None and value.state == Value.State.PUBLISHED:
        raise Rejected(
            [
                Issue(
                    ERROR,
                    MSG_PUBLISHED_NEEDS_REVISION.format(
                        indicator=value.indicator, month=validation.month_label(value.month)
                    ),
                )
            ]
        )
    real_user = recorded_user(user)
    value.state = Value.State.PROVISIONAL
    value.approved_by = None
    value.approved_at = None
    value.entered_by = real_user
    value._history_user = real_user
    if reason.strip():
        value._change_reason = reason.strip()[:100]
    value.full_clean()
    value.save()
    return value
