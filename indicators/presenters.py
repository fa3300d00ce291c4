"""Presentation of the dataset's reads: what the pages and exports print of an indicator that
`selectors` loaded and analysed. Selectors return data; this module turns it into the words,
CSS kinds and strings the templates draw (includes/direction.html, includes/spc.html, the
indicator page's lists), and draws the dashboard tile with its one renderer, the template
includes/indicator_tile.html."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString

from .models import Missing
from .rules.calendar import financial_year, financial_year_label, previous_month
from .rules.change import Direction
from .rules.spc import BASELINE, REBASE, SPC_MIN_POINTS, Assurance
from .selectors import IndicatorData
from .sparklines import Sparkline
from .tiles import tile_html


@dataclass(frozen=True, slots=True)
class IndicatorView:
    """An analysed indicator (`data`) as the pages print it."""

    data: IndicatorData

    @property
    def url(self) -> str:
        return self.data.indicator.get_absolute_url()

    @property
    def month_label(self) -> str:
        """ "February 2022"."""
        return f"{self.data.month:%B %Y}" if self.data.month else ""

    @property
    def latest_text(self) -> str:
        """The analysed month's figure as printed ("51%", "TBC"); "" when not reported."""
        figure = self.data.latest
        if figure.status == Missing.NOT_REPORTED:
            return ""
        return figure.text(outturn_type=self.data.outturn_type, decimals=self.data.decimals)

    @property
    def year_target_text(self) -> str:
        """The target of the analysed month's financial year ("<36%", "TBC")."""
        if self.data.month is None:
            return "TBC"
        return self.data.target_text(financial_year(month=self.data.month))

    @property
    def forecast_text(self) -> str:
        return self.data.text(self.data.stats.forecast) if self.data.stats else ""

    @property
    def direction_since(self) -> str:
        if self.data.month is None:
            return ""
        return f"since {previous_month(month=self.data.month):%B %Y}"

    @property
    def chart_mean_text(self) -> str:
        spc = self.data.stats.spc if self.data.stats else None
        return self.data.text(spc.mean) if spc and spc.mean is not None else ""

    @property
    def chart_limits_text(self) -> str:
        spc = self.data.stats.spc if self.data.stats else None
        if not spc or spc.mean is None:
            return ""
        return f"{self.data.text(spc.lower_limit)} to {self.data.text(spc.upper_limit)}"

    @property
    def spc_segments(self) -> list[dict[str, object]]:
        """The chart's segments as the page lists them: months, mean and limits as printed,
        whether trial, and what began it (a rebase's reason) or fixed it (a baseline)."""
        stats = self.data.stats
        if stats is None or stats.spc_first_month is None:
            return []
        reasons = {(b.kind, b.month): b.reason for b in self.data.spc_breaks}
        rows = []
        for seg in stats.spc.segments:
            first, last = stats.spc_month(seg.first), stats.spc_month(seg.last)
            baseline = None if seg.baseline_last is None else stats.spc_month(seg.baseline_last)
            rows.append(
                {
                    "first": first,
                    "last": last,
                    "mean": self.data.text(seg.mean),
                    "limits": ""
                    if seg.mean is None
                    else f"{self.data.text(seg.lower_limit)} to {self.data.text(seg.upper_limit)}",
                    "trial": seg.trial,
                    "points": seg.points,
                    "rebased": seg.rebased,
                    "rebase_reason": reasons.get((REBASE, first), "")
                    if seg.rebased
                    else "",
                    "baseline_last": baseline,
                    "baseline_reason": reasons.get((BASELINE, baseline), ""),
                }
            )
        return rows

    @property
    def benchmark_rows(self) -> list[dict[str, object]]:
        """The benchmarks as the indicator page lists them: by comparator, newest year first."""
        ordered = sorted(
            self.data.benchmarks, key=lambda b: (b.comparator.order, b.comparator.name, -b.year)
        )
        return [
            {
                "comparator": held.comparator.name,
                "year": financial_year_label(year=held.year),
                "value": ""
                if held.figure.status == Missing.NOT_REPORTED
                else held.figure.text(
                    outturn_type=self.data.outturn_type, decimals=self.data.decimals
                ),
                "missing": held.figure.is_missing,
            }
            for held in ordered
        ]

    @property
    def spc_badge(self) -> dict[str, str]:
        """The variation icon: CSS modifier, letter and words (the rules' own label)."""
        signal = self.data.signal
        if signal == "none":
            text = "Not enough data for SPC"
            stats = self.data.stats
            if stats is not None and len(stats.spc.segments) > 1:
                # Say when the limits were recalculated and how far the new ones have to go,
                # so a rebased tile reads as a known change of system, not as missing data.
                seg = stats.spc.segments[-1]
                since = stats.spc_month(seg.first)
                text = (
                    f"{text} since the limits were recalculated from {since:%B %Y}: "
                    f"{seg.points} of the {SPC_MIN_POINTS} points needed"
                )
            return {"kind": "none", "icon": "?", "text": text}
        chart = self.data.stats.spc
        variation = chart.variation
        side = variation.value.rsplit("_", 1)[-1] if signal != "common" else ""
        kind = {"improvement": "improving", "concern": "concerning"}.get(signal, "common")
        icon = {"high": "H", "low": "L"}.get(side, "~")
        text = f"{variation.label}, trial limits" if chart.trial else variation.label
        return {"kind": kind, "icon": icon, "text": text}

    @property
    def assurance_badge(self) -> dict[str, str] | None:
        """The assurance icon; with trial limits, no icon but the words saying why there is
        none; None when there is no target to judge against."""
        chart = self.data.stats.spc if self.data.stats else None
        if chart is not None and chart.assurance_pending:
            text = f"No assurance until {chart.firm_points} points"
            return {"kind": "none", "icon": "–", "text": text}
        assurance = chart.assurance if chart else None
        if assurance is None:
            return None
        kind, icon = {
            Assurance.CONSISTENTLY_MEETS: ("pass", "P"),
            Assurance.CONSISTENTLY_FAILS: ("fail", "F"),
            Assurance.INCONSISTENT: ("hit-miss", "?"),
        }[assurance]
        return {"kind": kind, "icon": icon, "text": assurance.label}

    @property
    def direction(self) -> str:
        """For includes/direction.html: "improving", "worsening", "no-change" or "none"."""
        dot = self.data.stats.dot if self.data.stats else None
        if dot in (Direction.IMPROVING, Direction.WORSENING):
            return dot.value
        return "no-change" if dot is Direction.NO_CHANGE else "none"

    @property
    def direction_label(self) -> str:
        dot = self.data.stats.dot if self.data.stats else None
        return dot.label if dot is not None else "No direction"

    @property
    def movement(self) -> str:
        """ "up", "down" or "flat": how the analysed value moved since the previous month."""
        stats = self.data.stats
        if stats is None or stats.dot is None:
            return "flat"
        if stats.dot in (Direction.UP, Direction.DOWN):
            return stats.dot.value
        if stats.dot is Direction.NO_CHANGE:
            return "flat"
        rising = (stats.dot is Direction.IMPROVING) == (self.data.polarity == "higher")
        return "up" if rising else "down"

    @property
    def spc_badges(self) -> list[dict[str, str]]:
        """The badges includes/spc.html draws: the variation, then the assurance if any."""
        assurance = self.assurance_badge
        return [self.spc_badge] if assurance is None else [self.spc_badge, assurance]

    @property
    def tile(self) -> dict[str, object]:
        """The context of includes/indicator_tile.html for this indicator (no sparkline)."""
        data, stats = self.data, self.data.stats
        indicator = data.indicator
        return {
            "title": indicator.name,
            "url": self.url,
            "ref": indicator.ref,
            "period": f"{self.month_label}{', year to date' if data.is_cumulative else ''}",
            "value": self.latest_text or "No data",
            "value_missing": data.latest.is_missing,
            "target": self.year_target_text,
            # A cumulative measure's forecast, and what its direction compares (monthly
            # increases), lest 567 then 612 year to date read as a fall.
            "forecast": self.forecast_text
            if data.is_cumulative and stats and stats.forecast is not None
            else "",
            "basis": stats.change_basis if data.is_cumulative and stats else "",
            "rag": stats.rag.value if stats else "none",
            "rag_label": stats.rag.label if stats else "Not rated",
            "direction": self.direction,
            "movement": self.movement,
            "direction_label": self.direction_label,
            "direction_since": self.direction_since,
            "spc": self.spc_badges,
            "note": f"{indicator.get_polarity_display()} · "
            f"{indicator.get_outturn_type_display()}",
        }


@dataclass(frozen=True, slots=True)
class Tile:
    """A dashboard tile: an indicator and its sparkline (None when there is nothing to draw)."""

    data: IndicatorData
    spark: Sparkline | None

    @property
    def context(self) -> dict[str, object]:
        return {**IndicatorView(self.data).tile, "spark": self.spark}

    @property
    def html(self) -> SafeString:
        """The tile drawn by its one renderer, indicators.tiles."""
        return tile_html(self.context)
