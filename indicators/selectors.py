"""Reads behind every page, export and API view of the performance dataset.

`panel_dataset` loads a panel's whole dataset in a fixed number of queries (whatever the
number of indicators, months or years), keeps only what the public may see, and runs
`statistics.analyse` on every indicator for one month; `dashboard_dataset` is the same less what
no dashboard tile shows. `indicator_dataset` does the same for a single indicator. The
dashboard, the monitoring table, the indicator page, the exports and the API all show what
these return, so they can never disagree.

The public rule: only published values and published commentary, and only months up to the
latest month the panel has published (a `Publication`). Provisional and approved values are
seen in the admin only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Max, OuterRef, Q, QuerySet, Subquery

from meetings.models import Panel

from . import asof
from . import completeness as completeness_rules
from .models import (
    HAS_NUMBER,
    BenchmarkValue,
    Commentary,
    Comparator,
    Indicator,
    Missing,
    PriorityArea,
    Publication,
    SpcBreak,
    Target,
    Value,
    monitoring_of,
)
from .rules import concurrency, statistics, validation, vocabulary
from .rules import spc as spc_rules
from .rules.benchmark import Benchmark
from .rules.calendar import (
    financial_year,
    financial_year_months,
)
from .rules.figures import figure_text, format_target, format_value
from .rules.rag import Rag, rate_month
from .rules.spc import Variation
from .rules.statistics import IndicatorInput, IndicatorStatistics

PUBLISHED = Value.State.PUBLISHED
_STATUS_LABELS = {"": "", **dict(Missing.choices)}
_NOT_LOADED = object()


def _float(number: Decimal | None) -> float | None:
    return None if number is None else float(number)


# --- Figures ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure as published: a number, or no number and the status saying why (TBC, N/A,
    Local, not reported). Missing figures are data, never zeros."""

    number: float | None
    status: str = HAS_NUMBER
    revised: bool = False

    @property
    def is_missing(self) -> bool:
        return self.number is None

    @property
    def status_label(self) -> str:
        return _STATUS_LABELS.get(self.status, self.status)

    def text(self, *, outturn_type: str, decimals: int) -> str:
        """As the council prints it: "51%", "1,828", or the status word ("TBC", "N/A")."""
        return figure_text(
            number=self.number, status=self.status, outturn_type=outturn_type, decimals=decimals
        )


NO_FIGURE = Figure(number=None, status=Missing.NOT_REPORTED)


@dataclass(frozen=True, slots=True)
class ComparatorInfo:
    id: int
    name: str
    kind: str
    order: int


@dataclass(frozen=True, slots=True)
class BenchmarkFigure:
    comparator: ComparatorInfo
    year: int
    figure: Figure


@dataclass(frozen=True, slots=True)
class TargetFigure:
    """A financial year's target: `target` for the rules (value None = TBC), and its own
    amber tolerance when the year sets one."""

    year: int
    target: vocabulary.Target
    tolerance: float | None = None


# --- One indicator ------------------------------------------------------------------------


@dataclass(slots=True)
class IndicatorData:
    """One indicator with its published figures and what `analyse` found for `month`.

    The figures are held as `series`, every loaded month's number (None when it is missing),
    and `marked`, the figures of those months that say more than a number: why it is missing
    (TBC, N/A …) or that it was revised. Most months are a bare number, so their `Figure` is
    only made when asked for (`figure`, `figures`): a panel has tens of thousands of months.
    """

    indicator: Indicator
    month: date | None
    series: dict[date, float | None]
    targets: dict[int, TargetFigure]
    benchmarks: list[BenchmarkFigure]
    panel_tolerance: float
    commentary: list[Commentary] = field(default_factory=list)
    stats: IndicatorStatistics | None = None
    marked: dict[date, Figure] = field(default_factory=dict)
    spc_breaks: list[spc_rules.SpcBreak] = field(default_factory=list)

    # -- the indicator's own facts, as the rules want them
    @property
    def pk(self) -> int:
        return self.indicator.pk

    @property
    def outturn_type(self) -> str:
        return self.indicator.outturn_type

    @property
    def decimals(self) -> int:
        return self.indicator.decimals

    @property
    def polarity(self) -> str:
        return self.indicator.polarity

    @property
    def is_cumulative(self) -> bool:
        return self.indicator.measure_type == Indicator.MeasureType.CUMULATIVE_YTD

    @property
    def indicator_tolerance(self) -> float | None:
        held = self.indicator.amber_tolerance
        return None if held is None else float(held)

    @property
    def figures(self) -> dict[date, Figure]:
        """Every loaded month's figure, in month order."""
        return {month: self.figure(month) for month in self.series}

    def reported_months(self) -> list[date]:
        """The loaded months with a figure (a number or a status other than "not reported"),
        in month order."""
        return list(self._reported(self.series))

    def _reported(self, months: Iterable[date]) -> Iterator[date]:
        marked = self.marked
        for month in months:
            held = marked.get(month)
            if held is None or held.status != Missing.NOT_REPORTED:
                yield month

    def as_of_month(self, *, until: date | None, year: int | None = None) -> date | None:
        """The month this indicator is read as of (see `asof.as_of_month`)."""
        # `series` is loaded in month order, so reversed it is newest first.
        newest_first = self._reported(reversed(self.series))
        return asof.as_of_month(newest_first=newest_first, until=until, year=year)

    def analysis_input(self) -> IndicatorInput:
        return IndicatorInput(
            name=self.indicator.name,
            outturn_type=self.indicator.outturn_type,
            measure_type=self.indicator.measure_type,
            polarity=self.indicator.polarity,
            decimals=self.indicator.decimals,
            tolerance=self.panel_tolerance,
            indicator_tolerance=self.indicator_tolerance,
            target_tolerances={year: held.tolerance for year, held in self.targets.items()},
            series=self.series,
            targets={year: held.target for year, held in self.targets.items()},
            benchmarks=[
                Benchmark(b.comparator.name, b.year, b.figure.number)
                for b in self.benchmarks
            ],
            run_length=monitoring_of(self.indicator.panel).spc_run_length,
            spc_breaks=self.spc_breaks,
        )

    # -- display helpers
    def figure(self, month: date) -> Figure:
        held = self.marked.get(month)
        if held is not None:
            return held
        number = self.series.get(month)
        return NO_FIGURE if number is None else Figure(number)

    def text(self, value: float | None) -> str:
        return format_value(
            value=value, outturn_type=self.outturn_type, decimals=self.decimals
        )

    def figure_text(self, month: date) -> str:
        return self.figure(month).text(outturn_type=self.outturn_type, decimals=self.decimals)

    def target(self, year: int) -> vocabulary.Target | None:
        held = self.targets.get(year)
        return held.target if held else None

    def target_text(self, year: int) -> str:
        """ "<36%", "23%", or "TBC" (also when no target is set for the year)."""
        return format_target(
            target=self.target(year), outturn_type=self.outturn_type, decimals=self.decimals
        )

    def month_rag(self, month: date) -> Rag:
        """The RAG of one month's value against its financial year's target, as `analyse`
        rates the month (see `rag.rate_month`)."""
        held = self.targets.get(financial_year(month=month))
        return rate_month(
            value=self.figure(month).number,
            month=month,
            measure_type=self.indicator.measure_type,
            polarity=self.polarity,
            target=held.target if held else None,
            panel_tolerance=self.panel_tolerance,
            indicator_tolerance=self.indicator_tolerance,
            target_tolerance=held.tolerance if held else None,
        )

    def benchmark(self, *, comparator_id: int, year: int) -> Figure | None:
        """A comparator's figure for financial year `year`, or None when there is none."""
        for held in self.benchmarks:
            if held.comparator.id == comparator_id and held.year == year:
                return held.figure
        return None

    def in_year(self, year: int) -> bool:
        """Whether financial year `year`'s table shows the indicator: it has a published
        figure in the year, a target for it, or a benchmark the year's table prints (see
        `tables.monitoring_columns`: the council's own outturns of the two years before, the
        other comparators' of the year before)."""
        if year in self.targets:
            return True
        for held in self.benchmarks:
            own = held.comparator.kind == Comparator.Kind.OWN
            if held.year == year - 1 or (own and held.year == year - 2):
                return True
        return any(financial_year(month=m) == year for m in self.reported_months())

    @property
    def latest(self) -> Figure:
        return self.figure(self.month) if self.month else NO_FIGURE

    @property
    def signal(self) -> str:
        """The SPC verdict on the latest month, as the dashboard filters it: "concern",
        "improvement", "neutral" (special cause, no polarity), "common" or "none" (too few
        points for a chart)."""
        variation = self.stats.spc.variation if self.stats else None
        if variation is None:
            return "none"
        if variation is Variation.COMMON_CAUSE:
            return "common"
        return variation.value.split("_")[0]


# --- A priority area and a panel ----------------------------------------------------------


@dataclass(slots=True)
class AreaData:
    """A priority area: its table's rows (placements, in order; an indicator shown in two
    areas is a row of both) and its commentary for the month."""

    area: PriorityArea
    rows: list[IndicatorData]
    commentary: Commentary | None = None

    @property
    def month(self) -> date | None:
        """The area's month: the latest its indicators are read as of (its commentary is
        that month's)."""
        return max((row.month for row in self.rows if row.month), default=None)

    @property
    def counts(self) -> dict[str, int]:
        """How many rows are Red, Amber, Green and not rated, in that order."""
        counts = {rag.value: 0 for rag in Rag}
        for row in self.rows:
            counts[row.stats.rag.value if row.stats else Rag.NONE.value] += 1
        return counts


@dataclass(slots=True)
class PanelDataset:
    """What the public may see of a panel's dataset: each indicator analysed as of its own
    month (see `asof.as_of_month`); `month` is the latest of those, `latest_month` the
    latest month the panel has published."""

    panel: Panel
    month: date | None
    latest_month: date | None
    areas: list[AreaData]
    indicators: list[IndicatorData]
    comparators: list[ComparatorInfo]

    @property
    def months_summary(self) -> str:
        """ "Data to end of February 2022", or, when the areas are at different months,
        "Data to end of March 2022 for 4 indicators; February 2022 for the rest"."""
        shown = {data.pk: data.month for area in self.areas for data in area.rows}
        return asof.months_summary(months=shown.values())

    @property
    def year(self) -> int | None:
        return financial_year(month=self.month) if self.month else None

    @property
    def years(self) -> list[int]:
        """Financial years with any published figure, newest first."""
        months = set().union(*(data.reported_months() for data in self.indicators))
        return sorted({financial_year(month=month) for month in months}, reverse=True)

    def months_of_year(self, year: int) -> list[date]:
        """The months of financial year `year` up to the dataset's month."""
        end = self.month
        return [m for m in financial_year_months(year=year) if end and m <= end]

    def by_id(self) -> dict[int, IndicatorData]:
        return {data.pk: data for data in self.indicators}


# --- Loading ------------------------------------------------------------------------------


def panels_with_latest_month() -> QuerySet[Panel]:
    """Panels annotated with `latest_month`: the latest month they have published (or None).
    A panel from here saves `panel_dataset` a query."""
    return (
        Panel.objects.select_related("monitoring")
        .annotate(latest_month=Max("publications__month"))
        .order_by("name")
    )


def dashboard_panel(*, slug: str | None) -> Panel | None:
    """The panel of a dashboard URL (the first panel by name for the home page), annotated
    with `latest_month`, or None."""
    panels = panels_with_latest_month()
    if slug is not None:
        panels = panels.filter(slug=slug)
    return panels.first()


def latest_published_month(*, panel: Panel) -> date | None:
    """The latest month the panel has published, or None before its first publication."""
    held = getattr(panel, "latest_month", _NOT_LOADED)
    if held is not _NOT_LOADED:
        return held
    return Publication.objects.filter(panel=panel).aggregate(latest=Max("month"))["latest"]


def _values(
    indicator_filter: Q, *, until: date | None, published_only: bool
) -> tuple[dict[int, dict[date, float | None]], dict[int, dict[date, Figure]]]:
    """Each indicator's `series` and `marked` figures (see IndicatorData)."""
    series: dict[int, dict[date, float | None]] = defaultdict(dict)
    marked: dict[int, dict[date, Figure]] = defaultdict(dict)
    values = Value.objects.filter(indicator_filter)
    if published_only:
        values = values.published()
        if until is None:
            return series, marked
        values = values.filter(month__lte=until)
    rows = values.order_by("indicator_id", "month").values_list(
        "indicator_id", "month", "number", "status", "revised"
    )
    for indicator_id, month, number, status, revised in rows:
        number = None if number is None else float(number)
        series[indicator_id][month] = number
        if number is None or status or revised:
            marked[indicator_id][month] = Figure(number, status, revised)
    return series, marked


def _targets(indicator_filter: Q) -> dict[int, dict[int, TargetFigure]]:
    targets: dict[int, dict[int, TargetFigure]] = defaultdict(dict)
    rows = (
        Target.objects.filter(indicator_filter)
        .order_by()
        .values_list("indicator_id", "year", "number", "bound", "amber_tolerance")
    )
    for indicator_id, year, number, bound, tolerance in rows:
        targets[indicator_id][year] = TargetFigure(
            year,
            vocabulary.Target(_float(number), bound if number is not None else ""),
            _float(tolerance),
        )
    return targets


def _benchmarks(
    indicator_filter: Q,
) -> tuple[dict[int, list[BenchmarkFigure]], list[ComparatorInfo]]:
    """Each indicator's benchmarks and the comparators they are of."""
    benchmarks: dict[int, list[BenchmarkFigure]] = defaultdict(list)
    comparators: dict[int, ComparatorInfo] = {}
    rows = BenchmarkValue.objects.filter(indicator_filter)
    rows = rows.order_by("comparator__order", "comparator__name", "year").values_list(
        "indicator_id",
        "comparator_id",
        "comparator__name",
        "comparator__kind",
        "comparator__order",
        "year",
        "number",
        "status",
    )
    for indicator_id, comp_id, name, kind, order, year, number, status in rows:
        comparator = comparators.setdefault(comp_id, ComparatorInfo(comp_id, name, kind, order))
        benchmarks[indicator_id].append(
            BenchmarkFigure(comparator, year, Figure(_float(number), status))
        )
    return benchmarks, list(comparators.values())


def _spc_breaks(indicator_filter: Q) -> dict[int, list[spc_rules.SpcBreak]]:
    """Each indicator's SPC baselines and rebases, in month order."""
    breaks: dict[int, list[spc_rules.SpcBreak]] = defaultdict(list)
    rows = (
        SpcBreak.objects.filter(indicator_filter)
        .order_by("indicator_id", "month")
        .values_list("indicator_id", "month", "kind", "reason")
    )
    for indicator_id, month, kind, reason in rows:
        breaks[indicator_id].append(spc_rules.SpcBreak(month, kind, reason))
    return breaks


def _analyse(data: IndicatorData) -> IndicatorData:
    if data.month is not None:
        data.stats = statistics.analyse(indicator=data.analysis_input(), month=data.month)
    return data


def panel_dataset(
    *, panel: Panel, year: int | None = None, published_only: bool = True
) -> PanelDataset:
    """A panel's dataset, each indicator analysed as of its own latest published month (see
    `asof.as_of_month`), in 7 queries whatever its size (8 unless `panel` comes from
    `panels_with_latest_month` or `dashboard_panel`, which carry its latest month): areas with
    their rows, indicators, values, SPC baselines and rebases, targets, benchmarks, commentary.

    With `year`, it is that financial year's table: each indicator as of its latest published
    month of the year (so the table is "Data to end of February 2019" when February is the
    last month of 2018/19 with figures), and the areas' rows leave out the indicators with
    no figure, target or benchmark in the year (`IndicatorData.in_year`).

    Only published values and commentary up to the latest published month are loaded.
    `published_only=False` is for staff tools only (every state, every month): public pages
    never pass it.
    """
    return _panel_dataset(panel=panel, year=year, published_only=published_only, tiles_only=False)


def dashboard_dataset(*, panel: Panel) -> PanelDataset:
    """What the dashboard shows of a panel: `panel_dataset` (each indicator as of its own
    latest published month), less what no tile shows, in the same queries.

    A tile shows the month's figure, its RAG rating against the target of the month's
    financial year, the direction of travel (against the month before), the SPC icons and a
    sparkline of the 12 months to the month. The longest window any of these needs is the
    whole published history: the SPC chart covers every month from the first on record (see
    `statistics.analyse`), so its limits, and with them the variation and assurance icons,
    change with any month left out. So every month's number is loaded, as for
    `panel_dataset`, and the tiles' figures are the same as the monitoring table's. What is
    left out, in 6 queries: the targets of years no tile is at, the benchmarks and the
    commentary (no tile shows them), and the indicators' owners, reporters and home areas.
    """
    return _panel_dataset(panel=panel, year=None, published_only=True, tiles_only=True)


def _with_settings(panel: Panel) -> Panel:
    """The panel as `panels_with_latest_month` gives it (its latest month and its monitoring
    settings): itself if it carries both, else read again, in one query."""
    if hasattr(panel, "latest_month") and Panel.monitoring.is_cached(panel):
        return panel
    return panels_with_latest_month().get(pk=panel.pk)


def _panel_dataset(
    *, panel: Panel, year: int | None, published_only: bool, tiles_only: bool
) -> PanelDataset:
    panel = _with_settings(panel)
    latest = latest_published_month(panel=panel)
    if not published_only:
        latest = (
            Value.objects.filter(indicator__panel=panel).aggregate(m=Max("month"))["m"] or latest
        )

    area_rows = (
        PriorityArea.objects.filter(panel=panel)
        .order_by("order", "name", "areaindicator__order", "areaindicator__id")
        .values_list("id", "name", "order", "rating", "areaindicator__indicator_id")
    )
    indicators = Indicator.objects.for_panel(panel).order_by("order", "name")
    if not tiles_only:
        indicators = indicators.select_related("owner", "reporter", "priority_area")
    indicators = list(indicators)
    scope = Q(indicator__panel=panel, indicator__is_active=True)
    series, marked = _values(scope, until=latest, published_only=published_only)

    breaks = _spc_breaks(scope)
    tolerance = float(monitoring_of(panel).default_amber_tolerance)
    loaded: dict[int, IndicatorData] = {}
    for indicator in indicators:
        indicator.panel = panel
        data = IndicatorData(
            indicator=indicator,
            month=None,
            series=series.get(indicator.pk, {}),
            marked=marked.get(indicator.pk, {}),
            targets={},
            benchmarks=[],
            panel_tolerance=tolerance,
            spc_breaks=breaks.get(indicator.pk, []),
        )
        data.month = data.as_of_month(until=latest, year=year)
        loaded[indicator.pk] = data
    months = {data.month for data in loaded.values() if data.month is not None}

    if tiles_only:
        years = {financial_year(month=month) for month in months}
        targets = _targets(scope & Q(year__in=years))
    else:
        targets = _targets(scope)
    benchmarks, comparators, commentary = {}, [], []
    if not tiles_only:
        benchmarks, comparators = _benchmarks(scope)
        commentary = (
            Commentary.objects.filter(month__in=months)
            .filter(Q(priority_area__panel=panel) | Q(indicator__panel=panel))
            .order_by()
        )
        if published_only:
            commentary = commentary.filter(state=PUBLISHED)
        commentary = list(commentary) if months else []

    for data in loaded.values():
        data.targets = targets.get(data.pk, {})
        data.benchmarks = benchmarks.get(data.pk, [])
        data.commentary = [
            c for c in commentary if c.indicator_id == data.pk and c.month == data.month
        ]
        _analyse(data)
    area_commentary: dict[int, list[Commentary]] = defaultdict(list)
    for note in commentary:
        if note.priority_area_id:
            area_commentary[note.priority_area_id].append(note)
    areas: dict[int, AreaData] = {}
    for area_id, name, order, rating, indicator_id in area_rows:
        if area_id not in areas:
            area = PriorityArea(id=area_id, panel=panel, name=name, order=order, rating=rating)
            areas[area_id] = AreaData(area, [])
        data = loaded.get(indicator_id)
        if data is not None and (year is None or data.in_year(year)):
            areas[area_id].rows.append(data)
    for held in areas.values():
        # The area's latest analysis of a month its rows are at: an area whose indicators
        # are at March and February, with only February's analysis published, shows that.
        held.commentary = max(
            (c for c in area_commentary[held.area.pk] if c.month <= (held.month or c.month)),
            key=lambda c: c.month,
            default=None,
        )
    return PanelDataset(
        panel=panel,
        month=max(months, default=None),
        latest_month=latest,
        areas=list(areas.values()),
        indicators=list(loaded.values()),
        comparators=comparators,
    )


def indicator_dataset(*, pk: int) -> IndicatorData | None:
    """One active indicator with its published figures, targets, benchmarks and every month's
    published commentary that concerns it (its own, and its priority areas'), newest first,
    analysed as of its own latest published month (`asof.as_of_month`); in 5 queries. None
    when there is no such indicator. `as_of` reads it at another month."""
    latest = (
        Publication.objects.filter(panel=OuterRef("panel")).order_by("-month").values("month")[:1]
    )
    indicator = (
        Indicator.objects.filter(pk=pk, is_active=True)
        .select_related("panel__monitoring", "owner", "reporter", "priority_area")
        .annotate(latest_month=Subquery(latest))
        .first()
    )
    if indicator is None:
        return None
    until = indicator.latest_month
    scope = Q(indicator=indicator)
    benchmarks, _ = _benchmarks(scope)
    commentary = []
    if until is not None:
        concerning = (
            Q(indicator=indicator)
            | Q(priority_area_id=indicator.priority_area_id)
            | Q(priority_area__areaindicator__indicator=indicator)
        )
        commentary = list(
            Commentary.objects.filter(concerning, state=PUBLISHED, month__lte=until)
            .select_related("priority_area")
            .distinct()
            .order_by("-month", "priority_area__order", "pk")
        )
    series, marked = _values(scope, until=until, published_only=True)
    data = IndicatorData(
        indicator=indicator,
        month=None,
        series=series.get(indicator.pk, {}),
        marked=marked.get(indicator.pk, {}),
        targets=_targets(scope).get(indicator.pk, {}),
        benchmarks=benchmarks.get(indicator.pk, []),
        panel_tolerance=float(monitoring_of(indicator.panel).default_amber_tolerance),
        commentary=commentary,
        spc_breaks=_spc_breaks(scope).get(indicator.pk, []),
    )
    return as_of(data, month=data.as_of_month(until=until))


def as_of(data: IndicatorData, *, month: date | None) -> IndicatorData:
    """`data` analysed for `month` (a month `asof.month_error` accepts), its commentary only
    that of `month` and before; no query."""
    data.month = month
    data.commentary = [c for c in data.commentary if month is not None and c.month <= month]
    data.stats = None
    return _analyse(data)


# --- Publishing: what becomes public, and how complete the month is ------------------------


@dataclass(frozen=True, slots=True)
class PublishRow:
    """A value the publishing check shows: what the public will see of it."""

    value: Value
    area: str
    indicator: str
    figure: str
    month_label: str
    rag: Rag


@dataclass(frozen=True, slots=True)
class PublishCheck:
    """What publishing a panel's month would release (`rows`), the month's completeness once
    it is released, and the token the confirmation sends back (`concurrency.publication_token`)."""

    rows: list[PublishRow]
    completeness: completeness_rules.Completeness
    token: str


def month_completeness(
    *,
    panel: Panel,
    month: date,
    publishing: set[int] | None = None,
    new_indicators: list[tuple[str, bool]] | tuple = (),
) -> completeness_rules.Completeness:
    """How complete `month` of `panel` will be once published, in one query: each active
    indicator has a value when its value of the month is published already or is about to
    be. `publishing` names the indicators whose value is about to be (default: those with an
    approved value, what `services.publish_month` releases); `new_indicators` are those an
    import is about to create, each with whether it brings a value of the month."""
    rows = (
        Indicator.objects.for_panel(panel)
        .with_month_state(month=month)
        .order_by("order", "name")
        .values_list("pk", "ref", "name", "month_state")
    )
    released = {PUBLISHED} if publishing is not None else {PUBLISHED, Value.State.APPROVED}
    facts = [
        (
            f"{ref} {name}".strip(),
            state in released or (publishing is not None and pk in publishing),
            state,
        )
        for pk, ref, name, state in rows
    ]
    facts += [(name, has_value, None) for name, has_value in new_indicators]
    return completeness_rules.completeness(
        month_label=validation.month_label(month), indicators=facts
    )


def publish_check(*, panel: Panel, month: date) -> PublishCheck:
    """The publishing check of a panel's month, in 3 queries: the approved values it releases
    (figure as printed, RAG against the month's financial-year target, as the dashboard rates
    it), their targets, and the month's completeness."""
    values = list(
        Value.objects.awaiting_publication(panel=panel, month=month)
        .select_related("indicator", "indicator__priority_area")
        .order_by("indicator__priority_area__order", "indicator__order", "indicator__name")
    )
    year = financial_year(month=month)
    targets = _targets(Q(indicator__in=[v.indicator_id for v in values], year=year))
    tolerance = float(monitoring_of(panel).default_amber_tolerance)
    label = validation.month_label(month)
    rows = []
    for value in values:
        number = _float(value.number)
        data = IndicatorData(
            indicator=value.indicator,
            month=month,
            series={month: number},
            marked={month: Figure(number, value.status)},
            targets=targets.get(value.indicator_id, {}),
            benchmarks=[],
            panel_tolerance=tolerance,
        )
        rows.append(
            PublishRow(
                value=value,
                area=str(value.indicator.priority_area or ""),
                indicator=str(value.indicator),
                figure=data.figure_text(month),
                month_label=label,
                rag=data.month_rag(month),
            )
        )
    return PublishCheck(
        rows=rows,
        completeness=month_completeness(panel=panel, month=month),
        token=concurrency.publication_token(values),
    )


def import_completeness(*, plan) -> list[completeness_rules.Completeness]:
    """For `import_dataset --publish`: each month the import publishes, how complete it will
    be once published (`month_completeness` with the plan's values as those about to be)."""
    found = []
    for month in plan.months:
        keys = {write.indicator.key for write in plan.values if write.month == month}
        publishing = {plan.matched[key].pk for key in keys if key in plan.matched}
        new = [(f"{e.ref} {e.name}".strip(), e.key in keys) for e in plan.new_indicators]
        found.append(
            month_completeness(
                panel=plan.panel, month=month, publishing=publishing, new_indicators=new
            )
        )
    return found
