"""The monitoring table as a spreadsheet in the council's layout: one helper per format.

Both formats carry the same columns as the page (`tables.monitoring_columns`), from the same
analysed dataset (`selectors.panel_dataset`), so only published figures ever leave.

Spreadsheet conventions (what the importer reads back):

- Numbers are numbers. A percentage is stored as a fraction in a percent-formatted cell: 51% is
  0.51 with the format `0%` (`0.0%` with one decimal, and so on). Counts and rates use `#,##0`
  (with decimals as the indicator has them).
- A missing figure is its word as text: `TBC`, `N/A`, `Local`; a figure not reported is a blank
  cell. A target with a bound is text as printed (`<36%`); a plain target is a number.
- One sheet per priority area: a title row, the area's name, the header row, one row per
  indicator (repeated indicators appear in each area, as in the council's tables), then
  "Analysis" and "Action/next steps". In the 2019 layout the area's name is on the row below
  the header, where the council's files head their areas (above it are title and notes).
  Then a "Statistics" sheet: one row per indicator with its own latest month (areas publish
  at their own pace), latest value, RAG, DoT and what it compares (a cumulative measure's
  monthly increases), both % changes, the change in percentage points (percentage
  indicators), 12-month average and maximum, SPC signal and verdict.
- CSV: one table, the priority area in the first column, figures as printed ("51%", "TBC"),
  without thousands separators ("1828").
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core import safe_cells

from .models import Missing
from .presenters import IndicatorView
from .rules.calendar import financial_year_label
from .selectors import Figure, IndicatorData, PanelDataset
from .tables import CURRENT, LAYOUT_2019, MonitoringColumn, monitoring_columns, reporting_month
from .workbook import layout_2019

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
FORMATS = ("xlsx", "csv")
ERROR_FORMAT = "Unknown export format “{value}”: use xlsx or csv."

STATISTICS_SHEET = "Statistics"
TITLE_ROW = 1
HEADER_ROW = 3
STATISTICS_HEADERS = (
    "Priority area",
    "Ref",
    "Indicator",
    "Outturn type",
    "Month",
    "Latest value",
    "Target",
    "RAG",
    "DoT",
    "What the DoT compares",
    "% change from previous month",
    "% change from same month last year",
    "Change in percentage points from previous month",
    "12-month average",
    "12-month maximum",
    "SPC signal",
    "SPC assurance",
    "Verdict",
)
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_WRAP = Alignment(wrap_text=True, vertical="top")


def number_format(*, outturn_type: str, decimals: int, percent_points: bool = False) -> str:
    """The Excel format of a figure: `0%`/`0.0%` for percentages (stored as fractions),
    `#,##0`/`#,##0.0` otherwise; `percent_points` is for changes stored in percent units."""
    tail = f".{'0' * decimals}" if decimals else ""
    if outturn_type == "percentage" and not percent_points:
        return f"0{tail}%"
    return f"#,##0{tail}"


def cell_value(*, figure: Figure | None, outturn_type: str) -> float | str | None:
    """What a figure's cell holds: a number (a fraction for a percentage), the status word, or
    None (blank) when not reported or absent."""
    if figure is None:
        return None
    if figure.number is None:
        return None if figure.status == Missing.NOT_REPORTED else figure.status_label
    if outturn_type == "percentage":
        return round(figure.number / 100, 10)
    return figure.number


def _target_value(row: IndicatorData, year: int) -> float | str:
    target = row.target(year)
    if target is None or target.value is None or target.bound:
        return row.target_text(year)
    return cell_value(figure=Figure(target.value), outturn_type=row.outturn_type)


def sheet_title(name: str, taken: set[str]) -> str:
    """An Excel sheet name (≤ 31 characters, none of []:*?/\\), unique in the workbook."""
    base = _SHEET_NAME_BAD.sub(" ", name).strip()[:31] or "Area"
    title, n = base, 2
    while title.casefold() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.casefold())
    return title


def _write_cell(
    sheet,
    row_number: int,
    column_number: int,
    row: IndicatorData,
    spec: MonitoringColumn,
    year: int,
) -> None:
    cell = sheet.cell(row=row_number, column=column_number)
    if spec.figure is not None:
        cell.value = cell_value(figure=spec.figure(row), outturn_type=row.outturn_type)
        cell.number_format = number_format(outturn_type=row.outturn_type, decimals=row.decimals)
    elif spec.kind == "target":
        cell.value = _target_value(row, year)
        cell.number_format = number_format(outturn_type=row.outturn_type, decimals=row.decimals)
    elif spec.kind == "percent_change":
        value = spec.value(row)
        cell.value = None if value is None else round(value / 100, 6)
        cell.number_format = spec.number_format or "+0.0%;-0.0%;0.0%"
    elif spec.kind == "number":
        value = spec.value(row)
        if value is not None and row.outturn_type == "percentage":
            value /= 100
        cell.value = None if value is None else round(value, 6)
        cell.number_format = number_format(outturn_type=row.outturn_type, decimals=row.decimals + 1)
    else:
        cell.value = safe_cells.clean_text(spec.text(row)) or None
        cell.alignment = _WRAP if spec.key == "indicator" else Alignment(vertical="top")


def _benchmark_note(sheet, dataset: PanelDataset, year: int, columns) -> None:
    """In the 2019 layout, the note above the benchmark columns saying their year, which the
    importer reads back (on the title row, so that the area's name stays alone above the
    header)."""
    headings = [spec.header for spec in columns]
    first = next((h for h in layout_2019.BENCHMARKS if h in headings), None)
    reporting = reporting_month(dataset=dataset, year=year)
    if first is None or reporting is None:
        return
    note = layout_2019.benchmark_note(year=year - 1, updated=reporting)
    sheet.cell(row=TITLE_ROW, column=headings.index(first) + 1, value=note)


def _area_sheet(
    book: Workbook, dataset: PanelDataset, area, year: int, columns, taken, layout: str
) -> None:
    sheet = book.create_sheet(sheet_title(area.area.name, taken))
    label = financial_year_label(year=year)
    rating = area.area.get_rating_display()
    concern = f"{rating} concern" if area.area.rating else rating
    sheet.cell(
        row=TITLE_ROW,
        column=1,
        value=safe_cells.clean_text(
            f"{dataset.panel.name} – what the data tells us, {label} ({concern})"
        ),
    )
    # The area's name alone on its row, where the importer reads it as the rows' priority
    # area: above the header in the 2022 layout, below it in the 2019 layout (whose rows
    # above the header are the title and notes).
    heading_row = HEADER_ROW + 1 if layout == LAYOUT_2019 else HEADER_ROW - 1
    sheet.cell(row=heading_row, column=1, value=safe_cells.clean_text(area.area.name))
    sheet.cell(row=heading_row, column=1).font = Font(bold=True, size=14)
    _benchmark_note(sheet, dataset, year, columns)
    for number, spec in enumerate(columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=number, value=spec.header)
        cell.font, cell.fill, cell.alignment = _BOLD, _HEADER_FILL, _WRAP
    first_row = max(HEADER_ROW, heading_row) + 1
    row_number = first_row - 1
    for row_number, row in enumerate(area.rows, start=first_row):
        for number, spec in enumerate(columns, start=1):
            _write_cell(sheet, row_number, number, row, spec, year)
    next_row = row_number + 2
    commentary = area.commentary
    for heading, lines in (
        ("Analysis", [p for p in (commentary.analysis if commentary else "").splitlines() if p]),
        ("Action/next steps", [f"- {a}" for a in (commentary.action_points if commentary else [])]),
    ):
        sheet.cell(row=next_row, column=1, value=heading).font = _BOLD
        next_row += 1
        for line in lines:
            sheet.cell(row=next_row, column=1, value=safe_cells.clean_text(line)).alignment = _WRAP
            next_row += 1
        next_row += 1
    sheet.column_dimensions["A"].width = 50
    for number in range(2, len(columns) + 1):
        sheet.column_dimensions[get_column_letter(number)].width = 11
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=2)


def statistics_rows(dataset: PanelDataset) -> list[list]:
    """One row per indicator (in dataset order) of the Statistics sheet: figures in the
    indicator's units (percentages in percent units), words as the pages print them."""
    area_names = {}
    for area in dataset.areas:
        for row in area.rows:
            area_names.setdefault(row.pk, area.area.name)
    rows = []
    for data in dataset.indicators:
        stats, shown = data.stats, IndicatorView(data)
        rows.append(
            [
                area_names.get(data.pk, ""),
                data.indicator.ref,
                data.indicator.name,
                data.outturn_type.upper(),
                f"{data.month:%b-%y}" if data.month else "",
                data.latest,
                shown.year_target_text if data.month else "",
                stats.rag.label if stats else "",
                stats.dot.label if stats and stats.dot else "",
                stats.change_basis if stats else "",
                stats.pct_change_prev_month if stats else None,
                stats.pct_change_same_month_prev_year if stats else None,
                stats.pp_change_prev_month if stats else None,
                stats.avg_12m if stats else None,
                stats.max_12m if stats else None,
                shown.spc_badge["text"],
                shown.assurance_badge["text"] if shown.assurance_badge else "",
                stats.verdict if stats else "",
            ]
        )
    return rows


def _statistics_sheet(book: Workbook, dataset: PanelDataset) -> None:
    sheet = book.create_sheet(STATISTICS_SHEET)
    sheet.cell(
        row=TITLE_ROW, column=1, value=safe_cells.clean_text(f"{dataset.panel.name} – Statistics")
    )
    sheet.cell(row=TITLE_ROW, column=1).font = Font(bold=True, size=14)
    if dataset.month:
        sheet.cell(row=TITLE_ROW + 1, column=1, value=f"{dataset.months_summary}.")
    for number, header in enumerate(STATISTICS_HEADERS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=number, value=header)
        cell.font, cell.fill, cell.alignment = _BOLD, _HEADER_FILL, _WRAP
    data_by_row = list(zip(dataset.indicators, statistics_rows(dataset), strict=True))
    for row_number, (data, values) in enumerate(data_by_row, start=HEADER_ROW + 1):
        fmt = number_format(outturn_type=data.outturn_type, decimals=data.decimals)
        fmt_more = number_format(outturn_type=data.outturn_type, decimals=data.decimals + 1)
        for number, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=number)
            header = STATISTICS_HEADERS[number - 1]
            if header == "Latest value":
                cell.value = cell_value(figure=value, outturn_type=data.outturn_type)
                cell.number_format = fmt
            elif header.startswith("% change"):
                cell.value = None if value is None else round(value / 100, 6)
                cell.number_format = "+0.0%;-0.0%;0.0%"
            elif header.startswith("Change in percentage points"):
                cell.value = None if value is None else round(value, 6)
                cell.number_format = '+0.0" pp";-0.0" pp";0.0" pp"'
            elif header.startswith("12-month"):
                if value is not None and data.outturn_type == "percentage":
                    value /= 100
                cell.value = None if value is None else round(value, 6)
                cell.number_format = fmt_more
            else:
                cell.value = safe_cells.clean_text(str(value)) if value not in (None, "") else None
                if header in ("Indicator", "Verdict"):
                    cell.alignment = _WRAP
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["C"].width = 50
    sheet.column_dimensions[get_column_letter(len(STATISTICS_HEADERS))].width = 80
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=4)


def monitoring_xlsx(*, dataset: PanelDataset, year: int, layout: str = CURRENT) -> bytes:
    """The workbook: a sheet per priority area in the council's layout, then "Statistics"."""
    book = Workbook()
    book.remove(book.active)
    columns = monitoring_columns(dataset=dataset, year=year, layout=layout)
    taken: set[str] = {STATISTICS_SHEET.casefold()}
    for area in dataset.areas:
        _area_sheet(book, dataset, area, year, columns, taken, layout)
    _statistics_sheet(book, dataset)
    return safe_cells.workbook_bytes(book)


def _csv_text(row: IndicatorData, spec: MonitoringColumn) -> str:
    text = spec.text(row)
    # Figures without thousands separators, so that a spreadsheet reads them as numbers.
    if spec.figure is not None or spec.kind in ("target", "number"):
        return safe_cells.csv_figure(text.replace(",", ""))
    if spec.kind == "percent_change":
        return safe_cells.csv_figure(text)
    return safe_cells.neutralise_formula(text)


def monitoring_frame(*, dataset: PanelDataset, year: int, layout: str = CURRENT) -> pd.DataFrame:
    """The panel-wide table behind the CSV: a row per area's indicator (an indicator shown in
    two areas is a row of each), "Priority area" then the page's columns, figures as printed
    but without thousands separators, every cell made safe for a spreadsheet."""
    columns = monitoring_columns(dataset=dataset, year=year, layout=layout)
    headers = safe_cells.csv_row(["Priority area", *(spec.header for spec in columns)])
    rows = [
        [
            safe_cells.neutralise_formula(area.area.name),
            *(_csv_text(row, spec) for spec in columns),
        ]
        for area in dataset.areas
        for row in area.rows
    ]
    # Headers may repeat (two comparators' years), so the frame is built from rows, not a dict.
    return pd.DataFrame(rows, columns=pd.Index(headers, dtype=object), dtype=object)


def monitoring_csv(*, dataset: PanelDataset, year: int, layout: str = CURRENT) -> bytes:
    """One CSV table (UTF-8 with a byte-order mark, for Excel): `monitoring_frame`, written
    as the csv module writes (minimal quoting, CRLF line ends)."""
    frame = monitoring_frame(dataset=dataset, year=year, layout=layout)
    text = frame.to_csv(index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    return ("\ufeff" + text).encode("utf-8")


def export_bytes(
    *, export_format: str, dataset: PanelDataset, year: int, layout: str = CURRENT
) -> tuple[bytes, str]:
    """The export in `export_format` ("xlsx" or "csv") and its content type."""
    if export_format == "xlsx":
        return monitoring_xlsx(dataset=dataset, year=year, layout=layout), XLSX_CONTENT_TYPE
    if export_format == "csv":
        return monitoring_csv(dataset=dataset, year=year, layout=layout), CSV_CONTENT_TYPE
    raise ValueError(ERROR_FORMAT.format(value=export_format))


def write_file(*, path: Path, dataset: PanelDataset, year: int, layout: str = CURRENT) -> str:
    """Write the export to `path`, its format from the suffix (.xlsx or .csv); returns it."""
    export_format = path.suffix.lstrip(".").lower()
    content, _ = export_bytes(
        export_format=export_format, dataset=dataset, year=year, layout=layout
    )
    path.write_bytes(content)
    return export_format
