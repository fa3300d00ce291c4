"""Read the seed agenda pack (a text rendering of the council's PDF), free of Django.

Two parts of the pack are parsed rather than transcribed, because they are tables whose every
cell matters: the performance appendix (Appendix 1 to the "Children and Learning – Performance"
report) and the recommendations tracker ("Scrutiny Monitoring – 31 March 2022").

Rules for the performance appendix:

- It runs from the line "Priority Areas" to the next "This page is intentionally left blank"
  (or the end of the text).
- The priority areas table is `name <tab> page <tab> RAG`. An area with no rating (the
  "Practice and Performance Summary") is a narrative page with no table of its own: it is listed
  in `PerformanceAppendix.unrated` and not loaded. The tables that follow belong to the rated
  areas in order: table 1 to the first rated area, and so on; a different number of tables and
  rated areas is an error.
- A table follows the heading "What the data tells us". Its header row is
  `Indicator | Outturn type | <months> | Target | <benchmarks>`. Month columns are positional:
  the first header fixes the first month and each next column is the next month, so a misprint
  (table 3's "Jan-21" between Dec-21 and Feb-22) is read as the month its position says, and a
  note says so. A benchmark header ending in a financial year ("19/20") is the council's own
  outturn for that year, however the PDF broke the name ("Southamt on 19/20"); "Statistical
  Neighbours", "South East" and "England" carry no year.
- Each row has one cell per header column; a row cut short is padded with blank cells (blank is
  "not reported") and noted. Cells are read with `indicators.rules.cells.parse_cell`.
- After a table come "Analysis" paragraphs (one per non-blank line) and "Action/next steps"
  bullets ("- " lines). Page footers ("Page 72") and running headings that repeat an area's name
  ("Right Service at the Right Time") are dropped, and listed in `DataTable.dropped`; any other
  text is an error, never skipped silently.

Rules for the tracker:

- The table follows the last title line starting "Scrutiny Monitoring"; its date is the
  report's date. The header row names the columns Date, Title, Action proposed, Action taken and
  Progress status; the table ends at the first blank line.
- A row with blank Date and Title continues the item (meeting date and title) above it. A
  "1) " prefix of Action proposed is the recommendation's number within its item; without one,
  the number follows the previous one. Dates are written dd/mm/yy. The status is returned as
  written; matching it to a status is the caller's business.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from indicators.rules.cells import ParsedCell, parse_cell

PRIORITY_AREAS_HEADING = "Priority Areas"
TABLE_HEADING = "What the data tells us"
ANALYSIS_HEADING = "Analysis"
ACTIONS_HEADING = "Action/next steps"
BLANK_PAGE = "This page is intentionally left blank"
TRACKER_TITLE = "Scrutiny Monitoring"
OWN_COUNCIL = "Southampton"

OUTTURN_TYPES = ("NUMBER", "PERCENTAGE", "RATE")
RATINGS = ("High", "Medium", "Low")
BULLETS = ("- ", "• ", "* ")

_PAGE_FOOTER = re.compile(r"^Page \d+$")
_MONTH = re.compile(r"^([A-Za-z]{3})-(\d{2})$")
_FINANCIAL_YEAR = re.compile(r"(\d{2})/(\d{2})$")
_NUMBER_PREFIX = re.compile(r"^\s*(\d{1,3})\s*\)\s*")
_TITLE_DATE = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAMES = tuple(name.lower() for name in calendar.month_name[1:])
_BENCHMARKS_WITHOUT_YEAR = {
    "statisticalneighbours": ("Statistical Neighbours", "Statistical Neighbours"),
    "southeast": ("South East", "South East"),
    "england": ("England", "England"),
}


class SeedFormatError(ValueError):
    """The seed text is not laid out as the rules say; the message names the line."""


# --- the performance appendix -------------------------------------------------------------


@dataclass(frozen=True)
class PriorityAreaLine:
    """A row of the priority areas table, as printed."""

    name: str
    page: int | None
    rating: str  # "High", "Medium", "Low" or "" (not rated)


@dataclass(frozen=True)
class BenchmarkColumn:
    """A benchmark column: its header as printed, the header it means, its comparator, and its
    financial year by the first calendar year ("19/20" -> 2019), or None when it names none."""

    header: str
    label: str
    comparator: str
    year: int | None


@dataclass(frozen=True)
class MonthCell:
    month: date
    text: str
    cell: ParsedCell


@dataclass(frozen=True)
class BenchmarkCell:
    column: BenchmarkColumn
    text: str
    cell: ParsedCell


@dataclass(frozen=True)
class IndicatorRow:
    """One row of a table. `position` counts from 1 within the table."""

    position: int
    name: str
    outturn_type: str  # NUMBER, PERCENTAGE or RATE, as printed
    values: tuple[MonthCell, ...]
    target_text: str
    target: ParsedCell
    benchmarks: tuple[BenchmarkCell, ...]

    def value_for(self, *, month: date) -> ParsedCell:
        for value in self.values:
            if value.month == month:
                return value.cell
        raise KeyError(month)


@dataclass(frozen=True)
class DataTable:
    """A "What the data tells us" table with the commentary printed under it."""

    number: int
    line: int
    months: tuple[date, ...]
    benchmark_columns: tuple[BenchmarkColumn, ...]
    rows: tuple[IndicatorRow, ...]
    analysis: tuple[str, ...]
    actions: tuple[str, ...]
    dropped: tuple[str, ...] = ()

    @property
    def analysis_text(self) -> str:
        """The Analysis paragraphs joined by blank lines."""
        return "\n\n".join(self.analysis)

    @property
    def actions_text(self) -> str:
        """The Action/next steps bullets, one a line, without their markers."""
        return "\n".join(self.actions)


@dataclass(frozen=True)
class AreaSeed:
    """A rated priority area with its table. `order` counts rated areas from 1."""

    order: int
    name: str
    page: int | None
    rating: str
    table: DataTable


@dataclass
class PerformanceAppendix:
    areas: list[AreaSeed]
    unrated: list[PriorityAreaLine]
    notes: list[str] = field(default_factory=list)

    @property
    def months(self) -> tuple[date, ...]:
        return self.areas[0].table.months if self.areas else ()


@dataclass(frozen=True)
class Appearance:
    """Where an indicator's row is printed: the area (by order) and the row."""

    area_order: int
    area_name: str
    row: IndicatorRow


def _lines(text: str) -> list[str]:
    return [line.rstrip("\r\n") for line in text.splitlines()]


def _appendix_bounds(lines: Sequence[str]) -> tuple[int, int]:
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == PRIORITY_AREAS_HEADING)
    except StopIteration:
        raise SeedFormatError(
            f"No “{PRIORITY_AREAS_HEADING}” line: no performance appendix."
        ) from None
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i].strip() == BLANK_PAGE), len(lines)
    )
    return start, end


def _next_non_blank(lines: Sequence[str], index: int, end: int) -> int:
    while index < end and not lines[index].strip():
        index += 1
    return index


def parse_priority_areas(*, text: str) -> list[PriorityAreaLine]:
    """The priority areas table under "Priority Areas": every row, rated or not, in order."""
    lines = _lines(text)
    start, end = _appendix_bounds(lines)
    header = _next_non_blank(lines, start + 1, end)
    if header >= end or "Page Number" not in lines[header] or "RAG" not in lines[header]:
        raise SeedFormatError(f"Line {header + 1}: expected the header “Page Number / RAG”.")
    areas: list[PriorityAreaLine] = []
    index = header + 1
    while index < end and lines[index].strip():
        cells = [cell.strip() for cell in lines[index].split("\t")] + ["", ""]
        name, page, rating = cells[0], cells[1], cells[2]
        if not name:
            raise SeedFormatError(f"Line {index + 1}: a priority area with no name.")
        matched = next((r for r in RATINGS if r.casefold() == rating.casefold()), None)
        if rating and matched is None:
            raise SeedFormatError(f"Line {index + 1}: “{rating}” is not a rating ({RATINGS}).")
        areas.append(
            PriorityAreaLine(
                name=name, page=int(page) if page.isdigit() else None, rating=matched or ""
            )
        )
        index += 1
    if not areas:
        raise SeedFormatError(f"Line {header + 1}: the priority areas table has no rows.")
    return areas


def parse_month_header(*, text: str) -> date | None:
    """A month column header such as "Apr-21" as the first day of that month; None if it is
    not one."""
    match = _MONTH.match(text.strip())
    if not match or match.group(1).casefold() not in _MONTHS:
        return None
    return date(2000 + int(match.group(2)), _MONTHS.index(match.group(1).casefold()) + 1, 1)


def _add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def read_benchmark_header(*, header: str, own_council: str = OWN_COUNCIL) -> BenchmarkColumn:
    """What a benchmark column header means (see the module's rules)."""
    printed = header.strip()
    collapsed = re.sub(r"\s+", "", printed).casefold()
    if collapsed in _BENCHMARKS_WITHOUT_YEAR:
        label, comparator = _BENCHMARKS_WITHOUT_YEAR[collapsed]
        return BenchmarkColumn(header=printed, label=label, comparator=comparator, year=None)
    match = _FINANCIAL_YEAR.search(collapsed)
    if match and int(match.group(2)) == (int(match.group(1)) + 1) % 100:
        first = int(match.group(1))
        return BenchmarkColumn(
            header=printed,
            label=f"{own_council} {match.group(1)}/{match.group(2)}",
            comparator=own_council,
            year=2000 + first,
        )
    raise SeedFormatError(f"“{printed}” is not a benchmark column this parser knows.")


def _parse_figure(text: str, where: str) -> ParsedCell:
    try:
        return parse_cell(text)
    except ValueError as exc:
        raise SeedFormatError(f"{where}: {exc}") from exc


def _read_table(
    lines: Sequence[str], header_index: int, end: int, number: int, notes: list[str]
) -> tuple[DataTable, int]:
    header = [cell.strip() for cell in lines[header_index].split("\t")]
    where = f"Line {header_index + 1} (table {number})"
    if header[:2] != ["Indicator", "Outturn type"] or "Target" not in header:
        raise SeedFormatError(f"{where}: expected “Indicator, Outturn type, <months>, Target, …”.")
    target_at = header.index("Target")
    month_headers = header[2:target_at]
    first = parse_month_header(text=month_headers[0]) if month_headers else None
    if first is None:
        raise SeedFormatError(f"{where}: the first month column is not a month like Apr-21.")
    months = tuple(_add_months(first, k) for k in range(len(month_headers)))
    for k, (printed, month) in enumerate(zip(month_headers, months, strict=True)):
        if parse_month_header(text=printed) != month:
            notes.append(
                f"Table {number}: month column {k + 1} is headed “{printed}” but comes after "
                f"{months[k - 1]:%b-%y}; read as {month:%b-%y} (months are positional)."
            )
    columns = tuple(read_benchmark_header(header=h) for h in header[target_at + 1 :])
    rows: list[IndicatorRow] = []
    index = header_index + 1
    while index < end and lines[index].strip():
        cells = [cell.strip() for cell in lines[index].split("\t")]
        row_where = f"Line {index + 1} (table {number})"
        if len(cells) > len(header):
            raise SeedFormatError(f"{row_where}: {len(cells)} cells for {len(header)} columns.")
        if len(cells) < len(header):
            notes.append(
                f"Table {number}, “{cells[0]}”: {len(header) - len(cells)} trailing cells "
                "missing; read as blank (not reported)."
            )
            cells += [""] * (len(header) - len(cells))
        name, outturn = cells[0], cells[1].upper()
        if not name or outturn not in OUTTURN_TYPES:
            raise SeedFormatError(f"{row_where}: a row needs a name and an outturn type.")
        rows.append(
            IndicatorRow(
                position=len(rows) + 1,
                name=name,
                outturn_type=outturn,
                values=tuple(
                    MonthCell(month=m, text=t, cell=_parse_figure(t, f"{row_where}, {m:%b-%y}"))
                    for m, t in zip(months, cells[2:target_at], strict=True)
                ),
                target_text=cells[target_at],
                target=_parse_figure(cells[target_at], f"{row_where}, Target"),
                benchmarks=tuple(
                    BenchmarkCell(
                        column=c, text=t, cell=_parse_figure(t, f"{row_where}, {c.label}")
                    )
                    for c, t in zip(columns, cells[target_at + 1 :], strict=True)
                ),
            )
        )
        index += 1
    if not rows:
        raise SeedFormatError(f"{where}: the table has no rows.")
    table = DataTable(
        number=number,
        line=header_index + 1,
        months=months,
        benchmark_columns=columns,
        rows=tuple(rows),
        analysis=(),
        actions=(),
    )
    return table, index


def _read_commentary(
    lines: Sequence[str], start: int, end: int, table: DataTable, headings: set[str]
) -> DataTable:
    analysis: list[str] = []
    actions: list[str] = []
    dropped: list[str] = []
    mode = ""
    for index in range(start, end):
        line = lines[index].strip()
        if not line:
            continue
        if line == ANALYSIS_HEADING:
            mode = "analysis"
        elif line == ACTIONS_HEADING:
            mode = "actions"
        elif _PAGE_FOOTER.match(line) or line.casefold() in headings:
            dropped.append(line)
        elif mode == "analysis":
            analysis.append(line)
        elif mode == "actions" and line.startswith(BULLETS):
            actions.append(line[2:].strip())
        elif mode == "actions" and actions:
            actions[-1] = f"{actions[-1]} {line}"
        else:
            raise SeedFormatError(
                f"Line {index + 1} (after table {table.number}): unexpected text “{line[:60]}”."
            )
    return DataTable(
        number=table.number,
        line=table.line,
        months=table.months,
        benchmark_columns=table.benchmark_columns,
        rows=table.rows,
        analysis=tuple(analysis),
        actions=tuple(actions),
        dropped=tuple(dropped),
    )


def parse_data_tables(*, text: str, notes: list[str] | None = None) -> list[DataTable]:
    """Every "What the data tells us" table of the appendix with its commentary, in order.
    Readings a careful reader should know about are appended to `notes`."""
    notes = notes if notes is not None else []
    lines = _lines(text)
    start, end = _appendix_bounds(lines)
    area_names = {area.name.casefold() for area in parse_priority_areas(text=text)}
    headings = [i for i in range(start, end) if lines[i].strip() == TABLE_HEADING]
    tables: list[DataTable] = []
    for number, heading in enumerate(headings, start=1):
        stop = headings[number] if number < len(headings) else end
        header = _next_non_blank(lines, heading + 1, stop)
        if header >= stop:
            raise SeedFormatError(f"Line {heading + 1}: “{TABLE_HEADING}” with no table.")
        table, after = _read_table(lines, header, stop, number, notes)
        tables.append(_read_commentary(lines, after, stop, table, area_names))
    renamed: dict[tuple[str, str], list[int]] = {}
    for table in tables:
        for column in table.benchmark_columns:
            if column.header != column.label:
                renamed.setdefault((column.header, column.label), []).append(table.number)
    for (printed, label), numbers in renamed.items():
        which = ", ".join(str(n) for n in numbers)
        notes.append(f"Column heading “{printed}” read as “{label}” (table {which}).")
    return tables


def parse_performance_appendix(*, text: str) -> PerformanceAppendix:
    """The rated priority areas, each with its table and commentary (see the module's rules)."""
    listed = parse_priority_areas(text=text)
    rated = [area for area in listed if area.rating]
    notes: list[str] = []
    tables = parse_data_tables(text=text, notes=notes)
    if len(tables) != len(rated):
        raise SeedFormatError(
            f"{len(tables)} data tables for {len(rated)} rated priority areas: "
            "each rated area needs exactly one table."
        )
    unrated = [area for area in listed if not area.rating]
    for area in unrated:
        notes.append(f"Priority area “{area.name}” has no rating and no table: not loaded.")
    areas = [
        AreaSeed(order=i, name=a.name, page=a.page, rating=a.rating, table=t)
        for i, (a, t) in enumerate(zip(rated, tables, strict=True), start=1)
    ]
    return PerformanceAppendix(areas=areas, unrated=unrated, notes=notes)


def indicator_appearances(*, areas: Sequence[AreaSeed]) -> dict[str, list[Appearance]]:
    """Every indicator by name, in order of first appearance, with each table it is printed in.
    The first appearance is the indicator's home; later ones are placements only."""
    found: dict[str, list[Appearance]] = {}
    for area in areas:
        for row in area.table.rows:
            found.setdefault(row.name, []).append(
                Appearance(area_order=area.order, area_name=area.name, row=row)
            )
    return found


def disagreements(*, first: IndicatorRow, later: IndicatorRow) -> list[str]:
    """The cells in which a repeated row says something other than its first appearance.
    Cells that read the same figure (`95` and `95%`) agree."""
    found: list[str] = []
    if first.outturn_type != later.outturn_type:
        found.append(f"outturn type {first.outturn_type} / {later.outturn_type}")
    for a, b in zip(first.values, later.values, strict=False):
        if not a.cell.same_figure(b.cell):
            found.append(f"{a.month:%b-%y} {a.text or 'blank'} / {b.text or 'blank'}")
    if not first.target.same_figure(later.target):
        found.append(f"Target {first.target_text or 'blank'} / {later.target_text or 'blank'}")
    later_benchmarks = {b.column.label: b for b in later.benchmarks}
    for a in first.benchmarks:
        b = later_benchmarks.get(a.column.label)
        if b is not None and not a.cell.same_figure(b.cell):
            found.append(f"{a.column.label} {a.text or 'blank'} / {b.text or 'blank'}")
    return found


def repeat_notes(*, areas: Sequence[AreaSeed]) -> list[str]:
    """A note for each repeated row that disagrees with the row's first appearance."""
    notes: list[str] = []
    for name, appearances in indicator_appearances(areas=areas).items():
        first = appearances[0]
        for later in appearances[1:]:
            cells = disagreements(first=first.row, later=later.row)
            if cells:
                notes.append(
                    f"“{name}” in table {later.area_order} disagrees with table "
                    f"{first.area_order} (first appearance kept; first / later): "
                    + "; ".join(cells)
                    + "."
                )
    return notes


# --- the tracker ------------------------------------------------------------------------


@dataclass(frozen=True)
class TrackerRow:
    """A recommendation as the tracker prints it. `item_position` counts the items (meeting
    date and title) of one meeting from 1, in the tracker's order."""

    line: int
    meeting_date: date
    item_title: str
    item_position: int
    number: int
    action_proposed: str
    action_taken: str
    status: str


@dataclass
class Tracker:
    title: str
    report_date: date | None
    rows: list[TrackerRow]


def split_number(*, text: str) -> tuple[int | None, str]:
    """Split "1) That the Panel …" into (1, "That the Panel …"); (None, text) without a prefix."""
    match = _NUMBER_PREFIX.match(text)
    if not match:
        return None, text.strip()
    return int(match.group(1)), text[match.end() :].strip()


def parse_tracker_date(*, text: str) -> date:
    """A tracker date written dd/mm/yy (or dd/mm/yyyy)."""
    for pattern in ("%d/%m/%y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise SeedFormatError(f"“{text}” is not a date written dd/mm/yy.")


def date_in_text(*, text: str) -> date | None:
    """The first date written like "31 March 2022" in a line of text."""
    for day, month, year in _TITLE_DATE.findall(text):
        if month.casefold() in _MONTH_NAMES:
            return date(int(year), _MONTH_NAMES.index(month.casefold()) + 1, int(day))
    return None


def parse_tracker(*, text: str) -> Tracker:
    """The recommendations of the last "Scrutiny Monitoring" table (see the module's rules)."""
    lines = _lines(text)
    titles = [i for i, line in enumerate(lines) if line.strip().startswith(TRACKER_TITLE)]
    if not titles:
        raise SeedFormatError(f"No “{TRACKER_TITLE}” title: no tracker.")
    title_index = titles[-1]
    header_index = _next_non_blank(lines, title_index + 1, len(lines))
    if header_index >= len(lines):
        raise SeedFormatError(f"Line {title_index + 1}: a tracker title with no table.")
    header = [cell.strip().casefold() for cell in lines[header_index].split("\t")]
    wanted = ("date", "title", "action proposed", "action taken", "progress status")
    if any(name not in header for name in wanted):
        raise SeedFormatError(f"Line {header_index + 1}: the tracker header needs {wanted}.")
    column = {name: header.index(name) for name in wanted}
    rows: list[TrackerRow] = []
    current: tuple[date, str, int] | None = None
    last_number = 0
    index = header_index + 1
    while index < len(lines) and lines[index].strip():
        cells = [cell.strip() for cell in lines[index].split("\t")]
        cells += [""] * (len(header) - len(cells))
        raw_date, title = cells[column["date"]], cells[column["title"]]
        where = f"Line {index + 1} (tracker)"
        if not raw_date and not title:
            if current is None:
                raise SeedFormatError(f"{where}: no item above to continue.")
        elif not raw_date or not title:
            raise SeedFormatError(f"{where}: Date and Title are both needed, or neither.")
        else:
            made_on = parse_tracker_date(text=raw_date)
            position = 1 + len({r.item_title for r in rows if r.meeting_date == made_on})
            current = (made_on, title, position)
            last_number = 0
        assert current is not None
        number, proposal = split_number(text=cells[column["action proposed"]])
        if not proposal:
            raise SeedFormatError(f"{where}: Action proposed is blank.")
        number = number if number is not None else last_number + 1
        last_number = number
        status = cells[column["progress status"]]
        if not status:
            raise SeedFormatError(f"{where}: Progress status is blank.")
        rows.append(
            TrackerRow(
                line=index + 1,
                meeting_date=current[0],
                item_title=current[1],
                item_position=current[2],
                number=number,
                action_proposed=proposal,
                action_taken=cells[column["action taken"]],
                status=status,
            )
        )
        index += 1
    title = lines[title_index].strip()
    return Tracker(title=title, report_date=date_in_text(text=title), rows=rows)
