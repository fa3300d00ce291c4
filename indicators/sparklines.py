"""Inline SVG sparklines for the dashboard tiles: geometry from `sparkline_points`, and
a sentence that says what the line shows (the SVG's text alternative). No JavaScript."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .rules.calendar import add_months, financial_year
from .rules.sparkline import sparkline_points
from .selectors import IndicatorData

WIDTH = 120
HEIGHT = 32
MONTHS = 12


@dataclass(frozen=True, slots=True)
class Segment:
    points: str
    is_dot: bool
    x: str = ""
    y: str = ""


@dataclass(frozen=True, slots=True)
class Sparkline:
    width: int
    height: int
    segments: tuple[Segment, ...]
    summary: str
    target_y: str | None = None
    last_x: str | None = None
    last_y: str | None = None

    @property
    def view_width(self) -> int:
        # A margin of 3 on each side: strokes on the edge are half outside the box.
        return self.width + 6

    @property
    def view_height(self) -> int:
        return self.height + 6


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _long(month: date) -> str:
    return f"{month:%B %Y}"


def summary(*, data: IndicatorData, months: list[date]) -> str:
    """ "12 months to February 2022: from 24% in April 2021 to 51% in February 2022; highest
    51% in February 2022, lowest 24% in April 2021. Target <36%." Missing months are named."""
    present = [(m, data.series.get(m)) for m in months]
    known = [(m, v) for m, v in present if v is not None]
    head = f"{len(months)} months to {_long(months[-1])}"
    if not known:
        return f"{head}: no figures published."
    (first_m, first_v), (last_m, last_v) = known[0], known[-1]
    high = max(known, key=lambda mv: mv[1])
    low = min(known, key=lambda mv: mv[1])
    text = (
        f"{head}: from {data.text(first_v)} in {_long(first_m)} to {data.text(last_v)} in "
        f"{_long(last_m)}; highest {data.text(high[1])} in {_long(high[0])}, lowest "
        f"{data.text(low[1])} in {_long(low[0])}."
    )
    missing = len(present) - len(known)
    if missing:
        text += f" {missing} month{' has' if missing == 1 else 's have'} no figure."
    if data.is_cumulative:
        text += " Year-to-date figures, restarting each April."
    elif data.month is not None:
        target = data.target(financial_year(month=data.month))
        if target is not None and target.value is not None:
            text += f" Target {data.target_text(financial_year(month=data.month))}."
    return text


def sparkline(*, data: IndicatorData) -> Sparkline | None:
    """The last 12 months up to the dataset's month, a dashed target line when the year's
    target lies within the drawn range (not for cumulative measures, whose target is annual),
    and a dot on the latest value. None when nothing is published in those months."""
    if data.month is None:
        return None
    months = [add_months(month=data.month, count=-k) for k in range(MONTHS - 1, -1, -1)]
    values = [data.series.get(m) for m in months]
    segments = sparkline_points(values=values, width=WIDTH, height=HEIGHT)
    if not segments:
        return None
    drawn = []
    for points in segments:
        if " " in points:
            drawn.append(Segment(points, False))
        else:
            x, y = points.split(",")
            drawn.append(Segment(points, True, x, y))
    last_x = last_y = None
    if values[-1] is not None:
        last_x, last_y = segments[-1].split(" ")[-1].split(",")
    target_y = None
    present = [v for v in values if v is not None]
    target = data.target(financial_year(month=data.month))
    low, high = min(present), max(present)
    if (
        not data.is_cumulative
        and target is not None
        and target.value is not None
        and high > low
        and low <= target.value <= high
    ):
        target_y = _num(HEIGHT - (target.value - low) / (high - low) * HEIGHT)
    return Sparkline(
        width=WIDTH,
        height=HEIGHT,
        segments=tuple(drawn),
        summary=summary(data=data, months=months),
        target_y=target_y,
        last_x=last_x,
        last_y=last_y,
    )
