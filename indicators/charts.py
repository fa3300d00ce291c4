"""The indicator page's interactive chart: a plotly figure built from the analysed series and
serialised as JSON for a data island (`static/src/indicator-chart.js` draws it with plotly's
basic bundle). The page carries the same figures as a table: the chart is never the only way
to read them.

What it shows: the monthly series (for a cumulative year-to-date measure, the monthly amounts
its SPC is of), each financial year's target as a step line (a twelfth of the annual target
for cumulative measures), the comparators' latest figures as dotted lines (not for cumulative
measures, whose benchmarks are annual), the SPC mean and process limits, and the flagged
points with the rule that flagged them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

import plotly.graph_objects as go
from django.core.cache import cache

from .presenters import IndicatorView
from .rules.calendar import add_months, financial_year, financial_year_label
from .rules.change import analysis_series
from .rules.rag import Rag
from .selectors import IndicatorData

# GOV.UK colours: text, brand blue, SPC orange (concern), secondary text.
TEXT = "#0b0c0c"
BLUE = "#1d70b8"
ORANGE = "#b7592a"
GREY = "#484949"
GREEN = "#0f7a52"
BENCHMARK_DASHES = ("dot", "dashdot", "longdash", "longdashdot")
CACHE_SECONDS = 60 * 60 * 24
CACHE_VERSION = 2

_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _iso(month: date) -> str:
    return month.isoformat()


def chart_series(data: IndicatorData) -> dict[date, float | None]:
    """The months the chart draws: the analysis series (monthly amounts of a cumulative
    measure), up to the analysed month."""
    series = analysis_series(series=data.series, measure_type=data.indicator.measure_type)
    return {m: v for m, v in series.items() if data.month is None or m <= data.month}


def _target_steps(data: IndicatorData, months: list[date]) -> tuple[list, list]:
    xs: list[str | None] = []
    ys: list[float | None] = []
    by_year: dict[int, list[date]] = {}
    for month in months:
        by_year.setdefault(financial_year(month=month), []).append(month)
    for year, in_year in by_year.items():
        target = data.target(year)
        if target is None or target.value is None:
            continue
        value = target.value / 12 if data.is_cumulative else target.value
        if xs:
            xs.append(None)
            ys.append(None)
        xs += [_iso(in_year[0]), _iso(in_year[-1])]
        ys += [value, value]
    return xs, ys


def figure(data: IndicatorData) -> go.Figure:
    """The plotly figure of an indicator (see the module's docstring)."""
    series = chart_series(data)
    months = list(series)
    name = "Monthly amount" if data.is_cumulative else "Value"
    suffix = "%" if data.outturn_type == "percentage" else ""
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[_iso(m) for m in months],
            y=list(series.values()),
            name=name,
            mode="lines+markers",
            line={"color": BLUE, "width": 2},
            marker={"size": 6},
            connectgaps=False,
            hovertemplate=f"%{{x|%B %Y}}: %{{y}}{suffix}<extra></extra>",
        )
    )
    tx, ty = _target_steps(data, months)
    if tx:
        fig.add_trace(
            go.Scatter(
                x=tx,
                y=ty,
                name="Target (monthly share)" if data.is_cumulative else "Target",
                mode="lines",
                line={"color": GREEN, "width": 2, "dash": "dash"},
                hoverinfo="skip",
            )
        )
    stats = data.stats
    if stats is not None and months and not data.is_cumulative:
        for i, held in enumerate(stats.benchmark_positions):
            if held.value is None:
                continue
            fig.add_trace(
                go.Scatter(
                    x=[_iso(months[0]), _iso(months[-1])],
                    y=[held.value, held.value],
                    name=f"{held.comparator} {financial_year_label(year=held.year)}",
                    mode="lines",
                    line={"color": GREY, "width": 1, "dash": BENCHMARK_DASHES[i % 4]},
                    hoverinfo="name",
                )
            )
    spc = stats.spc if stats else None
    drawn = spc is not None and any(seg.mean is not None for seg in spc.segments)
    if drawn and stats.spc_first_month is not None:
        first = stats.spc_first_month
        # Each segment (the whole chart, or the months between rebases) has its own mean and
        # limits; one legend entry per line, trial limits named as such.
        shown: set[str] = set()
        for seg in spc.segments:
            if seg.mean is None:
                continue
            span = [_iso(stats.spc_month(seg.first)), _iso(stats.spc_month(seg.last))]
            trial = " (trial)" if seg.trial else ""
            for label, value, dash in (
                (f"SPC mean{trial}", seg.mean, "solid"),
                (f"Upper process limit{trial}", seg.upper_limit, "dot" if trial else "dash"),
                (f"Lower process limit{trial}", seg.lower_limit, "dot" if trial else "dash"),
            ):
                fig.add_trace(
                    go.Scatter(
                        x=span,
                        y=[value, value],
                        name=label,
                        legendgroup=label,
                        showlegend=label not in shown,
                        mode="lines",
                        line={
                            "color": TEXT if label.startswith("SPC mean") else GREY,
                            "width": 1,
                            "dash": dash,
                        },
                        hovertemplate=f"{label}: %{{y:.1f}}<extra></extra>",
                    )
                )
                shown.add(label)
        for seg in spc.segments:
            if seg.rebased:
                at = _iso(stats.spc_month(seg.first))
                fig.add_vline(x=at, line={"color": TEXT, "width": 1, "dash": "dashdot"})
                fig.add_annotation(
                    x=at,
                    y=1,
                    yref="paper",
                    text="Limits recalculated",
                    showarrow=False,
                    xanchor="left",
                    yanchor="top",
                    font={"size": 11, "color": TEXT},
                )
        flagged = [p for p in spc.points if p.rule]
        for meaning, colour, symbol in (
            ("concern", ORANGE, "diamond"),
            ("improvement", BLUE, "circle"),
            ("neutral", GREY, "square"),
        ):
            points = [p for p in flagged if p.meaning == meaning]
            if not points:
                continue
            fig.add_trace(
                go.Scatter(
                    x=[_iso(add_months(month=first, count=p.index)) for p in points],
                    y=[p.value for p in points],
                    name=f"Special cause ({meaning})",
                    mode="markers",
                    marker={
                        "color": colour,
                        "size": 12,
                        "symbol": symbol,
                        "line": {"color": TEXT, "width": 1},
                    },
                    text=[f"{p.rule} ({p.side})" for p in points],
                    hovertemplate="%{x|%B %Y}: %{y} – %{text}<extra></extra>",
                )
            )
    fig.update_layout(
        margin={"l": 50, "r": 10, "t": 10, "b": 40},
        height=380,
        font={"family": "system-ui, -apple-system, 'Segoe UI', Arial, sans-serif", "color": TEXT},
        legend={"orientation": "h", "y": -0.15},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        xaxis={"type": "date", "tickformat": "%b-%y", "gridcolor": "#e5e5e5"},
        yaxis={"ticksuffix": suffix, "gridcolor": "#e5e5e5", "zeroline": False},
        hovermode="closest",
        template="none",
    )
    return fig


def _fingerprint(data: IndicatorData) -> str:
    # Everything the figure is drawn from; the figure is a pure function of it.
    indicator = data.indicator
    parts = (
        CACHE_VERSION,
        indicator.pk,
        indicator.measure_type,
        indicator.outturn_type,
        indicator.polarity,
        indicator.decimals,
        data.month,
        sorted(data.series.items()),
        sorted((year, held.target) for year, held in data.targets.items()),
        data.stats.benchmark_positions if data.stats else (),
        data.stats.spc if data.stats else None,
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def figure_json(data: IndicatorData) -> str:
    """The figure as JSON safe inside `<script type="application/json">` (no `<`, `>`, `&`).

    Building a plotly figure costs ~15 ms, so the JSON is cached under a fingerprint of
    everything it is drawn from: a changed figure gets a new key, never a stale chart."""
    key = f"indicator-chart:{data.indicator.pk}:{_fingerprint(data)}"
    return cache.get_or_set(
        key, lambda: figure(data).to_json().translate(_JSON_ESCAPES), CACHE_SECONDS
    )


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """A row of the indicator page's data table: what the chart draws, month by month."""

    month: date
    value: str
    is_missing: bool
    revised: bool
    rag: Rag
    target: str
    amount: str  # the monthly amount of a cumulative measure ("" otherwise)
    spc: str  # the SPC rule that flagged the month, with its meaning ("" when none)
    limits: str = ""  # the month's SPC mean and limits ("" when its segment has none)
    segment_note: str = ""  # a rebase starting at the month, or a baseline ending at it


def table_rows(data: IndicatorData) -> list[HistoryRow]:
    """Every month from the first published to the analysed month, newest first."""
    if not data.figures or data.month is None:
        return []
    series = chart_series(data)
    flags: dict[date, str] = {}
    stats = data.stats
    if stats is not None and stats.spc_first_month is not None:
        for point in stats.spc.points:
            if point.rule:
                month = add_months(month=stats.spc_first_month, count=point.index)
                flags[month] = f"{point.rule.capitalize()} ({point.side}): {point.meaning}"
    limits: dict[date, str] = {}
    notes: dict[date, str] = {}
    for seg in IndicatorView(data).spc_segments:
        if seg["mean"]:
            text = f"Mean {seg['mean']}, limits {seg['limits']}"
            text += " (trial)" if seg["trial"] else ""
            month = seg["first"]
            while month <= seg["last"]:
                limits[month] = text
                month = add_months(month=month, count=1)
        if seg["rebased"]:
            reason = seg["rebase_reason"]
            notes[seg["first"]] = "Limits recalculated from here" + (
                f" after {reason}" if reason else ""
            )
        if seg["baseline_last"] is not None:
            reason = seg["baseline_reason"]
            notes[seg["baseline_last"]] = "End of the baseline the limits are fixed on" + (
                f" ({reason})" if reason else ""
            )
    rows = []
    for month in series:
        figure = data.figure(month)
        year = financial_year(month=month)
        rows.append(
            HistoryRow(
                month=month,
                value=figure.text(outturn_type=data.outturn_type, decimals=data.decimals),
                is_missing=figure.is_missing,
                revised=figure.revised,
                rag=data.month_rag(month),
                target=data.target_text(year),
                amount=data.text(series[month]) if data.is_cumulative else "",
                spc=flags.get(month, ""),
                limits=limits.get(month, ""),
                segment_note=notes.get(month, ""),
            )
        )
    return rows[::-1]
