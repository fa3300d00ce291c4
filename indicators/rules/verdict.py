"""The plain-English paragraph on an indicator's month, written from what the other rules
found. Framework-free."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from .benchmark import BenchmarkComparison
from .calendar import add_months
from .figures import format_value
from .rag import Rag
from .spc import (
    BASELINE,
    CONCERN,
    HIGH,
    IMPROVEMENT,
    REBASE,
    RULE_OUTSIDE_LIMITS,
    RULE_SHIFT,
    RULE_TREND,
    RULE_TWO_OF_THREE,
    Assurance,
    SpcBreak,
    SpcPoint,
    SpcResult,
)
from .vocabulary import MeasureType, OutturnType, Target

_BOUND_WORDS = {"<": "below ", "<=": "at or below ", ">": "above ", ">=": "at or above "}


def _join(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


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
