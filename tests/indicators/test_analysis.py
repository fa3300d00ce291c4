"""Unit tests of indicators.rules.statistics: hand-worked examples, no database.

Every expected figure is worked out by hand in the comments, not computed by the code
under test. The seed figures are from the appendix of the agenda pack of 31 March 2022.
"""

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.rules.benchmark import Benchmark, BenchmarkComparison, benchmark_position
from indicators.rules.calendar import (
    add_months,
    financial_year,
    financial_year_label,
    financial_year_months,
    months_elapsed,
    previous_month,
    same_month_previous_year,
)
from indicators.rules.change import (
    Direction,
    TwelveMonthStats,
    analysis_series,
    direction_of_travel,
    monthly_increments,
    pct_change,
    pp_change,
    twelve_month_stats,
    year_end_forecast,
)
from indicators.rules.figures import format_target, format_value
from indicators.rules.rag import Rag, rag
from indicators.rules.sparkline import sparkline_points
from indicators.rules.spc import (
    RULE_OUTSIDE_LIMITS,
    RULE_SHIFT,
    RULE_TREND,
    RULE_TWO_OF_THREE,
    Assurance,
    SpcPoint,
    Variation,
    spc,
)
from indicators.rules.statistics import IndicatorInput, analyse
from indicators.rules.verdict import verdict
from indicators.rules.vocabulary import Target

APR21 = date(2021, 4, 1)
FEB22 = date(2022, 2, 1)


def monthly(start: date, values: list) -> dict:
    """{month: value} for consecutive months from `start` (written out, not via the code
    under test)."""
    series = {}
    year, month = start.year, start.month
    for value in values:
        series[date(year, month, 1)] = value
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return series


# Seed: "Percentage of CLA placed with IFAs at end of period", Apr-21 .. Feb-22.
IFA_VALUES = [24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 31.0, 30.0, 31.0, 43.0, 51.0]
IFA_SERIES = monthly(APR21, IFA_VALUES)
IFA_TARGET = Target(36.0, "<")
# Seed columns: Southampton 19/20, Southampton 20/21, statistical neighbours, South East,
# England ("N/A" is None).
IFA_BENCHMARKS = (
    Benchmark("Southampton", 2019, 37.0),
    Benchmark("Southampton", 2020, None),
    Benchmark("statistical neighbours", 2020, 36.0),
    Benchmark("South East", 2020, 38.0),
    Benchmark("England", 2020, 36.0),
)

# Seed: "Rates of referrals per 10,000 of Under 18 Population", cumulative year to date.
REFERRALS_VALUES = [71.0, 170.0, 244.0, 323.0, 386.0, 482.0, 573.0, 663.0, 758.0, 853.0, 896.0]
REFERRALS_SERIES = monthly(APR21, REFERRALS_VALUES)
REFERRALS_BENCHMARKS = (
    Benchmark("Southampton", 2019, 944.0),
    Benchmark("Southampton", 2020, 790.0),
    Benchmark("statistical neighbours", 2020, 647.0),
    Benchmark("South East", 2020, 561.0),
    Benchmark("England", 2020, 494.0),
)

# The hand-worked XmR chart used below (15 points):
#   values          20 18 19 20 19 20 18 26 18 20 22 20 21 19 20
#   sum = 300, mean = 300 / 15 = 20
#   moving ranges     2  1  1  1  1  2  8  8  2  2  2  1  2  1      (14 ranges)
#   sum = 34, mean MR = 34 / 14 = 2.428571
#   outlier cut = 3.267 × 2.428571 = 7.934 -> both ranges of 8 are dropped
#   screened mean MR = (34 − 16) / 12 = 18 / 12 = 1.5
#   process limits = 20 ± 2.66 × 1.5 = 20 ± 3.99 -> 16.01 .. 23.99
#   near limits = 20 ± 2/3 × 3.99 = 20 ± 2.66 -> 17.34 .. 22.66
# Without screening: 20 ± 2.66 × 34/14 = 20 ± 6.46 -> 13.54 .. 26.46,
#   near limits 20 ± 4.3067 -> 15.69 .. 24.31.
WORKED = [20, 18, 19, 20, 19, 20, 18, 26, 18, 20, 22, 20, 21, 19, 20]


def flagged(result) -> dict:
    return {p.index: (p.rule, p.side, p.meaning) for p in result.points if p.rule}


# --- Months and financial years -----------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "year"),
    [
        (date(2022, 2, 1), 2021),  # Feb 2022 is in 2021/22
        (date(2022, 3, 1), 2021),
        (date(2022, 4, 1), 2022),  # April starts 2022/23
        (date(2021, 12, 1), 2021),
        (date(2022, 1, 1), 2021),
    ],
)
def test_financial_year(month, year):
    assert financial_year(month=month) == year


def test_financial_year_label():
    assert financial_year_label(year=2021) == "2021/22"
    assert financial_year_label(year=1999) == "1999/00"  # the century rolls over


@pytest.mark.parametrize(
    ("month", "elapsed"),
    [(date(2021, 4, 1), 1), (date(2021, 12, 1), 9), (date(2022, 2, 1), 11), (date(2022, 3, 1), 12)],
)
def test_months_elapsed(month, elapsed):
    assert months_elapsed(month=month) == elapsed


def test_financial_year_months():
    months = financial_year_months(year=2021)
    assert len(months) == 12
    assert months[0] == date(2021, 4, 1)
    assert months[8] == date(2021, 12, 1)
    assert months[9] == date(2022, 1, 1)
    assert months[-1] == date(2022, 3, 1)


def test_previous_and_same_month_previous_year():
    assert previous_month(month=date(2022, 1, 1)) == date(2021, 12, 1)
    assert previous_month(month=FEB22) == date(2022, 1, 1)
    assert same_month_previous_year(month=FEB22) == date(2021, 2, 1)
    assert add_months(month=date(2021, 11, 1), count=3) == date(2022, 2, 1)
    assert add_months(month=date(2021, 1, 1), count=-13) == date(2019, 12, 1)


# --- Targets and RAG ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "target", "polarity", "expected"),
    [
        # Seed: 51% against <36%, tolerance 5: band 36 × 5% = 1.8; 51 − 36 = 15 > 1.8.
        (51.0, Target(36.0, "<"), "lower", Rag.RED),
        (35.9, Target(36.0, "<"), "lower", Rag.GREEN),
        # A strict bound is missed by its own value: 36 misses "<36" by 0, within 1.8.
        (36.0, Target(36.0, "<"), "lower", Rag.AMBER),
        (37.8, Target(36.0, "<"), "lower", Rag.AMBER),  # missed by 1.8 = the band
        (37.9, Target(36.0, "<"), "lower", Rag.RED),  # missed by 1.9 > 1.8
        (36.0, Target(36.0, "<="), "lower", Rag.GREEN),  # "<=" is met at the target
        # No bound, higher is better: band 23 × 5% = 1.15.
        (23.0, Target(23.0), "higher", Rag.GREEN),
        (21.85, Target(23.0), "higher", Rag.AMBER),  # 23 − 21.85 = 1.15
        (21.8, Target(23.0), "higher", Rag.RED),  # 23 − 21.8 = 1.2
        (23.0, Target(23.0, ">"), "higher", Rag.AMBER),
        (23.0, Target(23.0, ">="), "higher", Rag.GREEN),
        (24.0, Target(23.0), "lower", Rag.AMBER),  # lower is better: 24 − 23 = 1 <= 1.15
        # A bound gives the direction even with no polarity, and outranks the polarity.
        (30.0, Target(36.0, "<"), "none", Rag.GREEN),
        (40.0, Target(36.0, "<"), "none", Rag.RED),
        (30.0, Target(36.0, "<"), "higher", Rag.GREEN),
        # Target 0: the band is 0 wide, so any miss is red.
        (0.0, Target(0.0), "lower", Rag.GREEN),
        (1.0, Target(0.0), "lower", Rag.RED),
        (0.0, Target(0.0, "<"), "lower", Rag.RED),
        # A negative target uses its absolute value: band |−10| × 5% = 0.5.
        (-10.5, Target(-10.0), "higher", Rag.AMBER),
        (-10.6, Target(-10.0), "higher", Rag.RED),
        # Not rated.
        (None, Target(36.0, "<"), "lower", Rag.NONE),  # missing value, never zero
        (51.0, None, "lower", Rag.NONE),  # no target
        (51.0, Target(None), "lower", Rag.NONE),  # target TBC
        (51.0, Target(36.0), "none", Rag.NONE),  # no polarity, no bound
    ],
)
def test_rag(value, target, polarity, expected):
    assert rag(value=value, target=target, polarity=polarity, tolerance=5.0) is expected


def test_rag_with_no_tolerance_makes_every_miss_red():
    assert rag(value=36.1, target=Target(36.0), polarity="lower", tolerance=0) is Rag.RED
    assert rag(value=36.0, target=Target(36.0), polarity="lower", tolerance=0) is Rag.GREEN


def test_rag_rejects_nonsense():
    with pytest.raises(ValueError):
        rag(value=1.0, target=Target(1.0), polarity="lower", tolerance=-1)
    with pytest.raises(ValueError):
        rag(value=1.0, target=Target(1.0), polarity="Lower", tolerance=5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Target(36.0, "=<")  # type: ignore[arg-type]


@given(
    target=st.integers(min_value=-1000, max_value=1000),
    a=st.integers(min_value=-2000, max_value=2000),
    b=st.integers(min_value=-2000, max_value=2000),
    polarity=st.sampled_from(["higher", "lower"]),
)
@settings(max_examples=200, deadline=None)
def test_rag_never_gets_worse_as_the_value_gets_better(target, a, b, polarity):
    order = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}
    worse, better = sorted([a, b]) if polarity == "higher" else sorted([a, b], reverse=True)

    def rate(x):
        return order[
            rag(value=float(x), target=Target(float(target)), polarity=polarity, tolerance=5)
        ]

    assert rate(worse) <= rate(better)


# --- Change -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "previous", "polarity", "expected"),
    [
        (51.0, 43.0, "lower", Direction.WORSENING),  # seed: 43% -> 51%, lower is better
        (43.0, 51.0, "lower", Direction.IMPROVING),
        (51.0, 43.0, "higher", Direction.IMPROVING),
        (43.0, 51.0, "higher", Direction.WORSENING),
        (43.0, 43.0, "higher", Direction.NO_CHANGE),  # a tie
        (43.0, 43.0, "none", Direction.NO_CHANGE),
        (51.0, 43.0, "none", Direction.UP),
        (43.0, 51.0, "none", Direction.DOWN),
        (None, 43.0, "lower", None),  # a gap gives no direction
        (51.0, None, "lower", None),
    ],
)
def test_direction_of_travel(current, previous, polarity, expected):
    assert direction_of_travel(current=current, previous=previous, polarity=polarity) is expected


def test_direction_ignores_float_noise_in_a_tie():
    # 0.3 − 0.2 is 0.09999999999999998 in binary, yet the printed figures are equal.
    assert (
        direction_of_travel(current=0.3 - 0.2, previous=0.1, polarity="higher")
        is Direction.NO_CHANGE
    )


def test_direction_labels_and_arrows():
    assert Direction.IMPROVING.label == "Improving"
    assert Direction.NO_CHANGE == "no change"
    assert [d.arrow for d in Direction] == ["↑", "↓", "→", "↑", "↓"]


def test_pct_change():
    # Seed: (51 − 43) / 43 × 100 = 8 / 43 × 100 = 18.6046…
    assert pct_change(current=51.0, previous=43.0) == pytest.approx(18.6046511)
    # A fall from a negative value: (−5 − −10) / |−10| × 100 = +50.
    assert pct_change(current=-5.0, previous=-10.0) == pytest.approx(50.0)
    assert pct_change(current=5.0, previous=0.0) is None  # no relative change from zero
    assert pct_change(current=None, previous=43.0) is None
    assert pct_change(current=51.0, previous=None) is None


def test_pp_change():
    assert pp_change(current=51.0, previous=43.0) == pytest.approx(8.0)  # 51% − 43%
    assert pp_change(current=43.0, previous=51.0) == pytest.approx(-8.0)
    assert pp_change(current=None, previous=43.0) is None


def test_twelve_month_stats_over_a_full_year():
    # Mar-21 .. Feb-22: 12 months, all present except the absent March.
    stats = twelve_month_stats(series=IFA_SERIES, month=FEB22)
    # 24+25+26+27+28+29+31+30+31+43+51 = 345 over 11 months = 31.3636…
    assert stats.average == pytest.approx(345 / 11)
    assert stats.maximum == 51.0
    assert (stats.months_counted, stats.months_missing) == (11, 1)


def test_twelve_month_stats_skip_gaps_and_look_back_only_twelve_months():
    series = monthly(date(2021, 1, 1), [100.0, 1.0, None, 3.0, None, 5.0] + [None] * 8 + [7.0])
    # Window Apr-21 .. Mar-22: Apr 3, Jun 5, Mar-22 7 present; Jan-21 (100) is too old.
    stats = twelve_month_stats(series=series, month=date(2022, 3, 1))
    assert stats == TwelveMonthStats(average=5.0, maximum=7.0, months_counted=3, months_missing=9)


def test_twelve_month_stats_with_nothing():
    stats = twelve_month_stats(series={FEB22: None}, month=FEB22)
    assert stats == TwelveMonthStats(None, None, 0, 12)


# --- Cumulative year-to-date --------------------------------------------------------------


def test_monthly_increments_of_the_seed_referrals():
    # 71, 170−71=99, 244−170=74, 323−244=79, 386−323=63, 482−386=96, 573−482=91,
    # 663−573=90, 758−663=95, 853−758=95, 896−853=43.
    increments = monthly_increments(series=REFERRALS_SERIES)
    assert list(increments.values()) == [71, 99, 74, 79, 63, 96, 91, 90, 95, 95, 43]
    assert list(increments) == list(REFERRALS_SERIES)


def test_monthly_increments_restart_in_april_and_stop_at_gaps():
    series = {
        date(2021, 2, 1): 800.0,
        date(2021, 3, 1): 900.0,  # 900 − 800 = 100
        date(2021, 4, 1): 71.0,  # April: its own value, not 71 − 900
        date(2021, 5, 1): 170.0,  # 99
        date(2021, 6, 1): None,  # missing: unknown
        date(2021, 7, 1): 300.0,  # previous missing: unknown, not 300 − 0
        date(2021, 8, 1): 350.0,  # 50
        # September is absent from the mapping altogether.
        date(2021, 10, 1): 480.0,  # unknown: no September to subtract
        date(2022, 4, 1): None,  # a missing April is unknown too
        date(2022, 5, 1): 90.0,
    }
    assert monthly_increments(series=series) == {
        date(2021, 2, 1): None,  # nothing before February on record
        date(2021, 3, 1): 100.0,
        date(2021, 4, 1): 71.0,
        date(2021, 5, 1): 99.0,
        date(2021, 6, 1): None,
        date(2021, 7, 1): None,
        date(2021, 8, 1): 50.0,
        date(2021, 10, 1): None,
        date(2022, 4, 1): None,
        date(2022, 5, 1): None,
    }


def test_year_end_forecast():
    # 896 after 11 months: 896 × 12 / 11 = 10752 / 11 = 977.4545…
    assert year_end_forecast(value=896.0, month=FEB22) == pytest.approx(977.454545)
    assert year_end_forecast(value=71.0, month=APR21) == pytest.approx(852.0)  # 71 × 12 / 1
    assert year_end_forecast(value=900.0, month=date(2022, 3, 1)) == pytest.approx(900.0)
    assert year_end_forecast(value=None, month=FEB22) is None


def test_analysis_series():
    assert analysis_series(series=REFERRALS_SERIES, measure_type="cumulative_ytd")[FEB22] == 43
    unordered = {FEB22: 2.0, APR21: 1.0}
    copied = analysis_series(series=unordered, measure_type="snapshot")
    assert list(copied.items()) == [(APR21, 1.0), (FEB22, 2.0)]
    assert copied is not unordered
    with pytest.raises(ValueError):
        analysis_series(series=unordered, measure_type="cumulative")  # type: ignore[arg-type]


# --- SPC ----------------------------------------------------------------------------------


def test_spc_worked_example_with_outlier_screening():
    result = spc(values=WORKED, polarity="lower", target=Target(25.0))
    assert result.mean == pytest.approx(20.0)
    assert result.mean_moving_range == pytest.approx(1.5)
    assert result.moving_ranges_screened == 2
    assert result.upper_limit == pytest.approx(23.99)
    assert result.lower_limit == pytest.approx(16.01)
    assert result.upper_near == pytest.approx(22.66)
    assert result.lower_near == pytest.approx(17.34)
    # 26 > 23.99: outside the limits, high; lower is better, so a concern.
    assert flagged(result) == {7: (RULE_OUTSIDE_LIMITS, "high", "concern")}
    assert result.rules_fired == (RULE_OUTSIDE_LIMITS,)
    # The latest point, 20, is inside everything.
    assert result.variation is Variation.COMMON_CAUSE
    # Target 25, lower is better: 23.99 <= 25 and 16.01 <= 25, both limits pass.
    assert result.assurance is Assurance.CONSISTENTLY_MEETS
    assert result.message == (
        "XmR chart of 15 points. 2 moving ranges of 3.267 × the average or more left out"
        " of the limits."
    )


def test_spc_worked_example_without_screening():
    result = spc(values=WORKED, polarity="lower", target=Target(25.0), screen_outliers=False)
    assert result.mean_moving_range == pytest.approx(34 / 14)
    assert result.moving_ranges_screened == 0
    assert result.upper_limit == pytest.approx(26.46)
    assert result.lower_limit == pytest.approx(13.54)
    assert result.upper_near == pytest.approx(24.306667)
    # 26 < 26.46 and it is the only point beyond a near limit: nothing is flagged.
    assert flagged(result) == {}
    assert result.rules_fired == ()
    # 26.46 > 25 fails, 13.54 <= 25 passes: hit and miss.
    assert result.assurance is Assurance.INCONSISTENT
    assert result.message == "XmR chart of 15 points."


@pytest.mark.parametrize(
    ("target", "polarity", "expected"),
    [
        # Limits 16.01 .. 23.99 of the worked example.
        (Target(30.0), "higher", Assurance.CONSISTENTLY_FAILS),  # both below 30
        (Target(15.0), "higher", Assurance.CONSISTENTLY_MEETS),  # both at or above 15
        (Target(17.0, ">"), "higher", Assurance.INCONSISTENT),  # 16.01 fails, 23.99 passes
        (Target(16.0, "<"), "none", Assurance.CONSISTENTLY_FAILS),  # the bound gives the aim
        (Target(16.0), "none", None),  # no way to tell better from worse
        (Target(None), "lower", None),  # TBC
        (None, "lower", None),
    ],
)
def test_spc_assurance(target, polarity, expected):
    assert spc(values=WORKED, polarity=polarity, target=target).assurance is expected


def test_spc_screens_a_range_of_exactly_3267_times_the_mean():
    # Ranges 811 ×6, 3267, 811 ×5, 812: sum 4866 + 3267 + 4055 + 812 = 13000 over 13,
    # mean 1000, cut 3.267 × 1000 = 3267: the range of 3267 is "≥ the cut", so it goes.
    # Screened mean = (13000 − 3267) / 12 = 9733 / 12 = 811.083.
    values = [10000, 10811, 10000, 10811, 10000, 10811, 10000]
    values += [13267, 12456, 13267, 12456, 13267, 12456, 13268]
    result = spc(values=values, polarity="higher")
    assert result.moving_ranges_screened == 1
    assert result.mean_moving_range == pytest.approx(9733 / 12)


def test_spc_trend_of_seven():
    # Mean 163/13 = 12.54; MR (6×4 + 6×1)/12 = 2.5, none ≥ 3.267 × 2.5 = 8.17;
    # limits 12.54 ± 6.65, near 12.54 ± 4.43 (8.11 .. 16.97): all values 10..16 inside.
    # Above the mean the longest run is 4 (13..16), below it 3 (10, 11, 12): no shift.
    # 10, 11, 12, 13, 14, 15, 16 (points 6..12): each higher than the one before.
    values = [10, 14, 10, 14, 10, 14, 10, 11, 12, 13, 14, 15, 16]
    result = spc(values=values, polarity="higher")
    assert result.mean == pytest.approx(163 / 13)
    assert result.upper_limit == pytest.approx(163 / 13 + 6.65)
    assert flagged(result) == {i: (RULE_TREND, "high", "improvement") for i in range(6, 13)}
    assert result.variation is Variation.IMPROVEMENT_HIGH


def test_spc_trend_length_is_configurable():
    # 12, then 11, 12, 13, 14, 15, 16: only six points rise in a row (points 7..12).
    values = [10, 14, 10, 14, 10, 14, 12, 11, 12, 13, 14, 15, 16]
    assert spc(values=values, polarity="higher").rules_fired == ()
    six = spc(values=values, polarity="higher", run_length=6)
    assert flagged(six) == {i: (RULE_TREND, "high", "improvement") for i in range(7, 13)}


def test_spc_tie_breaks_a_trend():
    # 10, 11, 12, 12, 13, 14, 15: the repeated 12 is not "higher than the previous".
    values = [10, 14, 10, 14, 10, 14, 10, 11, 12, 12, 13, 14, 15]
    assert spc(values=values, polarity="higher").rules_fired == ()


def test_spc_falling_trend_is_low():
    values = [16, 12, 16, 12, 16, 12, 16, 15, 14, 13, 12, 11, 10]  # the trend test upside down
    result = spc(values=values, polarity="lower")
    assert flagged(result) == {i: (RULE_TREND, "low", "improvement") for i in range(6, 13)}
    assert result.variation is Variation.IMPROVEMENT_LOW


def test_spc_shift():
    # Mean 154/13 = 11.846. MR (5×2 + 7×1)/12 = 17/12 = 1.417; limits 11.846 ± 3.768,
    # near 11.846 ± 2.512 (9.33 .. 14.36): nothing beyond. No trend (it zigzags).
    # Points 5..12 (12, 13, 12, 13, 12, 13, 12, 13) are all above the mean: a shift of 8.
    values = [10, 12, 10, 12, 10, 12, 13, 12, 13, 12, 13, 12, 13]
    result = spc(values=values, polarity="lower")
    assert result.mean == pytest.approx(154 / 13)
    assert result.mean_moving_range == pytest.approx(17 / 12)
    assert flagged(result) == {i: (RULE_SHIFT, "high", "concern") for i in range(5, 13)}
    assert result.variation is Variation.CONCERN_HIGH
    # With no polarity the same signal is neutral.
    neutral = spc(values=values, polarity="none")
    assert neutral.points[-1].meaning == "neutral"
    assert neutral.variation is Variation.NEUTRAL_HIGH


def test_spc_point_on_the_mean_breaks_a_shift():
    # Sum 43 + 100 = 143, mean 143/13 = 11 exactly. Points 5..12 would be eight above
    # the mean, but point 8 is 11, on the mean: runs of 3 and 4, no shift.
    values = [8, 9, 8, 10, 8, 12, 14, 12, 11, 12, 14, 12, 13]
    result = spc(values=values, polarity="higher")
    assert result.mean == 11.0
    assert RULE_SHIFT not in result.rules_fired
    # Control: with 14 instead of 11, the mean is 146/13 = 11.23 and all eight are above.
    values[8] = 14
    control = spc(values=values, polarity="higher")
    assert flagged(control) == {i: (RULE_SHIFT, "high", "improvement") for i in range(5, 13)}


def test_spc_two_of_three_near_the_limit():
    # Sum 112 + 25 = 137, mean 137/13 = 10.538. Ranges: nine of 1, then 0, 1.5 and 0:
    # 10.5/12 = 0.875 (1.5 < 3.267 × 0.875 = 2.86, kept). Upper near limit
    # 10.538 + 2/3 × 2.66 × 0.875 = 12.090, upper limit 12.866: the last two points (12.5)
    # are beyond the near limit but inside the process limit, and the 11 before them is
    # above the mean, so all three are on the same side of it.
    values = [10, 11, 10, 9, 10, 11, 10, 9, 10, 11, 11, 12.5, 12.5]
    result = spc(values=values, polarity="higher")
    assert result.upper_near == pytest.approx(137 / 13 + 2 / 3 * 2.66 * 10.5 / 12)
    assert flagged(result) == {
        11: (RULE_TWO_OF_THREE, "high", "improvement"),
        12: (RULE_TWO_OF_THREE, "high", "improvement"),
    }
    assert result.variation is Variation.IMPROVEMENT_HIGH


def test_spc_two_of_three_with_one_point_between():
    # Sum 101 + 13 + 12 + 13 = 139, mean 139/13 = 10.692. Ranges: nine of 1, then 2, 1, 1:
    # 13/12 = 1.0833. Upper near limit 10.692 + 2/3 × 2.66 × 1.0833 = 12.613, upper limit
    # 13.574. The window 13, 12, 13 has two points beyond: those two are flagged, not 12.
    values = [10, 11, 10, 9, 10, 11, 10, 9, 10, 11, 13, 12, 13]
    result = spc(values=values, polarity="lower")
    assert result.upper_near == pytest.approx(139 / 13 + 2 / 3 * 2.66 * 13 / 12)
    assert flagged(result) == {
        10: (RULE_TWO_OF_THREE, "high", "concern"),
        12: (RULE_TWO_OF_THREE, "high", "concern"),
    }


def test_spc_improvement_wins_over_concern_and_rules_keep_their_priority():
    # Sum 164 + 45 + 22 = 231, mean 231/15 = 15.4. Ranges: seven of 1, 16, five of 1, 12:
    # mean 40/14 = 2.857, cut 9.33 drops 16 and 12, leaving 12/12 = 1.
    # Limits 15.4 ± 2.66 (12.74 .. 18.06): 20s and 21s above, 5..10 below, 22 above.
    # Points 8..14 (5, 6, 7, 8, 9, 10, 22) rise seven times in a row.
    values = [20, 21, 20, 21, 20, 21, 20, 21, 5, 6, 7, 8, 9, 10, 22]
    higher = spc(values=values, polarity="higher")
    assert higher.upper_limit == pytest.approx(18.06)
    # Higher is better: 5..10 are below the lower limit (concern) but part of a rising
    # trend (improvement): the improvement wins, though "outside limits" ranks first.
    assert flagged(higher)[8] == (RULE_TREND, "high", "improvement")
    assert flagged(higher)[0] == (RULE_OUTSIDE_LIMITS, "high", "improvement")
    assert flagged(higher)[14] == (RULE_OUTSIDE_LIMITS, "high", "improvement")
    # Lower is better: below the lower limit is itself the improvement, and ranks first.
    lower = spc(values=values, polarity="lower")
    assert flagged(lower)[8] == (RULE_OUTSIDE_LIMITS, "low", "improvement")
    assert flagged(lower)[14] == (RULE_OUTSIDE_LIMITS, "high", "concern")
    assert lower.variation is Variation.CONCERN_HIGH
    # Every rule's condition is met somewhere (the 20s/21s: two of three beyond the near
    # limit and eight above the mean), listed in priority order.
    assert lower.rules_fired == (RULE_OUTSIDE_LIMITS, RULE_TREND, RULE_TWO_OF_THREE, RULE_SHIFT)


def test_spc_too_few_points_the_seed():
    # Trial limits start at 6 points (issue 12): the seed's first five months are too few.
    result = spc(values=IFA_VALUES[:5], polarity="lower", target=IFA_TARGET)
    assert result.message == "SPC needs at least 6 points; there are 5."
    assert (result.mean, result.upper_limit, result.lower_limit) == (None, None, None)
    assert (result.variation, result.assurance, result.rules_fired) == (None, None, ())
    assert [p.rule for p in result.points] == [None] * 5
    assert result.points[-1] == SpcPoint(4, 28.0)


def test_spc_gaps_are_left_out_not_zero():
    # 7 values, 2 of them missing: 5 usable points (1 .. 5, sum 15), too few.
    values = [1.0, None, 2.0, 3.0, None, 4.0, 5.0]
    result = spc(values=values, polarity="higher")
    assert result.message == (
        "SPC needs at least 6 points; there are 5. 2 missing values were left out."
    )
    assert result.missing == 2
    assert [p.index for p in result.points][:3] == [0, 2, 3]  # indexes keep their months
    assert spc(values=values, polarity="higher", min_points=5).mean == pytest.approx(15 / 5)


def test_spc_moving_ranges_join_the_points_either_side_of_a_gap():
    # With the 26 missing, the ranges are … 2 (20→18), |18 − 18| = 0 …: no outlier at all.
    values = [float(v) for v in WORKED]
    values[7] = None
    result = spc(values=values, polarity="lower")
    # Ranges 2 1 1 1 1 2 0 2 2 2 1 2 1: sum 18 over 13; mean (300 − 26)/14 = 19.571.
    assert result.mean_moving_range == pytest.approx(18 / 13)
    assert result.mean == pytest.approx(274 / 14)
    assert result.moving_ranges_screened == 0
    assert result.missing == 1


def test_spc_screening_never_leaves_a_mean_range_of_zero():
    # 5 ×7, 9, 5 ×7: ranges 0 … 4, 4 … 0, mean 8/14 = 0.571, cut 1.87. Screening the two 4s
    # would leave 0 and limits on the mean; the unscreened range is kept instead.
    # Mean 79/15 = 5.267, limits 5.267 ± 2.66 × 0.571 = 3.75 .. 6.79: 9 is outside.
    result = spc(values=[5] * 7 + [9] + [5] * 7, polarity="lower")
    assert result.mean_moving_range == pytest.approx(8 / 14)
    assert result.moving_ranges_screened == 0
    assert result.upper_limit == pytest.approx(79 / 15 + 2.66 * 8 / 14)
    assert flagged(result)[7] == (RULE_OUTSIDE_LIMITS, "high", "concern")


def test_spc_flat_series():
    # All ranges 0: the limits collapse onto the mean; nothing is above or below it.
    result = spc(values=[5.0] * 13, polarity="higher")
    assert (result.lower_limit, result.mean, result.upper_limit) == (5.0, 5.0, 5.0)
    assert result.rules_fired == ()
    assert result.variation is Variation.COMMON_CAUSE


@given(
    values=st.lists(st.integers(min_value=0, max_value=50), min_size=13, max_size=30),
    gaps=st.lists(st.integers(min_value=0, max_value=40), max_size=5),
)
@settings(max_examples=100, deadline=None)
def test_spc_is_unchanged_by_gaps_except_for_indexes(values, gaps):
    with_gaps: list = [float(v) for v in values]
    for position in sorted(gaps, reverse=True):
        with_gaps.insert(min(position, len(with_gaps)), None)
    plain = spc(values=[float(v) for v in values], polarity="higher")
    gapped = spc(values=with_gaps, polarity="higher")
    assert (gapped.mean, gapped.upper_limit, gapped.lower_limit) == (
        plain.mean,
        plain.upper_limit,
        plain.lower_limit,
    )
    assert [p[1:] for p in gapped.points] == [p[1:] for p in plain.points]
    assert gapped.missing == len(gaps)
    present = [i for i, v in enumerate(with_gaps) if v is not None]
    again = spc(values=with_gaps, polarity="higher")
    with_gaps.append(None)  # the caller reusing its list must not move the points
    assert again.points[-1].index == present[-1]  # the latest, found on its own
    assert [p.index for p in gapped.points] == present


def test_spc_points_read_like_a_tuple():
    points = spc(values=WORKED, polarity="lower").points
    assert len(points) == 15
    assert points[7] == SpcPoint(7, 26.0, RULE_OUTSIDE_LIMITS, "high", "concern")
    assert points[-1] == SpcPoint(14, 20.0)  # common cause: no rule, side or meaning
    assert points[6:8] == (SpcPoint(6, 18.0), points[7])
    assert tuple(points)[0] == points[0] and points == tuple(points)
    with pytest.raises(IndexError):
        points[15]


def test_variation_and_assurance_labels():
    assert Variation.CONCERN_HIGH.label == "Special cause of concern (high)"
    assert Variation.COMMON_CAUSE.label == "Common cause variation"
    assert Assurance.CONSISTENTLY_MEETS.label == "Consistently passes the target"
    assert Assurance.CONSISTENTLY_FAILS.label == "Consistently fails the target"
    assert Assurance.INCONSISTENT.label == (
        "Hit and miss: the target lies within the process limits"
    )
    assert [r.label for r in Rag] == ["Red", "Amber", "Green", "Not rated"]


# --- Benchmarks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "benchmark", "polarity", "bound", "expected"),
    [
        (51.0, 36.0, "lower", "", "worse"),
        (30.0, 36.0, "lower", "", "better"),
        (51.0, 36.0, "higher", "", "better"),
        (36.0, 36.0, "lower", "", "same"),
        (51.0, 36.0, "none", "<", "worse"),  # the target's bound says lower is better
        (51.0, 36.0, "none", "", None),
        (None, 36.0, "lower", "", None),
        (51.0, None, "lower", "", None),  # N/A benchmark
    ],
)
def test_benchmark_position(value, benchmark, polarity, bound, expected):
    position = benchmark_position(value=value, benchmark=benchmark, polarity=polarity, bound=bound)
    assert position == expected


# --- Formatting ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "outturn_type", "decimals", "expected"),
    [
        (51.0, "percentage", 0, "51%"),
        (896.0, "rate", 0, "896"),
        (1828.0, "number", 0, "1,828"),
        (1234567.891, "number", 2, "1,234,567.89"),
        (977.4545, "rate", 1, "977.5"),
        (12.5, "percentage", 0, "13%"),  # halves round up, as in Excel
        (2.675, "number", 2, "2.68"),  # 2.675 is 2.67499… in binary
        (-2.5, "number", 0, "-3"),
        (-0.4, "number", 0, "0"),  # never "-0"
        (0.0, "percentage", 1, "0.0%"),
        (None, "percentage", 0, ""),
    ],
)
def test_format_value(value, outturn_type, decimals, expected):
    assert format_value(value=value, outturn_type=outturn_type, decimals=decimals) == expected


def test_format_target():
    assert format_target(target=Target(36.0, "<"), outturn_type="percentage") == "<36%"
    assert format_target(target=Target(23.0), outturn_type="percentage") == "23%"
    assert format_target(target=Target(5.5, ">="), outturn_type="rate", decimals=1) == ">=5.5"
    assert format_target(target=Target(None), outturn_type="percentage") == "TBC"
    assert format_target(target=None, outturn_type="number") == "TBC"


def test_sparkline_points():
    # 4 values over width 30: x = 0, 10, 20, 30. Lowest 0 at y = 10 (the bottom), highest
    # 10 at y = 0; 5 at 10 − 5/10 × 10 = 5. The gap splits the line in two.
    assert sparkline_points(values=[0.0, 10.0, None, 5.0], width=30, height=10) == [
        "0,10 10,0",
        "30,5",
    ]
    assert sparkline_points(values=[3.0, 3.0], width=10, height=4) == ["0,2 10,2"]  # flat
    assert sparkline_points(values=[7.0], width=10, height=4) == ["5,2"]
    assert sparkline_points(values=[None, None], width=10, height=4) == []
    # x = 0, 33.33, 66.67, 100; y = 20 − (v − 1)/3 × 20.
    assert sparkline_points(values=[1.0, 2.0, 3.0, 4.0], width=100, height=20) == [
        "0,20 33.33,13.33 66.67,6.67 100,0"
    ]


# --- Verdict ------------------------------------------------------------------------------


def _verdict(**overrides):
    parts = {
        "month": FEB22,
        "value": 51.0,
        "outturn_type": "percentage",
        "decimals": 0,
        "rag": Rag.RED,
        "target": IFA_TARGET,
    }
    parts.update(overrides)
    return verdict(**parts)


@pytest.mark.parametrize(
    ("target", "rating", "opening"),
    [
        (Target(36.0, "<"), Rag.RED, "Red: 51% against a target below 36%."),
        (Target(51.0, "<="), Rag.GREEN, "Green: 51% against a target at or below 51%."),
        (Target(51.0, ">"), Rag.AMBER, "Amber: 51% against a target above 51%."),
        (Target(50.0, ">="), Rag.GREEN, "Green: 51% against a target at or above 50%."),
        (Target(23.0), Rag.GREEN, "Green: 51% against a target of 23%."),
        (None, Rag.NONE, "Not rated: 51%. No target is set."),
        (Target(None), Rag.NONE, "Not rated: 51%. The target is to be confirmed (TBC)."),
        (
            Target(36.0),
            Rag.NONE,
            "Not rated: 51% against a target of 36%, but the indicator has no polarity.",
        ),
    ],
)
def test_verdict_opening(target, rating, opening):
    assert _verdict(target=target, rag=rating) == opening


def test_verdict_for_a_missing_value():
    assert _verdict(value=None, rag=Rag.NONE) == "No value is reported for February 2022."


def test_verdict_for_a_cumulative_measure():
    text = _verdict(
        value=896.0,
        outturn_type="rate",
        measure_type="cumulative_ytd",
        forecast=896 * 12 / 11,
        target=Target(900.0),
        rag=Rag.RED,
    )
    assert text == "Red: 896 so far this year (forecast year end 977) against a target of 900."


def test_verdict_spc_sentences():
    def spc_sentence(values, polarity):
        result = spc(values=values, polarity=polarity)
        return _verdict(target=None, rag=Rag.NONE, spc=result).split("No target is set. ")[1]

    assert spc_sentence(WORKED, "lower") == "Variation is common cause."
    assert spc_sentence(IFA_VALUES[:4], "lower") == "SPC needs at least 6 points; there are 4."
    # The seed's 11 months give trial limits (worked in test_spc_rules.py).
    assert spc_sentence(IFA_VALUES, "lower") == (
        "This month is above the upper process limit (concern). The limits are trial limits"
        " from 11 points."
    )
    trend = [10, 14, 10, 14, 10, 14, 10, 11, 12, 13, 14, 15, 16]
    assert spc_sentence(trend, "lower") == "The last 7 months are a rising trend (concern)."
    shift = [10, 12, 10, 12, 10, 12, 13, 12, 13, 12, 13, 12, 13]
    assert spc_sentence(shift, "none") == "The last 8 months are a run above the mean."
    near = [10, 11, 10, 9, 10, 11, 10, 9, 10, 11, 11, 12.5, 12.5]
    assert spc_sentence(near, "higher") == (
        "Two of the last three months are near or beyond the upper process limit (improvement)."
    )
    outside = [*WORKED[:-1], 10]  # the last point far below the limits
    assert spc_sentence(outside, "lower") == (
        "This month is below the lower process limit (improvement)."
    )


def test_verdict_benchmarks():
    comparisons = [
        BenchmarkComparison("statistical neighbours", 2020, 36.0, "worse"),
        BenchmarkComparison("South East", 2020, 60.0, "better"),
        BenchmarkComparison("England", 2020, 36.0, "worse"),
        BenchmarkComparison("Southampton", 2020, None, None),
        BenchmarkComparison("Nearby", 2020, 51.0, "same"),
    ]
    assert _verdict(benchmark_positions=comparisons) == (
        "Red: 51% against a target below 36%. Worse than statistical neighbours (36%) and"
        " England (36%); better than South East (60%); the same as Nearby (51%)."
    )


# --- analyse ------------------------------------------------------------------------------


def ifa(**overrides) -> IndicatorInput:
    fields = {
        "name": "Percentage of CLA placed with IFAs at end of period",
        "outturn_type": "percentage",
        "measure_type": "snapshot",
        "polarity": "lower",
        "decimals": 0,
        "tolerance": 5.0,
        "series": IFA_SERIES,
        "targets": {2021: IFA_TARGET},
        "benchmarks": IFA_BENCHMARKS,
    }
    fields.update(overrides)
    return IndicatorInput(**fields)


def test_analyse_the_seed_ifa_indicator():
    stats = analyse(indicator=ifa(), month=FEB22)
    assert stats.latest == 51.0
    assert stats.target == IFA_TARGET
    assert stats.rag is Rag.RED  # 51 − 36 = 15 > 1.8
    assert stats.dot is Direction.WORSENING  # 43 -> 51, lower is better
    assert stats.pct_change_prev_month == pytest.approx(8 / 43 * 100)  # 18.6
    assert stats.pct_change_same_month_prev_year is None  # no Feb-21 on record
    assert stats.pp_change_prev_month == pytest.approx(8.0)
    assert stats.avg_12m == pytest.approx(345 / 11)
    assert stats.max_12m == 51.0
    assert stats.months_missing_12m == 1  # Mar-21
    assert stats.forecast is None
    assert stats.spc.message == (
        "XmR chart of 11 points. The limits are trial limits from 11 points: firm limits and"
        " assurance need 13. 1 moving range of 3.267 × the average or more left out of the"
        " limits."
    )
    assert stats.spc_first_month == APR21
    # Southampton's latest year, 2020/21, is N/A; 51 is worse than 36, 38 and 36.
    assert stats.benchmark_positions == (
        ("Southampton", 2020, None, None),
        ("statistical neighbours", 2020, 36.0, "worse"),
        ("South East", 2020, 38.0, "worse"),
        ("England", 2020, 36.0, "worse"),
    )
    assert stats.verdict == (
        "Red: 51% against a target below 36%. This month is above the upper process limit"
        " (concern). The limits are trial limits from 11 points. There is no assurance"
        " against the target until there are 13 points. Worse than statistical neighbours"
        " (36%), South East (38%) and England (36%)."
    )


def test_analyse_to_dict_is_json_ready():
    data = analyse(indicator=ifa(), month=FEB22).to_dict()
    assert data == {
        "month": "2022-02",
        "latest": 51.0,
        "rag": "red",
        "dot": "worsening",
        "pct_change_prev_month": 18.6,  # 18.6046… to one decimal
        "pct_change_same_month_prev_year": None,
        "pp_change_prev_month": 8.0,
        "avg_12m": 31.36,  # 31.3636… to decimals + 2
        "max_12m": 51.0,
        "forecast": None,
        "change_basis": "Worsening since January 2022 (51% vs 43%)",
        "spc": {
            # Worked in test_spc_rules.py: mean 345/11, limits 31.36 ± 2.66 × 17/9.
            "variation": "concern_high",
            "assurance": None,
            "rules": ["outside limits", "trend", "two of three near limit", "shift"],
            "mean": 31.36,
            "upper_limit": 36.39,
            "lower_limit": 26.34,
            "trial": True,
            "segments": [
                {
                    "from": "2021-04",
                    "to": "2022-02",
                    "rebased": False,
                    "baseline_to": None,
                    "mean": 31.36,
                    "upper_limit": 36.39,
                    "lower_limit": 26.34,
                    "trial": True,
                }
            ],
            "message": (
                "XmR chart of 11 points. The limits are trial limits from 11 points: firm"
                " limits and assurance need 13. 1 moving range of 3.267 × the average or more"
                " left out of the limits."
            ),
        },
        "verdict": (
            "Red: 51% against a target below 36%. This month is above the upper process limit"
            " (concern). The limits are trial limits from 11 points. There is no assurance"
            " against the target until there are 13 points. Worse than statistical neighbours"
            " (36%), South East (38%) and England (36%)."
        ),
    }
    assert type(data["rag"]) is str and type(data["dot"]) is str
    json.dumps(data)


def test_analyse_an_earlier_month_and_a_missing_month():
    stats = analyse(indicator=ifa(), month=date(2021, 12, 1))
    assert stats.latest == 31.0
    assert stats.rag is Rag.GREEN  # 31 < 36
    assert stats.dot is Direction.WORSENING  # 30 -> 31
    assert stats.pp_change_prev_month == pytest.approx(1.0)
    # March 2022 is not reported: nothing is rated and nothing is compared.
    march = analyse(indicator=ifa(), month=date(2022, 3, 1))
    assert (march.latest, march.rag, march.dot, march.pct_change_prev_month) == (
        None,
        Rag.NONE,
        None,
        None,
    )
    assert all(position is None for *_, position in march.benchmark_positions)
    assert march.verdict == "No value is reported for March 2022."
    assert march.spc.missing == 1  # the month itself, kept as a gap


def test_analyse_uses_the_target_of_the_months_financial_year():
    indicator = ifa(targets={2020: Target(20.0, "<"), 2021: IFA_TARGET})
    assert analyse(indicator=indicator, month=date(2021, 4, 1)).target == IFA_TARGET
    indicator = ifa(targets={2020: Target(20.0, "<")})
    assert analyse(indicator=indicator, month=FEB22).rag is Rag.NONE  # no 2021/22 target


def test_analyse_ignores_benchmarks_from_later_years():
    benchmarks = (Benchmark("England", 2020, 36.0), Benchmark("England", 2022, 60.0))
    stats = analyse(indicator=ifa(benchmarks=benchmarks), month=FEB22)  # 2021/22
    assert stats.benchmark_positions == (("England", 2020, 36.0, "worse"),)


def test_analyse_the_seed_referrals_cumulative_indicator():
    indicator = IndicatorInput(
        name="Rates of referrals per 10,000 of Under 18 Population",
        outturn_type="rate",
        measure_type="cumulative_ytd",
        polarity="none",
        decimals=0,
        tolerance=5.0,
        series=REFERRALS_SERIES,
        targets={2021: Target(None)},  # TBC in the seed
        benchmarks=REFERRALS_BENCHMARKS,
    )
    stats = analyse(indicator=indicator, month=FEB22)
    assert stats.latest == 896.0
    assert stats.forecast == pytest.approx(896 * 12 / 11)  # 977.45
    assert stats.rag is Rag.NONE
    # Increments: February 43 after January 95; no polarity, so just down.
    assert stats.dot is Direction.DOWN
    assert stats.pct_change_prev_month == pytest.approx((43 - 95) / 95 * 100)  # −54.7
    assert stats.pp_change_prev_month is None  # a rate, not a percentage
    # The increments add back up to 896 over the 11 months: average 896/11 = 81.45;
    # the largest is May's 99.
    assert stats.avg_12m == pytest.approx(896 / 11)
    assert stats.max_12m == 99.0
    assert [p.value for p in stats.spc.points] == [71, 99, 74, 79, 63, 96, 91, 90, 95, 95, 43]
    assert all(position is None for *_, position in stats.benchmark_positions)
    assert stats.verdict == (
        "Not rated: 896 so far this year (forecast year end 977). The target is to be confirmed"
        " (TBC). Down on the monthly increase (43 vs 95); year to date 896."
        " Variation is common cause. The limits are trial limits from 11 points."
    )


def test_analyse_rates_a_cumulative_measure_by_its_forecast():
    indicator = IndicatorInput(
        name="Referrals",
        outturn_type="rate",
        measure_type="cumulative_ytd",
        polarity="lower",
        decimals=0,
        tolerance=5.0,
        series=REFERRALS_SERIES,
        targets={2021: Target(900.0)},
        benchmarks=REFERRALS_BENCHMARKS,
    )
    stats = analyse(indicator=indicator, month=FEB22)
    # Forecast 977.45 − 900 = 77.45 > band 900 × 5% = 45: red (896 alone would be green).
    assert stats.rag is Rag.RED
    assert stats.dot is Direction.IMPROVING  # increments 95 -> 43, lower is better
    # Each comparator at its latest year (Southampton 2020/21: 790, not 944), and the
    # forecast 977.45 is above all four: worse, lower being better.
    assert [c.position for c in stats.benchmark_positions] == ["worse"] * 4
    assert stats.benchmark_positions[0] == ("Southampton", 2020, 790.0, "worse")
    assert stats.verdict.startswith(
        "Red: 896 so far this year (forecast year end 977) against a target of 900."
    )


def test_analyse_cumulative_assurance_uses_a_twelfth_of_the_annual_target():
    # Two years of 78, 82, 78, 82 … a month: year to date 78, 160, 238, 320 …
    increments = [78.0, 82.0] * 12
    series = {}
    total = 0.0
    for month, increment in monthly(APR21, increments).items():
        total = increment if month.month == 4 else total + increment
        series[month] = total
    assert series[date(2022, 3, 1)] == 960.0 and series[date(2022, 4, 1)] == 78.0

    def assurance(target):
        indicator = IndicatorInput(
            name="Referrals",
            outturn_type="rate",
            measure_type="cumulative_ytd",
            polarity="lower",
            decimals=0,
            tolerance=5.0,
            series=series,
            targets={2022: target},
        )
        return analyse(indicator=indicator, month=date(2023, 3, 1)).spc

    # Monthly mean 80, ranges all 4: limits 80 ± 2.66 × 4 = 69.36 .. 90.64.
    chart = assurance(Target(900.0))
    assert (chart.lower_limit, chart.upper_limit) == (pytest.approx(69.36), pytest.approx(90.64))
    # 900 a year is 75 a month: within the limits.
    assert chart.assurance is Assurance.INCONSISTENT
    # 1,200 a year is 100 a month: both limits are below it.
    assert assurance(Target(1200.0, "<=")).assurance is Assurance.CONSISTENTLY_MEETS
    # 600 a year is 50 a month: both limits are above it.
    assert assurance(Target(600.0)).assurance is Assurance.CONSISTENTLY_FAILS


def test_analyse_cumulative_with_gaps():
    # Apr 71, May 170, Jun missing, Jul 323, Aug absent, Sep 482, then Oct 573.
    series = monthly(APR21, [71.0, 170.0, None, 323.0, 386.0, 482.0, 573.0])
    del series[date(2021, 8, 1)]
    indicator = IndicatorInput(
        name="Referrals",
        outturn_type="rate",
        measure_type="cumulative_ytd",
        polarity="lower",
        decimals=0,
        tolerance=5.0,
        series=series,
    )
    stats = analyse(indicator=indicator, month=date(2021, 10, 1))
    # Increments: Apr 71, May 99, Jun ?, Jul ? (Jun unknown), Aug ?, Sep ? (Aug absent),
    # Oct 573 − 482 = 91. Only three points; the rest are gaps, not zeros.
    assert [(p.index, p.value) for p in stats.spc.points] == [(0, 71.0), (1, 99.0), (6, 91.0)]
    assert stats.spc.missing == 4
    assert stats.dot is None  # September's increment is unknown
    assert stats.forecast == pytest.approx(573 * 12 / 7)
    # The same figures as monthly_increments gives for the mapping itself.
    assert [v for v in monthly_increments(series=series).values() if v is not None] == [
        71.0,
        99.0,
        91.0,
    ]
    # September: 482 so far, but its increment is unknown, so there is no point to chart.
    september = analyse(indicator=indicator, month=date(2021, 9, 1))
    assert september.latest == 482.0
    assert september.dot is None
    text = verdict(
        month=date(2021, 9, 1),
        value=482.0,
        outturn_type="rate",
        decimals=0,
        rag=Rag.NONE,
        target=None,
        spc=spc(values=[float(v) for v in range(13)] + [None], polarity="lower"),
    )
    assert text == (
        "Not rated: 482. No target is set. This month has no point on the SPC chart, as a"
        " figure it needs is missing."
    )


def test_analyse_full_verdict_with_spc_assurance_and_benchmarks():
    # The shift series, Apr-21 .. Apr-22, lower is better, target below 8%.
    values = [10.0, 12.0, 10.0, 12.0, 10.0, 12.0, 13.0, 12.0, 13.0, 12.0, 13.0, 12.0, 13.0]
    indicator = ifa(
        series=monthly(APR21, values),
        targets={2022: Target(8.0, "<")},
        benchmarks=(
            Benchmark("statistical neighbours", 2022, 13.0),
            Benchmark("South East", 2022, 15.0),
            Benchmark("England", 2022, 10.0),
        ),
    )
    stats = analyse(indicator=indicator, month=date(2022, 4, 1))
    # 13 − 8 = 5 > 8 × 5% = 0.4: red. Limits 11.846 ± 3.768 = 8.08 .. 15.61 are both
    # above 8, so neither meets "<8": consistently fails.
    assert stats.rag is Rag.RED
    assert stats.spc.assurance is Assurance.CONSISTENTLY_FAILS
    assert stats.verdict == (
        "Red: 13% against a target below 8%. The last 8 months are a run above the mean"
        " (concern). The target lies outside the process limits, so it will not be met"
        " without a change in the system. Worse than England (10%); better than South East"
        " (15%); the same as statistical neighbours (13%)."
    )
    data = stats.to_dict()
    assert data["spc"]["variation"] == "concern_high"
    assert data["spc"]["assurance"] == "consistently_fails"
    assert data["spc"]["rules"] == ["shift"]
    assert data["spc"]["mean"] == 11.85  # 154/13 = 11.846…
    assert data["dot"] == "worsening"  # 12 -> 13


def test_analyse_counts_absent_months_as_gaps():
    values = [float(v) for v in WORKED]
    series = monthly(APR21, values)
    del series[date(2021, 6, 1)]  # absent altogether
    series[date(2021, 8, 1)] = None  # reported as missing
    stats = analyse(indicator=ifa(series=series, targets={}), month=date(2022, 6, 1))
    assert stats.spc.missing == 2
    assert len(stats.spc.points) == 13
    assert stats.spc.points[2].index == 3  # July 2021 is three months after April


def test_analyse_rejects_a_day_other_than_the_first():
    with pytest.raises(ValueError):
        analyse(indicator=ifa(), month=date(2022, 2, 28))


def test_indicator_input_rejects_unknown_choices():
    with pytest.raises(ValueError):
        ifa(polarity="up")
    with pytest.raises(ValueError):
        ifa(measure_type="monthly")
    with pytest.raises(ValueError):
        ifa(outturn_type="percent")


# --- What a change compares -----------------------------------------------------------------


def test_change_basis_of_a_cumulative_measure_names_the_monthly_increases():
    """567 then 612 year to date, after a month of 60: the direction compares 45 with 60."""
    from indicators.rules.change import change_basis

    kwargs = {"month": date(2022, 2, 1), "outturn_type": "number", "decimals": 0}
    assert (
        change_basis(
            dot=Direction.DOWN,
            current=45,
            previous=60,
            latest=612,
            measure_type="cumulative_ytd",
            **kwargs,
        )
        == "Down on the monthly increase (45 vs 60); year to date 612"
    )
    assert (
        change_basis(
            dot=Direction.WORSENING,
            current=51,
            previous=43,
            latest=51,
            measure_type="snapshot",
            **{**kwargs, "outturn_type": "percentage"},
        )
        == "Worsening since January 2022 (51% vs 43%)"
    )
    assert (
        change_basis(
            dot=None, current=None, previous=1, latest=1, measure_type="snapshot", **kwargs
        )
        == ""
    )


def test_the_verdict_of_a_cumulative_measure_says_what_its_direction_compares():
    series = {date(2021, 4, 1): 300.0, date(2021, 5, 1): 360.0, date(2021, 6, 1): 405.0}
    stats = analyse(
        indicator=IndicatorInput(
            name="Referrals",
            outturn_type="number",
            measure_type="cumulative_ytd",
            polarity="none",
            decimals=0,
            tolerance=5,
            series=series,
            targets={2021: Target(1500.0)},
        ),
        month=date(2021, 6, 1),
    )
    assert stats.change_basis == "Down on the monthly increase (45 vs 60); year to date 405"
    assert "Down on the monthly increase (45 vs 60); year to date 405." in stats.verdict
    assert stats.to_dict()["change_basis"] == stats.change_basis
