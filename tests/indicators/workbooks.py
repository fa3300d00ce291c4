"""Workbooks built with openpyxl for the import tests, in the layouts councils use."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

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
