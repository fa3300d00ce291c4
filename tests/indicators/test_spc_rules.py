"""Unit tests of the SPC rules as "Making Data Count" states them: the same-side condition of
"two of three", trial limits, baselines, rebasing and the run length. No database; every
figure is worked out by hand in the comments.
"""

from datetime import date

import pytest

from indicators.rules.calendar import add_months
from indicators.rules.rag import Rag
from indicators.rules.spc import (
    BASELINE,
    REBASE,
    RULE_OUTSIDE_LIMITS,
    RULE_SHIFT,
    RULE_TREND,
    RULE_TWO_OF_THREE,
    Assurance,
    SpcBreak,
    Variation,
    spc,
)
from indicators.rules.statistics import IndicatorInput, analyse
from indicators.rules.verdict import verdict
from indicators.rules.vocabulary import Target

APR21 = date(2021, 4, 1)


def flagged(result) -> dict:
    return {p.index: (p.rule, p.side, p.meaning) for p in result.points if p.rule}


# --- Two of three: all three points on the same side of the mean ----------------------------


def test_two_of_three_needs_the_third_point_on_the_same_side_of_the_mean():
    # Sum 101 + 13.5 + 10 + 13.5 = 138, mean 138/13 = 10.615. Ranges: nine of 1, then 2.5,
    # 3.5, 3.5: 18.5/12 = 1.5417 (cut 5.04: none dropped). Upper near limit
    # 10.615 + 2/3 × 2.66 × 1.5417 = 13.349, upper limit 14.716: both 13.5s are beyond the
    # near limit, inside the process limit, but the 10 between them is below the mean.
    values = [10, 11, 10, 9, 10, 11, 10, 9, 10, 11, 13.5, 10, 13.5]
    result = spc(values=values, polarity="higher")
    assert result.mean == pytest.approx(138 / 13)
    assert result.upper_near == pytest.approx(138 / 13 + 2 / 3 * 2.66 * 18.5 / 12)
    assert flagged(result) == {}
    assert RULE_TWO_OF_THREE not in result.rules_fired


def test_two_of_three_with_the_third_point_above_the_mean_flags():
    # Control: 11 instead of 10. Sum 139, mean 10.692; ranges nine of 1, 2.5, 2.5, 2.5:
    # 16.5/12 = 1.375; near limit 10.692 + 2/3 × 2.66 × 1.375 = 13.131. 11 is above the
    # mean, so 13.5, 11, 13.5 is two of three beyond the near limit: both 13.5s flagged.
    values = [10, 11, 10, 9, 10, 11, 10, 9, 10, 11, 13.5, 11, 13.5]
    result = spc(values=values, polarity="higher")
    assert flagged(result) == {
        10: (RULE_TWO_OF_THREE, "high", "improvement"),
        12: (RULE_TWO_OF_THREE, "high", "improvement"),
    }


# --- The seed with trial limits --------------------------------------------------------------

# Seed: "Percentage of CLA placed with IFAs at end of period", Apr-21 .. Feb-22 (11 months).
IFA_VALUES = [24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 31.0, 30.0, 31.0, 43.0, 51.0]


def test_the_seeds_eleven_months_get_trial_limits():
    # Sum 345, mean 31.364. Ranges 1 1 1 1 1 2 1 1 12 8: 29/10 = 2.9, cut 9.47 drops the 12:
    # 17/9 = 1.889. Limits 31.364 ± 5.024 (26.34 .. 36.39), near ± 3.350 (28.01 .. 34.71).
    result = spc(values=IFA_VALUES, polarity="lower", target=Target(36.0, "<"))
    assert result.mean == pytest.approx(345 / 11)
    assert result.upper_limit == pytest.approx(345 / 11 + 2.66 * 17 / 9)
    assert result.trial is True
    # 43 and 51 above 36.39, 24 25 26 below 26.34; 24 .. 31 rise seven times; 24 .. 31
    # (points 0 .. 8) are nine below the mean; 24 25 26 27 beyond the lower near limit.
    found = flagged(result)
    assert found[10] == (RULE_OUTSIDE_LIMITS, "high", "concern")
    # 31 (point 6) ends the rising trend (concern, lower being better) and is in the run below
    # the mean (improvement): the improvement wins.
    assert found[6] == (RULE_SHIFT, "low", "improvement")
    assert RULE_TREND in result.rules_fired
    assert found[8] == (RULE_SHIFT, "low", "improvement")
    # 31, 43, 51: two beyond the upper near limit, but 31 is below the mean: not two of three.
    assert RULE_TWO_OF_THREE in result.rules_fired  # from 24, 25, 26 on the low side
    assert all(found[i][0] != RULE_TWO_OF_THREE for i in (9, 10))
    assert result.variation is Variation.CONCERN_HIGH
    # Target below 36: 26.34 meets it and 36.39 fails: hit and miss, but not before 13 points.
    assert result.assurance is None
    assert result.assurance_pending is True


# --- Trial limits from 6 to 12 points; assurance from 13 ------------------------------------


def test_five_points_have_no_limits():
    result = spc(values=[10, 12, 10, 12, 10], polarity="lower", target=Target(20.0, "<"))
    assert result.mean is None and result.variation is None
    assert (result.trial, result.assurance, result.assurance_pending) == (False, None, False)
    assert result.message == "SPC needs at least 6 points; there are 5."


@pytest.mark.parametrize("count", [6, 12])
def test_six_to_twelve_points_have_trial_limits_and_no_assurance(count):
    # 10, 12, … : mean 11, every range 2; limits 11 ± 5.32 (5.68 .. 16.32).
    values = [10, 12] * (count // 2)
    result = spc(values=values, polarity="lower", target=Target(20.0, "<"))
    assert result.mean == 11.0
    assert (result.lower_limit, result.upper_limit) == pytest.approx((5.68, 16.32))
    assert result.trial is True
    assert result.variation is Variation.COMMON_CAUSE
    # Both limits are below 20, so firm limits would consistently meet the target.
    assert result.assurance is None
    assert result.assurance_pending is True
    assert result.message == (
        f"XmR chart of {count} points. The limits are trial limits from {count} points: firm"
        " limits and assurance need 13."
    )


def test_thirteen_points_have_firm_limits_and_assurance():
    # 10, 12, … 10: sum 142, mean 10.923, ranges 2; limits 10.923 ± 5.32 (5.60 .. 16.24).
    values = [10, 12] * 6 + [10]
    result = spc(values=values, polarity="lower", target=Target(20.0, "<"))
    assert result.mean == pytest.approx(142 / 13)
    assert result.trial is False
    assert result.assurance is Assurance.CONSISTENTLY_MEETS
    assert result.assurance_pending is False
    assert result.message == "XmR chart of 13 points."


def test_trial_limits_are_said_in_the_verdict():
    values = [10, 12] * 4
    result = spc(values=values, polarity="lower", target=Target(20.0, "<"))
    text = verdict(
        month=date(2021, 11, 1),
        value=12.0,
        outturn_type="number",
        decimals=0,
        rag=Rag.GREEN,
        target=Target(20.0, "<"),
        spc=result,
    )
    assert text == (
        "Green: 12 against a target below 20. Variation is common cause. The limits are trial"
        " limits from 8 points. There is no assurance against the target until there are 13"
        " points."
    )


# --- Baseline: limits fixed on a period, applied after it -------------------------------------

# 13 baseline points 10, 12, … 10 (mean 142/13 = 10.923, ranges 2: limits 10.923 ± 5.32,
# near limits 10.923 ± 3.547 = 7.376 .. 14.470), then three months of 15.
BASELINE_THEN_15 = [10, 12] * 6 + [10] + [15, 15, 15]


def test_a_baseline_fixes_the_limits_on_its_months():
    fixed = spc(values=BASELINE_THEN_15, polarity="higher", baselines=[12])
    assert fixed.mean == pytest.approx(142 / 13)
    assert fixed.upper_near == pytest.approx(142 / 13 + 2 / 3 * 2.66 * 2)
    # 15 is beyond the baseline's near limit 14.47, inside its limit 16.24, and all three
    # are above its mean: two of three (three of three) near the limit.
    assert flagged(fixed) == {i: (RULE_TWO_OF_THREE, "high", "improvement") for i in (13, 14, 15)}
    (segment,) = fixed.segments
    assert (segment.first, segment.last, segment.points, segment.basis) == (0, 15, 16, 13)
    assert segment.baseline_last == 12 and segment.trial is False
    assert fixed.message == (
        "XmR chart of 16 points. The limits are fixed on a baseline of 13 points."
    )


def test_without_the_baseline_the_new_months_widen_the_limits():
    # All 16: mean 187/16 = 11.6875; ranges twelve of 2, 5, 0, 0: 29/15 = 1.933 (cut 6.32);
    # near limit 11.6875 + 2/3 × 2.66 × 1.933 = 15.116: 15 is not beyond it.
    result = spc(values=BASELINE_THEN_15, polarity="higher")
    assert result.mean == pytest.approx(187 / 16)
    assert flagged(result) == {}


# --- Rebase: limits recalculated from a month after a change of system ------------------------

# Eight months of 10, 12 (mean 11), then eight of 20, 22 (mean 21): every range 2 but the
# jump of 8.
BEFORE_AND_AFTER = [10, 12] * 4 + [20, 22] * 4


def test_a_rebase_gives_each_segment_its_own_mean_and_limits():
    result = spc(values=BEFORE_AND_AFTER, polarity="higher", rebases=[8])
    before, after = result.segments
    assert (before.first, before.last, before.mean, before.rebased) == (0, 7, 11.0, False)
    assert (after.first, after.last, after.mean, after.rebased) == (8, 15, 21.0, True)
    assert (after.lower_limit, after.upper_limit) == pytest.approx((21 - 5.32, 21 + 5.32))
    assert before.trial and after.trial  # 8 points each
    # Each segment zigzags about its own mean: nothing is flagged.
    assert flagged(result) == {}
    assert (result.mean, result.variation) == (21.0, Variation.COMMON_CAUSE)
    assert result.message == (
        "XmR chart of 16 points in 2 segments, the limits recalculated at each rebase. The"
        " limits are trial limits from 8 points: firm limits and assurance need 13."
    )


def test_without_the_rebase_the_change_of_system_is_a_shift():
    # Mean 256/16 = 16; ranges fourteen of 2 and one of 8 (cut 7.84 drops it): limits
    # 16 ± 5.32 (10.68 .. 21.32): the 10s below, the 22s above, eight below the mean.
    result = spc(values=BEFORE_AND_AFTER, polarity="higher")
    assert result.mean == 16.0
    assert RULE_SHIFT in result.rules_fired and RULE_OUTSIDE_LIMITS in result.rules_fired


def test_rules_do_not_run_across_a_rebase():
    # 12 before it and 12 after: with the rebase at 6 the run above 11 is of 1 + 5 points
    # in two segments, not one of 6 (11 then 12s; segment 2's mean is 11.83).
    values = [10, 12, 10, 12, 10, 12, 12, 12, 12, 12, 12, 11]
    assert RULE_SHIFT in spc(values=values, polarity="higher", run_length=6).rules_fired
    rebased = spc(values=values, polarity="higher", run_length=6, rebases=[6])
    assert RULE_SHIFT not in rebased.rules_fired


def test_too_few_points_since_a_rebase():
    result = spc(values=[10, 12] * 4 + [20], polarity="higher", rebases=[8])
    assert result.segments[0].mean == 11.0
    assert (result.mean, result.variation, result.assurance) == (None, None, None)
    assert result.message == (
        "XmR chart of 9 points in 2 segments. Since the limits were last recalculated there is"
        " 1 point; SPC needs at least 6."
    )


def _input(**overrides) -> IndicatorInput:
    fields = {
        "name": "Visits",
        "outturn_type": "percentage",
        "measure_type": "snapshot",
        "polarity": "higher",
        "decimals": 0,
        "tolerance": 5.0,
        "series": {
            add_months(month=APR21, count=i): float(v) for i, v in enumerate(BEFORE_AND_AFTER)
        },
    }
    fields.update(overrides)
    return IndicatorInput(**fields)


def test_analyse_splits_the_chart_at_a_rebase_and_the_verdict_names_it():
    # Point 8 is December 2021 (April 2021 + 8).
    migration = SpcBreak(date(2021, 12, 1), REBASE, "the case-system migration")
    stats = analyse(indicator=_input(spc_breaks=(migration,)), month=date(2022, 7, 1))
    assert [s.first for s in stats.spc.segments] == [0, 8]
    assert stats.spc.mean == 21.0
    assert stats.verdict == (
        "Not rated: 22%. No target is set. Limits recalculated from December 2021 after the"
        " case-system migration. Variation is common cause. The limits are trial limits from 8"
        " points."
    )
    # Looking back at a month before the rebase, the chart is of one segment.
    earlier = analyse(indicator=_input(spc_breaks=(migration,)), month=date(2021, 11, 1))
    assert len(earlier.spc.segments) == 1 and "recalculated" not in earlier.verdict


def test_analyse_names_the_baseline():
    series = {add_months(month=APR21, count=i): float(v) for i, v in enumerate(BASELINE_THEN_15)}
    baseline = SpcBreak(date(2022, 4, 1), BASELINE, "before the new service model")
    stats = analyse(indicator=_input(series=series, spc_breaks=(baseline,)), month=date(2022, 7, 1))
    assert stats.spc.mean == pytest.approx(142 / 13)
    assert (
        "Limits fixed on the baseline April 2021 to April 2022 (before the new service"
        " model)." in stats.verdict
    )


def test_a_break_of_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="SPC break kind"):
        SpcBreak(date(2022, 2, 1), "moved", "")


# --- Run length 6 or 7 ------------------------------------------------------------------------


def test_run_length_six_or_seven_for_the_shift_rule():
    # 10, 12, 10, 12, 10, 12, 10, then six 12s: sum 148, mean 11.385; ranges seven of 2,
    # five of 0: 14/12 = 1.167, limits 11.385 ± 3.103, near ± 2.069 (13.45): nothing near.
    # Points 7 .. 12 are six above the mean.
    values = [10, 12, 10, 12, 10, 12, 10, 12, 12, 12, 12, 12, 12]
    series = {add_months(month=APR21, count=i): float(v) for i, v in enumerate(values)}
    month = add_months(month=APR21, count=12)
    seven = analyse(indicator=_input(series=series), month=month)
    six = analyse(indicator=_input(series=series, run_length=6), month=month)
    assert flagged(seven.spc) == {}
    assert flagged(six.spc) == {i: (RULE_SHIFT, "high", "improvement") for i in range(7, 13)}


def test_a_rebase_after_a_missing_month_splits_at_the_right_point():
    # Index 2 is missing: the rebase at index 9 (the first 20) leaves 8 points before it.
    values = [10, 12, None, 10, 12, 10, 12, 10, 12, 20, 22, 20, 22, 20, 22, 20, 22]
    result = spc(values=values, polarity="higher", rebases=[9])
    before, after = result.segments
    assert (before.first, before.last, before.points, before.mean) == (0, 8, 8, 11.0)
    assert (after.first, after.last, after.points, after.mean) == (9, 16, 8, 21.0)
    assert result.missing == 1
    assert flagged(result) == {}
