"""Writes to the monthly dataset: entry, approval, publication, revision, targets, import.

Every service is keyword-only and atomic, checks permissions first (raising PermissionDenied
with a message from `indicators.permissions`), validates every row before the first write (the
rules are in `indicators.rules.validation`), calls `full_clean()` on what it saves and records the
user in the model's history.

The states of a value: a value starts **provisional**; a performance manager **approves** it;
publishing a month for a panel makes its approved values **published** (visible to the public
and panel members, who never see the others). Changing a provisional or approved value on the
entry screen makes it provisional again (it needs approving again). A published value changes
only through `revise_value`, which keeps a `ValueRevision` (who, when, old → new, why) and
sets `Value.revised`.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.text import Truncator
from simple_history.utils import bulk_update_with_history

from core.concurrency import (
    NEW_ENTRY,  # noqa: F401
    Outcome,
    outcome,
)
from core.stale_saves import last_change  # the conflict messages name who saved
from meetings.models import Panel

from . import permissions
from .caching import changes_dataset
from .models import (
    HAS_NUMBER,
    BenchmarkValue,
    Commentary,
    Comparator,
    Indicator,
    Missing,
    PriorityArea,
    Publication,
    SpcBreak,
    Target,
    Value,
    ValueRevision,
)
from .rules import validation
from .rules.calendar import financial_year_label
from .rules.change import monthly_increments
from .rules.concurrency import (
    commentary_token,
    entry_token,
    publication_token,
    row_token,
    targets_token,
)
from .rules.validation import ERROR, WARNING, Issue
from .workbook import reading

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


class _CommandLine:
    """The user of `manage.py` commands: trusted as a superuser, recorded as nobody."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    is_staff = True
    pk = None
    username = "command line"

    def __str__(self) -> str:
        return self.username


COMMAND_LINE = _CommandLine()


def _real_user(user):
    return None if user is None or isinstance(user, _CommandLine) else user


def first_of_month(month: date) -> date:
    return month.replace(day=1)


def _status_label(status: str) -> str:
    return Missing(status).label if status else ""


def _same(number_a: Decimal | None, number_b: Decimal | None) -> bool:
    if number_a is None or number_b is None:
        return number_a is number_b
    return Decimal(number_a) == Decimal(number_b)


def history_for_check(
    *, measure_type: str, series: dict[date, Any], month: date, number: Decimal
) -> tuple[list[float], Decimal]:
    """The earlier values and the new value that `validation.check_outlier` compares: the raw
    series, or for a cumulative year-to-date measure its monthly increments. `series` holds
    numbers (Decimal or float) or None, by month."""
    if measure_type != Indicator.MeasureType.CUMULATIVE_YTD:
        return [float(v) for m, v in sorted(series.items()) if m < month and v is not None], number
    earlier = {m: (float(v) if v is not None else None) for m, v in series.items() if m < month}
    increments = monthly_increments(series={**earlier, month: float(number)})
    new = increments.pop(month)
    history = [v for _, v in sorted(increments.items()) if v is not None]
    if new is None:
        return [], number
    return history, validation.to_decimal(round(new, 4)) or number


def _series_by_indicator(indicator_ids: Iterable[int]) -> dict[int, dict[date, Decimal | None]]:
    series: dict[int, dict[date, Decimal | None]] = defaultdict(dict)
    for indicator_id, month, number in Value.objects.filter(
        indicator_id__in=list(indicator_ids)
    ).values_list("indicator_id", "month", "number"):
        series[indicator_id][month] = number
    return series


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
        history, compare = ([], row.number)
        if row.number is not None:
            history, compare = history_for_check(
                measure_type=indicator.measure_type,
                series=series.get(indicator.pk, {}),
                month=month,
                number=row.number,
            )
        number, found = validation.check_value(
            indicator=name,
            outturn_type=indicator.outturn_type,
            month=month,
            today=today,
            number=row.number,
            status_label=_status_label(row.status),
            numerator=row.numerator,
            denominator=row.denominator,
            decimals=indicator.decimals,
            history=history,
            compare=compare,
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
        _same(old.number, number)
        and old.status == row.status
        and _same(old.numerator, row.numerator)
        and _same(old.denominator, row.denominator)
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
    series = _series_by_indicator(ids)
    checked, issues = check_rows(
        rows=rows, month=month, existing=existing, series=series, today=today
    )
    issues += conflicts
    commentary_obj = _prepare_commentary(user=user, area=area, month=month, commentary=commentary)
    if any(i.is_error for i in issues):
        raise Rejected(issues)
    _require_confirmation(issues, confirm_warnings, warning_reason)

    real_user = _real_user(user)
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
    real_user = _real_user(user)
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


@dataclass
class PublishResult:
    publication: Publication
    published: int
    left_provisional: list[Value]


@changes_dataset
@transaction.atomic
def publish_month(*, user, panel: Panel, month: date, seen: str | None = None) -> PublishResult:
    """A performance manager publishes a panel's month: every approved value of the month
    becomes published (with the time), the month's commentary of the panel's areas and
    indicators is published with it, and a `Publication` records the release (once per month;
    publishing again later releases values approved since). Provisional values stay
    unpublished and are returned so the screen can name them. With no approved value, nothing
    happens and a ValidationError says so.

    `seen` is the `publication_token` of the check the manager confirmed (the admin always
    sends it): when the approved values are no longer the ones it showed, nothing is
    published and a ValidationError says so."""
    if not permissions.is_performance_manager(user):
        raise PermissionDenied(permissions.MSG_NOT_PUBLISHER)
    month = first_of_month(month)
    approved = list(
        Value.objects.select_for_update()
        .awaiting_publication(panel=panel, month=month)
        .select_related("indicator")
    )
    label = validation.month_label(month)
    if not approved:
        raise ValidationError(MSG_NOTHING_TO_PUBLISH.format(panel=panel, month=label))
    if seen is not None and seen != publication_token(approved):
        raise ValidationError(MSG_PUBLISH_CHECK_STALE.format(panel=panel, month=label))
    real_user = _real_user(user)
    now = timezone.now()
    for value in approved:
        value.state = Value.State.PUBLISHED
        value.published_at = now
        value.full_clean()
        value._history_user = real_user
        value.save(update_fields=["state", "published_at"])
    commentary = Commentary.objects.filter(month=month).exclude(state=Value.State.PUBLISHED)
    for item in commentary.filter(priority_area__panel=panel) | commentary.filter(
        indicator__panel=panel
    ):
        item.state = Value.State.PUBLISHED
        item._history_user = real_user
        item.save(update_fields=["state"])
    publication, created = Publication.objects.get_or_create(
        panel=panel,
        month=month,
        defaults={"published_at": now, "published_by": real_user},
    )
    if created:
        publication.full_clean()
    return PublishResult(
        publication=publication,
        published=len(approved),
        left_provisional=list(
            Value.objects.filter(
                indicator__panel=panel, month=month, state=Value.State.PROVISIONAL
            ).select_related("indicator")
        ),
    )


@changes_dataset
@transaction.atomic
def revise_value(
    *, user, value: Value, number: Decimal | None, status: str, reason: str, today=None
) -> ValueRevision:
    """A performance manager changes a published value: the reason is required, the new
    figure passes the same rules as on entry, and a `ValueRevision` keeps who, when, the old
    and the new figure, and why. The value stays published and is marked `revised`."""
    if not permissions.is_performance_manager(user):
        raise PermissionDenied(permissions.MSG_NOT_REVISER)
    value = Value.objects.select_for_update().select_related("indicator").get(pk=value.pk)
    indicator = value.indicator
    ctx = {"indicator": str(indicator), "month": validation.month_label(value.month)}
    if value.state != Value.State.PUBLISHED:
        raise Rejected([Issue(ERROR, MSG_NOT_PUBLISHED.format(**ctx), indicator.pk, "number")])
    reason = (reason or "").strip()
    issues = []
    if not reason:
        issues.append(Issue(ERROR, MSG_REASON_REQUIRED, indicator.pk, "reason"))
    if number is None and not status:
        issues.append(Issue(ERROR, MSG_CLEARED.format(**ctx), indicator.pk, "number"))
    else:
        _, found = validation.check_value(
            indicator=str(indicator),
            outturn_type=indicator.outturn_type,
            month=value.month,
            today=today or timezone.localdate(),
            number=number,
            status_label=_status_label(status),
            decimals=indicator.decimals,
            key=indicator.pk,
        )
        issues += [i for i in found if i.is_error]
    if not issues and _same(value.number, number) and value.status == status:
        issues.append(Issue(ERROR, MSG_REVISION_UNCHANGED.format(**ctx), indicator.pk, "number"))
    if issues:
        raise Rejected(issues)
    real_user = _real_user(user)
    revision = ValueRevision(
        value=value,
        revised_by=real_user,
        old_number=value.number,
        old_status=value.status,
        new_number=number,
        new_status=status,
        reason=reason,
    )
    revision.full_clean()
    revision.save()
    value.number = number
    value.status = status
    value.numerator = value.denominator = None
    value.revised = True
    value.full_clean()
    value._history_user = real_user
    value._change_reason = reason[:100]
    value.save()
    return revision


# --- Targets and benchmarks ----------------------------------------------------------------


@dataclass
class Figure:
    """A target or benchmark as entered: a number (with a bound, for a target) or a status."""

    number: Decimal | None
    status: str = HAS_NUMBER
    bound: str = ""


@dataclass
class TargetRow:
    indicator: Indicator
    target: Figure | None  # None: no target for the year
    benchmarks: dict[int, Figure | None] = field(default_factory=dict)  # comparator id -> figure
    # The `targets_token` of the row when the screen was drawn; None skips the check.
    seen: str | None = None


@dataclass
class TargetsResult:
    changed: int = 0
    unchanged: int = 0


def _target_issues(indicator: Indicator, year: int, figure: Figure) -> list[Issue]:
    ctx = {"indicator": str(indicator), "year": financial_year_label(year=year)}
    if figure.status not in (HAS_NUMBER, Missing.TBC):
        message = validation.MSG_TARGET_STATUS.format(**ctx)
        return [Issue(ERROR, message, indicator.pk, "target")]
    if figure.number is None:
        return []
    return validation.check_number(
        indicator=str(indicator),
        outturn_type=indicator.outturn_type,
        period=ctx["year"],
        number=figure.number,
        key=indicator.pk,
        field="target",
    )


@changes_dataset
@transaction.atomic
def save_targets(
    *, user, area: PriorityArea, year: int, rows: Sequence[TargetRow]
) -> TargetsResult:
    """Save an area's targets and benchmarks for one financial year in one transaction.

    A target is a number with an optional bound ("<36%") or TBC; a benchmark a number or a
    status. `None` removes the year's target or benchmark. Same permissions as `save_month`.
    """
    if not permissions.can_enter_data(user) or not permissions.can_edit_area(user, area):
        raise PermissionDenied(permissions.MSG_NOT_YOUR_AREA.format(area=area))
    allowed = set(permissions.editable_indicators(user).values_list("pk", flat=True))
    issues: list[Issue] = []
    for row in rows:
        if row.indicator.pk not in allowed:
            raise PermissionDenied(
                permissions.MSG_NOT_YOUR_INDICATOR.format(indicator=row.indicator)
            )
        if row.target is not None:
            issues += _target_issues(row.indicator, year, row.target)
    if issues:
        raise Rejected(issues)
    ids = [row.indicator.pk for row in rows]
    targets = {
        t.indicator_id: t
        for t in Target.objects.select_for_update().filter(indicator_id__in=ids, year=year)
    }
    benchmarks = {
        (b.indicator_id, b.comparator_id): b
        for b in BenchmarkValue.objects.select_for_update().filter(indicator_id__in=ids, year=year)
    }
    rows = _unchanged_since_drawn(rows=rows, year=year, targets=targets, benchmarks=benchmarks)
    comparators = {c.pk: c for c in Comparator.objects.all()}
    real_user = _real_user(user)
    result = TargetsResult()
    for row in rows:
        changed = _write_figure(
            existing=targets.get(row.indicator.pk),
            figure=row.target,
            make=lambda row=row: Target(indicator=row.indicator, year=year),
            user=real_user,
            with_bound=True,
        )
        for comparator_id, figure in row.benchmarks.items():
            changed += _write_figure(
                existing=benchmarks.get((row.indicator.pk, comparator_id)),
                figure=figure,
                make=lambda row=row, cid=comparator_id: BenchmarkValue(
                    indicator=row.indicator, comparator=comparators[cid], year=year
                ),
                user=real_user,
            )
        if changed:
            result.changed += 1
        else:
            result.unchanged += 1
    return result


def _unchanged_since_drawn(
    *, rows: Sequence[TargetRow], year: int, targets: dict, benchmarks: dict
) -> list[TargetRow]:
    """The rows to save: a row someone else saved after the screen was drawn is skipped when
    this user left it as it was, and refuses the whole screen (`Rejected`) when both changed
    it (`concurrency.outcome`)."""
    keep, issues = [], []
    for row in rows:
        stored_target = targets.get(row.indicator.pk)
        stored = {
            comparator_id: bench
            for (indicator_id, comparator_id), bench in benchmarks.items()
            if indicator_id == row.indicator.pk
        }
        decided = outcome(
            seen=row.seen,
            stored=targets_token(target=stored_target, benchmarks=stored),
            sent=targets_token(target=row.target, benchmarks=row.benchmarks),
        )
        if decided is Outcome.SAVE:
            keep.append(row)
        elif decided is Outcome.CONFLICT:
            who, when = last_change(stored_target or next(iter(stored.values())))
            issues.append(
                Issue(
                    ERROR,
                    MSG_TARGETS_CHANGED_MEANWHILE.format(
                        indicator=row.indicator,
                        year=financial_year_label(year=year),
                        who=who,
                        when=when,
                    ),
                    row.indicator.pk,
                )
            )
    if issues:
        raise Rejected(issues)
    return keep


def _write_figure(*, existing, figure: Figure | None, make, user, with_bound=False) -> int:
    if figure is None:
        if existing is None:
            return 0
        existing._history_user = user
        existing.delete()
        return 1
    bound = figure.bound if with_bound else ""
    if existing is not None and (
        _same(existing.number, figure.number)
        and existing.status == figure.status
        and (not with_bound or existing.bound == bound)
    ):
        return 0
    obj = existing or make()
    obj.number = figure.number
    obj.status = figure.status
    if with_bound:
        obj.bound = bound
    obj.full_clean()
    obj._history_user = user
    obj.save()
    return 1


# --- Import ----------------------------------------------------------------------------------

_FK_FIELDS = ["indicator", "comparator", "entered_by", "approved_by", "value", "revised_by"]


@dataclass
class ImportResult:
    created: int = 0
    changed: int = 0
    revised: int = 0
    unchanged: int = 0
    indicators_created: int = 0
    published_months: list[date] = field(default_factory=list)


def _clean_for_bulk(obj) -> None:
    """Field checks before a bulk write. Foreign keys were resolved by the plan (checking each
    would cost a query a row) and the database enforces the constraints; the rules of
    `indicators.rules.validation` ran on the whole file before the first write."""
    obj.clean_fields(exclude=_FK_FIELDS)


@changes_dataset
@transaction.atomic
def apply_import(*, user, plan, publish: bool = False) -> ImportResult:
    """Write an import plan (`indicators.importers.plan_import`) in one transaction.

    Only a performance manager imports. A plan with any error writes nothing (`Rejected`).
    New priority areas, comparators and indicators are created first; values, targets and
    benchmarks are then created or updated in bulk, each change kept in the history with the
    user. Changed values become provisional again; changed published values (allowed only with
    a revision reason) are revised: a `ValueRevision` each, `revised` set. With `publish`, the
    imported values are approved and published at once and each month they fall in gets its
    `Publication`.
    """
    from . import importers

    if not permissions.is_performance_manager(user):
        raise PermissionDenied(permissions.MSG_NOT_IMPORTER)
    if plan.errors:
        raise Rejected(plan.issues)
    real_user = _real_user(user)
    now = timezone.now()
    panel = plan.panel
    result = ImportResult(unchanged=plan.unchanged)

    areas = dict(plan.areas)
    next_order = max([a.order for a in areas.values()], default=0) + 1
    for name in plan.new_areas:
        area = PriorityArea(panel=panel, name=name[:200], order=next_order)
        next_order += 1
        area.full_clean()
        area.save()
        areas[reading.normalise(name)] = area

    comparators = dict(plan.comparators)
    years = {w.comparator: w.year for w in plan.benchmarks}
    next_order = max([c.order for c in comparators.values()], default=0) + 10
    for name in plan.new_comparators:
        comparator = Comparator(
            name=name[:100],
            kind=importers.comparator_kind(name, years.get(name)),
            order=next_order,
        )
        next_order += 10
        comparator.full_clean()
        comparator.save()
        comparators[reading.normalise(name)] = comparator

    indicators = dict(plan.matched)
    next_order = (
        max(Indicator.objects.filter(panel=panel).values_list("order", flat=True), default=0) + 1
    )
    for entry in plan.new_indicators:
        area = areas.get(reading.normalise(entry.area)) if entry.area else None
        indicator = Indicator(
            panel=panel,
            priority_area=area,
            ref=entry.ref,
            name=entry.name,
            outturn_type=entry.outturn,
            decimals=entry.decimals,
            outcome=entry.outcome,
            owner=plan.people.get(reading.normalise(entry.owner)),
            reporter=plan.people.get(reading.normalise(entry.reporter)),
            order=next_order,
        )
        next_order += 1
        indicator.full_clean()
        indicator._history_user = real_user
        indicator.save()
        if area is not None:
            area.indicators.add(indicator, through_defaults={"order": indicator.order})
        indicators[entry.key] = indicator
        result.indicators_created += 1

    state = Value.State.PUBLISHED if publish else Value.State.PROVISIONAL
    stamps = {
        "state": state,
        "approved_by": real_user if publish else None,
        "approved_at": now if publish else None,
        "published_at": now if publish else None,
    }
    creates, updates, revisions = [], [], []
    user_id = getattr(real_user, "pk", None)
    for write in plan.values:
        cell = write.cell
        if write.existing is None:
            creates.append(
                {
                    "indicator_id": indicators[write.indicator.key].pk,
                    "month": write.month,
                    "number": cell.number,
                    "status": cell.status,
                    "entered_by_id": user_id,
                    "state": stamps["state"],
                    "approved_by_id": user_id if publish else None,
                    "approved_at": stamps["approved_at"],
                    "published_at": stamps["published_at"],
                }
            )
            continue
        value = write.existing
        if value.state == Value.State.PUBLISHED:
            revisions.append(
                ValueRevision(
                    value=value,
                    revised_by=real_user,
                    revised_at=now,
                    old_number=value.number,
                    old_status=value.status,
                    new_number=cell.number,
                    new_status=cell.status,
                    reason=plan.revision_reason,
                )
            )
            value.revised = True
        else:
            for name, stamp in stamps.items():
                setattr(value, name, stamp)
            value.entered_by = real_user
        value.number = cell.number
        value.status = cell.status
        value.numerator = value.denominator = None
        _clean_for_bulk(value)
        updates.append(value)
    reason = plan.revision_reason[:100] or "Imported from a workbook"
    if creates:
        _insert_with_history(
            Value, creates, key=("indicator_id", "month"), user=real_user, reason=reason, now=now
        )
    if updates:
        bulk_update_with_history(
            updates,
            Value,
            [
                "number",
                "status",
                "numerator",
                "denominator",
                "state",
                "revised",
                "entered_by",
                "approved_by",
                "approved_at",
                "published_at",
            ],
            default_user=real_user,
            default_change_reason=reason,
        )
    for revision in revisions:
        _clean_for_bulk(revision)
    ValueRevision.objects.bulk_create(revisions)
    result.created = len(creates)
    result.revised = len(revisions)
    result.changed = len(updates) - len(revisions)

    _write_figures(
        plan.targets,
        model=Target,
        make=lambda w: {"indicator_id": indicators[w.indicator.key].pk, "year": w.year},
        bound=True,
        user=real_user,
        reason=reason,
        key=("indicator_id", "year"),
        now=now,
    )
    _write_figures(
        plan.benchmarks,
        model=BenchmarkValue,
        make=lambda w: {
            "indicator_id": indicators[w.indicator.key].pk,
            "comparator_id": comparators[reading.normalise(w.comparator)].pk,
            "year": w.year,
        },
        bound=False,
        user=real_user,
        reason=reason,
        key=("indicator_id", "comparator_id", "year"),
        now=now,
    )
    result.created += sum(1 for w in [*plan.targets, *plan.benchmarks] if w.existing is None)
    result.changed += sum(1 for w in [*plan.targets, *plan.benchmarks] if w.existing is not None)

    if publish:
        for month in sorted({w.month for w in plan.values}):
            Publication.objects.get_or_create(
                panel=panel, month=month, defaults={"published_at": now, "published_by": real_user}
            )
            result.published_months.append(month)
    return result


def _converter(field):
    """What turns an attribute into a database parameter: only dates, times and decimals need
    anything (the ORM's per-value preparation is what makes bulk_create slow)."""
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return partial(
            ops.adapt_decimalfield_value,
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
        )
    return None


def _executemany(model, fields, params) -> None:
    """Insert rows fast: PostgreSQL's COPY, elsewhere multi-row INSERTs of as many rows as the
    database takes parameters."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for line in params:
                    copy.write_row(line)
            return
        one = "({})".format(", ".join(["%s"] * len(fields)))
        size = max(1, min(500, (connection.features.max_query_params or 30000) // len(fields)))
        for start in range(0, len(params), size):
            batch = params[start : start + size]
            sql = f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([one] * len(batch))
            cursor.execute(sql, [p for line in batch for p in line])


def _insert_with_history(model, rows: list[dict], *, key: tuple[str, ...], user, reason, now):
    """Create rows (dicts by attname; unset fields take their defaults) and a "+" history
    record for each: two executemany INSERTs and one SELECT for the new ids (found by `key`,
    columns unique together). The same rows as `simple_history.utils.bulk_create_with_history`
    writes, several times faster: with the ORM, the second allowed for 250 indicators × 12
    months goes on building model instances and compiling SQL."""
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
    names = [f.attname for f in fields]
    defaults = [now if getattr(f, "auto_now_add", False) else f.get_default() for f in fields]
    converters = [_converter(f) for f in fields]
    caches: list[dict] = [{} for _ in fields]

    def prepared(index: int, item):
        convert = converters[index]
        if convert is None or item is None:
            return item
        cache = caches[index]
        if item not in cache:
            cache[item] = convert(item)
        return cache[item]

    lines = [
        [prepared(i, row.get(name, defaults[i])) for i, name in enumerate(names)] for row in rows
    ]
    _executemany(model, fields, lines)
    first = {row[key[0]] for row in rows}
    ids = {
        tuple(found[1:]): found[0]
        for found in model._default_manager.filter(**{f"{key[0]}__in": first}).values_list(
            "pk", *key
        )
    }
    history_model = model.history.model
    history_fields = [
        f for f in history_model._meta.concrete_fields if not isinstance(f, models.AutoField)
    ]
    prepared_now = _converter(history_model._meta.get_field("history_date"))(now)
    extra = {
        "history_date": prepared_now,
        "history_change_reason": reason,
        "history_type": "+",
        "history_user_id": getattr(user, "pk", None),
    }
    index_of = {name: i for i, name in enumerate(names)}
    plan = [(index_of.get(f.attname), extra.get(f.attname), f.attname) for f in history_fields]
    history_lines = []
    for row, line in zip(rows, lines, strict=True):
        pk = ids[tuple(row[k] for k in key)]
        history_lines.append(
            [
                pk if name == "id" else (line[i] if i is not None else constant)
                for i, constant, name in plan
            ]
        )
    _executemany(history_model, history_fields, history_lines)


def _write_figures(writes, *, model, make, bound: bool, user, reason: str, key, now) -> None:
    """Create (fast, with history) or update (bulk, with history) targets or benchmarks."""
    creates, updates = [], []
    for write in writes:
        cell = write.cell
        if write.existing is None:
            row = {**make(write), "number": cell.number, "status": cell.status}
            if bound:
                row["bound"] = cell.bound
            creates.append(row)
            continue
        obj = write.existing
        obj.number = cell.number
        obj.status = cell.status
        if bound:
            obj.bound = cell.bound
        _clean_for_bulk(obj)
        updates.append(obj)
    if creates:
        _insert_with_history(model, creates, key=key, user=user, reason=reason, now=now)
    if updates:
        fields = ["number", "status", "bound"] if bound else ["number", "status"]
        bulk_update_with_history(
            updates, model, fields, default_user=user, default_change_reason=reason
        )


def import_workbook(
    *,
    user,
    panel: Panel,
    source,
    dry_run: bool = False,
    publish: bool = False,
    revision_reason: str = "",
    today: date | None = None,
    before_write=None,
):
    """Read, plan and (unless `dry_run` or the plan has errors) write a workbook: the one call
    behind the admin's confirm step and `manage.py import_dataset`. Returns (plan, result);
    result is None when nothing was written. Raises `reading.ImportRefused` for an unreadable
    file and PermissionDenied for anyone but a performance manager. `before_write(plan)`, when
    given, is called with a plan free of errors before anything is written or published (the
    command prints what publishing will leave incomplete)."""
    from . import importers

    if not permissions.is_performance_manager(user):
        raise PermissionDenied(permissions.MSG_NOT_IMPORTER)
    # Tens of thousands of short-lived objects: the cyclic garbage collector would walk them
    # again and again (a third of the time); nothing here makes cycles that need it.
    collecting = gc.isenabled()
    gc.disable()
    try:
        workbook = reading.read_workbook(source)
        plan = importers.plan_import(
            panel=panel,
            workbook=workbook,
            can_revise=permissions.is_performance_manager(user),
            revision_reason=revision_reason,
            today=today,
        )
        if plan.errors:
            return plan, None
        if before_write is not None:
            before_write(plan)
        if dry_run:
            return plan, None
        return plan, apply_import(user=user, plan=plan, publish=publish)
    finally:
        if collecting:
            gc.enable()


# --- SPC baselines and rebases ---------------------------------------------------------------

MSG_SPC_REASON_REQUIRED = (
    "Give the reason for the {kind}: the verdict names it and the history keeps it."
)


@changes_dataset
@transaction.atomic
def save_spc_break(
    *,
    user,
    indicator: Indicator,
    month: date,
    kind: str,
    reason: str,
    spc_break: SpcBreak | None = None,
) -> SpcBreak:
    """A performance manager fixes an indicator's SPC limits on a baseline ending at `month`,
    or recalculates them from `month` after a change of system (a rebase), with the reason;
    `spc_break` is the one being changed, if any. The month is taken as its first day; the
    reason is required; history records who did it."""
    if not permissions.is_performance_manager(user):
        raise PermissionDenied(permissions.MSG_NOT_SPC_EDITOR)
    reason = (reason or "").strip()
    if not reason:
        label = "baseline" if kind == SpcBreak.Kind.BASELINE else "rebase"
        raise ValidationError({"reason": MSG_SPC_REASON_REQUIRED.format(kind=label)})
    real_user = _real_user(user)
    held = spc_break or SpcBreak()
    if held.pk is None:
        held.created_by = real_user
    held.indicator = indicator
    held.month = first_of_month(month)
    held.kind = kind
    held.reason = reason
    held.full_clean()
    held._history_user = real_user
    held.save()
    return held


@changes_dataset
@transaction.atomic
def delete_spc_break(*, user, spc_break: SpcBreak) -> None:
    """A performance manager removes a baseline or rebase; its history stays."""
    if not permissions.is_performance_manager(user):
        raise PermissionDenied(permissions.MSG_NOT_SPC_EDITOR)
    spc_break._history_user = _real_user(user)
    spc_break.delete()
