"""A year's targets and benchmarks, saved from the targets screen."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction

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
    BenchmarkValue,
    Comparator,
    Indicator,
    Missing,
    PriorityArea,
    Target,
)
from ..rules import validation
from ..rules.calendar import financial_year_label
from ..rules.concurrency import (
    targets_token,
)
from ..rules.validation import ERROR, Issue
from .common import MSG_TARGETS_CHANGED_MEANWHILE, Rejected, same_number

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
    real_user = recorded_user(user)
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
        same_number(existing.number, figure.number)
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
