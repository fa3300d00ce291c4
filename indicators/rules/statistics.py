"""The statistics of the monthly performance dataset, free of any framework.

Everything the dashboard, the exports and the API say about an indicator comes from
`analyse`: the RAG rating, the direction of travel, the changes, the 12-month figures, the
year-end forecast of cumulative measures, the XmR (statistical process control) chart, the
benchmark positions and a plain-English verdict. The rules themselves are in the modules
beside this one; `analyse` puts them together.

It is plain Python over floats, without Django or pandas, so that it can be unit tested
without a database, and kept to a few passes over each series so that a whole dataset
(250 indicators × 120 months) is analysed in some 20 ms on every page view.

Conventions: values are floats and a missing value (TBC, N/A, not reported) is None, never
zero; months are `date`s on the first of the month; percentages are in percent units (51.0
means 51%). Callers holding `Decimal`s convert them with `float()` first.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from operator import sub

from .benchmark import Benchmark, BenchmarkComparison, benchmark_position
from .calendar import add_months, financial_year
from .change import (
    Direction,
    change_basis,
    direction_of_travel,
    pct_change,
    pp_change,
    window_stats,
    year_end_forecast,
)
from .rag import Rag, rate_month
from .spc import DEFAULT_RUN_LENGTH, REBASE, SpcBreak, SpcResult, spc
from .verdict import verdict
from .vocabulary import (
    MEASURE_TYPES,
    OUTTURN_TYPES,
    MeasureType,
    OutturnType,
    Polarity,
    Target,
    check,
    check_polarity,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class IndicatorInput:
    """Everything `analyse` needs to know about an indicator.

    `series` holds every known month (missing values as None); `targets` maps a financial
    year (by its first year: 2021 = 2021/22) to its target. The amber band, in percent of the
    target, is a year's own (`target_tolerances`), else the indicator's (`indicator_tolerance`),
    else the panel's default (`tolerance`): see `rag.amber_tolerance`. `run_length` is the
    panel's (6 or 7); `spc_breaks` the baselines and rebases of the indicator's chart.
    """

    name: str
    outturn_type: OutturnType
    measure_type: MeasureType
    polarity: Polarity
    decimals: int
    tolerance: float
    series: Mapping[date, float | None]
    targets: Mapping[int, Target] = field(default_factory=dict)
    benchmarks: Sequence[Benchmark] = ()
    run_length: int = DEFAULT_RUN_LENGTH
    screen_outliers: bool = True
    spc_breaks: Sequence[SpcBreak] = ()
    indicator_tolerance: float | None = None
    target_tolerances: Mapping[int, float | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check("outturn type", self.outturn_type, OUTTURN_TYPES)
        check("measure type", self.measure_type, MEASURE_TYPES)
        check_polarity(self.polarity)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


@dataclass(frozen=True, slots=True)
class IndicatorStatistics:
    """What `analyse` found for one indicator in one month.

    For a cumulative measure the changes, direction of travel, 12-month figures and SPC are
    of the monthly increments, `latest` is the year-to-date value, and the rating and the
    benchmark positions judge `forecast`. SPC point i is the month `spc_first_month` + i.
    `verdict` is written from these when read: of the pages that analyse a whole panel, only
    the exports print it.
    """

    month: date
    latest: float | None
    target: Target | None
    rag: Rag
    dot: Direction | None
    pct_change_prev_month: float | None
    pct_change_same_month_prev_year: float | None
    pp_change_prev_month: float | None
    avg_12m: float | None
    max_12m: float | None
    months_missing_12m: int
    forecast: float | None
    spc: SpcResult
    benchmark_positions: tuple[BenchmarkComparison, ...]
    decimals: int = 0
    spc_first_month: date | None = None
    outturn_type: OutturnType = "number"
    measure_type: MeasureType = "snapshot"
    # The two values the direction of travel compares (monthly increases of a cumulative
    # measure): the month's and the month before's.
    compared: float | None = None
    compared_with: float | None = None

    @property
    def change_basis(self) -> str:
        """What the direction of travel compares, in words (see `change_basis`)."""
        return change_basis(
            dot=self.dot,
            current=self.compared,
            previous=self.compared_with,
            latest=self.latest,
            month=self.month,
            measure_type=self.measure_type,
            outturn_type=self.outturn_type,
            decimals=self.decimals,
        )

    spc_breaks: tuple[SpcBreak, ...] = ()

    def spc_month(self, index: int) -> date:
        """The month of SPC point (or segment) index `index`."""
        assert self.spc_first_month is not None
        return add_months(month=self.spc_first_month, count=index)

    @property
    def verdict(self) -> str:
        """The plain-English paragraph on the month (see `verdict`)."""
        return verdict(
            month=self.month,
            value=self.latest,
            outturn_type=self.outturn_type,
            decimals=self.decimals,
            rag=self.rag,
            target=self.target,
            measure_type=self.measure_type,
            forecast=self.forecast,
            spc=self.spc,
            benchmark_positions=self.benchmark_positions,
            change=self.change_basis,
            spc_first_month=self.spc_first_month,
            spc_breaks=self.spc_breaks,
        )

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: enums as their string values, figures rounded to two decimals beyond
        the indicator's own, percentage changes to one decimal, as the council prints them."""
        digits = self.decimals + 2
        chart = self.spc
        return {
            "month": f"{self.month:%Y-%m}",
            "latest": _round(self.latest, digits),
            "rag": self.rag.value,
            "dot": None if self.dot is None else self.dot.value,
            "pct_change_prev_month": _round(self.pct_change_prev_month, 1),
            "pct_change_same_month_prev_year": _round(self.pct_change_same_month_prev_year, 1),
            "pp_change_prev_month": _round(self.pp_change_prev_month, digits),
            "avg_12m": _round(self.avg_12m, digits),
            "max_12m": _round(self.max_12m, digits),
            "forecast": _round(self.forecast, digits),
            "change_basis": self.change_basis,
            "spc": {
                "variation": None if chart.variation is None else chart.variation.value,
                "assurance": None if chart.assurance is None else chart.assurance.value,
                "rules": list(chart.rules_fired),
                "mean": _round(chart.mean, digits),
                "upper_limit": _round(chart.upper_limit, digits),
                "lower_limit": _round(chart.lower_limit, digits),
                "trial": chart.trial,
                "segments": [
                    {
                        "from": f"{self.spc_month(seg.first):%Y-%m}",
                        "to": f"{self.spc_month(seg.last):%Y-%m}",
                        "rebased": seg.rebased,
                        "baseline_to": None
                        if seg.baseline_last is None
                        else f"{self.spc_month(seg.baseline_last):%Y-%m}",
                        "mean": _round(seg.mean, digits),
                        "upper_limit": _round(seg.upper_limit, digits),
                        "lower_limit": _round(seg.lower_limit, digits),
                        "trial": seg.trial,
                    }
                    for seg in chart.segments
                ],
                "message": chart.message,
            },
            "verdict": self.verdict,
        }


def _months_up_to(
    series: Mapping[date, float | None], month: date
) -> tuple[list[float | None], date | None]:
    # Every month from the first on record to `month`, absent months as None, so that one
    # list serves the changes, the 12-month window and the chart without a date lookup per
    # month, and the chart's point indexes map back to months.
    keys = sorted(series)
    count = bisect_right(keys, month)
    if not count:
        return [], None
    first, last = keys[0], keys[count - 1]
    first_ordinal = first.year * 12 + first.month
    last_ordinal = last.year * 12 + last.month
    if last_ordinal - first_ordinal + 1 == count:
        values = list(map(series.__getitem__, keys[:count]))  # no gaps: the usual case
    else:
        values = [None] * (last_ordinal - first_ordinal + 1)
        for key in keys[:count]:
            values[key.year * 12 + key.month - first_ordinal] = series[key]
    values.extend([None] * (month.year * 12 + month.month - last_ordinal))
    return values, first


def _increments(values: list[float | None], first: date) -> list[float | None]:
    # monthly_increments over consecutive months starting at `first`.
    if None in values:
        steps = [None if a is None or b is None else b - a for a, b in pairwise(values)]
    else:
        steps = list(map(sub, values[1:], values))  # type: ignore[arg-type]
    increments: list[float | None] = [None, *steps]
    for april in range((4 - first.month) % 12, len(values), 12):
        increments[april] = values[april]
    return increments


def _latest_benchmarks(benchmarks: Sequence[Benchmark], year: int) -> list[Benchmark]:
    # A benchmark of a later year than the month's did not exist at the time; when looking
    # back at an old month, comparing with it would rewrite history.
    latest: dict[str, Benchmark] = {}
    for benchmark in benchmarks:
        if benchmark.year > year:
            continue
        held = latest.get(benchmark.comparator)
        if held is None or benchmark.year > held.year:
            latest[benchmark.comparator] = benchmark
    return list(latest.values())


def analyse(*, indicator: IndicatorInput, month: date) -> IndicatorStatistics:
    """Everything said about an indicator for `month`: the one entry point.

    The target is the one of the month's financial year. The rating is of the month's value
    (of the year-end forecast for a cumulative measure, as its targets are annual). The
    direction of travel and % changes compare the analysis series (monthly increments for a
    cumulative measure) with the previous month and the same month a year earlier; the
    change in percentage points is given for percentage indicators only. The 12-month
    average and maximum are of the analysis series. The SPC chart covers the analysis series
    from its first month to `month`; for a cumulative measure it judges assurance against
    a twelfth of the annual target, the monthly rate that meets it pro rata; the indicator's
    breaks up to `month` split it into segments (see `spc`). Each comparator
    is compared at its latest year up to the month's financial year.
    """
    if month.day != 1:
        raise ValueError("months are the first day of the month")
    polarity = indicator.polarity
    cumulative = indicator.measure_type == "cumulative_ytd"
    year = financial_year(month=month)
    target = indicator.targets.get(year)
    raw, first = _months_up_to(indicator.series, month)
    latest = raw[-1] if raw else None
    # The analysis series (see analysis_series), month by month up to `month`.
    values = _increments(raw, first) if cumulative and first is not None else raw
    current = values[-1] if values else None
    previous = values[-2] if len(values) >= 2 else None
    year_ago = values[-13] if len(values) >= 13 else None
    stats = window_stats(values[-12:])
    forecast = year_end_forecast(value=latest, month=month) if cumulative else None
    rated = forecast if cumulative else latest
    rating = rate_month(
        value=latest,
        month=month,
        measure_type=indicator.measure_type,
        polarity=polarity,
        target=target,
        panel_tolerance=indicator.tolerance,
        indicator_tolerance=indicator.indicator_tolerance,
        target_tolerance=indicator.target_tolerances.get(year),
    )

    chart_target = target
    if cumulative and target is not None and target.value is not None:
        chart_target = Target(target.value / 12, target.bound)
    rebases: list[int] = []
    baselines: list[int] = []
    breaks = tuple(indicator.spc_breaks)
    if first is not None:
        start = first.year * 12 + first.month
        for held in breaks:
            index = held.month.year * 12 + held.month.month - start
            if 0 <= index < len(values):
                (rebases if held.kind == REBASE else baselines).append(index)
    chart = spc(
        values=values,
        polarity=polarity,
        target=chart_target,
        run_length=indicator.run_length,
        screen_outliers=indicator.screen_outliers,
        rebases=rebases,
        baselines=baselines,
    )

    bound = target.bound if target is not None else ""
    comparisons = tuple(
        BenchmarkComparison(
            b.comparator,
            b.year,
            b.value,
            benchmark_position(value=rated, benchmark=b.value, polarity=polarity, bound=bound),
        )
        for b in _latest_benchmarks(indicator.benchmarks, year)
    )
    return IndicatorStatistics(
        month=month,
        latest=latest,
        target=target,
        rag=rating,
        dot=direction_of_travel(current=current, previous=previous, polarity=polarity),
        pct_change_prev_month=pct_change(current=current, previous=previous),
        pct_change_same_month_prev_year=pct_change(current=current, previous=year_ago),
        pp_change_prev_month=(
            pp_change(current=current, previous=previous)
            if indicator.outturn_type == "percentage"
            else None
        ),
        avg_12m=stats.average,
        max_12m=stats.maximum,
        months_missing_12m=stats.months_missing,
        forecast=forecast,
        spc=chart,
        benchmark_positions=comparisons,
        decimals=indicator.decimals,
        spc_first_month=first,
        outturn_type=indicator.outturn_type,
        measure_type=indicator.measure_type,
        compared=current,
        compared_with=previous,
        spc_breaks=breaks,
    )
