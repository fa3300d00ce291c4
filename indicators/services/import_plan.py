"""Plan an import of a council workbook against the dataset: nothing is written.

`plan_import(panel=…, workbook=…)` takes what `indicators.workbook` read from the file, matches
its rows to the panel's indicators and comparators, validates every figure
(`indicators.rules.validation`) and works out what would be created, changed and left alone;
`indicators.services.apply_import(plan=…)` then writes a plan without errors in one transaction.
The reading rules (layouts, headings, months, cells) are `indicators.workbook.reading`'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from meetings.models import Person

from ..models import BenchmarkValue, Comparator, Indicator, PriorityArea, Target, Value
from ..rules import validation
from ..rules.calendar import (
    financial_year_label,
    previous_month,
    same_month_previous_year,
)
from ..rules.cells import ParsedCell
from ..rules.change import analysis_series, direction_of_travel, pct_change, twelve_month_stats
from ..rules.figures import figure_text
from ..rules.validation import ERROR, WARNING, Issue, Location
from ..rules.vocabulary import NOT_REPORTED
from ..workbook import layout_2019
from ..workbook.collect import IndicatorInFile, collect, printed_places, read_cell
from ..workbook.reading import DERIVED_LABELS, Workbook, clean_text, normalise
from .checks import check_figure

MSG_OUTTURN_MISSING = (
    "{indicator} is not in the dataset and the file does not say its outturn type "
    "(NUMBER, PERCENTAGE or RATE), so it cannot be created."
)
MSG_OUTTURN_DIFFERS = (
    "{indicator}: the file says {file}, the dataset {dataset}; the dataset's type is kept."
)
MSG_NEW_INDICATOR = "{indicator} is not in the dataset: it will be created ({area})."
MSG_NEW_AREA = "Priority area “{area}” is not in the panel: it will be created."
MSG_NEW_COMPARATOR = "Comparator “{comparator}” is new: it will be created."
MSG_PUBLISHED_CHANGE = (
    "{indicator}, {month}: the published value {old} would become {new}. A performance manager "
    "may revise published values by giving a reason for the revision with the import."
)
MSG_DERIVED_DIFFERS = (
    "{indicator}: “{column}” says {file}, but the values give {computed}; the column is not "
    "imported (it is recomputed)."
)
MSG_PERSON_UNKNOWN = "{indicator}: {role} “{name}” is not a known person; left empty."
MSG_NAME_TAKEN = (
    "{indicator}: another indicator has this name, so the one with ref “{ref}” is created as "
    "“{name}”."
)


# --- Planning against the database -----------------------------------------------------------

CREATE = "create"
CHANGE = "change"
REVISE = "revise"


@dataclass
class Change:
    """One row of the preview: what happens to one figure."""

    action: str  # create, change, revise
    what: str  # value, target, benchmark
    indicator: str
    label: str  # the month, the target's year or the comparator and year
    old: str
    new: str
    location: Location


@dataclass
class ValueWrite:
    indicator: IndicatorInFile
    month: date
    cell: ParsedCell
    existing: Any = None  # a Value, for changes and revisions


@dataclass
class FigureWrite:
    indicator: IndicatorInFile
    year: int
    cell: ParsedCell
    comparator: str = ""  # benchmarks only
    existing: Any = None


@dataclass
class ImportPlan:
    panel: Any
    matched: dict[str, Any] = field(default_factory=dict)  # IndicatorInFile.key -> Indicator
    new_indicators: list[IndicatorInFile] = field(default_factory=list)
    new_areas: list[str] = field(default_factory=list)
    new_comparators: list[str] = field(default_factory=list)
    areas: dict[str, Any] = field(default_factory=dict)  # normalised name -> PriorityArea
    comparators: dict[str, Any] = field(default_factory=dict)  # normalised name -> Comparator
    people: dict[str, Any] = field(default_factory=dict)  # normalised name -> Person
    values: list[ValueWrite] = field(default_factory=list)
    targets: list[FigureWrite] = field(default_factory=list)
    benchmarks: list[FigureWrite] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    issues: list[Issue] = field(default_factory=list)
    revision_reason: str = ""

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if not i.is_error]

    @property
    def has_changes(self) -> bool:
        return bool(
            self.values
            or self.targets
            or self.benchmarks
            or self.new_indicators
            or self.new_areas
            or self.new_comparators
        )

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)

    @property
    def months(self) -> list[date]:
        return sorted({w.month for w in self.values})


def comparator_kind(name: str, year: int | None) -> str:
    """A new comparator's kind, guessed from its heading."""
    key = normalise(name)
    if "neighbour" in key:
        return "neighbours"
    if key in ("england", "national") or "national" in key:
        return "national"
    if "region" in key or "south east" in key or key in ("se", "north west", "london"):
        return "region"
    return "own" if year is not None else "other"


def plan_import(
    *,
    panel,
    workbook: Workbook,
    can_revise: bool = False,
    revision_reason: str = "",
    today: date | None = None,
) -> ImportPlan:
    """What the workbook would do to the panel's dataset, with every error and warning. Reads
    the database (a handful of queries whatever the file's size); writes nothing."""
    today = today or timezone.localdate()
    plan = ImportPlan(panel=panel, revision_reason=revision_reason.strip())
    in_file, plan.issues = collect(workbook)

    indicators = list(Indicator.objects.filter(panel=panel))
    by_ref = {clean_text(i.ref): i for i in indicators if i.ref}
    by_name = {normalise(i.name): i for i in indicators}
    plan.areas = {normalise(a.name): a for a in PriorityArea.objects.filter(panel=panel)}
    plan.comparators = {normalise(c.name): c for c in Comparator.objects.all()}

    taken = set(by_name)
    used: set[int] = set()
    for entry in in_file:
        match = _match(entry, by_ref, by_name, used)
        if match is not None:
            used.add(match.pk)
            plan.matched[entry.key] = match
            guessed = entry.outturn_from_name and match.outturn_type != "percentage"
            if entry.outturn and entry.outturn != match.outturn_type and not guessed:
                plan.issues.append(
                    Issue(
                        WARNING,
                        MSG_OUTTURN_DIFFERS.format(
                            indicator=entry.name,
                            file=entry.outturn.upper(),
                            dataset=match.outturn_type.upper(),
                        ),
                        location=entry.location,
                    )
                )
            continue
        _give_free_name(plan, entry, taken)
        _plan_new_indicator(plan, entry)

    matched_ids = [i.pk for i in plan.matched.values()]
    values: dict[tuple[int, date], Any] = {}
    series: dict[int, dict[date, float | None]] = {}
    for value in Value.objects.filter(indicator_id__in=matched_ids):
        values[(value.indicator_id, value.month)] = value
        series.setdefault(value.indicator_id, {})[value.month] = (
            float(value.number) if value.number is not None else None
        )
    targets = {
        (t.indicator_id, t.year): t for t in Target.objects.filter(indicator_id__in=matched_ids)
    }
    benchmarks = {
        (b.indicator_id, b.comparator_id, b.year): b
        for b in BenchmarkValue.objects.filter(indicator_id__in=matched_ids)
    }
    for entry in in_file:
        indicator = plan.matched.get(entry.key)
        _plan_values(plan, entry, indicator, values, series, can_revise, today)
        _plan_targets(plan, entry, indicator, targets)
        _plan_benchmarks(plan, entry, indicator, benchmarks)
        _check_derived(plan, entry, indicator, series)
    return plan


def _match(entry: IndicatorInFile, by_ref, by_name, used: set[int]):
    """The dataset's indicator a file's indicator is: the one with its ref (exactly as
    written), else the one with its name (case and spacing ignored) unless that one carries
    another ref; an indicator is matched once."""
    if entry.ref and entry.ref in by_ref:
        return by_ref[entry.ref]
    named = by_name.get(normalise(entry.name))
    if named is None or named.pk in used or (entry.ref and named.ref):
        return None
    return named


def _give_free_name(plan: ImportPlan, entry: IndicatorInFile, taken: set[str]) -> None:
    """A new indicator whose name another has (two refs of one name) is named with its ref."""
    if normalise(entry.name) in taken and entry.ref:
        wanted = f" ({entry.ref})"
        name = entry.name[: 300 - len(wanted)] + wanted
        plan.issues.append(
            Issue(
                WARNING,
                MSG_NAME_TAKEN.format(indicator=entry.name, ref=entry.ref, name=name),
                location=entry.location,
            )
        )
        entry.name = name
    taken.add(normalise(entry.name))


def _plan_new_indicator(plan: ImportPlan, entry: IndicatorInFile) -> None:
    if not entry.outturn:
        plan.issues.append(
            Issue(ERROR, MSG_OUTTURN_MISSING.format(indicator=entry.name), location=entry.location)
        )
        return
    # Every indicator in a file has an area: its heading's, else its sheet's.
    if normalise(entry.area) not in plan.areas and entry.area not in plan.new_areas:
        plan.new_areas.append(entry.area)
        plan.issues.append(
            Issue(WARNING, MSG_NEW_AREA.format(area=entry.area), location=entry.location)
        )
    area_label = f"priority area “{entry.area}”"
    plan.new_indicators.append(entry)
    plan.issues.append(
        Issue(
            WARNING,
            MSG_NEW_INDICATOR.format(indicator=entry.name, area=area_label),
            location=entry.location,
        )
    )
    if entry.owner or entry.reporter:
        if not plan.people:
            plan.people = {normalise(p.name): p for p in Person.objects.all()}
            plan.people[""] = None
        for role, name in (("owner", entry.owner), ("reporter", entry.reporter)):
            if name and normalise(name) not in plan.people:
                plan.issues.append(
                    Issue(
                        WARNING,
                        MSG_PERSON_UNKNOWN.format(indicator=entry.name, role=role, name=name),
                        location=entry.location,
                    )
                )


def _stored_text(number, status: str, bound: str = "") -> str:
    return figure_text(number=number, status=status or NOT_REPORTED, bound=bound)


def _same_figure(stored, cell: ParsedCell, *, bound: bool = False) -> bool:
    """Whether a stored value, target or benchmark already says what the cell says."""
    if stored.status != cell.status or (bound and stored.bound != cell.bound):
        return False
    if cell.number is None:
        return stored.number is None
    return stored.number is not None and Decimal(stored.number) == cell.number


def _plan_values(plan, entry, indicator, values, series, can_revise, today) -> None:
    outturn = indicator.outturn_type if indicator is not None else entry.outturn
    known = dict(series.get(indicator.pk, {})) if indicator is not None else {}
    measure = indicator.measure_type if indicator is not None else "snapshot"
    for month in sorted(entry.values):
        figure = entry.values[month]
        cell = figure.cell
        existing = values.get((indicator.pk, month)) if indicator is not None else None
        if existing is not None and _same_figure(existing, cell):
            # Left alone, so not checked again: the rules were met when it was entered.
            plan.unchanged += 1
            known[month] = float(cell.number) if cell.number is not None else None
            continue
        _, found = check_figure(
            indicator=entry.name,
            outturn_type=outturn or "number",
            measure_type=measure,
            month=month,
            today=today,
            number=cell.number,
            status=cell.status,
            series=known,
        )
        plan.issues += [issue.at(figure.location) for issue in found]
        known[month] = float(cell.number) if cell.number is not None else None
        new_text = cell.text
        label = validation.month_label(month)
        if existing is None:
            plan.values.append(ValueWrite(entry, month, cell))
            plan.changes.append(
                Change(CREATE, "value", entry.name, label, "", new_text, figure.location)
            )
            continue
        old_text = _stored_text(existing.number, existing.status)
        if existing.state == Value.State.PUBLISHED:
            if not (can_revise and plan.revision_reason):
                plan.issues.append(
                    Issue(
                        ERROR,
                        MSG_PUBLISHED_CHANGE.format(
                            indicator=entry.name, month=label, old=old_text, new=new_text
                        ),
                        location=figure.location,
                    )
                )
                continue
            plan.values.append(ValueWrite(entry, month, cell, existing))
            plan.changes.append(
                Change(REVISE, "value", entry.name, label, old_text, new_text, figure.location)
            )
            continue
        plan.values.append(ValueWrite(entry, month, cell, existing))
        plan.changes.append(
            Change(CHANGE, "value", entry.name, label, old_text, new_text, figure.location)
        )


def _plan_targets(plan, entry, indicator, targets) -> None:
    outturn = indicator.outturn_type if indicator is not None else entry.outturn
    for year, figure in sorted(entry.targets.items()):
        cell = figure.cell
        label = f"target {financial_year_label(year=year)}"
        if cell.number is not None:
            found = validation.check_number(
                indicator=entry.name,
                outturn_type=outturn or "number",
                period=label,
                number=cell.number,
                field="",
            )
            plan.issues += [issue.at(figure.location) for issue in found]
        existing = targets.get((indicator.pk, year)) if indicator is not None else None
        if existing is not None and (
            existing.status == cell.status
            and existing.bound == cell.bound
            and (
                existing.number is None
                if cell.number is None
                else existing.number is not None and Decimal(existing.number) == cell.number
            )
        ):
            plan.unchanged += 1
            continue
        plan.targets.append(FigureWrite(entry, year, cell, existing=existing))
        old = _stored_text(existing.number, existing.status, existing.bound) if existing else ""
        plan.changes.append(
            Change(
                CHANGE if existing else CREATE,
                "target",
                entry.name,
                financial_year_label(year=year),
                old,
                cell.text,
                figure.location,
            )
        )


def _plan_benchmarks(plan, entry, indicator, benchmarks) -> None:
    for (name, year), figure in sorted(entry.benchmarks.items()):
        cell = figure.cell
        key = normalise(name)
        comparator = plan.comparators.get(key)
        if comparator is None and name not in plan.new_comparators:
            plan.new_comparators.append(name)
            plan.issues.append(
                Issue(WARNING, MSG_NEW_COMPARATOR.format(comparator=name), location=figure.location)
            )
        if cell.number is not None and cell.number < 0:
            plan.issues.append(
                Issue(
                    ERROR,
                    validation.MSG_RATE_NEGATIVE.format(
                        indicator=entry.name, month=name, value=validation.show(cell.number)
                    ),
                    location=figure.location,
                )
            )
        existing = None
        if indicator is not None and comparator is not None:
            existing = benchmarks.get((indicator.pk, comparator.pk, year))
        if (
            existing is not None
            and existing.status == cell.status
            and (
                existing.number is None
                if cell.number is None
                else existing.number is not None and Decimal(existing.number) == cell.number
            )
        ):
            plan.unchanged += 1
            continue
        plan.benchmarks.append(FigureWrite(entry, year, cell, comparator=name, existing=existing))
        label = f"{name} {financial_year_label(year=year)}"
        old = _stored_text(existing.number, existing.status) if existing else ""
        plan.changes.append(
            Change(
                CHANGE if existing else CREATE,
                "benchmark",
                entry.name,
                label,
                old,
                cell.text,
                figure.location,
            )
        )


_DOT_WORDS = {
    "improving": "improving",
    "improved": "improving",
    "better": "improving",
    "worsening": "worsening",
    "worse": "worsening",
    "declining": "worsening",
    "deteriorating": "worsening",
    "no change": "no change",
    "same": "no change",
    "stable": "no change",
    "↔": "no change",
    "→": "no change",
    "=": "no change",
    "up": "up",
    "↑": "up",
    "▲": "up",
    "increase": "up",
    "increasing": "up",
    "down": "down",
    "↓": "down",
    "▼": "down",
    "decrease": "down",
    "decreasing": "down",
}


def _check_derived(plan, entry, indicator, series) -> None:
    """Recompute a 2019 sheet's derived columns for its latest month and warn where they
    disagree with the file, at the precision the file prints them
    (`indicators.workbook.layout_2019`: the council computed them from unrounded figures, so a
    point's difference is none)."""
    if not entry.derived:
        return
    known = dict(series.get(indicator.pk, {})) if indicator is not None else {}
    for month, figure in entry.values.items():
        known[month] = float(figure.cell.number) if figure.cell.number is not None else None
    polarity = indicator.polarity if indicator is not None else "none"
    value_places = indicator.decimals if indicator is not None else entry.decimals
    # As `analyse` says them: of the monthly increments of a year-to-date measure.
    measure = indicator.measure_type if indicator is not None else "snapshot"
    known = analysis_series(series=known, measure_type=measure)
    terms = 2 if measure == "cumulative_ytd" else 1
    for key, cell, month in entry.derived:
        current = known.get(month)
        previous = known.get(previous_month(month=month))
        if key == "dot":
            computed = direction_of_travel(current=current, previous=previous, polarity=polarity)
            said = _DOT_WORDS.get(normalise(cell.value))
            if computed is None or said is None:
                continue
            moved = (
                "no change"
                if computed.value == "no change"
                else ("up" if current > previous else "down")
            )
            if said in ("up", "down") and said == moved:
                continue
            if said == computed.value or (said == "no change" and moved == "no change"):
                continue
            if moved == "no change":
                continue  # equal printed figures may hide a move either way
            shown_file, shown = clean_text(cell.value), computed.label
        else:
            try:
                said_cell = read_cell(cell)
            except ValueError:
                said_cell = None
            if said_cell is None or said_cell.number is None:
                continue
            if _derived_agrees(key, cell, said_cell, known, month, value_places, terms):
                continue
            computed = _derived_number(key, known, month, current, previous)
            if computed is None:
                continue
            shown_file = (
                validation.show(said_cell.number) + ("%" if cell.percent else "")
                if isinstance(cell.value, int | float)
                else clean_text(cell.value)
            )
            shown = validation.show(round(computed, 1)) + ("%" if key.startswith("pct") else "")
        plan.issues.append(
            Issue(
                WARNING,
                MSG_DERIVED_DIFFERS.format(
                    indicator=entry.name,
                    column=DERIVED_LABELS[key],
                    file=shown_file,
                    computed=shown,
                ),
                location=cell.location,
            )
        )


def _derived_agrees(key, cell, said_cell, series, month, value_places, terms) -> bool:
    """Whether a printed change, average or maximum could come from the printed figures.
    A change printed as a bare fraction (0.1 in a General cell) is read as 10% too."""
    readings = [(said_cell.number, printed_places(cell, said_cell))]
    if key.startswith("pct") and not cell.percent:
        readings.append((said_cell.number * 100, max(0, readings[0][1] - 2)))
    current = series.get(month)
    if key.startswith("pct"):
        earlier = series.get(
            previous_month(month=month)
            if key == "pct_prev"
            else same_month_previous_year(month=month)
        )
        if current is None or earlier is None or earlier == 0:
            return True  # nothing to compare with
        return any(
            layout_2019.change_agrees(
                printed=number,
                places=places,
                current=current,
                previous=earlier,
                value_places=value_places,
                terms=terms,
            )
            for number, places in readings
        )
    stats = twelve_month_stats(series=series, month=month)
    computed = stats.average if key == "avg12" else stats.maximum
    if computed is None:
        return True
    return any(
        layout_2019.figure_agrees(
            printed=number,
            places=places,
            computed=computed,
            value_places=value_places,
            terms=terms,
        )
        for number, places in readings
    )


def _derived_number(key, series, month, current, previous) -> float | None:
    if key == "pct_prev":
        return pct_change(current=current, previous=previous)
    if key == "pct_year":
        earlier = series.get(same_month_previous_year(month=month))
        return pct_change(current=current, previous=earlier)
    stats = twelve_month_stats(series=series, month=month)
    return stats.average if key == "avg12" else stats.maximum
