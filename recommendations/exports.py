"""The tracker as a spreadsheet in the council's layout: one helper per format."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from . import tracker_format as fmt
from .selectors import TrackerGroup

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
#: Column widths (in characters) of Date, Title, Action proposed, Action taken, Progress status.
COLUMN_WIDTHS = (11, 28, 60, 60, 22)
#: The header sits below two title rows and a blank row, as in the council's papers.
HEADER_ROW = 4
FORMATS = ("xlsx", "csv")
ERROR_FORMAT = "Unknown export format “{value}”: use .xlsx or .csv."


def body_rows(groups: Sequence[TrackerGroup]) -> list[tuple[date | None, str, str, str, str]]:
    """The tracker's rows: date and title shown once per group, numbers as "1) …"."""
    return fmt.grouped_cells(
        ((group.meeting_date, group.item_title, group.items) for group in groups),
        proposal=lambda item: (item.number, item.action_proposed),
        taken=lambda item: item.action_taken,
        status=lambda item: item.status.name,
    )


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def tracker_xlsx(*, panel_name: str, title: str, groups: Sequence[TrackerGroup]) -> bytes:
    """An Excel workbook: title rows, a frozen header with a filter, wrapped text, real dates."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Scrutiny Monitoring"
    sheet["A1"] = _clean(panel_name)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = _clean(title)
    sheet["A2"].font = Font(bold=True, size=12)
    for column, header in enumerate(fmt.HEADERS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    wrap = Alignment(wrap_text=True, vertical="top")
    row_number = HEADER_ROW
    for row_number, values in enumerate(body_rows(groups), start=HEADER_ROW + 1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=column)
            if isinstance(value, date):
                cell.value = value
                cell.number_format = "dd/mm/yy"
            elif value:
                cell.value = _clean(value)
                # Text is text: a cell starting with "=" must not become a formula.
                cell.data_type = "s"
            cell.alignment = wrap
    for column, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    last_column = get_column_letter(len(fmt.HEADERS))
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{max(row_number, HEADER_ROW)}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def tracker_csv(*, panel_name: str, title: str, groups: Sequence[TrackerGroup]) -> bytes:
    """CSV for Excel: UTF-8 with a byte-order mark, title rows, then the header and the rows.
    Every cell that a spreadsheet would run as a formula is neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([fmt.neutralise_formula(panel_name)])
    writer.writerow([fmt.neutralise_formula(title)])
    writer.writerow([])
    writer.writerow(fmt.HEADERS)
    for values in body_rows(groups):
        writer.writerow(
            [
                fmt.format_date(value)
                if isinstance(value, date)
                else fmt.neutralise_formula(value or "")
                for value in values
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def export_bytes(
    *, export_format: str, panel_name: str, title: str, groups: Sequence[TrackerGroup]
) -> tuple[bytes, str]:
    """The file's bytes and content type for a format name ("xlsx" or "csv")."""
    if export_format == "xlsx":
        return tracker_xlsx(panel_name=panel_name, title=title, groups=groups), XLSX_CONTENT_TYPE
    if export_format == "csv":
        return tracker_csv(panel_name=panel_name, title=title, groups=groups), CSV_CONTENT_TYPE
    raise ValueError(ERROR_FORMAT.format(value=export_format))


def format_from_path(path: Path) -> str:
    """The export format named by a file's extension."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ValueError(ERROR_FORMAT.format(value=path.suffix or path.name))
    return suffix
