"""What a council workbook says about each indicator: every cell of its tables read into
figures with where they came from, rows repeated in several tables merged. No database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from ..rules import validation
from ..rules.calendar import (
    financial_year_label,
)
from ..rules.cells import ParsedCell
from ..rules.validation import ERROR, WARNING, Issue, Location
from ..rules.vocabulary import HAS_NUMBER, NOT_REPORTED, TBC
from . import layout_2019
from .reading import LAYOUT_2019, Cell, Row, Table, Workbook, clean_text, normalise

MSG_NO_NAME = "A row with figures has no indicator name."
MSG_OUTTURN_UNKNOWN = "{indicator}: outturn type “{text}” is not NUMBER, PERCENTAGE or RATE."
MSG_TARGET_NOT_FIGURE = (
    "{indicator}: the target “{text}” is not a number, a bound such as <36% or TBC; "
    "no target is imported."
)
MSG_REPEAT_DIFFERS = (
    "{indicator}, {what}: “{later}” differs from “{first}” given at row {row}; the first is kept."
)
MSG_PERCENTAGE_MARK = (
    "{indicator}: “{text}” in the Percentage? column is neither P (a percentage) nor - "
    "(a count or rate)."
)
MSG_REF_TOO_LONG = "{indicator}: the ref “{ref}” is longer than {limit} characters."
REF_LIMIT = 20
OUTTURN_WORDS = {
    "number": "number",
    "count": "number",
    "percentage": "percentage",
    "percent": "percentage",
    "%": "percentage",
    "rate": "rate",
}


# --- Cells -----------------------------------------------------------------------------------

_FOUR_PLACES = Decimal("0.0001")


def read_cell(cell: Cell | None) -> ParsedCell | None:
    """A figure from a cell, or None for no figure (blank or a dash). A number in a percent-
    formatted cell is a fraction (0.21 is 21%). Floats are rounded to 4 decimal places (what
    the database keeps) so that 0.29 × 100 is 29. Raises ValueError for anything else."""
    if cell is None:
        return None
    raw = cell.value
    if isinstance(raw, bool | datetime | date):
        raise ValueError(validation.MSG_UNREADABLE)
    if isinstance(raw, int | float):
        if isinstance(raw, float) and (raw != raw or raw in (float("inf"), float("-inf"))):
            raise ValueError(validation.MSG_UNREADABLE)
        number = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
        if cell.percent:
            number *= 100
        if abs(number) < Decimal(10) ** 12:
            number = number.quantize(_FOUR_PLACES, rounding=ROUND_HALF_UP)
        return ParsedCell(number=number.normalize() if number else Decimal(0))
    text = " ".join(str(raw).split())
    if not text or text in validation.DASHES:
        return None
    if normalise(text) in ("not reported", "not_reported", "nr"):
        return ParsedCell(number=None, status=NOT_REPORTED)
    parsed = validation.read_figure(text)
    if parsed.status == NOT_REPORTED:
        return None
    return parsed


def cell_text(cell: Cell | None) -> str:
    if cell is None:
        return ""
    return clean_text(cell.value)[:60]


# --- Planning ----------------------------------------------------------------------------------


@dataclass
class FigureInFile:
    """One figure read from a cell, with where it came from."""

    cell: ParsedCell
    location: Location


@dataclass
class IndicatorInFile:
    """All that the file says about one indicator (rows repeated in several tables merged)."""

    key: str  # normalised name
    name: str
    ref: str
    outturn: str  # "" when the file does not say
    area: str
    owner: str
    reporter: str
    outcome: str
    location: Location
    decimals: int = 0  # the most decimal places its values are printed with
    outturn_from_name: bool = False  # a rate or count told by its name, not said by the file
    values: dict[date, FigureInFile] = field(default_factory=dict)
    targets: dict[int, FigureInFile] = field(default_factory=dict)
    benchmarks: dict[tuple[str, int], FigureInFile] = field(default_factory=dict)
    derived: list[tuple[str, Cell, date]] = field(default_factory=list)


def collect(workbook: Workbook) -> tuple[list[IndicatorInFile], list[Issue]]:
    """The indicators of the whole file, every cell read; issues name sheet, row and column."""
    issues = list(workbook.issues)
    found: dict[str, IndicatorInFile] = {}
    for table in workbook.tables:
        issues += table.issues
        if any(i.is_error for i in table.issues):
            continue
        for row in table.rows:
            issues += _collect_row(table, row, found)
    return list(found.values()), issues


def _collect_row(table: Table, row: Row, found: dict[str, IndicatorInFile]) -> list[Issue]:
    issues: list[Issue] = []
    name_cell = row.get(table.column("name"))
    name = clean_text(name_cell.value) if name_cell else ""
    first_location = Location(row.sheet, row.location_row, "A")
    if not name:
        return [Issue(ERROR, MSG_NO_NAME, location=first_location)]
    name = name[:300]
    outturn = ""
    from_name = False  # the type is the name's (a rate or a count), not the file's
    outturn_cell = row.get(table.column("outturn"))
    if outturn_cell is not None:
        word = normalise(outturn_cell.value).split(" ")[0] if normalise(outturn_cell.value) else ""
        outturn = OUTTURN_WORDS.get(word, "")
        if not outturn:
            issues.append(
                Issue(
                    ERROR,
                    MSG_OUTTURN_UNKNOWN.format(indicator=name, text=cell_text(outturn_cell)),
                    location=outturn_cell.location,
                )
            )
    flag = row.get(table.column("is_percentage"))
    if not outturn and flag is not None and table.layout == LAYOUT_2019:
        marked = layout_2019.percentage_mark(text=flag.value)
        if marked is None:
            issues.append(
                Issue(
                    ERROR,
                    MSG_PERCENTAGE_MARK.format(indicator=name, text=cell_text(flag)),
                    location=flag.location,
                )
            )
        else:
            outturn = "percentage" if marked else _rate_or_number(name)
            from_name = not marked
    ref_cell = row.get(table.column("ref"))
    ref = clean_text(ref_cell.value) if ref_cell is not None else ""
    if len(ref) > REF_LIMIT:
        issues.append(
            Issue(
                ERROR,
                MSG_REF_TOO_LONG.format(indicator=name, ref=ref[:60], limit=REF_LIMIT),
                location=ref_cell.location,
            )
        )
        ref = ref[:REF_LIMIT]
    # Refs are unique within a dataset and two refs may share a name ("LAC6 (%)" and
    # "LAC6 (val)"), so a row with a ref is that ref's, matched exactly.
    key = f"ref\x00{ref}" if ref else normalise(name)
    entry = found.get(key)
    if entry is None:
        entry = IndicatorInFile(
            key=key,
            name=name,
            ref=ref,
            outturn=outturn,
            outturn_from_name=from_name,
            area=row.area or table.heading or table.sheet,
            owner=cell_text(row.get(table.column("owner"))),
            reporter=cell_text(row.get(table.column("reporter"))),
            outcome=clean_text(getattr(row.get(table.column("outcome")), "value", "")),
            location=name_cell.location if name_cell else first_location,
        )
        found[key] = entry
    elif not entry.outturn:
        entry.outturn, entry.outturn_from_name = outturn, from_name
    year = table.financial_year
    for column in table.columns:
        cell = row.get(column)
        if cell is None or column.kind not in ("month", "target", "comparator", "derived"):
            continue
        if column.kind == "derived":
            entry.derived.append((column.derived, cell, max(c.month for c in table.month_columns)))
            continue
        what = {
            "month": validation.month_label(column.month) if column.month else "",
            "target": f"target {financial_year_label(year=year)}",
        }.get(column.kind, column.heading)
        try:
            parsed = read_cell(cell)
        except ValueError:
            message = validation.MSG_UNREADABLE.format(
                indicator=name, month=what, text=cell_text(cell)
            )
            issues.append(Issue(ERROR, message, location=cell.location))
            continue
        if parsed is None:
            continue
        figure = FigureInFile(parsed, cell.location)
        if column.kind == "month":
            entry.decimals = max(entry.decimals, printed_places(cell, parsed))
            if parsed.bound:
                message = validation.MSG_UNREADABLE.format(
                    indicator=name, month=what, text=cell_text(cell)
                )
                issues.append(Issue(ERROR, message, location=cell.location))
                continue
            issues += _merge(
                entry.values, column.month, figure, name, what, duplicate_is_error=True
            )
        elif column.kind == "target":
            if parsed.status not in (HAS_NUMBER, TBC):
                message = MSG_TARGET_NOT_FIGURE.format(indicator=name, text=cell_text(cell))
                issues.append(Issue(WARNING, message, location=cell.location))
                continue
            issues += _merge(entry.targets, year, figure, name, what)
        else:
            bench_year = column.year if column.year is not None else year - 1
            if parsed.bound:
                message = validation.MSG_UNREADABLE.format(
                    indicator=name, month=what, text=cell_text(cell)
                )
                issues.append(Issue(ERROR, message, location=cell.location))
                continue
            issues += _merge(entry.benchmarks, (column.comparator, bench_year), figure, name, what)
    return issues


def _rate_or_number(name: str) -> str:
    return "rate" if layout_2019.is_rate_name(name=name) else "number"


def printed_places(cell: Cell, parsed: ParsedCell) -> int:
    """The decimal places a figure is printed with: its number format's (`0.0%` → 1), or, for
    text and `General` cells, the figure's own (25.8 → 1); at most the 4 the database keeps."""
    if parsed.number is None:
        return 0
    places = None
    if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
        places = layout_2019.places_of_format(cell.number_format)
    if places is None:
        places = layout_2019.places_of_number(parsed.number)
    return min(places, validation.DECIMAL_PLACES)


def _merge(
    store: dict, key, figure: FigureInFile, name: str, what: str, *, duplicate_is_error=False
):
    first = store.get(key)
    if first is None:
        store[key] = figure
        return []
    if first.cell.same_figure(figure.cell):
        return []
    if duplicate_is_error:
        month = validation.month_label(key)
        return [
            Issue(
                ERROR,
                validation.MSG_DUPLICATE.format(indicator=name, month=month),
                location=figure.location,
            )
        ]
    message = MSG_REPEAT_DIFFERS.format(
        indicator=name,
        what=what,
        later=figure.cell.text,
        first=first.cell.text,
        row=first.location.row,
    )
    return [Issue(WARNING, message, location=figure.location)]
