"""The statistics of the monthly performance dataset, free of any framework.

Everything the dashboard, the exports and the API say about an indicator comes from
`analyse`: the RAG rating, the direction of travel, the changes, the 12-month figures, the
year-end forecast of cumulative measures, the XmR (statistical process control) chart, the
benchmark positions and a plain-English verdict.

It is plain Python over floats, without Django or pandas, so that it can be unit tested
without a database, and kept to a few passes over each series so that a whole dataset
(250 indicators × 120 months) is analysed in some 20 ms on every page view.

Conventions: values are floats and a missing value (TBC, N/A, not reported) is None, never
zero; months are `date`s on the first of the month; percentages are in percent units (51.0
means 51%). Callers holding `Decimal`s convert them with `float()` first.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Container, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import partial
from itertools import pairwise
from operator import is_not, sub
from typing import Literal, NamedTuple

OutturnType = Literal["number", "percentage", "rate"]
MeasureType = Literal["snapshot", "in_month", "cumulative_ytd", "rolling_12m"]
Polarity = Literal["higher", "lower", "none"]
Bound = Literal["", "<", "<=", ">=", ">"]

OUTTURN_TYPES: tuple[str, ...] = ("number", "percentage", "rate")
MEASURE_TYPES: tuple[str, ...] = ("snapshot", "in_month", "cumulative_ytd", "rolling_12m")
POLARITIES: tuple[str, ...] = ("higher", "lower", "none")
BOUNDS: tuple[str, ...] = ("", "<", "<=", ">=", ">")

RULE_OUTSIDE_LIMITS = "outside limits"
RULE_TREND = "trend"
RULE_TWO_OF_THREE = "two of three near limit"
RULE_SHIFT = "shift"
#: The SPC rules in priority order.
SPC_RULES: tuple[str, ...] = (RULE_OUTSIDE_LIMITS, RULE_TREND, RULE_TWO_OF_THREE, RULE_SHIFT)
#: The run lengths of the trend and shift rules a panel may choose (MDC: 7, some use 6).
RUN_LENGTHS: tuple[int, ...] = (6, 7)
BASELINE = "baseline"
REBASE = "rebase"
SPC_BREAK_KINDS: tuple[str, ...] = (BASELINE, REBASE)

HIGH = "high"
LOW = "low"
IMPROVEMENT = "improvement"
CONCERN = "concern"
NEUTRAL = "neutral"

# The XmR constants of "Making Data Count": 2.66 = 3 / d2 (d2 = 1.128 for ranges of two
# points); 3.267 = D4, the upper limit of a moving range, above which a range is an outlier.
_LIMIT_FACTOR = 2.66
_OUTLIER_FACTOR = 3.267

# Values arrive as decimals converted to binary floats, so 37.8 - 36 may land a hair above
# 1.8; comparisons allow this much relative slack so that the printed figures decide.
_REL_EPS = 1e-9

# "is not None" as a C-level callable, to filter long series without a Python call per value.
_IS_PRESENT = partial(is_not, None)


# --- Categorical results ------------------------------------------------------------------


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    NONE = "none"

    @property
    def label(self) -> str:
        return _RAG_LABELS[self]


_RAG_LABELS = {Rag.RED: "Red", Rag.AMBER: "Amber", Rag.GREEN: "Green", Rag.NONE: "Not rated"}


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


class Variation(StrEnum):
    COMMON_CAUSE = "common_cause"
    IMPROVEMENT_HIGH = "improvement_high"
    IMPROVEMENT_LOW = "improvement_low"
    CONCERN_HIGH = "concern_high"
    CONCERN_LOW = "concern_low"
    NEUTRAL_HIGH = "neutral_high"  # special cause where the indicator has no polarity
    NEUTRAL_LOW = "neutral_low"

    @property
    def label(self) -> str:
        return _VARIATION_LABELS[self]


_VARIATION_LABELS = {
    Variation.COMMON_CAUSE: "Common cause variation",
    Variation.IMPROVEMENT_HIGH: "Special cause of improvement (high)",
    Variation.IMPROVEMENT_LOW: "Special cause of improvement (low)",
    Variation.CONCERN_HIGH: "Special cause of concern (high)",
    Variation.CONCERN_LOW: "Special cause of concern (low)",
    Variation.NEUTRAL_HIGH: "Special cause, neither improvement nor concern (high)",
    Variation.NEUTRAL_LOW: "Special cause, neither improvement nor concern (low)",
}
_VARIATION_BY_MEANING = {
    (IMPROVEMENT, HIGH): Variation.IMPROVEMENT_HIGH,
    (IMPROVEMENT, LOW): Variation.IMPROVEMENT_LOW,
    (CONCERN, HIGH): Variation.CONCERN_HIGH,
    (CONCERN, LOW): Variation.CONCERN_LOW,
    (NEUTRAL, HIGH): Variation.NEUTRAL_HIGH,
    (NEUTRAL, LOW): Variation.NEUTRAL_LOW,
}


class Assurance(StrEnum):
    CONSISTENTLY_MEETS = "consistently_meets"
    CONSISTENTLY_FAILS = "consistently_fails"
    INCONSISTENT = "inconsistent"

    @property
    def label(self) -> str:
        return _ASSURANCE_LABELS[self]


_ASSURANCE_LABELS = {
    Assurance.CONSISTENTLY_MEETS: "Consistently passes the target",
    Assurance.CONSISTENTLY_FAILS: "Consistently fails the target",
    Assurance.INCONSISTENT: "Hit and miss: the target lies within the process limits",
}


# --- Validation ---------------------------------------------------------------------------


def _check(kind: str, value: str, allowed: tuple[str, ...]) -> None:
    # A misspelt polarity would otherwise silently mean "no polarity" and hide every rating.
    if value not in allowed:
        raise ValueError(f"unknown {kind} {value!r}; expected one of {allowed}")


def _check_polarity(polarity: str) -> None:
    if polarity not in POLARITIES:
        _check("polarity", polarity, POLARITIES)


# --- Months and financial years -----------------------------------------------------------


def _shift(month: date, count: int) -> date:
    years, month0 = divmod(month.month - 1 + count, 12)
    return date(month.year + years, month0 + 1, 1)


def add_months(*, month: date, count: int) -> date:
    """The first of the month `count` months after `month` (before it when negative)."""
    return _shift(month, count)


def financial_year(*, month: date) -> int:
    """The financial year (April to March) of a month, named by its first year.

    February 2022 is in 2021/22, so it gives 2021; April 2022 gives 2022.
    """
    return month.year if month.month >= 4 else month.year - 1


def financial_year_label(*, year: int) -> str:
    """The council's name of a financial year: 2021 -> "2021/22", 1999 -> "1999/00"."""
    return f"{year}/{(year + 1) % 100:02d}"


def months_elapsed(*, month: date) -> int:
    """How many months of its financial year have passed by the end of `month`.

    April is 1, May 2 … February 11, March 12.
    """
    return (month.month - 4) % 12 + 1


def financial_year_months(*, year: int) -> list[date]:
    """The twelve months of financial year `year`, April `year` to March `year + 1`."""
    return [_shift(date(year, 4, 1), k) for k in range(12)]


def previous_month(*, month: date) -> date:
    """The month before `month` (January's is December of the previous year)."""
    return _shift(month, -1)


def same_month_previous_year(*, month: date) -> date:
    """The same calendar month one year earlier (February 2022 -> February 2021)."""
    return _shift(month, -12)


# --- Targets and RAG ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Target:
    """A target for a financial year.

    `value` None means the target is TBC. `bound` "" means the polarity decides what meeting
    it is (at or above for higher-is-better, at or below for lower-is-better); otherwise the
    bound does, whatever the polarity: a target of "<36%" is `Target(36.0, "<")`.
    """

    value: float | None
    bound: Bound = ""

    def __post_init__(self) -> None:
        _check("target bound", self.bound, BOUNDS)


def _better(polarity: str, bound: str = "") -> str | None:
    # A bound states the aim on its own ("<36%" means lower is better), so it outranks the
    # polarity; without one, "none" gives no way of judging better or worse.
    _check_polarity(polarity)
    if bound:
        return "lower" if bound[0] == "<" else "higher"
    return None if polarity == "none" else polarity


def _meets(value: float, threshold: float, bound: str, better: str) -> bool:
    if bound == "<":
        return value < threshold
    if bound == "<=":
        return value <= threshold
    if bound == ">":
        return value > threshold
    if bound == ">=":
        return value >= threshold
    return value >= threshold if better == "higher" else value <= threshold


def rag(*, value: float | None, target: Target | None, polarity: Polarity, tolerance: float) -> Rag:
    """Rate a value against its target: Green, Amber, Red, or not rated.

    Green when the target is met. With a bound the bound decides: under "<36" a value of
    exactly 36 misses, under "<=36" it meets. Without a bound the polarity decides: at or
    above the target when higher is better, at or below when lower is better.
    Amber when it is missed by no more than `tolerance` percent of the target's absolute
    value (tolerance 5 on a target of 36 gives a band of 1.8: under "<36" the values 36 and
    37.8 are Amber, 37.9 is Red). A target of 0 (or a tolerance of 0) has no band, so any
    miss is Red. Red when it is missed by more than the band.
    Not rated (Rag.NONE) when the value is missing, there is no target, the target is TBC,
    or neither the polarity nor the bound says which way is better.
    """
    if tolerance < 0:
        raise ValueError("tolerance must not be negative")
    _check_polarity(polarity)
    if value is None or target is None or target.value is None:
        return Rag.NONE
    better = _better(polarity, target.bound)
    if better is None:
        return Rag.NONE
    threshold = target.value
    if _meets(value, threshold, target.bound, better):
        return Rag.GREEN
    shortfall = threshold - value if better == "higher" else value - threshold
    band = abs(threshold) * tolerance / 100
    # A zero-width band holds no misses, not even the zero shortfall of a strict bound.
    if band > 0 and shortfall <= band * (1 + _REL_EPS):
        return Rag.AMBER
    return Rag.RED


# --- Change -------------------------------------------------------------------------------


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= _REL_EPS * max(1.0, abs(a), abs(b))


def direction_of_travel(
    *, current: float | None, previous: float | None, polarity: Polarity
) -> Direction | None:
    """Whether the indicator got better or worse since the previous value.

    None when either value is missing. Equal values are NO_CHANGE. With a polarity, a rise
    is IMPROVING when higher is better and WORSENING when lower is better (and a fall the
    other way round). With polarity "none" the move is only UP or DOWN.
    """
    _check_polarity(polarity)
    if current is None or previous is None:
        return None
    if _same(current, previous):
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
    return _window_stats([series.get(_shift(month, -back)) for back in range(12)])


def _window_stats(window: Sequence[float | None]) -> TwelveMonthStats:
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
    _check("measure type", measure_type, MEASURE_TYPES)
    if measure_type == "cumulative_ytd":
        return monthly_increments(series=series)
    return dict(sorted(series.items()))


# --- Statistical process control (XmR) ----------------------------------------------------


class SpcPoint(NamedTuple):
    """One usable point of an XmR chart.

    `index` is its position in the sequence given to `spc` (missing values keep their place
    there, so the index maps back to the month). `rule` is the highest-priority rule that
    flagged it, `side` "high" or "low", `meaning` "improvement", "concern" or "neutral";
    all three are None for common-cause points.
    """

    index: int
    value: float
    rule: str | None = None
    side: str | None = None
    meaning: str | None = None


# A rule's finding: (rule number in SPC_RULES, 1 for high or 2 for low, the points it flags).
_Mark = tuple[int, int, Container[int]]


def _resolve(marks: Sequence[_Mark], i: int, good: int) -> tuple[str, str, str] | None:
    # `marks` are in priority order (and high before low within a rule), so the first
    # finding holding the point is its rule, unless a later one makes it an improvement.
    hits = [(rule, bit) for rule, bit, points in marks if i in points]
    if not hits:
        return None
    if good:
        for rule, bit in hits:
            if bit == good:
                return SPC_RULES[rule], HIGH if bit == 1 else LOW, IMPROVEMENT
    rule, bit = hits[0]
    return SPC_RULES[rule], HIGH if bit == 1 else LOW, CONCERN if good else NEUTRAL


class SpcPoints(Sequence[SpcPoint]):
    """The points of an XmR chart: a read-only sequence of `SpcPoint`s, like a tuple.

    The points are made when read: a dashboard analyses some 30,000 monthly values per view
    and only the charts it draws need them, so making them all up front would take most of
    the time of the whole analysis. `tuple(points)` gives a plain tuple.
    """

    __slots__ = ("_given", "_indexes", "_values", "_marks", "_good")

    def __init__(
        self,
        given: Sequence[float | None],
        values: Sequence[float],
        marks: Sequence[_Mark],
        good: int,
    ) -> None:
        self._values = values
        self._marks = marks
        self._good = good
        self._indexes: Sequence[int] | None = None
        self._given: tuple[float | None, ...] = ()
        if len(given) == len(values):
            self._indexes = range(len(values))
        else:
            self._given = tuple(given)  # a copy, as the caller may reuse its list

    def _index(self, i: int) -> int:
        indexes = self._indexes
        if indexes is None:
            given = self._given
            if i == len(self._values) - 1:
                # Every verdict asks where the latest point is: find it without listing all.
                last = len(given) - 1
                while given[last] is None:
                    last -= 1
                return last
            indexes = self._indexes = [k for k, v in enumerate(given) if v is not None]
        return indexes[i]

    def _point(self, i: int) -> SpcPoint:
        flag = _resolve(self._marks, i, self._good) if self._marks else None
        if flag is None:
            return SpcPoint(self._index(i), self._values[i])
        return SpcPoint(self._index(i), self._values[i], *flag)

    def __len__(self) -> int:
        return len(self._values)

    def __getitem__(self, item):  # type: ignore[override]
        if isinstance(item, slice):
            return tuple(map(self._point, range(len(self._values))[item]))
        return self._point(range(len(self._values))[item])  # negative and IndexError as usual

    def __iter__(self) -> Iterator[SpcPoint]:
        return map(self._point, range(len(self._values)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SpcPoints | tuple | list):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"SpcPoints({tuple(self)!r})"


@dataclass(frozen=True, slots=True)
class SpcResult:
    """An XmR chart. The mean and limits are those of the last segment (see `spc`); they,
    `variation` and `assurance` are None with too few points. `trial` when its limits are
    trial limits; `assurance_pending` when there would be an assurance with firm ones."""

    mean: float | None
    upper_limit: float | None
    lower_limit: float | None
    upper_near: float | None
    lower_near: float | None
    points: SpcPoints
    rules_fired: tuple[str, ...]
    variation: Variation | None
    assurance: Assurance | None
    message: str
    missing: int = 0
    mean_moving_range: float | None = None
    moving_ranges_screened: int = 0
    segments: tuple[SpcSegment, ...] = ()
    trial: bool = False
    assurance_pending: bool = False
    firm_points: int = 13

    @property
    def latest(self) -> SpcPoint | None:
        return self.points[-1] if self.points else None


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _runs(codes: bytes, code: int, length: int) -> list[tuple[int, int]]:
    # Each maximal run [first, stop) of `code` at least `length` long. bytes.find gives the
    # first occurrence, which starts a run because each search resumes after one ended.
    needle = bytes([code]) * length
    first = codes.find(needle)
    if first == -1:
        return []  # the usual case, kept cheap
    found = []
    end = len(codes)
    while first != -1:
        stop = first + length
        while stop < end and codes[stop] == code:
            stop += 1
        found.append((first, stop))
        first = codes.find(needle, stop)
    return found


class _Beyond:
    """The points of a segment beyond a limit (above it when `high`, below it otherwise), as a
    container: asking whether a point is one of them is a single comparison, so they are
    never listed. A long series with a trend has many points beyond its limits, and only the
    points read (the latest, or a chart's) are ever asked about. `first` and `stop` bound
    the segment, as indexes of all the chart's points."""

    __slots__ = ("_values", "_limit", "_high", "_first", "_stop")

    def __init__(
        self, values: Sequence[float], limit: float, *, high: bool, first: int, stop: int
    ) -> None:
        self._values, self._limit, self._high = values, limit, high
        self._first, self._stop = first, stop

    def __contains__(self, i: object) -> bool:
        if not self._first <= i < self._stop:  # type: ignore[operator]
            return False
        x = self._values[i]  # type: ignore[index]
        return x > self._limit if self._high else x < self._limit


# A window of three points all on one side of the mean, two or three of them beyond the near
# limit on that side, in the codes of `_NearWindows`.
_NEAR_WINDOWS = (b"\x02\x02\x02", b"\x02\x02\x01", b"\x02\x01\x02", b"\x01\x02\x02")
# bytes.translate tables: a point's side of the mean (1 above, 2 below) to 1 when it is the
# given side, else 0.
_SIDE_MASKS = {
    1: bytes([0, 1, 0] + [0] * 253),
    2: bytes([0, 0, 1] + [0] * 253),
}


class _NearWindows:
    """The points of "two of three near limit" on one side of a segment, as a container: a
    point beyond the near limit in a window of three consecutive points all on that side of
    the mean, two or more of them beyond it. `codes` has 2 for a point beyond the near
    limit, 1 for another point on that side, 0 otherwise; points are asked about only when
    read, as for `_Beyond`."""

    __slots__ = ("_codes", "_first")

    def __init__(self, codes: bytes, first: int) -> None:
        self._codes, self._first = codes, first

    @staticmethod
    def codes(xs: Sequence[float], near: float, sides: bytes, code: int) -> bytes | None:
        """The codes of a segment's points, or None when no window qualifies (the usual
        case, found in C)."""
        high = code == 1
        beyond = bytes([x > near if high else x < near for x in xs])
        if b"\x01\x01" not in beyond and b"\x01\x00\x01" not in beyond:
            return None
        on_side = sides.translate(_SIDE_MASKS[code])
        # Byte-wise beyond + on_side (each byte 0 or 1, so no carries): 2 beyond, 1 only on
        # the side. Summed as two big integers, in C.
        size = len(beyond)
        codes = (int.from_bytes(beyond) + int.from_bytes(on_side)).to_bytes(size)
        return codes if any(window in codes for window in _NEAR_WINDOWS) else None

    def __contains__(self, i: object) -> bool:
        k = i - self._first  # type: ignore[operator]
        codes = self._codes
        if not 0 <= k < len(codes) or codes[k] != 2:
            return False
        return any(
            codes[start : start + 3] in _NEAR_WINDOWS for start in range(max(0, k - 2), k + 1)
        )


@dataclass(frozen=True, slots=True)
class SpcSegment:
    """A stretch of an XmR chart with a mean and limits of its own: the whole chart, or the
    part from one rebase to the next.

    `first` and `last` index the sequence given to `spc` (so they map back to months);
    `points` counts its usable points and `basis` those its limits are computed from: all of
    them, or those of its baseline (up to `baseline_last`) when the limits are fixed on one.
    The mean and limits are None when the basis is under `min_points`; they are `trial`
    while it is under `firm_points`. `rebased` when the segment starts at a rebase.
    """

    first: int
    last: int
    points: int
    basis: int
    mean: float | None = None
    upper_limit: float | None = None
    lower_limit: float | None = None
    upper_near: float | None = None
    lower_near: float | None = None
    trial: bool = False
    rebased: bool = False
    baseline_last: int | None = None
    mean_moving_range: float | None = None
    moving_ranges_screened: int = 0


def _limits(
    xs: Sequence[float], steps: Sequence[float], screen_outliers: bool
) -> tuple[float, float, int]:
    # The mean, the (screened) mean moving range and how many ranges screening left out;
    # steps[k] = xs[k + 1] − xs[k].
    mean = sum(xs) / len(xs)
    ranges = list(map(abs, steps))
    mean_range = sum(ranges) / len(ranges)
    screened = 0
    # A single freak month inflates the mean range and so hides real signals behind wide
    # limits. With a mean range of 0 every range would count as an outlier, so skip it.
    if screen_outliers and mean_range > 0:
        cut = _OUTLIER_FACTOR * mean_range
        if max(ranges) >= cut:
            kept = [r for r in ranges if r < cut]
            # A screened mean range of 0 (a flat line with one jump) would make every point
            # off the mean "outside the limits": keep the unscreened one then.
            if sum(kept) > 0:
                screened = len(ranges) - len(kept)
                mean_range = sum(kept) / len(kept)
    return mean, mean_range, screened


def _segment(
    xs: list[float],
    first: int,
    stop: int,
    basis_stop: int,
    *,
    run_length: int,
    screen_outliers: bool,
    min_points: int,
    firm_points: int,
    marks: list[_Mark],
) -> tuple[float, float, float, float, float, float, int, bool] | None:
    # The limits of xs[first:stop] computed from xs[first:basis_stop], with each rule's
    # findings added to `marks`; None when the basis is too short.
    basis = basis_stop - first
    if basis < max(min_points, 2):
        return None
    whole = first == 0 and stop == len(xs)
    seg = xs if whole else xs[first:stop]
    steps = list(map(sub, seg[1:], seg))  # steps[k] = seg[k + 1] − seg[k]
    if basis_stop == stop:
        mean, mean_range, screened = _limits(seg, steps, screen_outliers)
    else:
        mean, mean_range, screened = _limits(
            xs[first:basis_stop], steps[: basis - 1], screen_outliers
        )
    spread = _LIMIT_FACTOR * mean_range
    upper, lower = mean + spread, mean - spread
    upper_near, lower_near = mean + spread * 2 / 3, mean - spread * 2 / 3
    top, bottom = max(seg), min(seg)
    eps = _REL_EPS * max(1.0, top, -bottom, abs(mean))

    # The findings of each rule, in priority order. The points themselves are only worked
    # out when read (see SpcPoints); runs are found with bytes.find, so scanning is in C.
    if top > upper:
        marks.append((0, 1, _Beyond(xs, upper, high=True, first=first, stop=stop)))
    if bottom < lower:
        marks.append((0, 2, _Beyond(xs, lower, high=False, first=first, stop=stop)))

    moves = bytes([1 if step > eps else 2 if step < -eps else 0 for step in steps])
    for bit in (1, 2):
        for start, end in _runs(moves, bit, run_length - 1):
            # Step k joins points k and k + 1: steps [start, end) span points start .. end.
            marks.append((1, bit, range(first + start, first + end + 1)))

    above, below = mean + eps, mean - eps
    sides = bytes([1 if x > above else 2 if x < below else 0 for x in seg])
    if top > upper_near:
        codes = _NearWindows.codes(seg, upper_near, sides, 1)
        if codes is not None:
            marks.append((2, 1, _NearWindows(codes, first)))
    if bottom < lower_near:
        codes = _NearWindows.codes(seg, lower_near, sides, 2)
        if codes is not None:
            marks.append((2, 2, _NearWindows(codes, first)))

    for bit in (1, 2):
        for start, end in _runs(sides, bit, run_length):
            marks.append((3, bit, range(first + start, first + end)))
    return mean, upper, lower, upper_near, lower_near, mean_range, screened, basis < firm_points


#: The fewest points an XmR chart's (trial) limits are drawn from.
SPC_MIN_POINTS = 6


def spc(
    *,
    values: Sequence[float | None],
    polarity: Polarity,
    target: Target | None = None,
    run_length: int = 7,
    screen_outliers: bool = True,
    min_points: int = SPC_MIN_POINTS,
    firm_points: int = 13,
    rebases: Sequence[int] = (),
    baselines: Sequence[int] = (),
) -> SpcResult:
    """An XmR chart after NHS England's "Making Data Count", with its rules and icons.

    Missing values are left out (and counted). A rebase (an index in `rebases`: the first
    month after a known change of system) starts a new segment with a mean and limits of its
    own, and the rules look within a segment only. A baseline (an index in `baselines`: the
    last month of the baseline period) fixes its segment's mean and limits on the points up
    to it; they apply to the rest of the segment unchanged (the first baseline of a segment
    counts). With fewer than `min_points` (6) points to compute limits from, a segment has
    no limits, flags, variation or assurance, only a message saying so; from 6 to
    `firm_points` − 1 (12) its limits are "trial" limits, and give no assurance.
    For each segment: the mean of the points; the moving ranges |x_i − x_{i−1}| of
    consecutive usable points; when `screen_outliers`, ranges of 3.267 × their mean or more
    are dropped and the mean range recomputed (unless that leaves it 0); the process limits
    are the mean ± 2.66 × the mean range and the near limits two thirds of the way out from
    the mean. The rules, in priority order, flag points high or low:
      1. "outside limits": a point above the upper or below the lower process limit;
      2. "trend": `run_length` (7, or 6) points each higher (or each lower) than the one
         before; equal neighbours break it; every point of it is flagged;
      3. "two of three near limit": two of three consecutive points beyond the same near
         limit (or beyond the process limit on that side), with all three on that side of
         the mean; the points beyond are flagged;
      4. "shift": `run_length` points all above (or all below) the mean; a point equal to
         the mean breaks it; every point of it is flagged.
    A point names the highest-priority rule that flagged it. With a polarity, high means
    improvement when higher is better and concern when lower is better; a point flagged
    both ways counts as improvement (it names the best rule that flagged it as such). With
    polarity "none" a flag is neutral. `rules_fired` lists every rule whose condition was
    met anywhere, in priority order.
    The mean, limits, `variation` and `assurance` are those of the last segment.
    `variation` describes the latest usable point: its flag, or common cause.
    `assurance` compares both process limits with the target (bound, or polarity): both
    meet it -> consistently meets; both fail it -> consistently fails; else inconsistent.
    It is None without a target value or a way to tell better from worse, and with trial
    limits (`assurance_pending` then says whether there would be one).
    """
    _check_polarity(polarity)
    if run_length < 2:
        raise ValueError("run_length must be at least 2")
    if min_points < 2:
        raise ValueError("min_points must be at least 2: a moving range needs two points")

    # float() lets Decimals and ints in without mixing types in the arithmetic below.
    n_values = len(values)
    gaps = None in values
    given = filter(_IS_PRESENT, values) if gaps else values
    xs = list(map(float, given))  # type: ignore[arg-type]
    # Where each given index lands among the points: only needed to place breaks.
    present: list[int] | None = None
    if gaps and (rebases or baselines):
        present = [i for i, v in enumerate(values) if v is not None]
    n = len(xs)
    missing = n_values - n
    missing_note = (
        f" {_plural(missing, 'missing value was', 'missing values were')} left out."
        if missing
        else ""
    )
    good = 1 if polarity == "higher" else 2 if polarity == "lower" else 0

    def position(i: int) -> int:  # an index of `values` as one of `xs`
        if not gaps:
            return i
        if i >= n_values:
            return n
        # Without breaks only the chart's start (0) is asked for.
        return 0 if present is None else bisect_left(present, i)

    starts = sorted({i for i in rebases if 0 < i < n_values})
    marks: list[_Mark] = []
    segments: list[SpcSegment] = []
    found = None
    for first, stop in zip([0, *starts], [*starts, n_values], strict=True):
        fixed = min((i for i in baselines if first <= i < stop), default=None)
        p, q = position(first), position(stop)
        r = q if fixed is None else position(fixed + 1)
        found = _segment(
            xs,
            p,
            q,
            r,
            run_length=run_length,
            screen_outliers=screen_outliers,
            min_points=min_points,
            firm_points=firm_points,
            marks=marks,
        )
        common = {
            "first": first,
            "last": stop - 1,
            "points": q - p,
            "basis": r - p,
            "rebased": first > 0,
            "baseline_last": fixed,
        }
        if found is None:
            segments.append(SpcSegment(**common))
            continue
        mean, upper, lower, upper_near, lower_near, mean_range, screened, trial = found
        segments.append(
            SpcSegment(
                **common,
                mean=mean,
                upper_limit=upper,
                lower_limit=lower,
                upper_near=upper_near,
                lower_near=lower_near,
                trial=trial,
                mean_moving_range=mean_range,
                moving_ranges_screened=screened,
            )
        )
    last = segments[-1]
    if found is None:
        if len(segments) == 1:
            there = "there is 1" if n == 1 else f"there are {n}"
            message = f"SPC needs at least {min_points} points; {there}.{missing_note}"
        else:
            since = "there is 1 point" if last.points == 1 else f"there are {last.points} points"
            message = (
                f"XmR chart of {n} points in {len(segments)} segments. Since the limits were"
                f" last recalculated {since}; SPC needs at least {min_points}.{missing_note}"
            )
        fired = sorted({rule for rule, _, _ in marks})
        return SpcResult(
            mean=None,
            upper_limit=None,
            lower_limit=None,
            upper_near=None,
            lower_near=None,
            points=SpcPoints(values, xs, marks, good),
            rules_fired=tuple(SPC_RULES[rule] for rule in fired),
            variation=None,
            assurance=None,
            message=message,
            missing=missing,
            segments=tuple(segments),
        )

    mean, upper, lower, upper_near, lower_near, mean_range, screened, trial = found
    fired_rules = sorted({rule for rule, _, _ in marks})
    variation = None
    if last.points:
        latest = _resolve(marks, n - 1, good) if marks else None
        if latest is None:
            variation = Variation.COMMON_CAUSE
        else:
            _, latest_side, latest_meaning = latest
            variation = _VARIATION_BY_MEANING[(latest_meaning, latest_side)]

    message = f"XmR chart of {n} points"
    if len(segments) > 1:
        message += f" in {len(segments)} segments, the limits recalculated at each rebase"
    message += "."
    if last.baseline_last is not None:
        message += f" The limits are fixed on a baseline of {last.basis} points."
    if trial:
        message += (
            f" The limits are trial limits from {last.basis} points: firm limits and"
            f" assurance need {firm_points}."
        )
    message += missing_note
    if screened:
        message += (
            f" {_plural(screened, 'moving range', 'moving ranges')} of 3.267 × the average"
            " or more left out of the limits."
        )
    assurance = _assurance(upper, lower, polarity, target)
    return SpcResult(
        mean=mean,
        upper_limit=upper,
        lower_limit=lower,
        upper_near=upper_near,
        lower_near=lower_near,
        points=SpcPoints(values, xs, marks, good),
        rules_fired=tuple(SPC_RULES[rule] for rule in fired_rules),
        variation=variation,
        assurance=None if trial else assurance,
        message=message,
        missing=missing,
        mean_moving_range=mean_range,
        moving_ranges_screened=screened,
        segments=tuple(segments),
        trial=trial,
        assurance_pending=trial and assurance is not None,
        firm_points=firm_points,
    )


def _assurance(
    upper: float, lower: float, polarity: str, target: Target | None
) -> Assurance | None:
    if target is None or target.value is None:
        return None
    better = _better(polarity, target.bound)
    if better is None:
        return None
    upper_meets = _meets(upper, target.value, target.bound, better)
    lower_meets = _meets(lower, target.value, target.bound, better)
    if upper_meets and lower_meets:
        return Assurance.CONSISTENTLY_MEETS
    if not upper_meets and not lower_meets:
        return Assurance.CONSISTENTLY_FAILS
    return Assurance.INCONSISTENT


# --- Benchmarks ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Benchmark:
    """An annual figure of a comparator (England, statistical neighbours, the council's own
    previous outturn …) for financial year `year`; `value` None when N/A or not published."""

    comparator: str
    year: int
    value: float | None


class BenchmarkComparison(NamedTuple):
    comparator: str
    year: int
    value: float | None
    position: str | None  # "better", "worse", "same" or None


def benchmark_position(
    *, value: float | None, benchmark: float | None, polarity: Polarity, bound: Bound = ""
) -> str | None:
    """Whether a value is "better", "worse" or the "same" as a benchmark.

    Better is judged by the target's bound when there is one ("<" or "<=": lower is
    better), otherwise by the polarity. None when either figure is missing or neither says
    which way is better.
    """
    better = _better(polarity, bound)
    if value is None or benchmark is None or better is None:
        return None
    if _same(value, benchmark):
        return "same"
    return "better" if (value > benchmark) == (better == "higher") else "worse"


# --- Formatting ---------------------------------------------------------------------------


def format_value(*, value: float | None, outturn_type: OutturnType, decimals: int = 0) -> str:
    """A value as the council prints it: "51%", "896", "1,828", "12.5%" with decimals=1.

    Percentages get a % sign; numbers and rates get thousands separators. Halves round away
    from zero, as in Excel (12.5 -> "13", 2.675 with 2 decimals -> "2.68"), never to "-0".
    A missing value is "" so that callers show why it is missing (TBC, N/A …) themselves.
    """
    if outturn_type not in OUTTURN_TYPES:
        _check("outturn type", outturn_type, OUTTURN_TYPES)
    if decimals < 0:
        raise ValueError("decimals must not be negative")
    if value is None:
        return ""
    scale = 10**decimals
    scaled = abs(value) * scale
    # Python's own rounding is half-to-even on the binary value (2.675 -> 2.67); the nudge,
    # far below any printed digit, makes stored decimals round the way people expect.
    units = int(scaled + 0.5 + 1e-11 * (scaled if scaled > 1.0 else 1.0))
    text = f"{units // scale:,}"
    if decimals:
        text += f".{units % scale:0{decimals}d}"
    sign = "-" if value < 0 and units else ""
    return f"{sign}{text}{'%' if outturn_type == 'percentage' else ''}"


def format_target(*, target: Target | None, outturn_type: OutturnType, decimals: int = 0) -> str:
    """A target as the council prints it: its bound then its value ("<36%", "23%"), or
    "TBC" when there is no target value."""
    if target is None or target.value is None:
        return "TBC"
    return target.bound + format_value(
        value=target.value, outturn_type=outturn_type, decimals=decimals
    )


_BOUND_WORDS = {"<": "below ", "<=": "at or below ", ">": "above ", ">=": "at or above "}


def _join(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def sparkline_points(*, values: Sequence[float | None], width: float, height: float) -> list[str]:
    """Polyline segments for an inline SVG sparkline of `values`, left to right.

    The points are spread evenly across `width` (one point sits in the middle); the lowest
    value is drawn at the bottom (y = height) and the highest at the top (y = 0), a flat
    series at mid-height. A missing value breaks the line, so the result is a list of
    "x,y x,y …" strings, one per unbroken segment (a lone point is a one-point segment the
    caller may draw as a dot); [] when nothing is present. Strokes on the edge are half
    outside the box, so give the SVG a viewBox with a little margin.
    """
    if width <= 0 or height <= 0:
        raise ValueError("width and height must be positive")
    present = [v for v in values if v is not None]
    if not present:
        return []
    low, high = min(present), max(present)
    span = high - low
    count = len(values)
    step = width / (count - 1) if count > 1 else 0.0
    start = 0.0 if count > 1 else width / 2

    def num(x: float) -> str:
        return f"{x:.2f}".rstrip("0").rstrip(".")

    segments: list[str] = []
    current: list[str] = []
    for i, v in enumerate(values):
        if v is None:
            if current:
                segments.append(" ".join(current))
                current = []
            continue
        y = height / 2 if span == 0 else height - (v - low) / span * height
        current.append(f"{num(start + i * step)},{num(y)}")
    if current:
        segments.append(" ".join(current))
    return segments


# --- Verdict ------------------------------------------------------------------------------


def _target_phrase(target: Target, outturn_type: OutturnType, decimals: int) -> str:
    shown = format_value(value=target.value, outturn_type=outturn_type, decimals=decimals)
    if target.bound:
        return f"a target {_BOUND_WORDS[target.bound]}{shown}"
    return f"a target of {shown}"


def _trailing_run(points: Sequence[SpcPoint], rule: str, side: str, mean: float) -> int:
    # Counted from the values, not the flags: points inside the run may be named after a
    # higher-priority rule (a month outside the limits within a shift).
    high = side == HIGH
    count = 1
    if rule == RULE_SHIFT:
        while count < len(points):
            v = points[-count - 1].value
            if not (v > mean if high else v < mean):
                break
            count += 1
    else:
        while count < len(points):
            later, earlier = points[-count].value, points[-count - 1].value
            if not (later > earlier if high else later < earlier):
                break
            count += 1
    return count


def _spc_sentence(result: SpcResult) -> str:
    if result.mean is None:
        return result.message
    latest = result.latest
    # The chart's last point may be an earlier month: a cumulative measure's increment is
    # unknown when the month before is missing.
    if latest is None or latest.index != len(result.points) + result.missing - 1:
        return "This month has no point on the SPC chart, as a figure it needs is missing."
    if latest.rule is None:
        return "Variation is common cause."
    high = latest.side == HIGH
    if latest.rule == RULE_OUTSIDE_LIMITS:
        text = f"This month is {'above the upper' if high else 'below the lower'} process limit"
    elif latest.rule == RULE_TWO_OF_THREE:
        text = (
            "Two of the last three months are near or beyond the "
            f"{'upper' if high else 'lower'} process limit"
        )
    elif latest.rule == RULE_TREND:
        count = _trailing_run(result.points, latest.rule, latest.side, result.mean)
        text = f"The last {count} months are a {'rising' if high else 'falling'} trend"
    else:
        count = _trailing_run(result.points, latest.rule, latest.side, result.mean)
        text = f"The last {count} months are a run {'above' if high else 'below'} the mean"
    if latest.meaning in (IMPROVEMENT, CONCERN):
        text += f" ({latest.meaning})"
    return text + "."


def _trial_sentence(result: SpcResult) -> str:
    basis = result.segments[-1].basis if result.segments else len(result.points)
    return f"The limits are trial limits from {basis} points."


@dataclass(frozen=True, slots=True)
class SpcBreak:
    """A performance manager's break in an indicator's SPC chart. A "baseline" fixes the
    limits on the months up to and including `month`; a "rebase" recalculates them from
    `month`, the first month after a known change of system. `reason` completes "Limits
    recalculated from February 2022 after …" (e.g. "the case-system migration")."""

    month: date
    kind: Literal["baseline", "rebase"]
    reason: str

    def __post_init__(self) -> None:
        _check("SPC break kind", self.kind, SPC_BREAK_KINDS)


def spc_break_sentence(
    *, result: SpcResult, first_month: date | None, breaks: Sequence[SpcBreak]
) -> str:
    """What the latest segment's limits rest on, when a break set them: "Limits recalculated
    from February 2022 after the case-system migration." for a rebase; "Limits fixed on the
    baseline April 2019 to March 2021 (before the new service model)." for a baseline; ""
    otherwise (the limits are of the whole series)."""
    if not result.segments or first_month is None:
        return ""
    last = result.segments[-1]
    sentences = []
    if last.rebased:
        month = add_months(month=first_month, count=last.first)
        reason = next((b.reason for b in breaks if b.kind == REBASE and b.month == month), "")
        sentences.append(
            f"Limits recalculated from {month:%B %Y}{f' after {reason}' if reason else ''}."
        )
    if last.baseline_last is not None:
        start = add_months(month=first_month, count=last.first)
        end = add_months(month=first_month, count=last.baseline_last)
        reason = next((b.reason for b in breaks if b.kind == BASELINE and b.month == end), "")
        sentences.append(
            f"Limits fixed on the baseline {start:%B %Y} to {end:%B %Y}"
            f"{f' ({reason})' if reason else ''}."
        )
    return " ".join(sentences)


_ASSURANCE_SENTENCES = {
    Assurance.CONSISTENTLY_MEETS: (
        "Both process limits meet the target, so it will be met consistently unless the"
        " system changes."
    ),
    Assurance.CONSISTENTLY_FAILS: (
        "The target lies outside the process limits, so it will not be met without a change"
        " in the system."
    ),
    Assurance.INCONSISTENT: (
        "The target lies within the process limits, so it will be hit and miss."
    ),
}


def verdict(
    *,
    month: date,
    value: float | None,
    outturn_type: OutturnType,
    decimals: int,
    rag: Rag,
    target: Target | None,
    measure_type: MeasureType = "snapshot",
    forecast: float | None = None,
    spc: SpcResult | None = None,
    benchmark_positions: Sequence[BenchmarkComparison] = (),
    change: str = "",
    spc_first_month: date | None = None,
    spc_breaks: Sequence[SpcBreak] = (),
) -> str:
    """One plain-English paragraph on an indicator's month, built from the computed parts.

    1. The rating, the figure and the target: "Red: 51% against a target below 36%." (bounds
       read "below", "at or below", "above", "at or above"; no bound reads "a target of
       23%"). A cumulative measure gives the year to date and the forecast it is rated on:
       "896 so far this year (forecast year end 977)". Without a rating it starts "Not
       rated:" and says why: "No target is set.", the target is TBC, or there is no polarity.
       A missing value gives only "No value is reported for February 2022."
    2. The SPC: the rebase or baseline the limits rest on ("Limits recalculated from
       February 2022 after the case-system migration."); what the latest point's rule says
       ("The last 7 months are a run above the mean (concern)."), or "Variation is common
       cause.", or why there is no chart; that the limits are trial limits, when they are.
    3. The assurance: whether the target lies outside the process limits, and on which side;
       with trial limits, that there is none until there are 13 points.
    4. The benchmarks the value is worse than, better than, and the same as, with their
       values: "Worse than statistical neighbours (36%) and England (36%)."
    A cumulative measure says after the rating what its direction of travel compares
    (`change`, from `change_basis`): "Down on the monthly increase (45 vs 60); year to date
    612."
    """
    if value is None:
        return f"No value is reported for {month:%B %Y}."

    def show(x: float | None) -> str:
        return format_value(value=x, outturn_type=outturn_type, decimals=decimals)

    figure = show(value)
    if measure_type == "cumulative_ytd" and forecast is not None:
        figure = f"{figure} so far this year (forecast year end {show(forecast)})"
    if target is None:
        sentences = [f"{Rag.NONE.label}: {figure}. No target is set."]
    elif target.value is None:
        sentences = [f"{Rag.NONE.label}: {figure}. The target is to be confirmed (TBC)."]
    elif rag is Rag.NONE:
        phrase = _target_phrase(target, outturn_type, decimals)
        sentences = [
            f"{Rag.NONE.label}: {figure} against {phrase}, but the indicator has no polarity."
        ]
    else:
        phrase = _target_phrase(target, outturn_type, decimals)
        sentences = [f"{rag.label}: {figure} against {phrase}."]
    if change and measure_type == "cumulative_ytd":
        sentences.append(f"{change}.")

    if spc is not None:
        moved = spc_break_sentence(result=spc, first_month=spc_first_month, breaks=spc_breaks)
        if moved:
            sentences.append(moved)
        sentences.append(_spc_sentence(spc))
        if spc.trial:
            sentences.append(_trial_sentence(spc))
        if spc.assurance is not None:
            sentences.append(_ASSURANCE_SENTENCES[spc.assurance])
        elif spc.assurance_pending:
            sentences.append(
                f"There is no assurance against the target until there are {spc.firm_points}"
                " points."
            )

    groups: dict[str, list[str]] = {"worse": [], "better": [], "same": []}
    for comparison in benchmark_positions:
        if comparison.position in groups:
            groups[comparison.position].append(
                f"{comparison.comparator} ({show(comparison.value)})"
            )
    parts = [
        f"{lead} {_join(groups[key])}"
        for key, lead in (
            ("worse", "worse than"),
            ("better", "better than"),
            ("same", "the same as"),
        )
        if groups[key]
    ]
    if parts:
        text = "; ".join(parts)
        sentences.append(f"{text[0].upper()}{text[1:]}.")
    return " ".join(sentences)


# --- The entry point ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class IndicatorInput:
    """Everything `analyse` needs to know about an indicator.

    `series` holds every known month (missing values as None); `targets` maps a financial
    year (by its first year: 2021 = 2021/22) to its target; `tolerance` is the amber band in
    percent of the target, already resolved from the panel's default. `run_length` is the
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
    run_length: int = 7
    screen_outliers: bool = True
    spc_breaks: Sequence[SpcBreak] = ()

    def __post_init__(self) -> None:
        _check("outturn type", self.outturn_type, OUTTURN_TYPES)
        _check("measure type", self.measure_type, MEASURE_TYPES)
        _check_polarity(self.polarity)


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
    stats = _window_stats(values[-12:])
    forecast = year_end_forecast(value=latest, month=month) if cumulative else None
    rated = forecast if cumulative else latest
    rating = rag(value=rated, target=target, polarity=polarity, tolerance=indicator.tolerance)

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
