"""Rating a month's value against its target: Green, Amber, Red or not rated. Framework-free."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from .change import REL_EPS, year_end_forecast
from .vocabulary import CUMULATIVE_YTD, Polarity, Target, check_polarity


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    NONE = "none"

    @property
    def label(self) -> str:
        return _RAG_LABELS[self]


_RAG_LABELS = {Rag.RED: "Red", Rag.AMBER: "Amber", Rag.GREEN: "Green", Rag.NONE: "Not rated"}


def better_way(polarity: str, bound: str = "") -> str | None:
    # A bound states the aim on its own ("<36%" means lower is better), so it outranks the
    # polarity; without one, "none" gives no way of judging better or worse.
    check_polarity(polarity)
    if bound:
        return "lower" if bound[0] == "<" else "higher"
    return None if polarity == "none" else polarity


def meets(value: float, threshold: float, bound: str, better: str) -> bool:
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
    check_polarity(polarity)
    if value is None or target is None or target.value is None:
        return Rag.NONE
    better = better_way(polarity, target.bound)
    if better is None:
        return Rag.NONE
    threshold = target.value
    if meets(value, threshold, target.bound, better):
        return Rag.GREEN
    shortfall = threshold - value if better == "higher" else value - threshold
    band = abs(threshold) * tolerance / 100
    # A zero-width band holds no misses, not even the zero shortfall of a strict bound.
    if band > 0 and shortfall <= band * (1 + REL_EPS):
        return Rag.AMBER
    return Rag.RED


def amber_tolerance(
    *, target_tolerance: float | None, indicator_tolerance: float | None, panel_tolerance: float
) -> float:
    """The amber band of a financial year, in percent of its target: the year's target sets it,
    else the indicator does, else the panel's default applies. A band of 0 set on the target
    or the indicator counts: it means no amber."""
    if target_tolerance is not None:
        return target_tolerance
    if indicator_tolerance is not None:
        return indicator_tolerance
    return panel_tolerance


def rate_month(
    *,
    value: float | None,
    month: date,
    measure_type: str,
    polarity: Polarity,
    target: Target | None,
    panel_tolerance: float,
    indicator_tolerance: float | None = None,
    target_tolerance: float | None = None,
) -> Rag:
    """A month's RAG rating: its value against `target`, the target of the month's financial
    year, with the amber band of `amber_tolerance`. A cumulative year-to-date measure is
    rated on its pro-rata year-end forecast, as its targets are annual."""
    if measure_type == CUMULATIVE_YTD:
        value = year_end_forecast(value=value, month=month)
    tolerance = amber_tolerance(
        target_tolerance=target_tolerance,
        indicator_tolerance=indicator_tolerance,
        panel_tolerance=panel_tolerance,
    )
    return rag(value=value, target=target, polarity=polarity, tolerance=tolerance)
