"""A month's RAG, once: the amber band's precedence and the cumulative measure's forecast."""

from datetime import date

import pytest

from indicators.rules.rag import Rag, amber_tolerance, rate_month
from indicators.rules.vocabulary import Target


@pytest.mark.parametrize(
    ("target_tolerance", "indicator_tolerance", "expected"),
    [(None, None, 5.0), (None, 10.0, 10.0), (2.0, 10.0, 2.0), (0.0, 10.0, 0.0), (None, 0.0, 0.0)],
)
def test_the_years_band_outranks_the_indicators_which_outranks_the_panels(
    target_tolerance, indicator_tolerance, expected
):
    assert (
        amber_tolerance(
            target_tolerance=target_tolerance,
            indicator_tolerance=indicator_tolerance,
            panel_tolerance=5.0,
        )
        == expected
    )


def test_a_month_is_rated_with_the_band_that_applies():
    # Target <36 (lower is better); 37 misses by 1: amber within 5% of 36 (1.8), red within 2%
    # (0.72).
    common = {"value": 37.0, "month": date(2022, 2, 1), "measure_type": "snapshot"}
    common |= {"polarity": "lower", "target": Target(36.0, "<"), "panel_tolerance": 5.0}
    assert rate_month(**common) is Rag.AMBER
    assert rate_month(**common, indicator_tolerance=2.0) is Rag.RED
    assert rate_month(**common, indicator_tolerance=2.0, target_tolerance=5.0) is Rag.AMBER


def test_a_cumulative_measure_is_rated_on_its_year_end_forecast():
    # 896 by February (11 months) forecasts 896 × 12 / 11 = 977.5, against a target of 1,000
    # (higher is better): missed by 2.25%, amber within 5%.
    rated = rate_month(
        value=896.0,
        month=date(2022, 2, 1),
        measure_type="cumulative_ytd",
        polarity="higher",
        target=Target(1000.0),
        panel_tolerance=5.0,
    )
    assert rated is Rag.AMBER
