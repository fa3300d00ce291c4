"""Statistical process control: the XmR chart of NHS England's "Making Data Count", with its
rules, variation and assurance icons, and the breaks (baselines, rebases) a performance
manager sets. Framework-free, and kept to a few passes over a series in C-level operations:
a dashboard analyses some 30,000 monthly values per view.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import partial
from operator import is_not, sub
from typing import Literal, NamedTuple

from .change import REL_EPS
from .rag import better_way, meets
from .vocabulary import Polarity, Target, check, check_polarity

RULE_OUTSIDE_LIMITS = "outside limits"
RULE_TREND = "trend"
RULE_TWO_OF_THREE = "two of three near limit"
RULE_SHIFT = "shift"
#: The SPC rules in priority order.
SPC_RULES: tuple[str, ...] = (RULE_OUTSIDE_LIMITS, RULE_TREND, RULE_TWO_OF_THREE, RULE_SHIFT)
#: The run lengths of the trend and shift rules a panel may choose (MDC: 7, some use 6).
RUN_LENGTHS: tuple[int, ...] = (6, 7)
#: The run length a panel uses until it chooses (Making Data Count's).
DEFAULT_RUN_LENGTH = 7
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

# "is not None" as a C-level callable, to filter long series without a Python call per value.
_IS_PRESENT = partial(is_not, None)


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
    eps = REL_EPS * max(1.0, top, -bottom, abs(mean))

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
    run_length: int = DEFAULT_RUN_LENGTH,
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
    check_polarity(polarity)
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
    better = better_way(polarity, target.bound)
    if better is None:
        return None
    upper_meets = meets(upper, target.value, target.bound, better)
    lower_meets = meets(lower, target.value, target.bound, better)
    if upper_meets and lower_meets:
        return Assurance.CONSISTENTLY_MEETS
    if not upper_meets and not lower_meets:
        return Assurance.CONSISTENTLY_FAILS
    return Assurance.INCONSISTENT


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
        check("SPC break kind", self.kind, SPC_BREAK_KINDS)
