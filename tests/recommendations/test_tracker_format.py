"""Reading and writing the council's tracker layout, without a database."""

from datetime import date, datetime

import pytest

from core import safe_cells
from recommendations import tracker_format as fmt

STATUSES = {
    fmt.status_key(label): key
    for key, labels in {
        "in-train": ["In train", "In progress"],
        "partial": ["Partially complete"],
        "complete": ["Complete", "Completed"],
        "within": ["Not complete – within timescale", "Not complete - within timescale"],
        "rejected": ["Rejected"],
    }.items()
    for label in labels
}
HEADER = ["Date", "Title", "Action proposed", "Action taken", "Progress status"]


@pytest.mark.parametrize("text", ["=1+1", "+44 23", "-2", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK()"])
def test_cells_that_excel_would_run_are_neutralised(text):
    assert safe_cells.neutralise_formula(text) == "'" + text
    assert safe_cells.restore_neutralised("'" + text) == text


@pytest.mark.parametrize("text", ["", "1) That the Panel", "Complete", "'quoted", "a=b"])
def test_other_cells_are_left_alone(text):
    assert safe_cells.neutralise_formula(text) == text
    assert safe_cells.restore_neutralised(text) == text


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Not complete – within timescale.", "not complete - within timescale"),
        ("NOT COMPLETE—within  timescale", "not complete - within timescale"),
        (" Completed ", "completed"),
    ],
)
def test_status_labels_match_whatever_the_case_dash_or_full_stop(label, key):
    assert fmt.status_key(label) == key


def test_number_prefixes():
    assert fmt.split_number("1) That the Panel") == (1, "That the Panel")
    assert fmt.split_number("12. That") == (12, "That")
    assert fmt.split_number("That 1) is not a prefix") == (None, "That 1) is not a prefix")
    assert fmt.format_proposal(number=3, text="That") == "3) That"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("24/01/19", date(2019, 1, 24)),
        ("24/01/2019", date(2019, 1, 24)),
        ("2019-01-24", date(2019, 1, 24)),
        (datetime(2019, 1, 24, 0, 0), date(2019, 1, 24)),
        (date(2019, 1, 24), date(2019, 1, 24)),
    ],
)
def test_tracker_dates(value, expected):
    assert fmt.parse_date(value) == expected


def test_a_bad_date_says_what_to_write():
    with pytest.raises(ValueError, match="write dates like 24/01/19"):
        fmt.parse_date("32/01/19")


def test_the_date_in_a_title_row():
    assert fmt.date_in_title("Scrutiny Monitoring – 31 March 2022") == date(2022, 3, 31)
    assert fmt.date_in_title("Children and Families Scrutiny Panel") is None


def test_a_council_tracker_with_title_rows_and_continuation_rows():
    rows = [
        ["Children and Families Scrutiny Panel", None, None, None, None],
        ["Scrutiny Monitoring – 31 March 2022"],
        [],
        ["Date", "Title", "Action proposed", "Action Taken", "Progress Status"],
        ["17/06/21", "Ofsted Focused Letter", "1) That the Cabinet Member lobbies.", "Briefed.",
         "Partially complete"],
        ["27/01/22", "Quality Assurance Brief", "1) That the Scrutiny Manager liaises.",
         "A meeting has taken place.\n• Dates – being scheduled", "In train"],
        [None, None, "2) That the self-assessment is considered.", "On agenda.", "Completed"],
        ["", "", "3) That the Workforce Academy is considered.", "",
         "Not complete – within timescale."],
    ]
    parsed = fmt.parse_tracker(rows, statuses=STATUSES)
    assert parsed.errors == []
    assert parsed.report_date == date(2022, 3, 31)
    got = [(r.row, r.meeting_date, r.item_title, r.number, r.status) for r in parsed.rows]
    assert got == [
        (5, date(2021, 6, 17), "Ofsted Focused Letter", 1, "partial"),
        (6, date(2022, 1, 27), "Quality Assurance Brief", 1, "in-train"),
        (7, date(2022, 1, 27), "Quality Assurance Brief", 2, "complete"),
        (8, date(2022, 1, 27), "Quality Assurance Brief", 3, "within"),
    ]
    assert parsed.rows[1].action_taken == "A meeting has taken place.\n• Dates – being scheduled"
    assert parsed.rows[0].action_proposed == "That the Cabinet Member lobbies."


def test_errors_name_the_row_and_column_and_nothing_is_skipped_silently():
    rows = [
        HEADER,
        [None, None, "1) Continues nothing", "", "In train"],
        ["31/02/22", "Bad date", "1) That", "", "In train"],
        ["01/02/22", "Unknown status", "1) That", "", "Sort of done"],
        ["01/02/22", "No proposal", "", "", "In train"],
        ["01/02/22", "Dup", "1) A", "", "In train"],
        [None, None, "1) B", "", "In train"],
    ]
    parsed = fmt.parse_tracker(rows, statuses=STATUSES)
    messages = [str(error) for error in parsed.errors]
    assert messages[0] == "Row 2, column B (Title): " + fmt.ERROR_CONTINUATION_WITHOUT_TITLE
    assert messages[1] == "Row 3, column A (Date): " + fmt.ERROR_BAD_DATE.format(value="31/02/22")
    assert messages[2].startswith("Row 4, column E (Progress status): “Sort of done” is not")
    assert messages[3] == "Row 5, column C (Action proposed): " + fmt.ERROR_NO_PROPOSAL
    assert messages[4].startswith("Row 7, column C (Action proposed): Recommendation 1) of “Dup”")
    assert [row.row for row in parsed.rows] == [6]


def test_a_sheet_without_the_header_is_refused():
    parsed = fmt.parse_tracker([["Something else"], ["a", "b"]], statuses=STATUSES)
    assert [error.message for error in parsed.errors] == [fmt.ERROR_NO_HEADER]


def test_a_header_without_the_status_column_is_refused():
    parsed = fmt.parse_tracker([["Date", "Title", "Action proposed"]], statuses=STATUSES)
    assert parsed.errors[0].message == fmt.ERROR_MISSING_COLUMN.format(
        row=1, column="Progress status"
    )


def test_grouped_cells_show_date_and_title_once():
    body = fmt.grouped_cells(
        [(date(2022, 1, 27), "QA", [(1, "a"), (2, "b")])],
        proposal=lambda item: item,
        taken=lambda item: "",
        status=lambda item: "In train",
    )
    assert body == [
        (date(2022, 1, 27), "QA", "1) a", "", "In train"),
        (None, "", "2) b", "", "In train"),
    ]
