"""Import the councils' performance workbooks (.xlsx): read, plan, then (in services) write.

The admin's upload and `manage.py import_dataset` run the same three steps:

1. `read_workbook(source)` reads every sheet (openpyxl, read-only, cached values only: formulas
   are never evaluated) into tables of rows, without a database. A broken or non-xlsx file
   raises `ImportRefused` with a message; nothing in a file raises anything else.
2. `plan_import(panel=…, workbook=…)` matches rows to the panel's indicators and comparators,
   validates every figure (`indicators.rules.validation`) and works out what would be created,
   changed and left alone. Nothing is written.
3. `indicators.services.apply_import(plan=…)` writes the plan in one transaction, and only a
   plan without errors: a file with any error writes nothing.

Layouts (both real, both read):

- **2022**: `Indicator | Outturn type | Apr-21 … Feb-22 | Target | <comparators>`; several
  tables on a sheet, each possibly under a priority-area heading (the nearest single-cell row
  above its header). Every column after Target is a comparator: "Southampton 19/20" is the
  comparator "Southampton" for 2019/20 (year 2019); a heading without a year ("Statistical
  Neighbours") is for the year before the table's financial year (the latest published annual
  figures, as the demo loads them).
- **2019** (described once, in `indicators.layout_2019`, which the export writes it from too):
  `Ref | Indicator | Owner | Reporter | Outcome | <13 months> | % change from previous month |
  % change from same month prev. yr | DoT | 12 month average | 12-mnth max value | Percentage? |
  Stat. Neighbour | England | SE region`. Percentage? is `P` for a percentage and `-` for a
  count or rate. The derived columns are not data: they are recomputed with
  `indicators.rules.statistics` for the latest month and compared at the precision the file prints
  them (the council computed them from unrounded figures); only a real disagreement is a
  warning. A note above the benchmark columns ("Updated Mar-19 using 17-18 data") gives
  their year. The rows above the header are the title and notes, never a priority area (a
  title naming another month than the last column is a warning); a heading alone on its row
  below the header (in any column but Indicator) is the area of the rows under it, and blank
rows do not end the table. A
  new indicator marked `-` is a rate when its name says so (`layout_2019.is_rate_name`), else
  a count.

In either layout, an indicator under no area heading is put in the priority area named after
its sheet, so that it shows in the monitoring table; indicators already in the dataset keep
their area and type.

A header row is a row with an "Indicator" cell and at least one month cell. Months may be
written `Apr-21`, `Apr 21`, `April 2021`, `2021-04` or be real dates; a month heading out of
sequence whose month name fits (the council's "Jan-21" between Dec-21 and Feb-22) is read as
the month its position says, with a warning. A 2022 table ends at the first row with a name
but no figure, or a blank row. Values may be numbers, `21%`, 0.21 in a percent-formatted cell,
`TBC`, `N/A`, `Local`, `Not reported`; a blank or `-` is no figure (nothing is written and an
existing value is left alone). Stray spaces and line breaks in headings and cells are ignored.

Indicators are matched by ref, exactly as written ("LAC6 (%)" and "LAC6 (val)" are two), then
by name (case and spacing ignored) when the dataset's indicator of that name has no other ref;
unknown ones are created, with a warning, keeping the decimal places the file prints. An
indicator repeated in several tables (as the council repeats re-referrals) must give the same
value for a month; a differing target or benchmark keeps the first, with a warning.
"""

from __future__ import annotations

import calendar
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from core import workbook_limits

from . import layout_2019
from .rules import calendar as calendar_rules
from .rules import validation
from .rules.calendar import (
    add_months,
    financial_year_label,
    previous_month,
    same_month_previous_year,
)
from .rules.cells import ParsedCell
from .rules.change import analysis_series, direction_of_travel, pct_change, twelve_month_stats
from .rules.figures import figure_text
from .rules.validation import ERROR, WARNING, Issue, Location
from .rules.vocabulary import HAS_NUMBER, NOT_REPORTED, TBC

LAYOUT_2022 = "2022"
LAYOUT_2019 = "2019"

MAX_ROWS = 20_000
MAX_COLUMNS = 200

# --- Messages ------------------------------------------------------------------------------
MSG_NOT_XLSX = (
    "The file is not an Excel workbook (.xlsx) that can be read ({error}). Save it from Excel "
    "as “Excel Workbook (.xlsx)” and upload it again."
)
MSG_NO_TABLE = (
    "No table found: a header row needs an “Indicator” column and at least one month column "
    "(such as Apr-21)."
)
MSG_TOO_BIG = "The sheet has more than {limit} {what}; split it into smaller files."
MSG_NO_NAME = "A row with figures has no indicator name."
MSG_OUTTURN_UNKNOWN = "{indicator}: outturn type “{text}” is not NUMBER, PERCENTAGE or RATE."
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
MSG_MONTH_RESEQUENCED = "Column heading “{text}” is out of sequence; it is read as {month}."
MSG_MONTH_REPEATED = "The month {month} has two columns in the same table."
MSG_COLUMN_IGNORED = "Column “{text}” is not understood and is ignored."
MSG_TARGET_NOT_FIGURE = (
    "{indicator}: the target “{text}” is not a number, a bound such as <36% or TBC; "
    "no target is imported."
)
MSG_REPEAT_DIFFERS = (
    "{indicator}, {what}: “{later}” differs from “{first}” given at row {row}; the first is kept."
)
MSG_PUBLISHED_CHANGE = (
    "{indicator}, {month}: the published value {old} would become {new}. A performance manager "
    "may revise published values by giving a reason for the revision with the import."
)
MSG_DERIVED_DIFFERS = (
    "{indicator}: “{column}” says {file}, but the values give {computed}; the column is not "
    "imported (it is recomputed)."
)
MSG_PERSON_UNKNOWN = "{indicator}: {role} “{name}” is not a known person; left empty."
MSG_PERCENTAGE_MARK = (
    "{indicator}: “{text}” in the Percentage? column is neither P (a percentage) nor - "
    "(a count or rate)."
)
MSG_TITLE_MONTH = (
    "The title “{title}” names {named}, but the last month column is {last}; the columns are "
    "read as they are headed."
)
MSG_REF_TOO_LONG = "{indicator}: the ref “{ref}” is longer than {limit} characters."
MSG_NAME_TAKEN = (
    "{indicator}: another indicator has this name, so the one with ref “{ref}” is created as "
    "“{name}”."
)
REF_LIMIT = 20

OUTTURN_WORDS = {
    "number": "number",
    "count": "number",
    "percentage": "percentage",
    "percent": "percentage",
    "%": "percentage",
    "rate": "rate",
}
#: Spellings of the same comparator in the two layouts.
COMPARATOR_ALIASES = {
    "stat neighbour": "Statistical Neighbours",
    "stat neighbours": "Statistical Neighbours",
    "statistical neighbour": "Statistical Neighbours",
    "statistical neighbours": "Statistical Neighbours",
    "sn": "Statistical Neighbours",
    "sn average": "Statistical Neighbours",
    "se region": "South East",
    "south east region": "South East",
    "south east": "South East",
    "se": "South East",
    "england": "England",
    "national": "England",
}
DERIVED = {
    "% change from previous month": "pct_prev",
    "% change from same month prev yr": "pct_year",
    "% change from same month previous year": "pct_year",
    "dot": "dot",
    "direction of travel": "dot",
    "12 month average": "avg12",
    "12-month average": "avg12",
    "12 mnth average": "avg12",
    "12-mnth max value": "max12",
    "12 mnth max value": "max12",
    "12 month max value": "max12",
    "12-month max value": "max12",
    "12 month maximum": "max12",
    "12-month maximum": "max12",
    "% change from same month last year": "pct_year",
}
DERIVED_LABELS = {
    "pct_prev": layout_2019.PCT_PREV,
    "pct_year": layout_2019.PCT_YEAR,
    "dot": layout_2019.DOT,
    "avg12": layout_2019.AVERAGE,
    "max12": layout_2019.MAXIMUM,
}
PLAIN_COLUMNS = {
    "indicator": "name",
    "indicator name": "name",
    "ref": "ref",
    "reference": "ref",
    "outturn type": "outturn",
    "outturn": "outturn",
    "owner": "owner",
    "reporter": "reporter",
    "outcome": "outcome",
    "target": "target",
    "percentage?": "is_percentage",
    "percentage": "is_percentage",
}
BOILERPLATE = {"what the data tells us", "analysis", "action/next steps", "priority areas"}

_MONTH_NAMES = tuple(name.lower() for name in calendar.month_name[1:])
_MONTH_WORD = re.compile(r"^([a-z]{3,9})\.?[\s\-/'’]*(\d{2}|\d{4})$")
_MONTH_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.]\d{1,2})?(?:[ t].*)?$")
_MONTH_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{4})$")
_YEAR_SUFFIX = re.compile(r"^(?P<name>.*?)[\s\-]*(?P<a>\d{2}|\d{4})\s*[/\-–]\s*(?P<b>\d{2}|\d{4})$")


class ImportRefused(Exception):
    """The file cannot be read at all; `message` says why (nothing was written)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def normalise(text: Any) -> str:
    """Heading or name for matching: stray spaces and line breaks collapsed, case ignored,
    full stops dropped ("Stat. Neighbour" → "stat neighbour")."""
    if text is None:
        return ""
    return " ".join(str(text).replace(".", " ").split()).casefold()


# The 2019 layout's own headings, from its one description (`indicators.layout_2019`), are
# always read as what they are, whatever spellings of other files are listed above.
PLAIN_COLUMNS.update(
    {
        **{
            normalise(heading): kind
            for heading, kind in zip(
                layout_2019.LEAD, ("ref", "name", "owner", "reporter", "outcome"), strict=True
            )
        },
        normalise(layout_2019.PERCENTAGE): "is_percentage",
    }
)
DERIVED.update({normalise(heading): key for key, heading in DERIVED_LABELS.items()})
COMPARATOR_ALIASES.update(
    {normalise(heading): name for heading, name in layout_2019.BENCHMARKS.items()}
)


def clean_text(text: Any) -> str:
    """A name as written, with stray spaces and line breaks collapsed."""
    if text is None:
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    return " ".join(str(text).split())


def parse_month_heading(value: Any) -> date | None:
    """A month column's heading as the first of its month, or None when it is not a month:
    `Apr-21`, `Apr 21`, `April 2021`, `Sept-21`, `2021-04`, `04/2021` or a real date."""
    if isinstance(value, datetime):
        return date(value.year, value.month, 1)
    if isinstance(value, date):
        return value.replace(day=1)
    if not isinstance(value, str):
        return None
    text = " ".join(value.split()).casefold()
    match = _MONTH_WORD.match(text)
    if match:
        word, year = match.groups()
        month = next(
            (i for i, name in enumerate(_MONTH_NAMES, 1) if name.startswith(word)),
            9 if word == "sept" else None,
        )
        if month is None:
            return None
        full_year = int(year) if len(year) == 4 else 2000 + int(year)
        return date(full_year, month, 1) if 1900 < full_year < 2200 else None
    match = _MONTH_ISO.match(text) or None
    if match:
        year, month = int(match.group(1)), int(match.group(2))
    else:
        match = _MONTH_NUMERIC.match(text)
        if not match:
            return None
        month, year = int(match.group(1)), int(match.group(2))
    if 1 <= month <= 12 and 1900 < year < 2200:
        return date(year, month, 1)
    return None


def parse_comparator_heading(text: str) -> tuple[str, int | None]:
    """A comparator column's heading as (name, financial year or None): "Southampton 19/20" →
    ("Southampton", 2019); "Statistical Neighbours" → ("Statistical Neighbours", None). Known
    spellings are mapped to one name ("Stat. Neighbour", "SE region")."""
    cleaned = clean_text(text)
    year = None
    match = _YEAR_SUFFIX.match(cleaned)
    if match and match.group("name").strip():
        first = match.group("a")
        year = int(first) if len(first) == 4 else 2000 + int(first)
        cleaned = match.group("name").strip(" -")
    return COMPARATOR_ALIASES.get(normalise(cleaned), cleaned), year


# --- Reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    index: int
    letter: str
    heading: str
    kind: str  # name, ref, outturn, owner, reporter, outcome, target, is_percentage, month,
    # comparator, derived, ignored
    month: date | None = None
    comparator: str = ""
    year: int | None = None
    derived: str = ""


@dataclass
class Cell:
    value: Any
    percent: bool
    location: Location
    number_format: str = ""


@dataclass
class Row:
    location_row: int
    sheet: str
    cells: dict[int, Cell]  # column index -> cell
    area: str = ""  # a 2019 sheet's area heading above the row, below the header

    def get(self, column: Column | None) -> Cell | None:
        if column is None:
            return None
        return self.cells.get(column.index)


@dataclass
class Table:
    sheet: str
    header_row: int
    layout: str
    columns: list[Column]
    heading: str = ""
    rows: list[Row] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def column(self, kind: str) -> Column | None:
        return next((c for c in self.columns if c.kind == kind), None)

    @property
    def month_columns(self) -> list[Column]:
        return [c for c in self.columns if c.kind == "month"]

    @property
    def financial_year(self) -> int:
        """The financial year of the table's latest month: its targets' year."""
        return calendar_rules.financial_year(month=max(c.month for c in self.month_columns))


@dataclass
class Workbook:
    tables: list[Table]
    issues: list[Issue]


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _is_percent_format(number_format: Any) -> bool:
    return isinstance(number_format, str) and "%" in number_format


def read_workbook(source: str | Path | bytes | Any) -> Workbook:
    """Every table of every sheet of an .xlsx file (a path, bytes or a file object).

    Raises `ImportRefused` when the file is not a readable workbook or holds no table."""
    import openpyxl

    if isinstance(source, bytes):
        source = io.BytesIO(source)
    try:
        if not zipfile.is_zipfile(source):
            raise ImportRefused(MSG_NOT_XLSX.format(error="it is not a zip package"))
        if hasattr(source, "seek"):
            source.seek(0)
        # Before openpyxl unpacks anything: a small file can unpack to gigabytes.
        workbook_limits.check_workbook(source, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)
        book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except ImportRefused:
        raise
    except workbook_limits.WorkbookTooLarge as error:
        raise ImportRefused(error.message) from error
    except Exception as error:  # openpyxl raises many kinds for a damaged package
        raise ImportRefused(MSG_NOT_XLSX.format(error=type(error).__name__)) from error
    tables: list[Table] = []
    issues: list[Issue] = []
    try:
        for sheet in book.worksheets:
            found, sheet_issues = _read_sheet(sheet)
            tables += found
            issues += sheet_issues
    except ImportRefused:
        raise
    except Exception as error:
        raise ImportRefused(MSG_NOT_XLSX.format(error=type(error).__name__)) from error
    finally:
        book.close()
    if not tables:
        raise ImportRefused(MSG_NO_TABLE)
    return Workbook(tables=tables, issues=issues)


def _sheet_rows(sheet) -> Iterable[tuple[int, list[tuple[Any, str]]]]:
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()
    for number, row in enumerate(sheet.iter_rows(), start=1):
        if number > MAX_ROWS:
            raise ImportRefused(MSG_TOO_BIG.format(limit=MAX_ROWS, what="rows"))
        if len(row) > MAX_COLUMNS and any(
            getattr(c, "value", None) not in (None, "") for c in row[MAX_COLUMNS:]
        ):
            raise ImportRefused(MSG_TOO_BIG.format(limit=MAX_COLUMNS, what="columns"))
        cells = [
            (getattr(c, "value", None), getattr(c, "number_format", None) or "")
            for c in row[:MAX_COLUMNS]
        ]
        yield number, cells


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_sheet(sheet) -> tuple[list[Table], list[Issue]]:
    """The sheet's tables. A 2022 table's priority area is the heading just above its header.
    A 2019 sheet (a header with Ref and Indicator) runs from its header to the end of the
    sheet, over blank rows: the rows above its header are the workbook's title and notes,
    never an area, and a heading on a row of its own below the header (in any column but
    Indicator) is the area of the rows under it."""
    title = str(sheet.title)
    tables: list[Table] = []
    issues: list[Issue] = []
    current: Table | None = None
    last_text: tuple[int, str] | None = None  # the latest single-cell row: a heading candidate
    note: tuple[int, int] | None = None  # the latest benchmark note: (row, its year)
    above: list[Cell] = []  # text cells since the last table: a 2019 header's title rows
    area = ""  # in a 2019 table, the latest area heading
    for number, cells in _sheet_rows(sheet):
        filled = [(i, v) for i, (v, _) in enumerate(cells) if not _blank(v)]
        if not filled:
            if current is not None and current.layout != LAYOUT_2019:
                current = None
            continue
        header = _header(title, number, [v for v, _ in cells])
        if header is not None:
            if header.layout == LAYOUT_2019:
                _check_title_month(header, above)
            elif last_text is not None and number - last_text[0] <= 3:
                header.heading = last_text[1]
            if note is not None and number - note[0] <= 3:
                _apply_benchmark_note(header, note[1])
            tables.append(header)
            current, area, above = header, "", []
            continue
        if current is not None:
            row = Row(
                location_row=number,
                sheet=title,
                cells={
                    i: Cell(v, _is_percent_format(fmt), Location(title, number, _letter(i)), fmt)
                    for i, (v, fmt) in enumerate(cells)
                    if not _blank(v)
                },
                area=area,
            )
            if _is_data_row(current, row):
                current.rows.append(row)
                continue
            if current.layout == LAYOUT_2019:
                # A name alone in the Indicator column is an indicator with no figures yet,
                # not a heading.
                name_column = current.column("name")
                if all(i != name_column.index for i, _ in filled):
                    area = _heading_text(filled) or area
                continue
            current = None
        above += [
            Cell(v, False, Location(title, number, _letter(i)))
            for i, v in filled
            if isinstance(v, str)
        ]
        noted = next(
            (
                year
                for _, v in filled
                if (year := layout_2019.benchmark_note_year(text=v)) is not None
            ),
            None,
        )
        if noted is not None:
            note = (number, noted)
            continue  # a note about the benchmarks is not a priority area's heading
        heading = _heading_text(filled)
        if heading:
            last_text = (number, heading)
    return tables, issues


def _heading_text(filled: list[tuple[int, Any]]) -> str:
    """A priority area's heading: text alone on its row, other than the tables' boilerplate
    ("Analysis", "Page 2") and a note about the benchmarks; "" for any other row."""
    if len(filled) != 1 or not isinstance(filled[0][1], str):
        return ""
    text = clean_text(filled[0][1])
    key = normalise(text)
    if key in BOILERPLATE or re.match(r"^page \d+$", key):
        return ""
    if layout_2019.benchmark_note_year(text=text) is not None:
        return ""
    return text


def _check_title_month(table: Table, title_cells: list[Cell]) -> None:
    """Warn when the title above a 2019 header names another month than its last month
    column (`layout_2019.title_month`)."""
    last = max(c.month for c in table.month_columns)
    for cell in title_cells:
        named = layout_2019.title_month(text=cell.value)
        if named is None:
            continue
        if named != last:
            table.issues.append(
                Issue(
                    WARNING,
                    MSG_TITLE_MONTH.format(
                        title=clean_text(cell.value),
                        named=validation.month_label(named),
                        last=validation.month_label(last),
                    ),
                    location=cell.location,
                )
            )
        return  # the first title naming a month is the title


def _apply_benchmark_note(table: Table, year: int) -> None:
    """Comparator columns without a year of their own take the note's year."""
    table.columns = [
        replace(c, year=year) if c.kind == "comparator" and c.year is None else c
        for c in table.columns
    ]


def _header(sheet: str, number: int, values: list[Any]) -> Table | None:
    names = [normalise(v) if isinstance(v, str) else "" for v in values]
    if "indicator" not in names and "indicator name" not in names:
        return None
    if not any(parse_month_heading(v) for v in values):
        return None
    layout = LAYOUT_2022 if "outturn type" in names else LAYOUT_2019
    columns: list[Column] = []
    issues: list[Issue] = []
    after_target = False
    after_months = False
    for index, value in enumerate(values):
        if _blank(value):
            continue
        heading = clean_text(value)
        letter = _letter(index)
        key = normalise(value)
        month = parse_month_heading(value)
        where = Location(sheet, number, letter)
        if month is not None and not after_target:
            columns.append(Column(index, letter, heading, "month", month=month))
            after_months = True
        elif key in PLAIN_COLUMNS:
            kind = PLAIN_COLUMNS[key]
            columns.append(Column(index, letter, heading, kind))
            after_target = after_target or kind == "target"
        elif key.replace("  ", " ") in DERIVED or key.rstrip("?") in DERIVED:
            columns.append(
                Column(index, letter, heading, "derived", derived=DERIVED[key.rstrip("?")])
            )
        elif after_target or (after_months and layout == LAYOUT_2019) or key in COMPARATOR_ALIASES:
            name, year = parse_comparator_heading(heading)
            if name:
                columns.append(
                    Column(index, letter, heading, "comparator", comparator=name, year=year)
                )
        else:
            columns.append(Column(index, letter, heading, "ignored"))
            issues.append(Issue(WARNING, MSG_COLUMN_IGNORED.format(text=heading), location=where))
    if not any(c.kind == "month" for c in columns) or not any(c.kind == "name" for c in columns):
        return None  # months only after Target are not a table's months
    table = Table(sheet=sheet, header_row=number, layout=layout, columns=columns, issues=issues)
    _resequence_months(table)
    return table


def _resequence_months(table: Table) -> None:
    """Read a month heading that breaks the sequence, but whose month name fits it, as the
    month its position says (the seed's "Jan-21" between Dec-21 and Feb-22); report a month
    given twice."""
    months = table.month_columns
    fixed: dict[int, Column] = {}
    for before, column, after in zip(
        [None, *months[:-1]], months, [*months[1:], None], strict=False
    ):
        if before is None or column.month is None:
            continue
        expected = add_months(month=fixed.get(before.index, before).month, count=1)
        if column.month == expected or column.month.month != expected.month:
            continue
        if after is not None and after.month != add_months(month=expected, count=1):
            continue
        fixed[column.index] = Column(
            column.index, column.letter, column.heading, "month", month=expected
        )
        table.issues.append(
            Issue(
                WARNING,
                MSG_MONTH_RESEQUENCED.format(
                    text=column.heading, month=validation.month_label(expected)
                ),
                location=Location(table.sheet, table.header_row, column.letter),
            )
        )
    if fixed:
        table.columns = [fixed.get(c.index, c) for c in table.columns]
    seen: set[date] = set()
    for column in table.month_columns:
        if column.month in seen:
            table.issues.append(
                Issue(
                    ERROR,
                    MSG_MONTH_REPEATED.format(month=validation.month_label(column.month)),
                    location=Location(table.sheet, table.header_row, column.letter),
                )
            )
        seen.add(column.month)


def _is_data_row(table: Table, row: Row) -> bool:
    """A row of the table: any cell other than the name (and a 2019 row's ref) is filled."""
    kinds = {c.index: c.kind for c in table.columns}
    return any(kinds.get(i, "ignored") not in ("name", "ignored") for i in row.cells) and any(
        kinds.get(i) not in ("name", "ref", "ignored", None) for i in row.cells
    )


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
    from django.utils import timezone

    from .models import BenchmarkValue, Comparator, Indicator, PriorityArea, Target, Value

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
        from meetings.models import Person

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
    from .models import Missing, Value
    from .services import history_for_check

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
        history: list[float] = []
        compare = cell.number
        if cell.number is not None:
            history, compare = history_for_check(
                measure_type=measure, series=known, month=month, number=cell.number
            )
        _, found = validation.check_value(
            indicator=entry.name,
            outturn_type=outturn or "number",
            month=month,
            today=today,
            number=cell.number,
            status_label=Missing(cell.status).label if cell.status else "",
            history=history,
            compare=compare,
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
    disagree with the file, at the precision the file prints them (`indicators.layout_2019`:
    the council computed them from unrounded figures, so a point's difference is none)."""
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
