"""Writing an import plan (`indicators.services.import_plan`) in one transaction."""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from core.command_line import recorded_user
from meetings.models import Panel

from .. import permissions
from ..caching import changes_dataset
from ..models import (
    BenchmarkValue,
    Comparator,
    Indicator,
    PriorityArea,
    Publication,
    Target,
    Value,
    ValueRevision,
)
from ..workbook import reading
from . import import_plan
from .bulk import clean_for_bulk, insert_with_history, write_figures
from .common import Rejected

# --- Import ----------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: int = 0
    changed: int = 0
    revised: int = 0
    unchanged: int = 0
    indicators_created: int = 0
    published_months: list[date] = field(default_factory=list)


@changes_dataset
@transaction.atomic
def apply_import(*, user, plan, publish: bool = False) -> ImportResult:
    """Write an import plan (`indicators.services.import_plan.plan_import`) in one transaction.

    Only a performance manager imports. A plan with any error writes nothing (`Rejected`).
    New priority areas, comparators and indicators are created first; values, targets and
    benchmarks are then created or updated in bulk, each change kept in the history with the
    user. Changed values become provisional again; changed published values (allowed only with
    a revision reason) are revised: a `ValueRevision` each, `revised` set. With `publish`, the
    imported values are approved and published at once and each month they fall in gets its
    `Publication`.
    """

    if not permissions.is_performance_manager(user):
        raise PermissionDenied(permissions.MSG_NOT_IMPORTER)
    if plan.errors:
        raise Rejected(plan.issues)
    real_user = recorded_user(user)
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
            kind=import_plan.comparator_kind(name, years.get(name)),
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
        clean_for_bulk(value)
        updates.append(value)
    reason = plan.revision_reason[:100] or "Imported from a workbook"
    if creates:
        insert_with_history(
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
        clean_for_bulk(revision)
    ValueRevision.objects.bulk_create(revisions)
    result.created = len(creates)
    result.revised = len(revisions)
    result.changed = len(updates) - len(revisions)

    write_figures(
        plan.targets,
        model=Target,
        make=lambda w: {"indicator_id": indicators[w.indicator.key].pk, "year": w.year},
        bound=True,
        user=real_user,
        reason=reason,
        key=("indicator_id", "year"),
        now=now,
    )
    write_figures(
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

    if not permissions.is_performance_manager(user):
        raise PermissionDenied(permissions.MSG_NOT_IMPORTER)
    # Tens of thousands of short-lived objects: the cyclic garbage collector would walk them
    # again and again (a third of the time); nothing here makes cycles that need it.
    collecting = gc.isenabled()
    gc.disable()
    try:
        workbook = reading.read_workbook(source)
        plan = import_plan.plan_import(
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
