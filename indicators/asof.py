"""The month an indicator's figures are read as of, and how a page says which months it shows.

Priority areas are approved and published at their own pace: when one area's March is out,
the others may still be at February. Every page, export and API record therefore shows each
indicator at its own latest published month, never at the panel's latest month for all
(which would blank every indicator not yet published for it). Framework-free: the selectors
call these with the published months they loaded.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from core import params

MSG_MONTH_MALFORMED = "The month “{value}” is not a month: give it as YYYY-MM, e.g. 2022-02."
MSG_MONTH_OUTSIDE = (
    "There is no published figure for {month} for this indicator: its figures run from "
    "{first} to {last}."
)
MSG_NO_FIGURES = "This indicator has no published figures yet."


def as_of_month(
    *, newest_first: Iterable[date], until: date | None, year: int | None = None
) -> date | None:
    """The month an indicator is read as of: the latest month with a published figure (a
    number, or a status such as TBC or N/A; "not reported" is no figure) on or before
    `until`, the latest month its panel has published. A financial year's table asks for
    `year` too: then only months of that year (April to March) count. None when there is no
    such month. `newest_first` is the months with a figure, newest first, so that the
    search stops at the first month it can use (a panel has tens of thousands of months)."""
    if until is None:
        return None
    if year is not None:
        until = min(until, date(year + 1, 3, 1))
    for month in newest_first:
        if month <= until:
            return month if year is None or month >= date(year, 4, 1) else None
    return None


def months_summary(*, months: Iterable[date | None]) -> str:
    """What a panel's page says it shows, from each indicator's as-of month: "Data to end of
    February 2022" when every indicator is at the same month, else the latest month first
    with how many indicators are at it, the oldest "for the rest": "Data to end of March 2022
    for 4 indicators; February 2022 for the rest". Indicators with no published figure are
    counted last ("no published figure for 2"). "" when no indicator has a figure."""
    months = list(months)
    counts = Counter(m for m in months if m is not None)
    if not counts:
        return ""
    missing = len(months) - sum(counts.values())
    ordered = sorted(counts, reverse=True)
    if len(ordered) == 1:
        text = f"Data to end of {ordered[0]:%B %Y}"
    else:
        parts = [f"{m:%B %Y} for {_indicators(counts[m])}" for m in ordered[:-1]]
        parts.append(f"{ordered[-1]:%B %Y} for the rest")
        text = "Data to end of " + "; ".join(parts)
    if missing:
        text += f"; no published figure for {_indicators(missing)}"
    return text


def _indicators(count: int) -> str:
    return f"{count} indicator{'' if count == 1 else 's'}"


def month_error(*, text: str, reported: Iterable[date]) -> tuple[date | None, str]:
    """The month asked for ("YYYY-MM") and "" when an indicator can be read as of it, else
    None and the message: the month is malformed, or lies outside the months the indicator
    has published figures for (before the first, after the latest)."""
    month = params.parse_month(text)
    if month is None:
        return None, MSG_MONTH_MALFORMED.format(value=text)
    held = sorted(reported)
    if not held:
        return None, MSG_NO_FIGURES
    if not held[0] <= month <= held[-1]:
        return None, MSG_MONTH_OUTSIDE.format(
            month=f"{month:%B %Y}", first=f"{held[0]:%B %Y}", last=f"{held[-1]:%B %Y}"
        )
    return month, ""
