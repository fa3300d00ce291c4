"""Read the councils' performance workbooks (.xlsx); the import then plans and writes them.

The admin's upload and `manage.py import_dataset` run the same three steps:

1. `read_workbook(source)` reads every sheet (openpyxl, read-only, cached values only: formulas
   are never evaluated) into tables of rows, without a database. A broken or non-xlsx file
   raises `ImportRefused` with a message; nothing in a file raises anything else.
2. `indicators.services.import_plan.plan_import(panel=…, workbook=…)` matches rows to the
   panel's indicators and comparators, validates every figure (`indicators.rules.validation`) and
   works out what would be created, changed and left alone. Nothing is written.
3. `indicators.services.apply_import(plan=…)` writes the plan in one transaction, and only a
   plan without errors: a file with any error writes nothing.

Layouts (both real, both read):

- **2022**: `Indicator | Outturn type | Apr-21 … Feb-22 | Target | <comparators>`; several
  tables on a sheet, each possibly under a priority-area heading (the nearest single-cell row
  above its header). Every column after Target is a comparator: "Southampton 19/20" is the
  comparator "Southampton" for 2019/20 (year 2019); a heading without a year ("Statistical
  Neighbours") is for the year before the table's financial year (the latest published annual
  figures, as the demo loads them).
- **2019** (described once, in `indicators.workbook.layout_2019`, which the export writes it
  from too):
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
from pathlib import Path
from typing import Any

from core import workbook_limits

from ..rules import calendar as calendar_rules
from ..rules import validation
from ..rules.calendar import (
    add_months,
)
from ..rules.validation import ERROR, WARNING, Issue, Location
from . import layout_2019

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
MSG_MONTH_RESEQUENCED = "Column heading “{text}” is out of sequence; it is read as {month}."
MSG_MONTH_REPEATED = "The month {month} has two columns in the same table."
MSG_COLUMN_IGNORED = "Column “{text}” is not understood and is ignored."
MSG_TITLE_MONTH = (
    "The title “{title}” names {named}, but the last month column is {last}; the columns are "
    "read as they are headed."
)

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


# The 2019 layout's own headings, from its one description (`indicators.workbook.layout_2019`), are
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
