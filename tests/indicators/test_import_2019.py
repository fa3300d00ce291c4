"""The council's real 2019-layout monthly dataset: P and - in the Percentage? column, refs
with spaces and brackets, the precision the file prints, changes computed from unrounded
figures, the benchmark year's note, and the product's own 2019 export read back."""

from datetime import date
from decimal import Decimal as D

import pytest

from indicators import services
from indicators.models import BenchmarkValue, Indicator, Value
from indicators.rules import validation
from indicators.services import import_plan
from indicators.workbook import collect, layout_2019, reading

from .entry_fixtures import make_dataset
from .workbooks import RealRow, book_2019_real

pytestmark = pytest.mark.django_db
TODAY = date(2019, 3, 20)
FEB_19 = date(2019, 2, 1)

#: Unrounded figures, Feb-18 … Feb-19. 20.04 → 20.93 is +4.4% (printed 4%), but the printed
#: cells 20.0 → 20.9 give +4.5%, which rounds half up to 5%: a point apart, and no disagreement.
LAC6_PCT = RealRow(
    ref="LAC6 (%)",
    name="Children in care placed more than 20 miles from home",
    percentage=True,
    figures=[25.76, 24.64, 23.1, 22.35, 21.8, 22.04, 21.65, 21.2, 20.81, 20.5, 20.3, 20.04, 20.93],
    owner="Jo Feeney",
    outcome="Children live near their families",
    benchmarks=[17.24, 15.9, 16.43],
)
LAC6_VAL = RealRow(
    ref="LAC6 (val)",
    name="Children in care placed more than 20 miles from home",
    percentage=False,
    figures=[130, 128, 125, 126, 124, 121, 120, 119, 118, 117, 117, 116, 121],
    benchmarks=[None, None, None],
)
M6_QL = RealRow(
    ref="M6-QL (val)",
    name="Rate of referrals per 10,000 of the under-18 population",
    percentage=False,
    figures=[582, 575, 590, 601, 566, 548, 560, 571, 580, 592, 603, 611, 598],
    benchmarks=[557, 552, 498],
)
CP2B = RealRow(
    ref="CP2b %",
    name="Child protection plans lasting two years or more",
    percentage=True,
    figures=[3.42, 3.1, 2.96, None, 3.35, 3.8, 4.12, 4.0, 3.71, 3.5, 3.27, 3.04, 2.86],
    benchmarks=[2.2, "N/A", 2.05],
)
REAL_ROWS = [LAC6_PCT, LAC6_VAL, M6_QL, CP2B]
FIRST_ROW = 4  # title, note, header, then the rows


@pytest.fixture
def ds():
    return make_dataset()


def run(ds, data, **kwargs):
    return services.import_workbook(
        user=ds.performance, panel=ds.panel, source=data, today=TODAY, **kwargs
    )


def messages(plan, level=None):
    return [i.message for i in plan.issues if level is None or i.level == level]


def test_a_real_2019_workbook_imports_with_its_percentages_and_precision(ds):
    plan, result = run(ds, book_2019_real(REAL_ROWS))

    assert messages(plan, validation.ERROR) == []
    assert not any("a count must be a whole number" in m for m in messages(plan))
    assert result.indicators_created == 4
    made = {i.ref: i for i in Indicator.objects.filter(panel=ds.panel).exclude(ref="")}
    assert {ref: (i.outturn_type, i.decimals) for ref, i in made.items()} == {
        "LAC6 (%)": ("percentage", 1),
        "LAC6 (val)": ("number", 0),
        "M6-QL (val)": ("rate", 0),  # its name says a rate (issue 12)
        "CP2b %": ("percentage", 1),
    }
    pct = made["LAC6 (%)"]
    assert Value.objects.get(indicator=pct, month=FEB_19).number == D("20.9")
    assert Value.objects.get(indicator=pct, month=date(2018, 2, 1)).number == D("25.8")
    assert Value.objects.filter(indicator=pct).count() == 13
    assert not Value.objects.filter(indicator=made["CP2b %"], month=date(2018, 5, 1)).exists()
    assert Value.objects.get(indicator=made["M6-QL (val)"], month=FEB_19).number == D(598)
    assert pct.owner is None and pct.outcome == "Children live near their families"
    # Two rows, one name: each ref is its own indicator, so the second keeps its ref in its name.
    assert made["LAC6 (val)"].name == f"{LAC6_VAL.name} (LAC6 (val))"
    assert import_plan.MSG_NAME_TAKEN.format(
        indicator=LAC6_VAL.name, ref="LAC6 (val)", name=made["LAC6 (val)"].name
    ) in messages(plan, validation.WARNING)
    # The changes were printed from unrounded figures: a point out is no disagreement.
    assert [m for m in messages(plan) if "recomputed" in m] == []


def test_the_note_above_the_benchmarks_gives_their_year(ds):
    run(ds, book_2019_real(REAL_ROWS, note="Updated Mar-19 using 16-17 data"))

    held = BenchmarkValue.objects.filter(indicator__ref="LAC6 (%)").select_related("comparator")
    assert {(b.comparator.name, b.year, b.number) for b in held} == {
        ("Statistical Neighbours", 2016, D("17.2")),
        ("England", 2016, D("15.9")),
        ("South East", 2016, D("16.4")),
    }
    cp2b = BenchmarkValue.objects.get(indicator__ref="CP2b %", comparator__name="England")
    assert (cp2b.number, cp2b.status) == (None, "na")
    # The note is not a priority area.
    assert not any("Updated" in m for m in messages_of_areas(ds))


def messages_of_areas(ds):
    return [a.name for a in ds.panel.priority_areas.all()]


def test_without_a_note_the_benchmarks_are_for_the_year_before_the_table_s(ds):
    run(ds, book_2019_real(REAL_ROWS, note=None))

    years = set(BenchmarkValue.objects.values_list("year", flat=True))
    assert years == {2017}  # Feb-19 is in 2018/19


def test_refs_are_matched_exactly(ds):
    ds.rereferrals.ref = "CP2b %"
    ds.rereferrals.save()
    ds.contacts.ref = "lac6 (%)"  # another ref: case matters
    ds.contacts.save()
    ds.cla.name = LAC6_VAL.name  # the name of a row whose ref it does not carry
    ds.cla.ref = "LAC7"
    ds.cla.save()

    plan, _ = run(ds, book_2019_real(REAL_ROWS))

    assert messages(plan, validation.ERROR) == []
    assert Value.objects.filter(indicator=ds.rereferrals).count() == 12
    assert not Value.objects.filter(indicator__in=[ds.contacts, ds.cla]).exists()
    refs = set(Indicator.objects.filter(panel=ds.panel).values_list("ref", flat=True))
    assert {"LAC6 (%)", "LAC6 (val)", "lac6 (%)", "M6-QL (val)", "CP2b %"} <= refs


def test_a_real_disagreement_in_a_printed_change_is_a_warning(ds):
    wrong = RealRow(**{**LAC6_PCT.__dict__, "pct_prev": 12.0, "pct_year": -19.0})
    plan, result = run(ds, book_2019_real([wrong]))

    assert result is not None  # warnings do not stop the import
    found = [i for i in plan.warnings if "recomputed" in i.message]
    assert [i.message for i in found] == [
        import_plan.MSG_DERIVED_DIFFERS.format(
            indicator=LAC6_PCT.name,
            column="% change from previous month",
            file="12%",
            computed="4.5%",
        )
    ]
    # Row 4; the change columns follow the 5 lead columns and 13 months: column S.
    assert found[0].text.startswith(f"Sheet “Dataset”, row {FIRST_ROW}, column S: ")


def test_a_real_disagreement_in_the_average_is_a_warning(ds):
    from openpyxl import load_workbook

    data = book_2019_real([M6_QL])
    book = load_workbook(__import__("io").BytesIO(data))
    book.active["V4"] = 600  # the 12-month average of the printed figures is 582.9
    out = __import__("io").BytesIO()
    book.save(out)
    plan, _ = run(ds, out.getvalue(), dry_run=True)

    assert [i.text for i in plan.warnings if "recomputed" in i.message] == [
        "Sheet “Dataset”, row 4, column V: "
        + import_plan.MSG_DERIVED_DIFFERS.format(
            indicator=M6_QL.name, column="12 month average", file="600", computed="582.9"
        )
    ]


def test_an_unknown_percentage_mark_is_an_error_naming_the_cell(ds):
    from openpyxl import load_workbook

    book = load_workbook(__import__("io").BytesIO(book_2019_real([M6_QL])))
    book.active["X4"] = "Maybe"
    out = __import__("io").BytesIO()
    book.save(out)
    plan, result = run(ds, out.getvalue())

    assert result is None
    assert [i.text for i in plan.errors][0] == (
        "Sheet “Dataset”, row 4, column X: "
        + collect.MSG_PERCENTAGE_MARK.format(indicator=M6_QL.name, text="Maybe")
    )
    assert not Indicator.objects.filter(ref="M6-QL (val)").exists()


def test_a_bad_cell_names_sheet_row_and_column_and_nothing_is_written(ds):
    from openpyxl import load_workbook

    book = load_workbook(__import__("io").BytesIO(book_2019_real(REAL_ROWS)))
    book.active["R6"] = "about 600"  # M6-QL (val), Feb-19
    out = __import__("io").BytesIO()
    book.save(out)
    before = (Indicator.objects.count(), Value.objects.count(), BenchmarkValue.objects.count())
    plan, result = run(ds, out.getvalue())

    assert result is None
    assert [i.text for i in plan.errors] == [
        "Sheet “Dataset”, row 6, column R: "
        + validation.MSG_UNREADABLE.format(
            indicator=M6_QL.name, month="February 2019", text="about 600"
        )
    ]
    after = (Indicator.objects.count(), Value.objects.count(), BenchmarkValue.objects.count())
    assert after == before


def test_the_2019_export_is_the_layout_and_reads_back_the_same(ds):
    """Real file → import → the product's 2019 export → import into another panel: the same
    values, precision and benchmarks."""
    from openpyxl import load_workbook

    from indicators import exports, selectors, tables
    from tests.factories import PanelFactory

    run(ds, book_2019_real(REAL_ROWS), publish=True)
    dataset = selectors.panel_dataset(panel=ds.panel)
    assert dataset.month == FEB_19
    data = exports.monitoring_xlsx(dataset=dataset, year=2018, layout=tables.LAYOUT_2019)

    # The file had no area heading, so its rows are in the area named after its sheet.
    sheet = load_workbook(__import__("io").BytesIO(data))["Dataset"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header_at = next(i for i, row in enumerate(rows) if row[:2] == ["Ref", "Indicator"])
    header = rows[header_at]
    assert header == [
        "Ref",
        "Indicator",
        "Owner",
        "Reporter",
        "Outcome",
        *[f"{m:%b-%y}" for m in layout_2019.months_to(reporting_month=FEB_19)],
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
    assert header[5] == "Feb-18" and header[17] == "Feb-19"
    # The note above the benchmark columns (column Y) says their year.
    assert [row[24] for row in rows[:header_at] if row[24]] == ["Updated Feb-19 using 17-18 data"]
    by_ref = {row[0]: row for row in rows[header_at + 1 :] if row[0]}
    assert by_ref["LAC6 (%)"][23] == "P" and by_ref["M6-QL (val)"][23] == "-"
    assert by_ref["LAC6 (%)"][17] == pytest.approx(0.209)
    # The header, the area's heading below it, then the rows.
    assert rows[header_at + 1][:2] == ["Dataset", None]
    pct_cell = sheet.cell(row=header_at + 1 + 2, column=18)
    assert pct_cell.number_format == "0.0%"

    other = PanelFactory(name="Another panel", slug="another")
    plan, result = services.import_workbook(
        user=ds.performance, panel=other, source=data, today=TODAY
    )
    assert messages(plan, validation.ERROR) == []
    assert [m for m in messages(plan) if "recomputed" in m] == []

    def held(panel):
        indicators = Indicator.objects.filter(panel=panel).exclude(ref="")
        return {
            i.ref: (
                i.name,
                i.priority_area.name,
                i.outturn_type,
                i.decimals,
                sorted((v.month, v.number, v.status) for v in i.values.all()),
                sorted(
                    (b.comparator.name, b.year, b.number, b.status)
                    for b in i.benchmarks.select_related("comparator")
                ),
            )
            for i in indicators
        }

    assert held(other) == held(ds.panel)
    assert len(held(other)) == 4


def test_the_demo_s_2019_export_reads_back_changing_nothing(db):
    """The seed's own dataset (counts, rates, cumulative measures, TBC and N/A) in the 2019
    layout: the importer finds nothing to change and no printed change it disagrees with."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from indicators import exports, selectors, tables
    from meetings.models import Panel

    call_command("load_demo", verbosity=0)
    panel = Panel.objects.get()
    data = exports.monitoring_xlsx(
        dataset=selectors.panel_dataset(panel=panel), year=2021, layout=tables.LAYOUT_2019
    )
    plan, _ = services.import_workbook(
        user=get_user_model().objects.get(username="performance"),
        panel=panel,
        source=data,
        dry_run=True,
    )

    assert [i.text for i in plan.errors] == []
    assert plan.changes == [] and not plan.new_indicators
    assert [i.text for i in plan.warnings if "recomputed" in i.message] == []
    assert plan.unchanged > 300


def test_the_2019_export_never_carries_a_live_formula(ds):
    """Outcome and Reporter are new free text in the export: as text, never formulas."""
    import csv
    import io

    from openpyxl import load_workbook

    from indicators import exports, selectors, tables

    run(ds, book_2019_real([M6_QL]), publish=True)
    Indicator.objects.filter(ref="M6-QL (val)").update(
        outcome='=HYPERLINK("http://x")', name="=1+1"
    )
    dataset = selectors.panel_dataset(panel=ds.panel)
    book = load_workbook(
        io.BytesIO(exports.monitoring_xlsx(dataset=dataset, year=2018, layout=tables.LAYOUT_2019))
    )
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert [c.data_type for c in cells if str(c.value).startswith("=")] == ["s", "s", "s"]
    text = exports.monitoring_csv(dataset=dataset, year=2018, layout=tables.LAYOUT_2019)
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert not any(cell.startswith("=") for row in rows for cell in row)
    assert "'=1+1" in rows[1] and '\'=HYPERLINK("http://x")' in rows[1]


def areas_of(panel):
    return {
        i.ref: i.priority_area.name if i.priority_area else None
        for i in Indicator.objects.filter(panel=panel)
        .exclude(ref="")
        .select_related("priority_area")
    }


@pytest.mark.parametrize("title", ["auto", None])
def test_title_rows_are_no_area_and_a_file_without_headings_is_one_area(ds, client, title):
    """The title, a blank row and the benchmark note above the header are the workbook's,
    never a priority area; with no area heading below the header, the sheet is the area, and
    its indicators show in the monitoring table and its export."""
    from openpyxl import load_workbook

    from indicators import exports, selectors, tables
    from indicators.views import performance_url

    before = set(ds.panel.priority_areas.values_list("name", flat=True))
    plan, _ = run(ds, book_2019_real(REAL_ROWS, title=title), publish=True)

    assert messages(plan, validation.ERROR) == []
    assert set(ds.panel.priority_areas.values_list("name", flat=True)) - before == {"Dataset"}
    assert [m for m in messages(plan) if "Priority area" in m] == [
        import_plan.MSG_NEW_AREA.format(area="Dataset")
    ]
    assert set(areas_of(ds.panel).values()) == {"Dataset"}
    page = client.get(performance_url(ds.panel.slug), {"year": 2018, "columns": "2019"})
    text = page.content.decode()
    assert page.status_code == 200
    assert all(row.ref in text for row in REAL_ROWS) and "Children&#x27;s Services" not in text
    data = exports.monitoring_xlsx(
        dataset=selectors.panel_dataset(panel=ds.panel), year=2018, layout=tables.LAYOUT_2019
    )
    sheet = load_workbook(__import__("io").BytesIO(data))["Dataset"]
    refs = {row[0] for row in sheet.iter_rows(values_only=True)}
    assert {row.ref for row in REAL_ROWS} <= refs


def test_area_headings_below_the_header_give_each_row_its_area(ds):
    not_yet = (2, "Care leavers in touch at 19")  # a name alone: no figures yet, no heading
    rows = [LAC6_PCT, "Children in care", LAC6_VAL, None, "Early Help", M6_QL, not_yet, CP2B]
    plan, _ = run(ds, book_2019_real(rows))

    assert messages(plan, validation.ERROR) == []
    assert areas_of(ds.panel) == {
        "LAC6 (%)": "Dataset",  # before any heading: the sheet's area
        "LAC6 (val)": "Children in care",
        "M6-QL (val)": "Early Help",
        "CP2b %": "Early Help",
    }
    assert Value.objects.filter(indicator__ref="CP2b %").count() == 12  # after a blank row


def test_a_title_naming_another_month_is_a_warning_naming_sheet_and_row(ds):
    title = "Children's Services Performance Dataset – January 2019"
    plan, result = run(ds, book_2019_real(REAL_ROWS, title=title))

    assert result is not None
    assert [i.text for i in plan.warnings if "title" in i.message] == [
        "Sheet “Dataset”, row 1, column A: "
        + reading.MSG_TITLE_MONTH.format(title=title, named="January 2019", last="February 2019")
    ]
    same, _ = run(ds, book_2019_real([M6_QL]), dry_run=True)
    assert [i for i in same.warnings if "title" in i.message] == []


def test_a_new_indicator_named_as_a_rate_is_a_rate_and_an_existing_one_keeps_its_type(ds):
    ds.contacts.ref = "LAC6 (val)"  # a count whose row in the file has no rate in its name
    ds.contacts.save()
    ds.cla.ref = "CP2b %"
    ds.cla.save()
    renamed = RealRow(**{**LAC6_VAL.__dict__, "name": "Rate of children in care per 10,000"})
    plan, _ = run(ds, book_2019_real([M6_QL, renamed]))

    assert messages(plan, validation.ERROR) == []
    assert Indicator.objects.get(ref="M6-QL (val)").outturn_type == "rate"
    ds.contacts.refresh_from_db()
    assert ds.contacts.outturn_type == "number"
    assert not any("the dataset's type is kept" in m for m in messages(plan))
