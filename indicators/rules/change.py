"""How an indicator moved: direction of travel, % and percentage-point changes, the 12-month
figures, and the monthly increments and year-end forecast of cumulative measures.
Framework-free; values are floats and a missing value is None, never zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .calendar import add_months, months_elapsed, previous_month
from .figures import format_value
from .vocabulary import MEASURE_TYPES, MeasureType, OutturnType, Polarity, check, check_polarity

# Values arrive as decimals converted to binary floats, so 37.8 - 36 may land a hair above
# 1.8; comparisons allow this much relative slack so that the printed figures decide.
REL_EPS = 1e-9


class Direction(StrEnum):
    IMPROVING = "improving"
    WORSENING = "worsening"
    NO_CHANGE = "no change"
    UP = "up"  # UP and DOWN: the indicator has no polarity, so the move is neither
    DOWN = "down"

    @property
    def label(self) -> str:
        return _DIRECTION_LABELS[self]

    @property
    def arrow(self) -> str:
        """↑ for better (or up), ↓ for worse (or down), → for no change.

        With a polarity the arrow shows the judgement, not the movement: a falling value of
        a lower-is-better indicator is improving and gets ↑, as in the council's DoT column.
        """
        return _DIRECTION_ARROWS[self]


_DIRECTION_LABELS = {
    Direction.IMPROVING: "Improving",
    Direction.WORSENING: "Worsening",
    Direction.NO_CHANGE: "No change",
    Direction.UP: "Up",
    Direction.DOWN: "Down",
}
_DIRECTION_ARROWS = {
    Direction.IMPROVING: "↑",
    Direction.WORSENING: "↓",
    Direction.NO_CHANGE: "→",
    Direction.UP: "↑",
    Direction.DOWN: "↓",
}


def same(a: float, b: float) -> bool:
    return abs(a - b) <= REL_EPS * max(1.0, abs(a), abs(b))


def direction_of_travel(
    *, current: float | None, previous: float | None, polarity: Polarity
) -> Direction | None:
    """Whether the indicator got better or worse since the previous value.

    None when either value is missing. Equal values are NO_CHANGE. With a polarity, a rise
    is IMPROVING when higher is better and WORSENING when lower is better (and a fall the
    other way round). With polarity "none" the move is only UP or DOWN.
    """
    check_polarity(polarity)
    if current is None or previous is None:
        return None
    if same(current, previous):
        return Direction.NO_CHANGE
    rose = current > previous
    if polarity == "none":
        return Direction.UP if rose else Direction.DOWN
    return Direction.IMPROVING if rose == (polarity == "higher") else Direction.WORSENING


def change_basis(
    *,
    dot: Direction | None,
    current: float | None,
    previous: float | None,
    latest: float | None,
    month: date,
    measure_type: MeasureType,
    outturn_type: OutturnType,
    decimals: int = 0,
) -> str:
    """What a change or direction of travel compares, in words, so that no reader takes a
    fall in a year-to-date measure's monthly amount for a fall in the measure.

    A cumulative year-to-date measure compares the monthly increases, not the year-to-date
    totals: 567 then 612 year to date, after a month of 60, reads "Down on the monthly
    increase (45 vs 60); year to date 612". Any other measure compares the month with the
    month before: "Worsening since January 2022 (51% vs 43%)". "" when there is no direction.
    """
    if dot is None:
        return ""

    def show(value: float | None) -> str:
        return format_value(value=value, outturn_type=outturn_type, decimals=decimals)

    compared = f"({show(current)} vs {show(previous)})"
    if measure_type == "cumulative_ytd":
        return f"{dot.label} on the monthly increase {compared}; year to date {show(latest)}"
    return f"{dot.label} since {previous_month(month=month):%B %Y} {compared}"


def pct_change(*, current: float | None, previous: float | None) -> float | None:
    """Relative change in percent, as the council prints it.

    (current − previous) / |previous| × 100: 43 -> 51 is +18.6%. None when either value is
    missing or the previous value is 0 (a change from nothing has no relative size).
    """
    if current is None or previous is None or previous == 0:
        return None
    return (current - previous) / abs(previous) * 100


def pp_change(*, current: float | None, previous: float | None) -> float | None:
    """Change in percentage points (current − previous), for percentage indicators: 43% -> 51%
    is +8 points. None when either value is missing."""
    if current is None or previous is None:
        return None
    return current - previous


@dataclass(frozen=True, slots=True)
class TwelveMonthStats:
    average: float | None
    maximum: float | None
    months_counted: int
    months_missing: int


def twelve_month_stats(*, series: Mapping[date, float | None], month: date) -> TwelveMonthStats:
    """The average and the maximum over the 12 months ending with `month` (inclusive).

    Missing months (None, or absent from the series) are left out of both figures, never
    counted as zero, and are counted in `months_missing`. With no value at all, the average
    and the maximum are None.
    """
    return window_stats([series.get(add_months(month=month, count=-back)) for back in range(12)])


def window_stats(window: Sequence[float | None]) -> TwelveMonthStats:
    present = [v for v in window if v is not None]
    if not present:
        return TwelveMonthStats(None, None, 0, 12)
    return TwelveMonthStats(
        sum(present) / len(present), max(present), len(present), 12 - len(present)
    )


# --- Cumulative year-to-date measures -----------------------------------------------------


def monthly_increments(*, series: Mapping[date, float | None]) -> dict[date, float | None]:
    """The monthly amounts behind a cumulative year-to-date series, which restarts each April.

    April's increment is April's own value; any other month's is its value minus the
    previous month's (of the same financial year). None when either of those values is
    missing, so one missing month makes two increments unknown.
    71, 170, 244 (April to June) gives 71, 99, 74.
    """
    increments: dict[date, float | None] = {}
    previous_ordinal = previous_value = None
    for month in sorted(series):
        value = series[month]
        ordinal = month.year * 12 + month.month
        if month.month == 4:
            increment = value
        elif previous_ordinal == ordinal - 1 and value is not None and previous_value is not None:
            increment = value - previous_value
        else:
            increment = None
        increments[month] = increment
        previous_ordinal, previous_value = ordinal, value
    return increments


def year_end_forecast(*, value: float | None, month: date) -> float | None:
    """The pro-rata year-end figure of a cumulative measure: value × 12 / months elapsed.

    896 at the end of February (11 months) forecasts 896 × 12 / 11 = 977.45 for March.
    None when the value is missing.
    """
    if value is None:
        return None
    return value * 12 / months_elapsed(month=month)


def analysis_series(
    *, series: Mapping[date, float | None], measure_type: MeasureType
) -> dict[date, float | None]:
    """The series that changes, direction of travel, 12-month figures and SPC look at.

    For a cumulative year-to-date measure it is the monthly increments, because the raw
    series climbs every month by construction and drops every April. For every other
    measure it is the series itself. Either way the result is ordered by month.
    """
    check("measure type", measure_type, MEASURE_TYPES)
    if measure_type == "cumulative_ytd":
        return monthly_increments(series=series)
    return dict(sorted(series.items()))
