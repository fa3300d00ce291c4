"""The admin's export of a selection of indicators in the 2022 layout (xlsx or csv), written so
that importing the xlsx back (indicators.workbook.reading) changes nothing.

Unlike the public monitoring export (indicators.exports, published figures of a whole panel),
this one is for staff: it carries every value the user may see in the admin (provisional and
approved ones too, for a performance manager), of any selection of indicators, all years.

Layout: one sheet per financial year ("2021-22"): a title row, then for each priority area
(the indicators' home area) its name on a row of its own, the header
`Indicator | Outturn type | <months> | Target | <comparators>` and a row per indicator.
Comparator columns are "<name> 19/20" for a year other than the one before the sheet's year,
and the plain name for that year (as the council prints "Statistical Neighbours"); the
council's own outturns always carry their year. Percentages are fractions in percent-formatted
cells; a missing figure is its word (TBC, N/A, Local, Not reported); a bounded target is text
("<36%").

The figures come gathered (`data`: indicators, values, targets, benchmarks and the years,
months and comparator columns of each sheet, as `indicators.exports_admin` gathers them); this
module only lays them out, without a database.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from core import safe_cells

from ..rules.calendar import financial_year_label
from ..rules.figures import figure_text
from ..rules.vocabulary import PERCENTAGE

#: The comparator kind of the council's own outturns, which always carry their year.
OWN_KIND = "own"


def _year_suffix(year: int) -> str:
    return f"{year % 100:02d}/{(year + 1) % 100:02d}"


def comparator_heading(*, comparator, year: int, sheet_year: int) -> str:
    """ "Southampton 19/20", or "Statistical Neighbours" for the year before the sheet's."""
    if comparator.kind != OWN_KIND and year == sheet_year - 1:
        return comparator.name
    return f"{comparator.name} {_year_suffix(year)}"


def _number(number: Decimal, outturn_type: str) -> tuple[float | int, str]:
    """A number for a cell and its format: a percentage as a fraction (0.21, "0%")."""
    if outturn_type == PERCENTAGE:
        return float(number / 100), "0%" if number == number.to_integral_value() else "0.00%"
    if number == number.to_integral_value():
        return int(number), "#,##0"
    return float(number), "#,##0.0###"


def _text(number, status: str, outturn_type: str, bound: str = "") -> str:
    return figure_text(number=number, status=status, bound=bound, outturn_type=outturn_type)


def _tables(data):
    """(area name, rows) per home area, in order."""
    tables: dict[str, list] = {}
    for indicator in data.indicators:
        name = indicator.priority_area.name if indicator.priority_area else ""
        tables.setdefault(name, []).append(indicator)
    return list(tables.items())


def indicators_xlsx(*, data, today: date) -> bytes:
    """The selection as an .xlsx workbook in the 2022 layout (see the module docstring)."""
    book = Workbook()
    book.remove(book.active)
    for year in data.years():
        label = financial_year_label(year=year)
        sheet = book.create_sheet(label.replace("/", "-"))
        sheet.append([f"Performance indicators {label}, exported {today:%d %B %Y}"])
        sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
        months = data.months(year)
        columns = data.comparator_columns(year)
        for area, indicators in _tables(data):
            sheet.append([])
            if area:
                sheet.append([safe_cells.clean_text(area)])
                sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
            header = [
                "Indicator",
                "Outturn type",
                *(f"{m:%b-%y}" for m in months),
                "Target",
                *(comparator_heading(comparator=c, year=y, sheet_year=year) for c, y in columns),
            ]
            sheet.append([safe_cells.clean_text(text) for text in header])
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
            for indicator in indicators:
                _indicator_row(sheet, data, indicator, year, months, columns)
    sheet_widths(book)
    return safe_cells.workbook_bytes(book)


def _indicator_row(sheet, data, indicator, year, months, columns) -> None:
    outturn = indicator.outturn_type
    cells: list[tuple[object, str | None]] = [
        (safe_cells.clean_text(indicator.name), None),
        (outturn.upper(), None),
    ]
    values = data.values.get(indicator.pk, {})
    for month in months:
        value = values.get(month)
        if value is None:
            cells.append((None, None))
        elif value.number is None:
            cells.append((figure_text(number=None, status=value.status), None))
        else:
            cells.append(_number(value.number, outturn))
    target = data.targets.get((indicator.pk, year))
    if target is None:
        cells.append((None, None))
    elif target.number is None or target.bound:
        cells.append((_text(target.number, target.status, outturn, target.bound), None))
    else:
        cells.append(_number(target.number, outturn))
    benches = data.benchmarks.get(indicator.pk, {})
    for comparator, bench_year in columns:
        bench = benches.get((comparator.pk, bench_year))
        if bench is None:
            cells.append((None, None))
        elif bench.number is None:
            cells.append((figure_text(number=None, status=bench.status), None))
        else:
            cells.append(_number(bench.number, outturn))
    sheet.append([value for value, _ in cells])
    row = sheet.max_row
    for column, (_, number_format) in enumerate(cells, start=1):
        if number_format:
            sheet.cell(row=row, column=column).number_format = number_format


def sheet_widths(book: Workbook) -> None:
    for sheet in book.worksheets:
        sheet.column_dimensions["A"].width = 60


def indicators_csv(*, data) -> bytes:
    """The selection as one CSV table per financial year (separated by a blank line), the
    priority area in the first column, figures as printed ("21%", "TBC", "<36%")."""
    out = io.StringIO()
    writer = csv.writer(out)
    for number, year in enumerate(data.years()):
        if number:
            writer.writerow([])
        months = data.months(year)
        columns = data.comparator_columns(year)
        writer.writerow(
            safe_cells.csv_row(
                [
                    "Priority area",
                    "Indicator",
                    "Outturn type",
                    *(f"{m:%b-%y}" for m in months),
                    "Target",
                    *(
                        comparator_heading(comparator=c, year=y, sheet_year=year)
                        for c, y in columns
                    ),
                ]
            )
        )
        for area, indicators in _tables(data):
            for indicator in indicators:
                outturn = indicator.outturn_type
                values = data.values.get(indicator.pk, {})
                target = data.targets.get((indicator.pk, year))
                benches = data.benchmarks.get(indicator.pk, {})
                figures = [
                    *(
                        _text(v.number, v.status, outturn) if v else ""
                        for v in (values.get(m) for m in months)
                    ),
                    _text(target.number, target.status, outturn, target.bound) if target else "",
                    *(
                        _text(b.number, b.status, outturn) if b else ""
                        for b in (benches.get((c.pk, y)) for c, y in columns)
                    ),
                ]
                writer.writerow(
                    [
                        *safe_cells.csv_row([area, indicator.name, outturn.upper()]),
                        *(safe_cells.csv_figure(text) for text in figures),
                    ]
                )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
