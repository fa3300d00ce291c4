"""Workbooks built with openpyxl for the import tests, in the layouts councils use."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP
from decimal import Decimal as D
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

MONTHS_2122 = [
    "Apr-21",
    "May-21",
    "Jun-21",
    "Jul-21",
    "Aug-21",
    "Sep-21",
    "Oct-21",
    "Nov-21",
    "Dec-21",
    "Jan-22",
    "Feb-22",
]
COMPARATORS_2022 = [
    "Southampton 19/20",
    "Southampton 20/21",
    "Statistical Neighbours",
    "South East",
    "England",
]


def to_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sheet_2022(
    ws,
    tables: Sequence[tuple[str, Sequence[Sequence[Any]]]],
    *,
    months: Sequence[Any] = MONTHS_2122,
    comparators: Sequence[str] = COMPARATORS_2022,
    title: str | None = "Children and Families performance dataset",
    percent_cells: dict[tuple[int, int], float] | None = None,
) -> dict[str, int]:
    """Write tables (heading, rows) in the 2022 layout. Returns the sheet row of each
    indicator's first row, by name, so tests can name cells."""
    rows_at: dict[str, int] = {}
    if title:
        ws.append([title])
        ws.append([])
    for heading, rows in tables:
        if heading:
            ws.append([heading])
        ws.append(["Indicator", "Outturn type", *months, "Target", *comparators])
        for row in rows:
            ws.append(list(row))
            rows_at.setdefault(str(row[0]), ws.max_row)
        ws.append([])
        ws.append(["Analysis"])
        ws.append(["Some words about the table."])
        ws.append([])
    return rows_at


def book_2022(tables, **kwargs) -> bytes:
    book = Workbook()
    sheet_2022(book.active, tables, **kwargs)
    return to_bytes(book)


HEADER_2019 = [
    "Ref",
    "Indicator",
    "Owner",
    "Reporter",
    "Outcome",
]
DERIVED_2019 = [
    "% change from previous month",
    "% change from same month prev. yr",
    "DoT",
    "12 month average",
    "12-mnth max value",
    "Percentage?",
    "Stat. Neighbour",
    "England",
    "SE region",
]


def book_2019(
    rows: Sequence[Sequence[Any]], *, months: Sequence[Any], title_rows: int = 2
) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = "KPIs"
    for i in range(title_rows):
        ws.append([f"Children's Services performance {i}"])
    ws.append([*HEADER_2019, *months, *DERIVED_2019])
    for row in rows:
        ws.append(list(row))
    return to_bytes(book)


# --- The council's real 2019 layout, cell for cell ----------------------------------------------
#
# Built from the facts of council files, independently of indicators.workbook.layout_2019 (so that
# the importer is tested against the layout, not against its own description of it): month headings
# are real dates formatted mmm-yy, percentages are fractions printed with one decimal (0.0%), counts
# and rates whole numbers (0), the two changes whole percentages (0%) computed from the unrounded
# figures, the Percentage? column P or -, and a note above the benchmark columns.

REAL_LEAD = ["Ref", "Indicator", "Owner", "Reporter", "Outcome"]
REAL_DERIVED = [
    "% change from previous month",
    "% change from same month prev. yr",
    "DoT",
    "12 month average",
    "12-mnth max value",
    "Percentage?",
]
REAL_BENCHMARKS = ["Stat. Neighbour", "England", "SE region"]


@dataclass
class RealRow:
    """One indicator's row: `figures` are the 13 unrounded monthly figures (percent units for
    a percentage), None for a blank month; `benchmarks` as printed (Stat. Neighbour, England,
    SE region)."""

    ref: str
    name: str
    percentage: bool
    figures: Sequence[float | None]
    owner: str = ""
    reporter: str = ""
    outcome: str = ""
    benchmarks: Sequence[float | str | None] = (None, None, None)
    dot: str | None = None  # as printed; None: worked out from the unrounded figures
    pct_prev: float | None | str = "auto"  # whole percent as printed; "auto": computed
    pct_year: float | None | str = "auto"


def _half_up(value: float, places: int) -> float:
    return float(D(repr(value)).quantize(D(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _change(now: float | None, before: float | None) -> float | None:
    if now is None or before is None or before == 0:
        return None
    return _half_up((now - before) / abs(before) * 100, 0)


def real_months(reporting_month: date) -> list[date]:
    months = []
    year, month = reporting_month.year, reporting_month.month
    for _ in range(13):
        months.insert(0, date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def book_2019_real(
    rows: Sequence[RealRow | str | tuple[int, str] | None],
    *,
    reporting_month: date = date(2019, 2, 1),
    note: str | None = "Updated Mar-19 using 17-18 data",
    sheet: str = "Dataset",
    title: str | None = "auto",
) -> bytes:
    """A workbook in the council's real 2019 layout (see above): the title (None: a blank
    row), the note above the benchmark columns, the header, then `rows`, where a string is a
    priority area's heading on a row of its own (column A), (column, text) a cell alone on its
    row, and None a blank row."""
    book = Workbook()
    ws = book.active
    ws.title = sheet
    months = real_months(reporting_month)
    if title == "auto":
        title = f"Children's Services Performance Dataset – {reporting_month:%B %Y}"
    if title:
        ws.cell(row=1, column=1, value=title)
    benchmark_column = len(REAL_LEAD) + len(months) + len(REAL_DERIVED) + 1
    if note:
        ws.cell(row=2, column=benchmark_column, value=note)
    header_row = 3
    for number, heading in enumerate(REAL_LEAD, start=1):
        ws.cell(row=header_row, column=number, value=heading)
    for number, month in enumerate(months, start=len(REAL_LEAD) + 1):
        cell = ws.cell(row=header_row, column=number, value=datetime(month.year, month.month, 1))
        cell.number_format = "mmm-yy"
    for number, heading in enumerate(
        [*REAL_DERIVED, *REAL_BENCHMARKS], start=len(REAL_LEAD) + len(months) + 1
    ):
        ws.cell(row=header_row, column=number, value=heading)
    for offset, spec in enumerate(rows, start=1):
        if isinstance(spec, str):
            ws.cell(row=header_row + offset, column=1, value=spec).font = Font(bold=True)
        elif isinstance(spec, tuple):
            ws.cell(row=header_row + offset, column=spec[0], value=spec[1])
        elif spec is not None:
            _real_row(ws, header_row + offset, spec)
    return to_bytes(book)


def _real_row(ws, row: int, spec: RealRow) -> None:
    places = 1 if spec.percentage else 0
    value_format = "0.0%" if spec.percentage else "0"
    scale = 100 if spec.percentage else 1

    def figure(column: int, number: float | str | None) -> None:
        cell = ws.cell(row=row, column=column)
        if isinstance(number, str):
            cell.value = number
            return
        if number is None:
            return
        shown = _half_up(number, places)
        cell.value = round(shown / scale, 6) if spec.percentage else int(shown)
        cell.number_format = value_format

    for column, text in enumerate(
        [spec.ref, spec.name, spec.owner, spec.reporter, spec.outcome], start=1
    ):
        if text:
            ws.cell(row=row, column=column, value=text)
    first_month = len(REAL_LEAD) + 1
    for number, value in enumerate(spec.figures):
        figure(first_month + number, value)
    column = first_month + len(spec.figures)
    figures = list(spec.figures)
    now, before, year_ago = figures[-1], figures[-2], figures[0]
    pct_prev = _change(now, before) if spec.pct_prev == "auto" else spec.pct_prev
    pct_year = _change(now, year_ago) if spec.pct_year == "auto" else spec.pct_year
    for change in (pct_prev, pct_year):
        if change is not None:
            ws.cell(row=row, column=column, value=round(change / 100, 6)).number_format = "0%"
        column += 1
    dot = spec.dot
    if dot is None and now is not None and before is not None:
        dot = "↑" if now > before else "↓" if now < before else "↔"
    if dot:
        ws.cell(row=row, column=column, value=dot)
    column += 1
    window = [f for f in figures[-12:] if f is not None]
    figure(column, sum(window) / len(window) if window else None)
    figure(column + 1, max(window) if window else None)
    ws.cell(row=row, column=column + 2, value="P" if spec.percentage else "-")
    for number, bench in enumerate(spec.benchmarks):
        figure(column + 3 + number, bench)
