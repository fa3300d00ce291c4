"""The seed demo's monitoring report of 31 March 2022 against the real tracker in the seed pack."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from core.command_line import COMMAND_LINE
from recommendations import tracker_format as fmt
from recommendations.models import Recommendation, RecommendationUpdate
from recommendations.services import import_tracker

REPORT = reverse("recommendations:report", args=[date(2022, 3, 31)])
HEADER = "Date\tTitle\tAction proposed\tAction Taken\tProgress Status"


def seed_tracker() -> list[list[str]]:
    """The rows of the seed's "Scrutiny Monitoring – 31 March 2022" table, as printed: blank
    Date and Title on continuation rows, the status as written (one has a final full stop)."""
    text = (Path(settings.SEEDS_DIR) / "agenda-pack-2022-03-31.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    start = lines.index(HEADER) + 1
    rows = []
    for line in lines[start:]:
        if not line.strip():
            break
        rows.append(line.split("\t"))
    return rows


def test_the_seed_has_the_five_rows_we_expect():
    rows = seed_tracker()
    assert len(rows) == 5
    assert [row[4] for row in rows][-1] == "Not complete – within timescale."


def report_rows(report) -> list[list[str]]:
    rows = []
    for group in report.groups:
        for position, item in enumerate(group.items):
            rows.append([
                fmt.format_date(group.meeting_date) if position == 0 else "",
                group.item_title if position == 0 else "",
                f"{item.number}) {item.action_proposed}",
                item.action_taken,
                item.status.name,
            ])
    return rows


def same(seed_row: list[str], row: list[str]) -> bool:
    return seed_row[:4] == row[:4] and fmt.status_key(seed_row[4]) == fmt.status_key(row[4])


def test_the_report_matches_the_seed_tracker_row_by_row(demo, client):
    response = client.get(REPORT)
    assert response.status_code == 200
    got = report_rows(response.context["report"])
    expected = seed_tracker()
    assert len(got) == len(expected)
    for seed_row, row in zip(expected, got, strict=True):
        assert same(seed_row, row), (seed_row, row)
    assert response.context["report"].title == "Scrutiny Monitoring – 31 March 2022"


def test_the_seed_report_exports_match_the_seed_cell_by_cell(demo, client):
    expected = seed_tracker()
    rows = list(csv.reader(io.StringIO(
        client.get(REPORT, {"format": "csv"}).content.decode("utf-8-sig"), newline=""
    )))
    assert rows[:2] == [["Children and Families Scrutiny Panel"],
                        ["Scrutiny Monitoring – 31 March 2022"]]
    for seed_row, row in zip(expected, rows[4:], strict=True):
        assert same(seed_row, row), (seed_row, row)
    sheet = load_workbook(io.BytesIO(client.get(REPORT, {"format": "xlsx"}).content)).active
    for seed_row, cells in zip(expected, sheet.iter_rows(min_row=5, values_only=True),
                               strict=True):
        row = [fmt.format_date(cells[0]) if cells[0] else "", cells[1] or "", cells[2],
               cells[3] or "", cells[4]]
        assert same(seed_row, row), (seed_row, row)


@pytest.mark.parametrize("export_format", ["xlsx", "csv"])
def test_the_seed_report_round_trips(demo, client, export_format):
    panel = Recommendation.objects.get(meeting_date=date(2021, 6, 17)).panel
    content = client.get(REPORT, {"format": export_format}).content
    counts = (Recommendation.objects.count(), RecommendationUpdate.objects.count())
    plan = import_tracker(panel=panel, content=content, name=f"x.{export_format}",
                          user=COMMAND_LINE)
    assert (len(plan.created), len(plan.updated), len(plan.unchanged)) == (0, 0, 5)
    assert (Recommendation.objects.count(), RecommendationUpdate.objects.count()) == counts


def test_the_open_list_is_in_the_council_order(demo, client):
    expected, title = [], ""
    for row in seed_tracker():
        title = row[1] or title
        expected.append((title, fmt.split_number(row[2])[0]))
    table = client.get(reverse("recommendations:list")).context["table"]
    assert [(row.record.item_title, row.record.number) for row in table.paginated_rows] == expected
