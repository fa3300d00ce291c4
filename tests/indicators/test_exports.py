"""The monitoring table's exports (.xlsx, .csv, `manage.py export_dataset`) on the seed demo,
checked cell by cell against the seed's own table rows."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from indicators.models import Indicator, Value
from indicators.services import import_plan
from indicators.views import performance_url
from indicators.workbook import reading
from meetings.models import Panel
from tests.factories import PublicationFactory, ValueFactory
from tests.indicators.factories import MAR_22, first_rows, seed_demo, seed_tables  # noqa: F401
from tests.indicators.workbooks import MONTHS_2122

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_demo")]

SLUG = "children-and-families"
IFA = "Percentage of CLA placed with IFAs at end of period"
REFERRAL_RATE = "Rates of referrals per 10,000 of Under 18 Population"
TITLE_ROW = 1
AREAS = [
    "Effective assessment and intervention",
    "Purposeful Direct Contact",
    "Management Support for better practice",
    "Right service at the right time",
    "Robust corporate parenting",
]
MONTHS = MONTHS_2122
HEADERS = [
    "Indicator",
    "Outturn type",
    *MONTHS,
    "Target",
    "Southampton 19/20",
    "Southampton 20/21",
    "Statistical Neighbours",
    "South East",
    "England",
]
HEADER_ROW = 3


def _xlsx(client, **params):
    response = client.get(performance_url(SLUG), {"format": "xlsx", **params})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == (
        'attachment; filename="children-and-families-performance-2021-22.xlsx"'
    )
    return load_workbook(io.BytesIO(response.content))


def expected_cell(text: str, outturn_type: str):
    """What the workbook must hold for a cell printed `text` in the seed: a number (a fraction
    in a percent-formatted cell for percentages), the word for a missing figure, a bounded
    target as printed, or a blank."""
    text = text.strip()
    if text in ("TBC", "N/A"):
        return text, None
    if not text:
        return None, None
    if text.startswith("<"):
        return text, None
    number = Decimal(text.rstrip("%").replace(",", ""))
    if outturn_type == "PERCENTAGE":
        return float(number) / 100, "0%"
    return float(number), "#,##0"


def test_workbook_has_a_sheet_per_area_and_statistics(client):
    book = _xlsx(client, year=2021)

    assert book.sheetnames == [
        "Effective assessment and interv",  # Excel's 31-character limit
        "Purposeful Direct Contact",
        "Management Support for better p",
        "Right service at the right time",
        "Robust corporate parenting",
        "Statistics",
    ]
    for sheet, area in zip(book.worksheets, AREAS, strict=False):
        assert sheet.cell(row=HEADER_ROW - 1, column=1).value == area
        assert sheet.cell(row=1, column=1).value.startswith(
            "Children and Families Scrutiny Panel – what the data tells us, 2021/22"
        )


def test_area_sheets_match_the_seed_cell_by_cell(client):
    book = _xlsx(client, year=2021)
    first = first_rows()

    for sheet, seed in zip(book.worksheets, seed_tables(), strict=False):
        header = [c.value for c in sheet[HEADER_ROW]]
        assert header == HEADERS, sheet.title
        for offset, seed_row in enumerate(seed.rows, start=1):
            # A repeated row shows the indicator's figures, which the demo takes from the
            # indicator's first appearance in the seed.
            expected_row = first[seed_row[0]]
            cells = sheet[HEADER_ROW + offset]
            assert cells[0].value == seed_row[0]
            assert cells[1].value == seed_row[1]
            for column, (cell, text) in enumerate(
                zip(cells[2:19], expected_row[2:19], strict=True), start=3
            ):
                value, number_format = expected_cell(text, seed_row[1])
                where = f"{sheet.title}!{cell.coordinate} ({seed_row[0]}, column {column})"
                if isinstance(value, float):
                    assert cell.value == pytest.approx(value), where
                    assert cell.number_format == number_format, where
                else:
                    assert cell.value == value, where
        after = sheet[HEADER_ROW + len(seed.rows) + 1]
        assert all(c.value is None for c in after), sheet.title  # the table ends here


def test_area_sheet_carries_analysis_and_next_steps(client):
    sheet = _xlsx(client)["Robust corporate parenting"]
    column_a = [row[0].value for row in sheet.iter_rows(min_row=HEADER_ROW + 14)]
    texts = [v for v in column_a if v]

    assert texts[0] == "Analysis"
    assert texts[1].startswith("The number of Children in care continues to increase.")
    steps = texts.index("Action/next steps")
    assert len(texts) - steps - 1 == 4
    assert texts[steps + 1].startswith("- The number and rate of looked after children")


def test_statistics_sheet(client):
    sheet = _xlsx(client)["Statistics"]
    header = [c.value for c in sheet[HEADER_ROW]]
    rows = {row[2].value: row for row in sheet.iter_rows(min_row=HEADER_ROW + 1)}

    assert header[:9] == [
        "Priority area",
        "Ref",
        "Indicator",
        "Outturn type",
        "Month",
        "Latest value",
        "Target",
        "RAG",
        "DoT",
    ]
    assert len(rows) == 29
    ifa = {name: cell for name, cell in zip(header, rows[IFA], strict=True)}
    assert ifa["Priority area"].value == "Robust corporate parenting"
    assert ifa["Month"].value == "Feb-22"
    assert ifa["Latest value"].value == pytest.approx(0.51)
    assert ifa["Latest value"].number_format == "0%"
    assert ifa["Target"].value == "<36%"
    assert ifa["RAG"].value == "Red"
    assert ifa["DoT"].value == "Worsening"
    assert ifa["% change from previous month"].value == pytest.approx(0.186047, abs=1e-6)
    assert ifa["% change from same month last year"].value is None
    assert ifa["12-month average"].value == pytest.approx(345 / 11 / 100, abs=1e-6)
    assert ifa["12-month maximum"].value == pytest.approx(0.51)
    # Trial limits from the seed's 11 months (issue 12): 51% is above the upper limit.
    assert ifa["SPC signal"].value == "Special cause of concern (high), trial limits"
    assert ifa["Verdict"].value.startswith("Red: 51% against a target below 36%.")
    # A percentage's change in percentage points (43% -> 51%), and what the DoT compares.
    assert ifa["Change in percentage points from previous month"].value == pytest.approx(8)
    assert ifa["Change in percentage points from previous month"].number_format.startswith(
        '+0.0" pp"'
    )
    assert ifa["What the DoT compares"].value == "Worsening since January 2022 (51% vs 43%)"
    rate = {name: cell for name, cell in zip(header, rows[REFERRAL_RATE], strict=True)}
    assert rate["What the DoT compares"].value == (
        "Down on the monthly increase (43 vs 95); year to date 896"
    )
    assert rate["Change in percentage points from previous month"].value is None
    assert sheet.cell(row=TITLE_ROW + 1, column=1).value == "Data to end of February 2022."


def test_2019_layout_workbook(client):
    sheet = _xlsx(client, columns="2019")["Robust corporate parenting"]
    header = [c.value for c in sheet[HEADER_ROW]]

    # The council's 2019 layout (issue 12): Ref first, the 13 months to the reporting month,
    # no target, Percentage? and the three benchmarks.
    assert header == [
        "Ref",
        "Indicator",
        "Owner",
        "Reporter",
        "Outcome",
        "Feb-21",
        "Mar-21",
        *MONTHS,
        "% change from previous month",
        "% change from same month prev. yr",
        "DoT",
        "12 month average",
        "12-mnth max value",
        "Percentage?",
        "Stat. Neighbour",
        "England",
        "SE region",
    ]
    ifa = next(row for row in sheet.iter_rows(min_row=HEADER_ROW + 1) if row[1].value == IFA)
    assert ifa[2].value == "Jo Feeney"
    assert ifa[17].value == pytest.approx(0.51)
    assert ifa[18].value == pytest.approx(0.186047, abs=1e-6)
    assert ifa[18].number_format == "+0%;-0%;0%"  # whole percentages, as the council prints
    assert ifa[20].value == "↓ Worsening"
    assert ifa[22].value == pytest.approx(0.51)
    assert [c.value for c in ifa[23:]] == ["P", pytest.approx(0.36), 0.36, 0.38]
    assert sheet.cell(row=1, column=25).value == "Updated Feb-22 using 20-21 data"


def test_the_importer_reads_the_workbook_back_unchanged(client):
    """The round trip: the importer finds nothing to change (percent cells read as 51%, not
    0.51; TBC, N/A and blanks as they are)."""
    response = client.get(performance_url(SLUG), {"format": "xlsx"})
    plan = import_plan.plan_import(
        panel=Panel.objects.get(slug=SLUG), workbook=reading.read_workbook(response.content)
    )

    assert [issue.message for issue in plan.errors] == []
    assert not plan.has_changes, [str(change) for change in plan.changes][:5]
    assert len(plan.matched) == 29


def test_csv_matches_the_seed(client):
    response = client.get(performance_url(SLUG), {"format": "csv", "year": 2021})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))

    assert rows[0] == ["Priority area", *HEADERS]
    body = rows[1:]
    expected = [
        (area, seed_row[0])
        for area, seed in zip(AREAS, seed_tables(), strict=True)
        for seed_row in seed.rows
    ]
    assert [(row[0], row[1]) for row in body] == expected
    first = first_rows()
    for row in body:
        seed_row = first[row[1]]
        # Figures as printed (no thousands separators, so that the file reads as numbers);
        # the seed prints a percentage row's 95 without its sign.
        assert [c.rstrip("%") for c in row[3:]] == [c.strip().rstrip("%") for c in seed_row[2:]]
    ifa = next(row for row in body if row[1] == IFA)
    assert ifa[12:15] == ["43%", "51%", "<36%"]


def test_unknown_format_or_year_is_not_found(client):
    assert client.get(performance_url(SLUG), {"format": "pdf"}).status_code == 404
    assert client.get(performance_url(SLUG), {"format": "xlsx", "year": 2019}).status_code == 404


@pytest.mark.parametrize("publish_month", [False, True])
def test_unpublished_values_are_never_exported(client, publish_month):
    ifa = Indicator.objects.get(name=IFA)
    ValueFactory(indicator=ifa, month=MAR_22, number=Decimal("77.7"))
    contacts = Indicator.objects.get(name="Number of contacts")
    ValueFactory(
        indicator=contacts, month=MAR_22, number=Decimal(12345), state=Value.State.APPROVED
    )
    if publish_month:
        PublicationFactory(panel=ifa.panel, month=MAR_22, published_at=timezone.now())

    sheet = _xlsx(client)["Robust corporate parenting"]
    header = [c.value for c in sheet[HEADER_ROW]]
    row = next(r for r in sheet.iter_rows(min_row=HEADER_ROW + 1) if r[0].value == IFA)
    # A published month with no published figure adds no column: the export, like the
    # pages, is at the latest month with figures.
    assert "Mar-22" not in header
    assert row[12].value is not None
    csv_text = client.get(performance_url(SLUG), {"format": "csv"}).content.decode()
    assert "12345" not in csv_text and "12,345" not in csv_text
    book = _xlsx(client)
    for sheet in book.worksheets:
        for cells in sheet.iter_rows():
            assert all(c.value not in (12345, 0.777, 77.7) for c in cells), sheet.title


def test_export_dataset_command(tmp_path):
    path = tmp_path / "dataset.xlsx"
    out = io.StringIO()
    call_command("export_dataset", "--panel", SLUG, "--year", "2021", str(path), stdout=out)

    assert "Wrote 35 rows of Children and Families Scrutiny Panel, 2021/22" in out.getvalue()
    book = load_workbook(path)
    assert book.sheetnames[-1] == "Statistics"
    assert [c.value for c in book["Robust corporate parenting"][HEADER_ROW]] == HEADERS

    csv_path = tmp_path / "dataset.csv"
    call_command(
        "export_dataset", "--panel", SLUG, "--columns", "2019", str(csv_path), stdout=io.StringIO()
    )
    assert csv_path.read_text(encoding="utf-8-sig").startswith("Priority area,Ref,Indicator,Owner")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--panel", "nope", "x.xlsx"], "No panel with the slug “nope”."),
        (["--panel", SLUG, "x.pdf"], "Give the file a .xlsx or .csv name (not “x.pdf”)."),
        (
            ["--panel", SLUG, "--year", "2019", "x.xlsx"],
            "The panel “Children and Families Scrutiny Panel” has published no data for 2019/20.",
        ),
    ],
)
def test_export_dataset_refuses_with_a_message(tmp_path, args, message):
    args = [*args[:-1], str(tmp_path / args[-1])]
    with pytest.raises(CommandError) as error:
        call_command("export_dataset", *args)
    assert str(error.value) == message
    assert not list(tmp_path.iterdir())
