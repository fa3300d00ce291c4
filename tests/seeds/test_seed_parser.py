"""scrutiny.demo.seed_parser: the agenda pack's performance appendix and tracker, without a DB."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from indicators.rules.cells import ParsedCell
from scrutiny.demo import seed_parser as sp

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seeds" / "agenda-pack-2022-03-31.txt"
MONTHS = tuple(date(2021 + (3 + k) // 12, (3 + k) % 12 + 1, 1) for k in range(11))

HEADER = (
    "Indicator\tOutturn type\tApr-21\tMay-21\tTarget\tSouthamt on 19/20\tStatistical Neighbours"
)
SMALL = f"""Priority Areas

\tPage Number\tRAG
Summary\t3\t
First area\t4\tMedium
Second Area\t5\tHigh

Page 60

What the data tells us

{HEADER}
Percentage of things\tPERCENTAGE\t21%\tTBC\t<36%\t28%\tN/A
Number of things\tNUMBER\t5\t7\tTBC\t\t12

Page 72

Second area

Analysis

First paragraph.

Page 73

Second paragraph.

Action/next steps

- Do one thing
- Do another

What the data tells us

{HEADER}
Percentage of things\tPERCENTAGE\t21%\tTBC\t23%\t28\tN/A

Analysis

Only paragraph.

Action/next steps

- Only action

This page is intentionally left blank

GLOSSARY
"""


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def appendix(seed_text) -> sp.PerformanceAppendix:
    return sp.parse_performance_appendix(text=seed_text)


def row(appendix: sp.PerformanceAppendix, name: str) -> sp.IndicatorRow:
    return sp.indicator_appearances(areas=appendix.areas)[name][0].row


# --- small, made-up texts: one rule each --------------------------------------------------


def test_the_unrated_area_is_skipped_and_tables_go_to_rated_areas_in_order():
    appendix = sp.parse_performance_appendix(text=SMALL)
    assert [(a.order, a.name, a.rating) for a in appendix.areas] == [
        (1, "First area", "Medium"),
        (2, "Second Area", "High"),
    ]
    assert [a.name for a in appendix.unrated] == ["Summary"]
    assert [a.table.number for a in appendix.areas] == [1, 2]


def test_cells_are_read_with_their_status_and_bound():
    first = sp.parse_performance_appendix(text=SMALL).areas[0].table.rows
    assert [v.cell for v in first[0].values] == [
        ParsedCell(number=Decimal("21")),
        ParsedCell(number=None, status="tbc"),
    ]
    assert first[0].target == ParsedCell(number=Decimal("36"), bound="<")
    assert first[1].benchmarks[0].cell == ParsedCell(number=None, status="not_reported")
    assert first[1].benchmarks[1].cell == ParsedCell(number=Decimal("12"))


def test_page_footers_and_running_headings_are_dropped_from_the_commentary():
    table = sp.parse_performance_appendix(text=SMALL).areas[0].table
    assert table.analysis == ("First paragraph.", "Second paragraph.")
    assert table.analysis_text == "First paragraph.\n\nSecond paragraph."
    assert table.actions == ("Do one thing", "Do another")
    assert table.actions_text == "Do one thing\nDo another"
    assert table.dropped == ("Page 72", "Second area", "Page 73")


def test_the_appendix_ends_at_the_blank_page():
    last = sp.parse_performance_appendix(text=SMALL).areas[1].table
    assert last.actions == ("Only action",)


def test_broken_benchmark_headings_are_read_as_the_councils_own_year():
    column = sp.read_benchmark_header(header="Southamt on 19/20")
    assert (column.label, column.comparator, column.year) == (
        "Southampton 19/20",
        "Southampton",
        2019,
    )
    assert sp.read_benchmark_header(header="Southamp on 20/21").year == 2020
    assert sp.read_benchmark_header(header="South East").year is None
    with pytest.raises(sp.SeedFormatError):
        sp.read_benchmark_header(header="Wales")


def test_unexpected_text_in_the_commentary_is_an_error_not_skipped():
    text = SMALL.replace(
        "Analysis\n\nOnly paragraph.", "Stray words\n\nAnalysis\n\nOnly paragraph."
    )
    with pytest.raises(sp.SeedFormatError, match="Stray words"):
        sp.parse_performance_appendix(text=text)


def test_more_tables_than_rated_areas_is_an_error():
    text = SMALL.replace("Second Area\t5\tHigh", "Second Area\t5\t")
    with pytest.raises(sp.SeedFormatError, match="2 data tables for 1 rated"):
        sp.parse_performance_appendix(text=text)


def test_an_unreadable_cell_names_its_line_and_column():
    text = SMALL.replace("21%\tTBC\t<36%", "21%\tsoon\t<36%", 1)
    with pytest.raises(sp.SeedFormatError, match=r"Line \d+ \(table 1\), May-21"):
        sp.parse_performance_appendix(text=text)


def test_a_short_row_is_padded_with_blanks_and_noted():
    text = SMALL.replace("5\t7\tTBC\t\t12", "5\t7\tTBC")
    appendix = sp.parse_performance_appendix(text=text)
    cells = appendix.areas[0].table.rows[1].benchmarks
    assert [c.cell.status for c in cells] == ["not_reported", "not_reported"]
    assert any("2 trailing cells missing" in note for note in appendix.notes)


def test_disagreeing_repeats_are_described_and_equal_figures_agree():
    appendix = sp.parse_performance_appendix(text=SMALL)
    first = appendix.areas[0].table.rows[0]
    later = appendix.areas[1].table.rows[0]
    # "28%" and "28" are the same figure; the target differs.
    assert sp.disagreements(first=first, later=later) == ["Target <36% / 23%"]
    assert sp.repeat_notes(areas=appendix.areas) == [
        "“Percentage of things” in table 2 disagrees with table 1 (first appearance kept; "
        "first / later): Target <36% / 23%."
    ]


def test_month_headers():
    assert sp.parse_month_header(text="Apr-21") == date(2021, 4, 1)
    assert sp.parse_month_header(text="Jan-22") == date(2022, 1, 1)
    assert sp.parse_month_header(text="Target") is None


# --- the real seed ------------------------------------------------------------------------


def test_the_seed_has_five_rated_areas_with_their_ratings(appendix):
    assert [(a.name, a.rating, a.page) for a in appendix.areas] == [
        ("Effective assessment and intervention", "Medium", 4),
        ("Purposeful Direct Contact", "High", 5),
        ("Management Support for better practice", "High", 6),
        ("Right service at the right time", "High", 7),
        ("Robust corporate parenting", "High", 9),
    ]
    assert [a.name for a in appendix.unrated] == ["Practice and Performance Summary"]


def test_every_seed_table_runs_apr21_to_feb22_with_five_benchmarks(appendix):
    for area in appendix.areas:
        assert area.table.months == MONTHS
        assert [c.label for c in area.table.benchmark_columns] == [
            "Southampton 19/20",
            "Southampton 20/21",
            "Statistical Neighbours",
            "South East",
            "England",
        ]
    assert [len(a.table.rows) for a in appendix.areas] == [4, 3, 4, 11, 13]


def test_the_jan21_misprint_in_table_3_is_read_as_jan22_and_noted(appendix):
    table = appendix.areas[2].table
    assert table.months[9] == date(2022, 1, 1)
    supervision = table.rows[0]
    assert supervision.value_for(month=date(2022, 1, 1)) == ParsedCell(number=Decimal("62"))
    assert any("“Jan-21”" in note and "Jan-22" in note for note in appendix.notes)


def test_the_broken_southampton_headings_are_noted(appendix):
    noted = " ".join(appendix.notes)
    for printed in ("Southamt on 19/20", "Southampt on 20/21", "Southamp on 19/20"):
        assert f"“{printed}”" in noted


def test_seed_cells_with_quirks(appendix):
    ifa = row(appendix, "Percentage of CLA placed with IFAs at end of period")
    assert ifa.value_for(month=date(2022, 2, 1)).number == 51
    assert ifa.target == ParsedCell(number=Decimal("36"), bound="<")
    leavers = row(appendix, "Number of care leavers")
    blank = [b for b in leavers.benchmarks if b.column.label == "Southampton 20/21"][0]
    assert blank.text == "" and blank.cell.status == "not_reported"
    permanence = row(
        appendix,
        "Percentage of Looked after Children (LAC) with a permanence plan in place within 6 "
        "months of BLA",
    )
    assert {v.cell.status for v in permanence.values} == {"tbc"}
    iha = row(
        appendix,
        "Percentage of initial health assessments delivered within 20 working days of date "
        "child became looked after.",
    )
    assert iha.value_for(month=date(2021, 8, 1)) == ParsedCell(number=Decimal("0"))
    assert iha.value_for(month=date(2022, 2, 1)).status == "tbc"


def test_the_seed_commentary_drops_footers_and_headings(appendix):
    right_service = appendix.areas[3].table
    assert right_service.dropped == ("Page 72", "Right Service at the Right Time", "Page 73")
    assert len(right_service.analysis) == 3
    assert right_service.analysis[0].startswith("The volume of contacts continues to be higher.")
    assert len(right_service.actions) == 3
    assert not any(line.startswith("- ") for line in right_service.actions)
    parenting = appendix.areas[4].table
    assert parenting.dropped == ("Page 74", "Robust Corporate Parenting")
    assert parenting.actions[-1].startswith("Children in care council and participation")


def test_repeated_seed_rows_are_found_and_their_disagreements_noted(appendix):
    appearances = sp.indicator_appearances(areas=appendix.areas)
    assert len(appearances) == 29
    assert [a.area_order for a in appearances["Percentage of re-referrals within 12 months"]] == [
        1,
        4,
    ]
    assert [a.area_order for a in appearances["Number of CLA at the end of the month"]] == [4, 5]
    notes = sp.repeat_notes(areas=appendix.areas)
    assert len(notes) == 2
    assert "Target TBC / 97%" in notes[0]
    assert "Southampton 19/20 486 / N/A" in notes[1]


# --- the tracker --------------------------------------------------------------------------


def test_the_seed_tracker(seed_text):
    tracker = sp.parse_tracker(text=seed_text)
    assert tracker.report_date == date(2022, 3, 31)
    assert [
        (r.meeting_date, r.item_title, r.item_position, r.number, r.status) for r in tracker.rows
    ] == [
        (date(2021, 6, 17), "Ofsted Focused Letter", 1, 1, "Partially complete"),
        (date(2022, 1, 27), "SSCP Annual Report", 1, 1, "Complete"),
        (date(2022, 1, 27), "Quality Assurance Brief", 2, 1, "In train"),
        (date(2022, 1, 27), "Quality Assurance Brief", 2, 2, "Complete"),
        (date(2022, 1, 27), "Quality Assurance Brief", 2, 3, "Not complete – within timescale."),
    ]
    assert tracker.rows[3].action_proposed == (
        "That the service self-assessment is considered at the 31 March 2022 meeting of the Panel."
    )
    assert tracker.rows[3].action_taken == "On agenda for March 2022 meeting."


TRACKER = """Scrutiny Monitoring – 1 April 2022

Date\tTitle\tAction proposed\tAction Taken\tProgress Status
01/02/22\tA report\t1) That one.\tDone.\tComplete
\t\tThat two.\t\tIn train
"""


def test_a_continuation_row_without_a_number_follows_the_one_above():
    rows = sp.parse_tracker(text=TRACKER).rows
    assert [(r.item_title, r.number, r.action_proposed, r.action_taken) for r in rows] == [
        ("A report", 1, "That one.", "Done."),
        ("A report", 2, "That two.", ""),
    ]


def test_a_continuation_with_nothing_above_is_an_error():
    text = TRACKER.replace("01/02/22\tA report\t1) That one.\tDone.\tComplete\n", "")
    with pytest.raises(sp.SeedFormatError, match="no item above"):
        sp.parse_tracker(text=text)


def test_tracker_dates_and_numbers():
    assert sp.parse_tracker_date(text="17/06/21") == date(2021, 6, 17)
    assert sp.parse_tracker_date(text="17/06/2021") == date(2021, 6, 17)
    with pytest.raises(sp.SeedFormatError):
        sp.parse_tracker_date(text="June 2021")
    assert sp.split_number(text="3) That the impact …") == (3, "That the impact …")
    assert sp.split_number(text="That the impact") == (None, "That the impact")
