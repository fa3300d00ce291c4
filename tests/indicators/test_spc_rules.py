"""Unit tests of the SPC rules as "Making Data Count" states them: the same-side condition of
"two of three", trial limits, baselines, rebasing and the run length. No database; every
figure is worked out by hand in the comments.
"""

import pytest

from indicators.analysis import RULE_TWO_OF_THREE, spc


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
