"""The 2019 layout's rules (indicators.workbook.layout_2019), without a database."""

from datetime import date
from decimal import Decimal as D

import pytest

from indicators.workbook import layout_2019 as layout


def test_a_sheet_shows_the_13_months_to_the_reporting_month():
    months = layout.months_to(reporting_month=date(2019, 2, 1))
    assert (months[0], months[-1], len(months)) == (date(2018, 2, 1), date(2019, 2, 1), 13)
    assert layout.months_to(reporting_month=date(2022, 12, 1))[0] == date(2021, 12, 1)


@pytest.mark.parametrize(
    ("text", "meant"),
    [("P", True), (" p ", True), ("Y", True), ("-", False), ("–", False), (None, False),
     ("N", False), ("Maybe", None), ("PP", None)],
)  # fmt: skip
def test_the_percentage_column_s_marks(text, meant):
    assert layout.percentage_mark(text=text) is meant


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("Updated Mar-19 using 17-18 data", 2017),
        ("updated Apr-20 using 2018/19 data", 2018),
        ("Benchmarks: 16-17 data", 2016),
        ("Updated Mar-19 using 17-19 data", None),  # not one financial year
        ("Updated Mar-19", None),
        (2017, None),
    ],
)
def test_the_benchmark_note_s_year(text, year):
    assert layout.benchmark_note_year(text=text) == year


def test_the_export_s_note_reads_back():
    note = layout.benchmark_note(year=2020, updated=date(2022, 2, 1))
    assert note == "Updated Feb-22 using 20-21 data"
    assert layout.benchmark_note_year(text=note) == 2020


@pytest.mark.parametrize(
    ("number_format", "places"),
    [("0.0%", 1), ("0%", 0), ("#,##0", 0), ("#,##0.00", 2), ("+0%;-0%;0%", 0), ("General", None),
     ("", None), ('0.0" pts"', 1), ("[Red]0.000", 3), ("@", None)],
)  # fmt: skip
def test_places_a_number_format_prints(number_format, places):
    assert layout.places_of_format(number_format) == places


def test_a_change_a_point_out_because_of_rounding_agrees():
    # 20.04 -> 20.93 is +4.4% (printed 4%); the cells 20.0 -> 20.9 give +4.5%, which rounds
    # half up to 5%.
    assert layout.round_half_up(4.5, 0) == D(5)
    agrees = dict(current=20.9, previous=20.0, value_places=1, places=0)
    assert layout.change_agrees(printed=D(4), **agrees)
    assert layout.change_agrees(printed=D(5), **agrees)
    assert not layout.change_agrees(printed=D(6), **agrees)
    assert not layout.change_agrees(printed=D(3), **agrees)
    assert not layout.change_agrees(printed=D(12), **agrees)


def test_whole_numbers_may_be_rounded_rates_too():
    # 116 -> 121 is +4.31%; printed 121 and 116 may be a rate's 121.4 and 115.6 (+5.0%), but
    # nothing that rounds to them gives 6% or 2%.
    whole = dict(current=121, previous=116, value_places=0, places=0)
    assert layout.change_agrees(printed=D(4), **whole)
    assert layout.change_agrees(printed=D(5), **whole)
    assert not layout.change_agrees(printed=D(6), **whole)
    assert not layout.change_agrees(printed=D(2), **whole)


def test_a_change_from_about_nothing_is_not_judged():
    assert layout.change_agrees(printed=D(900), current=3, previous=0, value_places=0, places=0)


def test_averages_and_maxima_at_their_printed_precision():
    assert layout.figure_agrees(printed=D(583), places=0, computed=582.9167, value_places=0)
    assert not layout.figure_agrees(printed=D(600), places=0, computed=582.9167, value_places=0)
    # The average of cells printed to one decimal may be out by 0.05 either way.
    assert layout.figure_agrees(printed=D("21.7"), places=1, computed=21.6083, value_places=1)
    assert not layout.figure_agrees(printed=D("21.8"), places=1, computed=21.6083, value_places=1)


def _seed_indicators() -> list[tuple[str, str]]:
    """(name, outturn type) of every indicator row in the seed agenda pack's tables."""
    from pathlib import Path

    seed = Path(__file__).resolve().parents[2] / "fixtures/seeds/agenda-pack-2022-03-31.txt"
    found = set()
    for line in seed.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) > 2 and cells[1] in ("NUMBER", "RATE", "PERCENTAGE"):
            found.add((cells[0].strip(), cells[1].lower()))
    return sorted(found)


def test_the_seed_s_rates_and_counts_are_told_apart_by_their_names():
    """With `-` in Percentage?, the name tells a rate from a count: every count and rate of
    the seed's tables ("Rates of referrals per 10,000 of Under 18 Population") as it says."""
    told = {
        name: ("rate" if layout.is_rate_name(name=name) else "number")
        for name, kind in _seed_indicators()
        if kind != "percentage"
    }
    assert len(told) >= 14
    assert told == {name: kind for name, kind in _seed_indicators() if kind != "percentage"}
    assert sorted(name for name, kind in told.items() if kind == "rate") == [
        "Rate of CLA per 10,000 under 18 population",
        "Rates of Single Assessments completed per 10,000",
        "Rates of referrals per 10,000 of Under 18 Population",
    ]


@pytest.mark.parametrize(
    ("name", "rate"),
    [("Rate of referrals per 10,000 of the under-18 population", True), ("Re-referrals per 10k",
     True), ("Agency Rate (social workers)", True), ("Number of contacts", False),
     ("Percentage of re-referrals within 12 months", False), ("Corporate parenting visits",
     False), ("Separated children (UASC)", False), ("", False)],
)  # fmt: skip
def test_a_rate_is_named_as_one(name, rate):
    assert layout.is_rate_name(name=name) is rate


@pytest.mark.parametrize(
    ("text", "month"),
    [("Children's Services Performance Dataset – February 2019", date(2019, 2, 1)),
     ("KPIs Sept 2018", date(2018, 9, 1)), ("Dataset: Feb 2019", date(2019, 2, 1)),
     ("Updated Mar-19 using 17-18 data", None), ("Performance 2018/19", None),
     ("Marching on 2019", None), (None, None), (43500, None)],
)  # fmt: skip
def test_a_title_s_month(text, month):
    assert layout.title_month(text=text) == month
