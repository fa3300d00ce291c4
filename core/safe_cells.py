"""Cells that are safe to open in a spreadsheet: every export (the monitoring table, the admin's
selection of indicators, the tracker) writes its cells through these functions.

The council's rule: nothing anyone typed into Scrutiny (an indicator's name, a line of
commentary, a recommendation) may run as a formula when an officer or a resident opens an
export in Excel, LibreOffice or Google Sheets.

- In an .xlsx file a text cell is stored as a string (openpyxl's data type "s"), never as a
  formula, whatever it begins with; numbers stay numbers (a negative figure is a number, not
  text).
- In a .csv file there are no types, so text beginning with =, +, -, @, a tab or a carriage
  return is prefixed with a single quote, which spreadsheets show as text. A figure that is
  wholly a number as printed ("-3.2%", "+12", "1828") cannot run and is left as it is, so that
  a spreadsheet still reads it as a number.

Framework-free: openpyxl cells and plain strings only.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

#: A CSV cell beginning with one of these would be run by a spreadsheet as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: A figure as the pages print it: an optional sign, digits, an optional decimal part and an
#: optional per cent sign. Nothing else (no operator, letter or bracket) can follow.
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?%?", re.ASCII)


def clean_text(text: str) -> str:
    """Text without the control characters an .xlsx file cannot hold (openpyxl refuses them)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def neutralise_formula(text: str) -> str:
    """Make a CSV cell safe to open in a spreadsheet.

    Rule: text beginning with =, +, -, @, a tab or a carriage return is prefixed with a single
    quote, so that Excel shows it as text and never runs it as a formula.
    """
    if text and text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def restore_neutralised(text: str) -> str:
    """Undo `neutralise_formula` on a cell read back from an exported file."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def csv_figure(text: str) -> str:
    """A figure's CSV cell: a printed number ("-3.2%") as it is, any other text neutralised."""
    if _PLAIN_NUMBER.fullmatch(text):
        return text
    return neutralise_formula(text)


def csv_row(values: Iterable[Any]) -> list[str]:
    """A CSV row of text cells: None is blank, every text is neutralised, numbers are written
    as numbers."""
    row = []
    for value in values:
        if value is None:
            row.append("")
        elif isinstance(value, int | float | Decimal):
            row.append(str(value))
        else:
            row.append(neutralise_formula(str(value)))
    return row


def as_text(cell) -> None:
    """Store an openpyxl cell holding text as a string, never as a formula.

    openpyxl turns any text beginning with "=" into a formula as it is assigned; the cell's
    data type is set back to string so that the file holds the text itself."""
    if isinstance(cell.value, str):
        cell.data_type = "s"


def workbook_bytes(book) -> bytes:
    """Save a (not write-only) workbook to bytes, every text cell stored as text.

    No export writes formulas, so `as_text` is applied to every cell that holds one."""
    for sheet in book.worksheets:
        # The cells that exist (openpyxl's own writer walks the same mapping); iter_rows would
        # create an empty cell at every position of the sheet's range.
        for cell in sheet._cells.values():
            if cell.data_type == "f":
                as_text(cell)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
