"""Public pages of the performance dataset: the dashboard, the monitoring table (with its
exports), the indicator page and the catalogue. Published figures only, always: every page
reads them through `selectors`, which loads nothing else."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from core import params
from core.tables import configure_table

from . import asof, catalogue, charts, exports, presenters, selectors, tables
from .caching import public_page
from .filters import CatalogueFilter, DashboardFilterForm, dashboard_sections
from .pages import INDICATOR_PAGE
from .rules.calendar import financial_year, financial_year_label

CATALOGUE_PER_PAGE = 50


def performance_url(slug: str) -> str:
    """The monitoring table's address, /panels/<slug>/performance/."""
    return reverse("panel-performance", args=[slug])


def _panel_or_404(slug: str | None):
    panel = selectors.dashboard_panel(slug=slug)
    if panel is None and slug is not None:
        raise Http404("No such panel")
    return panel


@public_page(reads=DashboardFilterForm.base_fields)
def dashboard(request, slug=None):
    """A panel's RAG-rated dashboard: per priority area its rating, counts and a tile per
    indicator, for the latest published month; filtered by area, rating and SPC signal."""
    panel = _panel_or_404(slug)
    if panel is None:
        return render(request, "indicators/no_panel.html")
    dataset = selectors.dashboard_dataset(panel=panel)
    form = DashboardFilterForm(request.GET or None, areas=dataset.areas)
    sections = dashboard_sections(dataset=dataset, form=form)
    return render(
        request,
        "indicators/dashboard.html",
        {
            "panel": panel,
            "dataset": dataset,
            "form": form,
            "sections": sections,
            "shown": sum(len(section.tiles) for section in sections),
            "filtered": form.is_bound and form.is_valid() and any(form.cleaned_data.values()),
            "performance_url": performance_url(panel.slug),
        },
    )


def _financial_year(request, latest: date) -> tuple[int, bool]:
    """The financial year asked for (?year=2021; default the latest published month's) and
    whether the request named one that is not usable."""
    current = financial_year(month=latest)
    wanted = request.GET.get("year", "").strip()
    if not wanted:
        return current, False
    year = params.parse_year(wanted)
    if year is None or year > current:
        return current, True
    return year, False


def _export(request, *, dataset, year: int, layout: str):
    export_format = request.GET["format"]
    if export_format not in exports.FORMATS:
        raise Http404(exports.ERROR_FORMAT.format(value=export_format))
    content, content_type = exports.export_bytes(
        export_format=export_format, dataset=dataset, year=year, layout=layout
    )
    response = HttpResponse(content, content_type=content_type)
    label = financial_year_label(year=year).replace("/", "-")
    response["Content-Disposition"] = (
        f'attachment; filename="{dataset.panel.slug}-performance-{label}.{export_format}"'
    )
    return response


@public_page(reads=("year", "columns", "format"))
def performance(request, slug):
    """ "What the data tells us": a table per priority area for a financial year (current or
    2019 layout) with the area's analysis and next steps; ?format=xlsx|csv exports it."""
    panel = _panel_or_404(slug)
    layout = tables.LAYOUT_2019 if request.GET.get("columns") == "2019" else tables.CURRENT
    context = {"panel": panel, "layout": layout, "layouts": tables.LAYOUTS, "year": None}
    if panel.latest_month is None:
        return render(request, "indicators/performance.html", context)
    year, refused = _financial_year(request, panel.latest_month)
    dataset = selectors.panel_dataset(panel=panel, year=year)
    if year not in dataset.years:
        refused, year = True, dataset.years[0] if dataset.years else year
        dataset = selectors.panel_dataset(panel=panel, year=year)
    if request.GET.get("format"):
        if refused:
            raise Http404("No published data for that financial year")
        return _export(request, dataset=dataset, year=year, layout=layout)
    columns = tables.name_first(
        tables.monitoring_columns(dataset=dataset, year=year, layout=layout)
    )
    context.update(
        dataset=dataset,
        year=year,
        year_label=financial_year_label(year=year),
        years=[(y, financial_year_label(year=y)) for y in dataset.years],
        refused=request.GET.get("year") if refused else "",
        areas=[
            (
                area,
                tables.monitoring_table(
                    rows=area.rows, columns=columns, caption=f"{area.area.name}: indicators"
                ),
            )
            for area in dataset.areas
        ],
    )
    return render(request, "indicators/performance.html", context)


def detail(request, pk):
    """An indicator: its definition, chart, figures, verdict, commentary, recommendations and
    the panel's questions (the form to ask one for panel members); as of its latest published
    month, or of ?month=YYYY-MM chosen with the month picker."""
    data = selectors.indicator_dataset(pk=pk)
    if data is None:
        raise Http404("No such indicator")
    reported = data.reported_months()
    month_error = ""
    if request.GET.get("month"):
        month, month_error = asof.month_error(text=request.GET["month"], reported=reported)
        if not month_error:
            data = selectors.as_of(data, month=month)
    return render(
        request,
        "indicators/detail.html",
        {
            "data": data,
            "shown": presenters.IndicatorView(data),
            "indicator": data.indicator,
            "figure_json": charts.figure_json(data) if data.figures else "",
            "rows": charts.table_rows(data),
            **INDICATOR_PAGE.context(indicator=data.indicator, data=data, user=request.user),
            "performance_url": performance_url(data.indicator.panel.slug),
            "month_choices": [(f"{m:%Y-%m}", f"{m:%B %Y}") for m in reversed(reported)],
            "chosen_month": f"{data.month:%Y-%m}" if data.month else "",
            "month_error": month_error,
        },
    )


def index(request):
    """The catalogue: every active indicator with its latest published value, filtered by
    priority area and searched by name or reference."""
    filterset = CatalogueFilter(request.GET or None, queryset=catalogue.catalogue())
    table = tables.CatalogueTable(filterset.qs)
    configure_table(request, table, per_page=CATALOGUE_PER_PAGE)
    return render(request, "indicators/list.html", {"filter": filterset, "table": table})
