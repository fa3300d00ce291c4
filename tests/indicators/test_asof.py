"""The as-of month rules: which month an indicator is read as of, what a page says about the
months it shows, and which months the API and the indicator page accept. No database."""

from datetime import date

from core import params
from indicators import asof

JAN, FEB, MAR = date(2022, 1, 1), date(2022, 2, 1), date(2022, 3, 1)


def test_an_indicator_is_read_as_of_its_latest_figure_up_to_the_panels_latest_month():
    assert asof.as_of_month(newest_first=sorted([JAN, FEB], reverse=True), until=MAR) == FEB
    assert asof.as_of_month(newest_first=sorted([JAN, FEB, MAR], reverse=True), until=MAR) == MAR
    # A figure of a month the panel has not published yet is not read.
    assert asof.as_of_month(newest_first=sorted([JAN, FEB, MAR], reverse=True), until=FEB) == FEB
    assert asof.as_of_month(newest_first=sorted([], reverse=True), until=MAR) is None
    assert asof.as_of_month(newest_first=sorted([JAN], reverse=True), until=None) is None


def test_a_years_table_reads_only_the_months_of_that_year():
    reported = [date(2019, 1, 1), date(2019, 2, 1), date(2019, 4, 1), FEB]
    assert asof.as_of_month(
        newest_first=sorted(reported, reverse=True), until=MAR, year=2018
    ) == date(2019, 2, 1)
    assert asof.as_of_month(
        newest_first=sorted(reported, reverse=True), until=MAR, year=2019
    ) == date(2019, 4, 1)
    assert (
        asof.as_of_month(newest_first=sorted(reported, reverse=True), until=MAR, year=2020) is None
    )
    assert (
        asof.as_of_month(newest_first=sorted(reported, reverse=True), until=MAR, year=2021) == FEB
    )


def test_the_summary_says_when_the_areas_are_at_different_months():
    assert asof.months_summary(months=[FEB] * 29) == "Data to end of February 2022"
    assert (
        asof.months_summary(months=[MAR] * 4 + [FEB] * 25)
        == "Data to end of March 2022 for 4 indicators; February 2022 for the rest"
    )
    assert asof.months_summary(months=[MAR, FEB, FEB, JAN]) == (
        "Data to end of March 2022 for 1 indicator; February 2022 for 2 indicators; "
        "January 2022 for the rest"
    )
    assert asof.months_summary(months=[FEB, None, None]) == (
        "Data to end of February 2022; no published figure for 2 indicators"
    )
    assert asof.months_summary(months=[None]) == ""


def test_a_month_is_given_as_year_and_month():
    assert params.parse_month("2019-02") == date(2019, 2, 1)
    assert params.parse_month(" 2019-12 ") == date(2019, 12, 1)
    for bad in ("2019-13", "2019-00", "Feb-19", "2019-02-01", "201902", "", "19-02", "2019-x",
                "2019-²", "²⁰¹⁹-02", "1899-12"):
        assert params.parse_month(bad) is None, bad


def test_a_month_outside_the_figures_is_refused_with_a_message():
    reported = [date(2018, 2, 1), JAN, FEB]
    assert asof.month_error(text="2022-01", reported=reported) == (JAN, "")
    # Inside the range, a month with no figure of its own is still a month of the data.
    assert asof.month_error(text="2019-06", reported=reported) == (date(2019, 6, 1), "")
    assert asof.month_error(text="nope", reported=reported) == (
        None,
        asof.MSG_MONTH_MALFORMED.format(value="nope"),
    )
    assert asof.month_error(text="2022-03", reported=reported) == (
        None,
        asof.MSG_MONTH_OUTSIDE.format(
            month="March 2022", first="February 2018", last="February 2022"
        ),
    )
    assert asof.month_error(text="2018-01", reported=reported)[0] is None
    assert asof.month_error(text="2022-01", reported=[]) == (None, asof.MSG_NO_FIGURES)
