"""The tracker as a spreadsheet in the council's layout: one helper per format."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core import safe_cells

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


def tracker_xlsx(*, panel_name: str, title: str, groups: Sequence[TrackerGroup]) -> bytes:
    """An Excel workbook: title rows, a frozen header with a filter, wrapped text, real dates.

    Written in openpyxl's write-only mode, a row at a time: building every cell of a tracker of
    thousands of rows in memory first takes several times as long."""
    rows = body_rows(groups)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Scrutiny Monitoring")
    # A write-only sheet writes its head (column widths, panes) with the first row.
    for column, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    last_column = get_column_letter(len(fmt.HEADERS))
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{HEADER_ROW + len(rows)}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    def styled(value=None, **style) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value)
        safe_cells.as_text(cell)
        for name, setting in style.items():
            setattr(cell, name, setting)
        return cell

    sheet.append([styled(safe_cells.clean_text(panel_name), font=Font(bold=True, size=14))])
    sheet.append([styled(safe_cells.clean_text(title), font=Font(bold=True, size=12))])
    sheet.append([])
    wrap = Alignment(wrap_text=True, vertical="top")
    heading = {"font": Font(bold=True), "fill": PatternFill("solid", fgColor="D9D9D9")}
    sheet.append([styled(header, alignment=wrap, **heading) for header in fmt.HEADERS])
    # Every body cell has one of two styles: each is worked out once and handed to the cells
    # as openpyxl copies styles (its style array), rather than looked up again per cell. The
    # row and column are placeholders: `append` sets them.
    text_style = styled(alignment=wrap)._style
    date_style = styled(alignment=wrap, number_format="dd/mm/yy")._style
    for values in rows:
        cells = []
        for value in values:
            if isinstance(value, date):
                cell = Cell(sheet, row=1, column=1, value=value, style_array=date_style)
            else:
                text = safe_cells.clean_text(value) if value else None
                cell = Cell(sheet, row=1, column=1, value=text, style_array=text_style)
                safe_cells.as_text(cell)
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def tracker_csv(*, panel_name: str, title: str, groups: Sequence[TrackerGroup]) -> bytes:
    """CSV for Excel: UTF-8 with a byte-order mark, title rows, then the header and the rows.
    Every cell that a spreadsheet would run as a formula is neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(safe_cells.csv_row([panel_name]))
    writer.writerow(safe_cells.csv_row([title]))
    writer.writerow([])
    writer.writerow(fmt.HEADERS)
    for values in body_rows(groups):
        writer.writerow(
            safe_cells.csv_row(
                fmt.format_date(value) if isinstance(value, date) else value or None
                for value in values
            )
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
