"""Hostile uploads are refused with a message naming the limit, before openpyxl reads them, and
write nothing (issue 11, section 5): a workbook that unpacks to far more than its size, a sheet
that declares a million rows, a CSV tracker with a cell over the csv module's limit."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core import workbook_limits
from fuzz.strategies import TRACKER_HEADER as HEADER
from fuzz.strategies import bomb_workbook, declared_workbook
from indicators.workbook import reading as dataset
from recommendations import importers as tracker
from recommendations.models import Recommendation

pytestmark = pytest.mark.django_db

TRACKER_IMPORT = "/admin/recommendations/recommendation/import/"
DATASET_IMPORT = "/admin/indicators/entry/import/"


OVER = workbook_limits.MAX_UNPACKED_BYTES + 1024 * 1024


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    content = bomb_workbook(OVER)
    assert len(content) < 1024 * 1024  # under a megabyte on the wire
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        assert sum(i.file_size for i in package.infolist()) > workbook_limits.MAX_UNPACKED_BYTES
    return content


def _peak(function) -> int:
    tracemalloc.start()
    try:
        function()
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


def unpacked_message(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        size = sum(i.file_size for i in package.infolist())
    return workbook_limits.MSG_UNPACKED_TOO_BIG.format(
        size=size, limit=workbook_limits.MAX_UNPACKED_BYTES
    )


def test_the_dataset_importer_refuses_a_zip_bomb_before_reading_it(zip_bomb):
    refused = []

    def read():
        with pytest.raises(dataset.ImportRefused) as caught:
            dataset.read_workbook(zip_bomb)
        refused.append(caught.value.message)

    peak = _peak(read)
    assert refused == [unpacked_message(zip_bomb)]
    assert "the limit is 52,428,800 bytes" in refused[0]
    assert peak < 10 * 1024 * 1024  # openpyxl would hold every shared string in memory


def test_the_tracker_importer_refuses_a_zip_bomb_before_reading_it(zip_bomb):
    errors = []

    def read():
        with pytest.raises(tracker.TrackerImportError) as caught:
            tracker.read_rows(content=zip_bomb, name="tracker.xlsx")
        errors.extend(caught.value.errors)

    peak = _peak(read)
    assert [str(e) for e in errors] == [unpacked_message(zip_bomb)]
    assert peak < 10 * 1024 * 1024


def test_a_sheet_declaring_a_million_rows_is_refused_with_the_limit():
    content = declared_workbook("A1:XFD1048576")
    with pytest.raises(dataset.ImportRefused) as caught:
        dataset.read_workbook(content)
    assert caught.value.message == workbook_limits.MSG_SHEET_TOO_BIG.format(
        sheet="Sheet",
        rows=1_048_576,
        columns=16_384,
        ref="A1:XFD1048576",
        max_rows=dataset.MAX_ROWS,
        max_columns=dataset.MAX_COLUMNS,
    )
    with pytest.raises(tracker.TrackerImportError) as caught:
        tracker.read_rows(content=declared_workbook("A1:E5001"), name="t.xlsx")
    assert str(caught.value.errors[0]).startswith(
        "Sheet “Sheet” has 5,001 rows and 5 columns (cells A1:E5001); the limit is 5,000 rows"
    )


def test_a_sheet_within_the_limits_is_read():
    rows = tracker.read_rows(content=declared_workbook("A1:E5000"), name="t.xlsx")
    assert rows[0] == tuple(HEADER)


@pytest.mark.parametrize(
    ("ref", "size"),
    [("A1:XFD1048576", (1_048_576, 16_384)), ("B2", (2, 2)), ("$A$1:$E$9", (9, 5)), ("", (0, 0))],
)
def test_a_dimension_is_read_as_rows_and_columns_from_a1(ref, size):
    assert workbook_limits.ref_size(ref) == size


def test_the_tracker_upload_answers_400_for_a_zip_bomb(world, client, zip_bomb):  # noqa: F811
    client.force_login(world.users["manager"])
    before = Recommendation.objects.count()
    upload = SimpleUploadedFile("tracker.xlsx", zip_bomb)
    response = client.post(TRACKER_IMPORT, {"panel": world.panel.pk, "file": upload})
    assert response.status_code == 400
    assert "the limit is 52,428,800 bytes" in response.content.decode()
    assert Recommendation.objects.count() == before


def test_the_dataset_upload_says_the_limit_for_a_zip_bomb(world, client, zip_bomb):  # noqa: F811
    client.force_login(world.users["performance"])
    upload = SimpleUploadedFile("data.xlsx", zip_bomb)
    response = client.post(
        DATASET_IMPORT, {"panel": world.panel.pk, "file": upload, "reason": "test"}
    )
    assert response.context["refused"] == unpacked_message(zip_bomb)
    assert "the limit is 52,428,800 bytes" in response.content.decode()


def _long_cell_csv(row: int, column: int) -> bytes:
    """A CSV tracker whose cell at (row, column), counted from 1, is over the csv limit."""
    lines = [",".join(HEADER), "31/03/22,Item,1) That,,Complete", "31/03/22,Item,2) That,,Complete"]
    cells = lines[row - 1].split(",")
    cells[column - 1] = '"' + "x" * (tracker.MAX_CSV_FIELD + 1) + '"'
    lines[row - 1] = ",".join(cells)
    return "\r\n".join(lines).encode()


@pytest.mark.parametrize(("row", "column", "letter"), [(3, 3, "C"), (2, 1, "A"), (3, 5, "E")])
def test_a_csv_cell_over_the_limit_is_refused_by_row_and_column(row, column, letter):
    with pytest.raises(tracker.TrackerImportError) as caught:
        tracker.read_rows(content=_long_cell_csv(row, column), name="t.csv")
    message = tracker.ERROR_FIELD_TOO_LONG.format(limit=tracker.MAX_CSV_FIELD)
    assert [str(e) for e in caught.value.errors] == [f"Row {row}, column {letter}: {message}"]
    assert "131,072 characters" in message


def test_an_unclosed_quote_is_refused_where_it_opens():
    content = b'Date,Title\r\n31/03/22,"' + b"x" * (tracker.MAX_CSV_FIELD + 10)
    with pytest.raises(tracker.TrackerImportError) as caught:
        tracker.read_rows(content=content, name="t.csv")
    assert str(caught.value.errors[0]).startswith("Row 2, column B: The cell is longer")


def test_the_tracker_upload_answers_400_for_a_long_csv_cell(world, client):  # noqa: F811
    client.force_login(world.users["manager"])
    before = Recommendation.objects.count()
    upload = SimpleUploadedFile("tracker.csv", _long_cell_csv(3, 3))
    response = client.post(TRACKER_IMPORT, {"panel": world.panel.pk, "file": upload})
    assert response.status_code == 400
    assert (
        "Row 3, column C: The cell is longer than 131,072 characters" in response.content.decode()
    )
    assert Recommendation.objects.count() == before
