"""The framework-free rules of indicators/validation.py: every message, without a database."""

from datetime import date
from decimal import Decimal as D

import pytest

from indicators.rules import validation as v

TODAY = date(2022, 3, 15)
MARCH = date(2022, 3, 1)
NAME = "Percentage of re-referrals within 12 months"


def messages(issues):
    return [issue.message for issue in issues]


def fmt(template, **extra):
    return template.format(indicator=NAME, month="March 2022", **extra)


@pytest.mark.parametrize("number", ["0", "21", "100", "99.5"])
def test_a_percentage_between_0_and_100_passes(number):
    assert (
        v.check_number(indicator=NAME, outturn_type="percentage", month=MARCH, number=D(number))
        == []
    )


@pytest.mark.parametrize("number", ["-1", "100.01", "2100"])
def test_a_percentage_outside_0_to_100_is_an_error(number):
    issues = v.check_number(
        indicator=NAME, outturn_type="percentage", month=MARCH, number=D(number)
    )
    assert messages(issues) == [fmt(v.MSG_PERCENTAGE_RANGE, value=v.show(D(number)))]
    assert issues[0].is_error and issues[0].field == "number"


def test_a_count_must_be_whole():
    issues = v.check_number(indicator=NAME, outturn_type="number", month=MARCH, number=D("12.5"))
    assert messages(issues) == [fmt(v.MSG_COUNT_NOT_WHOLE, value="12.5")]


def test_a_count_cannot_be_negative():
    issues = v.check_number(indicator=NAME, outturn_type="number", month=MARCH, number=D("-3"))
    assert messages(issues) == [fmt(v.MSG_COUNT_NEGATIVE, value="-3")]


def test_a_whole_count_and_a_decimal_rate_pass():
    assert v.check_number(indicator=NAME, outturn_type="number", month=MARCH, number=D("560")) == []
    assert v.check_number(indicator=NAME, outturn_type="rate", month=MARCH, number=D("95.4")) == []


def test_a_rate_cannot_be_negative():
    issues = v.check_number(indicator=NAME, outturn_type="rate", month=MARCH, number=D("-0.5"))
    assert messages(issues) == [fmt(v.MSG_RATE_NEGATIVE, value="-0.5")]


def test_too_large_and_too_precise_numbers_are_refused():
    big = v.check_number(indicator=NAME, outturn_type="rate", month=MARCH, number=D("1e12"))
    assert messages(big) == [fmt(v.MSG_TOO_LARGE, value="1000000000000")]
    fine = v.check_number(indicator=NAME, outturn_type="rate", month=MARCH, number=D("1.23456"))
    assert messages(fine) == [fmt(v.MSG_TOO_PRECISE, value="1.23456")]


def test_future_months_are_refused_and_the_current_month_is_allowed():
    assert v.check_month(indicator=NAME, month=MARCH, today=TODAY) == []
    issues = v.check_month(indicator=NAME, month=date(2022, 4, 1), today=TODAY)
    assert messages(issues) == [
        v.MSG_FUTURE_MONTH.format(indicator=NAME, month="April 2022", latest="March 2022")
    ]


def test_a_number_and_a_status_never_both():
    issues = v.check_number_xor_status(
        indicator=NAME, month=MARCH, number=D("21"), status_label="TBC"
    )
    assert messages(issues) == [fmt(v.MSG_NUMBER_AND_STATUS, status="TBC")]
    assert (
        v.check_number_xor_status(indicator=NAME, month=MARCH, number=None, status_label="TBC")
        == []
    )


def test_one_value_per_indicator_and_month():
    issues = v.find_duplicates(keys=[(NAME, MARCH), ("Other", MARCH), (NAME, MARCH), (NAME, MARCH)])
    assert messages(issues) == [fmt(v.MSG_DUPLICATE)]


def fraction(**kwargs):
    base = {
        "indicator": NAME,
        "outturn_type": "percentage",
        "month": MARCH,
        "number": None,
        "status_label": "",
        "numerator": None,
        "denominator": None,
        "decimals": 0,
    }
    return v.check_fraction(**{**base, **kwargs})


def test_a_percentage_is_computed_from_numerator_and_denominator():
    assert fraction(numerator=D(29), denominator=D(100)) == (D("29"), [])
    number, issues = fraction(numerator=D(1), denominator=D(3), decimals=1)
    assert (number, issues) == (D("33.3"), [])


def test_a_rate_is_per_10000():
    number, issues = fraction(
        outturn_type="rate", numerator=D(560), denominator=D(51_800), decimals=1
    )
    assert (number, issues) == (D("108.1"), [])


def test_a_given_percentage_is_checked_against_the_fraction():
    assert fraction(number=D(33), numerator=D(1), denominator=D(3))[1] == []
    _, issues = fraction(number=D(35), numerator=D(1), denominator=D(3))
    assert messages(issues) == [
        fmt(v.MSG_FRACTION_MISMATCH, numerator="1", denominator="3", computed="33", value="35")
    ]


@pytest.mark.parametrize(
    ("kwargs", "template"),
    [
        ({"numerator": D(3)}, v.MSG_DENOMINATOR_MISSING),
        ({"denominator": D(3)}, v.MSG_DENOMINATOR_MISSING),
        ({"numerator": D(3), "denominator": D(0)}, v.MSG_DENOMINATOR_NOT_POSITIVE),
        ({"numerator": D(-3), "denominator": D(4)}, v.MSG_NUMERATOR_NEGATIVE),
        (
            {"numerator": D(3), "denominator": D(4), "outturn_type": "number"},
            v.MSG_FRACTION_FOR_COUNT,
        ),
    ],
)
def test_fraction_errors(kwargs, template):
    _, issues = fraction(**kwargs)
    assert messages(issues) == [fmt(template)]


def test_a_fraction_cannot_go_with_a_status():
    _, issues = fraction(status_label="N/A", numerator=D(3), denominator=D(4))
    assert messages(issues) == [fmt(v.MSG_FRACTION_WITH_STATUS, status="N/A")]


HISTORY = [494.0, 498, 501, 508, 508, 517, 525, 540, 544, 551]


def test_a_value_within_the_range_and_near_the_last_is_not_a_warning():
    assert v.check_outlier(indicator=NAME, month=MARCH, number=D(548), history=HISTORY) == []


def test_a_new_high_beyond_the_range_is_a_warning():
    # 560 > the maximum 551; the jump of 9 from 551 is within 3 × the average moving range
    # (the ranges 4, 3, 7, 0, 9, 8, 15, 4, 7 average 57/9 = 6.33; × 3 = 19).
    issues = v.check_outlier(indicator=NAME, month=MARCH, number=D(560), history=HISTORY)
    assert [i.message for i in issues] == [
        fmt(v.MSG_BEYOND_RANGE, value="560", low="494", high="551")
    ]


def test_a_value_far_outside_the_history_is_a_warning():
    issues = v.check_outlier(indicator=NAME, month=MARCH, number=D(5600), history=HISTORY)
    assert len(issues) == 1 and issues[0].level == v.WARNING
    assert issues[0].message == fmt(
        v.MSG_OUTSIDE_HISTORY,
        value="5600",
        low="494",
        high="551",
        jump="5049",
        last="551",
        limit="19",
    )


def test_a_moderate_jump_back_inside_the_range_is_not_a_warning():
    # Ranges 80, 78, 1, 1, 1, 1 average 27; 3 × 27 = 81 > the jump of 68 from 12 to 80.
    history = [10.0, 90, 12, 11, 10, 11, 12]
    assert v.check_outlier(indicator=NAME, month=MARCH, number=D(80), history=history) == []


def test_a_big_jump_inside_the_range_is_a_warning():
    # Ranges 1, 1, 1, 1, 1, 1, 38 average 44/7 = 6.29; 3 × 6.29 = 18.86 < the jump of 30.
    history = [10.0, 11, 12, 11, 10, 11, 12, 50]
    issues = v.check_outlier(indicator=NAME, month=MARCH, number=D(20), history=history)
    assert [i.message for i in issues] == [
        fmt(v.MSG_BIG_JUMP, value="20", jump="30", last="50", limit="18.86")
    ]


def test_no_warning_without_enough_history():
    assert v.check_outlier(indicator=NAME, month=MARCH, number=D(900), history=[10.0, 11]) == []


def test_a_flat_history_warns_only_beyond_its_range():
    flat = [10.0] * 6
    assert v.check_outlier(indicator=NAME, month=MARCH, number=D(10), history=flat) == []
    issues = v.check_outlier(indicator=NAME, month=MARCH, number=D(900), history=flat)
    assert [i.message for i in issues] == [
        fmt(v.MSG_BEYOND_RANGE, value="900", low="10", high="10")
    ]


def test_check_value_runs_every_rule_and_reports_errors_before_warnings():
    number, issues = v.check_value(
        indicator=NAME,
        outturn_type="percentage",
        month=MARCH,
        today=TODAY,
        number=None,
        numerator=D(29),
        denominator=D(100),
        history=[21.0, 27, 26, 33],
    )
    assert (number, issues) == (D(29), [])
    _, issues = v.check_value(
        indicator=NAME,
        outturn_type="percentage",
        month=MARCH,
        today=TODAY,
        number=D(150),
        history=[21.0, 27, 26, 33],
    )
    assert messages(issues) == [fmt(v.MSG_PERCENTAGE_RANGE, value="150")]


def test_an_issue_about_a_file_names_sheet_row_and_column():
    issue = v.Issue(v.ERROR, "Bad.", location=v.Location("Data", 7, "D"))
    assert issue.text == v.MSG_AT.format(sheet="Data", row=7, column="D", message="Bad.")
    assert str(issue) == "Sheet “Data”, row 7, column D: Bad."
    assert v.Issue(v.ERROR, "Bad.").text == "Bad."


def test_show_writes_numbers_as_typed():
    assert v.show(D("21.0000")) == "21"
    assert v.show(D("0.2100")) == "0.21"
    assert v.show(None) == "blank"
