"""Exports of the report and the list, opened as a spreadsheet program would open them."""

import csv
import io
from datetime import date, datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from .conftest import MARCH, ROWS
from .factories import UpdateFactory

REPORT = reverse("recommendations:report", args=[MARCH])
HEADER = ["Date", "Title", "Action proposed", "Action taken", "Progress status"]
STATUS_NAMES = {
    "partially-complete": "Partially complete",
    "complete": "Complete",
    "in-train": "In train",
    "not-complete-within-timescale": "Not complete – within timescale",
}


def expected_rows():
    """The tracker of the fixture as the council writes it: date and title once per group."""
    rows, previous = [], None
    for day, title, number, proposed, taken, slug in ROWS:
        first = (day, title) != previous
        previous = (day, title)
        rows.append([day.strftime("%d/%m/%y") if first else "", title if first else "",
                     f"{number}) {proposed}", taken, STATUS_NAMES[slug]])
    return rows


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # a byte-order mark, so Excel reads UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_the_report_as_xlsx_cell_by_cell(tracker, client):
    response = client.get(REPORT, {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="scrutiny-monitoring-2022-03-31.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Children and Families Scrutiny Panel"
    assert sheet["A2"].value == "Scrutiny Monitoring – 31 March 2022"
    assert [c.value for c in sheet[4]] == HEADER
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref == "A4:E9"
    assert sheet["C5"].alignment.wrap_text is True
    assert sheet.column_dimensions["C"].width >= 50
    body = []
    for row in sheet.iter_rows(min_row=5, values_only=True):
        day = row[0].strftime("%d/%m/%y") if isinstance(row[0], datetime) else ""
        body.append([day, row[1] or "", row[2], row[3] or "", row[4]])
    assert body == expected_rows()
    assert sheet["A5"].number_format == "dd/mm/yy"


def test_the_report_as_csv_cell_by_cell(tracker, client):
    response = client.get(REPORT, {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_csv(response.content)
    assert rows[0] == ["Children and Families Scrutiny Panel"]
    assert rows[1] == ["Scrutiny Monitoring – 31 March 2022"]
    assert rows[3] == HEADER
    assert rows[4:] == expected_rows()


def test_an_unknown_format_is_a_404(tracker, client):
    assert client.get(REPORT, {"format": "pdf"}).status_code == 404


@pytest.mark.parametrize("danger", ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-1", "@SUM(A1)",
                                    "\tTabbed", "\rReturn"])
def test_csv_never_lets_a_cell_run_as_a_formula(tracker, client, danger):
    UpdateFactory(recommendation=tracker[0], date=date(2022, 3, 30), action_taken=danger)
    rows = read_csv(client.get(REPORT, {"format": "csv"}).content)
    assert rows[4][3] == "'" + danger


def test_xlsx_keeps_a_formula_like_cell_as_text(tracker, client):
    UpdateFactory(recommendation=tracker[0], date=date(2022, 3, 30), action_taken="=1+1")
    sheet = load_workbook(io.BytesIO(client.get(REPORT, {"format": "xlsx"}).content)).active
    assert sheet["D5"].value == "=1+1"
    assert sheet["D5"].data_type == "s"


def test_the_open_list_exports_the_same_way(tracker, client):
    rows = read_csv(client.get(reverse("recommendations:list"), {"format": "csv"}).content)
    assert rows[0] == ["Children and Families Scrutiny Panel"]
    assert rows[1][0].startswith("Scrutiny Monitoring – open recommendations, ")
    assert rows[3] == HEADER
    assert rows[4:] == expected_rows()
    filtered = read_csv(
        client.get(reverse("recommendations:list"), {"format": "csv", "status": "complete"}).content
    )
    assert [row[2] for row in filtered[4:]] == [
        "1) That the Panel are provided with details.",
        "2) That the self-assessment is considered.",
    ]
    book = load_workbook(io.BytesIO(
        client.get(reverse("recommendations:list"), {"format": "xlsx"}).content
    ))
    assert [c.value for c in book.active[4]] == HEADER


def test_export_tracker_command_writes_by_extension(tracker, tmp_path):
    xlsx, csv_path = tmp_path / "t.xlsx", tmp_path / "t.csv"
    call_command("export_tracker", str(xlsx), panel="children-and-families",
                 meeting="2022-03-31", stdout=io.StringIO())
    call_command("export_tracker", str(csv_path), panel="children-and-families",
                 meeting="2022-03-31", stdout=io.StringIO())
    assert load_workbook(xlsx).active["A2"].value == "Scrutiny Monitoring – 31 March 2022"
    assert read_csv(csv_path.read_bytes())[4:] == expected_rows()


def test_export_tracker_command_errors(tracker, tmp_path):
    with pytest.raises(CommandError, match="Unknown export format"):
        call_command("export_tracker", str(tmp_path / "t.pdf"), panel="children-and-families",
                     meeting="2022-03-31")
    with pytest.raises(CommandError, match="has no meeting on 2022-03-30"):
        call_command("export_tracker", str(tmp_path / "t.csv"), panel="children-and-families",
                     meeting="2022-03-30")
