"""django-tables2 tables: the monitoring table ("What the data tells us") of a priority area, in
the council's current layout or its 2019 layout, and the indicator catalogue.

The columns of both layouts are listed once, by `monitoring_columns`, which the exports use too,
so the page and the spreadsheet always have the same columns with the same headings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from . import markup
from .catalogue import latest_figure
from .models import Comparator, Indicator
from .rules.figures import figure_text as rules_figure_text
from .rules.figures import format_value
from .rules.rag import Rag
from .rules.statistics import IndicatorStatistics, analyse
from .selectors import ComparatorInfo, Figure, IndicatorData, PanelDataset
from .workbook import layout_2019

CURRENT = "current"
LAYOUT_2019 = "2019"
LAYOUTS = {CURRENT: "Current layout", LAYOUT_2019: "2019 layout (with change and 12-month figures)"}

NUM_TH = {"class": "govuk-table__header--numeric app-num"}


def month_label(month: date) -> str:
    """The council's month heading: "Apr-21"."""
    return f"{month:%b-%y}"


def year_suffix(year: int) -> str:
    """ "19/20" for 2019."""
    return f"{year % 100:02d}/{(year + 1) % 100:02d}"


def _pct(value: float | None) -> str:
    if value is None:
        return ""
    text = format_value(value=value, outturn_type="percentage", decimals=1)
    return f"+{text}" if value > 0 else text


@dataclass(frozen=True)
class MonitoringColumn:
    """One column of the monitoring table: its heading and how a row fills it.

    `figure` gives the cell as a figure (number or status) with its outturn type, for the
    spreadsheet; `text` gives the printed cell; `month` is set on month columns (whose cells
    carry a RAG rating)."""

    key: str
    header: str
    text: Callable[[IndicatorData], str]
    figure: Callable[[IndicatorData], Figure | None] | None = None
    numeric: bool = True
    month: date | None = None
    kind: str = "figure"  # "figure", "text", "percent_change", "number"
    value: Callable[[IndicatorData], float | None] | None = None
    number_format: str = ""  # the spreadsheet's, when the layout fixes one


def figure_text(row: IndicatorData, figure: Figure | None) -> str:
    """A cell as the council prints it: "51%", "TBC", "N/A", "Local"; blank when the figure
    was not reported (or there is none)."""
    if figure is None:
        return ""
    return rules_figure_text(
        number=figure.number,
        status=figure.status,
        outturn_type=row.outturn_type,
        decimals=row.decimals,
        not_reported="",
    )


def _figure_column(key: str, header: str, pick: Callable[[IndicatorData], Figure | None]):
    return MonitoringColumn(
        key=key, header=header, text=lambda row: figure_text(row, pick(row)), figure=pick
    )


def _benchmark_columns(dataset: PanelDataset, year: int) -> list[MonitoringColumn]:
    columns = []
    for comparator in dataset.comparators:
        if comparator.kind == Comparator.Kind.OWN:
            for held_year in (year - 2, year - 1):
                columns.append(_own_column(comparator, held_year))
        else:
            columns.append(_yearless_column(comparator, year))
    return columns


def _own_column(comparator: ComparatorInfo, year: int) -> MonitoringColumn:
    return _figure_column(
        f"benchmark_{comparator.id}_{year}",
        f"{comparator.name} {year_suffix(year)}",
        lambda row: row.benchmark(comparator_id=comparator.id, year=year),
    )


def _yearless_column(comparator: ComparatorInfo, year: int) -> MonitoringColumn:
    # The council prints these without a year: they are the latest annual figures when the
    # table is written, those of the year before (as the demo loads them and the importer
    # reads them back).
    return _figure_column(
        f"benchmark_{comparator.id}",
        comparator.name,
        lambda row: row.benchmark(comparator_id=comparator.id, year=year - 1),
    )


def _month_column(month: date) -> MonitoringColumn:
    return MonitoringColumn(
        key=f"month_{month:%Y_%m}",
        header=month_label(month),
        text=lambda row: figure_text(row, row.figure(month)),
        figure=lambda row: row.figure(month),
        month=month,
    )


def monitoring_columns(
    *, dataset: PanelDataset, year: int, layout: str = CURRENT
) -> list[MonitoringColumn]:
    """The columns of a priority area's table for financial year `year`, in order.

    Current layout: Indicator, Outturn type, the year's months up to the dataset's month,
    Target, the council's own outturns of the two previous years ("Southampton 19/20"), then
    each other comparator's figure for the year before (printed without a year).
    2019 layout: see `_columns_2019`."""
    months = dataset.months_of_year(year)
    head = [
        MonitoringColumn(
            "indicator", "Indicator", lambda r: r.indicator.name, numeric=False, kind="text"
        ),
        MonitoringColumn(
            "outturn_type",
            "Outturn type",
            lambda r: r.outturn_type.upper(),
            numeric=False,
            kind="text",
        ),
    ]
    middle = [_month_column(month) for month in months]
    target = MonitoringColumn(
        "target",
        "Target",
        lambda r: r.target_text(year),
        kind="target",
    )
    if layout != LAYOUT_2019:
        return [*head, *middle, target, *_benchmark_columns(dataset, year)]
    return _columns_2019(dataset=dataset, year=year)


def _text_column(key: str, header: str, text: Callable[[IndicatorData], str]):
    return MonitoringColumn(key, header, text, numeric=False, kind="text")


def reporting_month(*, dataset: PanelDataset, year: int) -> date | None:
    """The month a 2019-layout table reports: the latest of the year's months shown."""
    months = dataset.months_of_year(year)
    return months[-1] if months else None


def _columns_2019(*, dataset: PanelDataset, year: int) -> list[MonitoringColumn]:
    """The council's 2019 layout, as `indicators.workbook.layout_2019` describes it: Ref, Indicator,
    Owner, Reporter, Outcome, the 13 months to the reporting month, the two % changes, DoT, the
    12-month average and maximum (all as of the reporting month), Percentage? (P or -), then
    Stat. Neighbour, England and SE region for the year before the table's."""
    reporting = reporting_month(dataset=dataset, year=year)
    months = layout_2019.months_to(reporting_month=reporting) if reporting else []
    analysed: dict[int, IndicatorStatistics | None] = {}

    def stats(row: IndicatorData) -> IndicatorStatistics | None:
        # Row statistics are for the dataset's month; a past year's table reports its own.
        if reporting is None or row.month == reporting:
            return row.stats
        if row.pk not in analysed:
            analysed[row.pk] = analyse(indicator=row.analysis_input(), month=reporting)
        return analysed[row.pk]

    def stat(attr: str) -> Callable[[IndicatorData], float | None]:
        return lambda row: getattr(stats(row), attr) if stats(row) else None

    def dot_text(row: IndicatorData) -> str:
        held = stats(row)
        dot = held.dot if held else None
        if dot is None:
            return ""
        if row.is_cumulative:  # says what it compares (see change_basis)
            return f"{dot.arrow} {held.change_basis}"
        return f"{dot.arrow} {dot.label}"

    people = [
        _text_column("ref", layout_2019.LEAD[0], lambda r: r.indicator.ref),
        MonitoringColumn(
            "indicator", layout_2019.LEAD[1], lambda r: r.indicator.name, numeric=False, kind="text"
        ),
        _text_column(
            "owner",
            layout_2019.LEAD[2],
            lambda r: r.indicator.owner.display_name if r.indicator.owner else "",
        ),
        _text_column(
            "reporter",
            layout_2019.LEAD[3],
            lambda r: r.indicator.reporter.display_name if r.indicator.reporter else "",
        ),
        _text_column("outcome", layout_2019.LEAD[4], lambda r: r.indicator.outcome),
    ]
    changes = [
        MonitoringColumn(
            key,
            header,
            lambda r, attr=attr: _pct(stat(attr)(r)),
            kind="percent_change",
            value=stat(attr),
            # The council prints these as whole percentages.
            number_format=layout_2019.CHANGE_FORMAT,
        )
        for key, header, attr in (
            ("pct_change_prev_month", layout_2019.PCT_PREV, "pct_change_prev_month"),
            (
                "pct_change_same_month_prev_year",
                layout_2019.PCT_YEAR,
                "pct_change_same_month_prev_year",
            ),
        )
    ]
    twelve = [
        _text_column("dot", layout_2019.DOT, dot_text),
        MonitoringColumn(
            "avg_12m",
            layout_2019.AVERAGE,
            lambda r: format_value(
                value=stat("avg_12m")(r), outturn_type=r.outturn_type, decimals=r.decimals + 1
            ),
            kind="number",
            value=stat("avg_12m"),
        ),
        MonitoringColumn(
            "max_12m",
            layout_2019.MAXIMUM,
            lambda r: r.text(stat("max_12m")(r)),
            kind="number",
            value=stat("max_12m"),
        ),
        _text_column(
            "percentage",
            layout_2019.PERCENTAGE,
            lambda r: layout_2019.mark_for(is_percentage=r.outturn_type == "percentage"),
        ),
    ]
    by_name = {c.name: c for c in dataset.comparators}
    benchmarks = []
    for heading, name in layout_2019.BENCHMARKS.items():
        comparator = by_name.get(name)
        if comparator is None:
            benchmarks.append(
                MonitoringColumn(f"benchmark_2019_{name}", heading, lambda r: "", figure=_none)
            )
            continue
        yearless = _yearless_column(comparator, year)
        benchmarks.append(
            MonitoringColumn(
                f"benchmark_2019_{comparator.id}", heading, yearless.text, figure=yearless.figure
            )
        )
    return [*people, *(_month_column(m) for m in months), *changes, *twelve, *benchmarks]


def _none(row: IndicatorData) -> Figure | None:
    return None


def name_first(columns: list[MonitoringColumn]) -> list[MonitoringColumn]:
    """The page's order: the indicator's name leads, as the row's header, so that it stays in
    view while the table scrolls sideways (the council's 2019 sheets put Ref before it)."""
    return sorted(columns, key=lambda c: c.key != "indicator")


# --- django-tables2 -----------------------------------------------------------------------


NOT_REPORTED_HTML = mark_safe(  # noqa: S308 - a constant
    '<span aria-hidden="true">–</span><span class="govuk-visually-hidden">Not reported</span>'
)


def _content(row: IndicatorData, column: MonitoringColumn, rag: Rag) -> str:
    """A cell's content as HTML; `rag` is the month's rating on month columns."""
    value = column.text(row)
    if column.figure is not None:
        figure = column.figure(row)
        if not value:
            return NOT_REPORTED_HTML
        shown = markup.text(value)
        if figure is None or figure.is_missing:
            shown = f'<span class="app-missing">{shown}</span>'
        if rag is Rag.NONE:
            return shown
        label = markup.text(rag.label.lower())
        return f'{shown}<span class="govuk-visually-hidden">, {label}</span>'
    if column.key == "indicator":
        url = markup.text(row.indicator.get_absolute_url())
        return f'<a class="govuk-link" href="{url}">{markup.text(value)}</a>'
    if column.key == "dot" and value:
        # The column's own text (the arrow, then the words), so the page says what the
        # export says.
        arrow, _, words = value.partition(" ")
        return f'<span aria-hidden="true">{markup.text(arrow)}</span> {markup.text(words)}'
    if column.kind == "target" and value == "TBC":
        return '<span class="app-missing">TBC</span>'
    return markup.text(value)


def _cell(row: IndicatorData, column: MonitoringColumn) -> str:
    if column.key == "indicator":
        content = _content(row, column, Rag.NONE)
        return f'<th scope="row" class="govuk-table__header">{content}</th>'
    rag = Rag.NONE
    if column.month is not None:
        rag = row.month_rag(column.month)
        marked = "" if rag is Rag.NONE else f" app-rag-cell app-rag-cell--{rag.value}"
        css = f"govuk-table__cell govuk-table__cell--numeric app-num{marked}"
    elif column.numeric:
        css = "govuk-table__cell govuk-table__cell--numeric app-num"
    else:
        css = "govuk-table__cell"
    return f'<td class="{css}">{_content(row, column, rag)}</td>'


def row_html(row: IndicatorData, columns: list[MonitoringColumn]) -> SafeString:
    """One body row's cells: the indicator's name as the row's header (<th scope="row">), then
    a cell per column, month cells with their RAG class and the RAG word for screen readers.
    Drawn with `markup.text` rather than `format_html`: a panel's tables have a thousand
    cells."""
    return mark_safe("".join(_cell(row, column) for column in columns))  # noqa: S308 - escaped


class _MonitoringColumn(tables.Column):
    """A heading of the monitoring table. The body is rendered by `row_html` (a cell at a time
    through django-tables2 costs ~0.5 ms, and a panel's tables have hundreds of cells)."""

    def __init__(self, spec: MonitoringColumn):
        attrs = {"th": NUM_TH} if spec.numeric else {}
        super().__init__(verbose_name=spec.header, orderable=False, attrs=attrs)


class MonitoringTable(tables.Table):
    """A priority area's table; build it with `monitoring_table`. django-tables2 draws the
    caption, the scroll region and the header row; `body_rows` are the rows, ready drawn."""

    class Meta:
        attrs = {"class": "govuk-table app-monitoring-table"}
        orderable = False
        template_name = "indicators/_monitoring_table.html"

    def __init__(self, rows: list[IndicatorData], columns: list[MonitoringColumn], **kwargs):
        super().__init__(
            rows,
            extra_columns=[(spec.key, _MonitoringColumn(spec)) for spec in columns],
            **kwargs,
        )
        self.body_rows = [row_html(row, columns) for row in rows]


def monitoring_table(*, rows: list[IndicatorData], columns: list[MonitoringColumn], caption: str):
    table = MonitoringTable(rows, columns)
    table.caption = caption
    table.caption_class = "govuk-table__caption--s"
    return table


# --- The catalogue ------------------------------------------------------------------------


class CatalogueTable(tables.Table):
    """The indicator catalogue: one row per active indicator, with its latest published value
    (rows are `catalogue.catalogue()` indicators)."""

    ref = tables.Column(verbose_name="Ref", orderable=False, empty_values=())
    name = tables.Column(
        verbose_name="Indicator",
        linkify=True,
        orderable=False,
        attrs={"a": {"class": "govuk-link"}},
    )
    priority_area = tables.Column(verbose_name="Priority area", orderable=False, default="—")
    outturn_type = tables.Column(verbose_name="Outturn type", orderable=False)
    latest = tables.Column(
        verbose_name="Latest value",
        accessor="pk",
        orderable=False,
        attrs={"th": NUM_TH, "td": {"class": "govuk-table__cell--numeric app-num"}},
    )
    month = tables.Column(
        verbose_name="Month", accessor="latest_month", orderable=False, default="—"
    )

    class Meta:
        model = Indicator
        fields = ["ref", "name", "priority_area", "outturn_type", "latest", "month"]
        attrs = {"class": "govuk-table"}
        template_name = "django_tables2/govuk.html"
        empty_text = "No indicators match."

    def render_ref(self, value):
        return value or "—"

    def render_latest(self, record: Indicator):
        figure = latest_figure(record)
        if figure is None:
            return format_html('<span class="app-missing">{}</span>', "None published")
        text = figure.text(outturn_type=record.outturn_type, decimals=record.decimals)
        if figure.is_missing:
            return format_html('<span class="app-missing">{}</span>', text)
        return text

    def render_month(self, record: Indicator):
        if latest_figure(record) is None:
            return "—"
        return f"{record.latest_month:%B %Y}"
