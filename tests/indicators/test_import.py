"""The Excel importer: both layouts, awkward headings and cells, atomicity, idempotence, the
command line, speed and hypothesis-generated files."""

import io
from datetime import date, datetime
from decimal import Decimal as D
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from indicators import services
from indicators.models import (
    BenchmarkValue,
    Comparator,
    Indicator,
    Publication,
    Target,
    Value,
    ValueRevision,
)
from indicators.rules import validation
from indicators.services import import_plan, imports
from indicators.workbook import collect, reading

from .entry_fixtures import add_values, make_dataset
from .workbooks import MONTHS_2122, book_2019, book_2022, to_bytes

pytestmark = pytest.mark.django_db
TODAY = date(2022, 3, 20)
REREF = "Percentage of re-referrals within 12 months"


@pytest.fixture
def demo(db):
    """The seed demo loaded for the tests that ask for it: this module's other tests build
    their own panel, which a module-wide demo would collide with."""
    call_command("load_demo", verbosity=0)


@pytest.fixture
def ds():
    return make_dataset()


def run(ds, data, *, user=None, **kwargs):
    return services.import_workbook(
        user=user or ds.performance, panel=ds.panel, source=data, today=TODAY, **kwargs
    )


def texts(plan, level=None):
    return [i.text for i in plan.issues if level is None or i.level == level]


REREF_ROW = [
    REREF,
    "PERCENTAGE",
    "21%",
    "27%",
    "26%",
    "33%",
    "26%",
    "31%",
    "24%",
    "24%",
    "27%",
    "25%",
    "29%",
    "23%",
    "28%",
    "22%",
    "28%",
    "23%",
    "N/A",
]
CONTACTS_ROW = [
    "Number of contacts",
    "NUMBER",
    1828,
    2016,
    2294,
    2093,
    1781,
    2038,
    1895,
    1843,
    1653,
    1880,
    1606,
    "TBC",
    15657,
    17661,
    "N/A",
    "N/A",
    "N/A",
]
CLA_ROW = [
    "Number of CLA at the end of the month",
    "NUMBER",
    494,
    498,
    501,
    508,
    508,
    517,
    525,
    540,
    544,
    551,
    560,
    "TBC",
    486,
    495,
    615,
    "N/A",
    None,
]


def seedlike() -> bytes:
    return book_2022(
        [
            ("Right service at the right time", [REREF_ROW, CONTACTS_ROW]),
            ("Robust corporate parenting", [CLA_ROW]),
        ]
    )


def test_the_2022_layout_imports_values_targets_and_benchmarks(ds):
    plan, result = run(ds, seedlike())
    assert plan.errors == []
    assert result.created == 3 * 11 + 3 + 14  # values, three targets (TBC too), benchmarks
    value = Value.objects.get(indicator=ds.rereferrals, month=date(2021, 4, 1))
    assert (value.number, value.status, value.state) == (D(21), "", "provisional")
    assert (value.entered_by, value.entered_at is not None) == (ds.performance, True)
    record = value.history.get()
    assert (record.history_type, record.history_user, record.number, record.month) == (
        "+",
        ds.performance,
        D(21),
        date(2021, 4, 1),
    )
    assert record.history_change_reason == "Imported from a workbook"
    assert Target.history.count() == 3 and BenchmarkValue.history.count() == 14
    assert Value.objects.filter(indicator=ds.contacts).count() == 11
    target = Target.objects.get(indicator=ds.rereferrals, year=2021)
    assert (target.number, target.bound) == (D(23), "")
    assert Target.objects.get(indicator=ds.contacts, year=2021).status == "tbc"
    southampton = Comparator.objects.get(name="Southampton")
    assert southampton.kind == "own"
    own = BenchmarkValue.objects.filter(indicator=ds.contacts, comparator=southampton)
    assert {(b.year, b.number) for b in own} == {(2019, D(15657)), (2020, D(17661))}
    neighbours = BenchmarkValue.objects.get(
        indicator=ds.cla, comparator__name="Statistical Neighbours"
    )
    assert (neighbours.year, neighbours.number) == (2020, D(615))
    england = BenchmarkValue.objects.get(indicator=ds.rereferrals, comparator__name="England")
    assert england.status == "na"
    # A blank cell is no figure: nothing is written for it.
    assert not BenchmarkValue.objects.filter(indicator=ds.cla, comparator__name="England").exists()


def test_importing_the_same_file_twice_changes_nothing(ds):
    data = seedlike()
    run(ds, data)
    history = Value.history.count()
    plan, result = run(ds, data)
    assert (plan.has_changes, plan.changes) == (False, [])
    assert result.created == result.changed == 0
    assert result.unchanged == 3 * 11 + 3 + 14
    assert Value.history.count() == history


def test_a_file_with_one_bad_cell_writes_nothing(ds):
    bad = [*CLA_ROW]
    bad[12] = "five hundred"  # Feb-22, the last value of the last row
    data = book_2022(
        [
            ("Right service at the right time", [REREF_ROW, CONTACTS_ROW]),
            ("Robust corporate parenting", [bad]),
        ]
    )
    plan, result = run(ds, data)
    assert result is None
    assert texts(plan, validation.ERROR) == [
        validation.MSG_AT.format(
            sheet="Sheet",
            row=13,
            column="M",
            message=validation.MSG_UNREADABLE.format(
                indicator="Number of CLA at the end of the month",
                month="February 2022",
                text="five hundred",
            ),
        )
    ]
    assert not Value.objects.exists() and not Target.objects.exists()
    assert not Comparator.objects.exists()


def test_apply_refuses_a_plan_with_errors(ds):
    bad = [*REREF_ROW]
    bad[2] = "121%"
    workbook = reading.read_workbook(book_2022([("", [bad])]))
    plan = import_plan.plan_import(panel=ds.panel, workbook=workbook, today=TODAY)
    message = validation.MSG_PERCENTAGE_RANGE.format(
        indicator=REREF, month="April 2021", value="121"
    )
    assert [i.message for i in plan.errors] == [message]
    with pytest.raises(services.Rejected):
        services.apply_import(user=ds.performance, plan=plan)
    assert not Value.objects.exists()


@pytest.mark.parametrize(
    "months",
    [
        ["Apr 21", "May 21"],
        ["April 2021", "May 2021"],
        ["2021-04", "2021-05"],
        [datetime(2021, 4, 1), datetime(2021, 5, 1)],
        [" Apr-21\n", "May -21"],
        ["Apr-2021", "Sept 2021"],
    ],
)
def test_month_headings_as_councils_write_them(ds, months):
    row = [REREF, "Percentage", "21%", "27%", "23%"]
    plan, _ = run(ds, book_2022([("", [row])], months=months, comparators=[]))
    assert plan.errors == []
    got = sorted(Value.objects.filter(indicator=ds.rereferrals).values_list("month", flat=True))
    assert got[0] == date(2021, 4, 1) and len(got) == 2


def test_cells_as_they_come(ds):
    book = Workbook()
    ws = book.active
    ws.title = "Data 2021-22"
    ws.append(["Performance", None, "March 2022"])
    ws.append([])
    ws.append(
        [
            "  Indicator ",
            "Outturn\ntype",
            "Apr-21",
            "May-21",
            "Jun-21",
            "Jul-21",
            "Aug-21",
            "Sep-21",
            "Target",
            "Southampton\n19/20",
        ]
    )
    ws.append(
        [
            f"  {REREF.upper()}  ",
            "PERCENTAGE",
            0.21,
            " 27 % ",
            "TBC",
            "n/a",
            "-",
            None,
            "<36%",
            "Local",
        ]
    )
    ws["C4"].number_format = "0%"
    ws.append(
        ["number of  contacts", "NUMBER", 1828.0, "1,828", "Local", "N/A", "TBC", 12, "TBC", 15657]
    )
    plan, result = run(ds, to_bytes(book))
    assert plan.errors == [], texts(plan)
    series = dict(Value.objects.filter(indicator=ds.rereferrals).values_list("month", "number"))
    assert series[date(2021, 4, 1)] == D(21)  # 0.21 in a percent-formatted cell
    assert series[date(2021, 5, 1)] == D(27)
    statuses = dict(Value.objects.filter(indicator=ds.rereferrals).values_list("month", "status"))
    assert (statuses[date(2021, 6, 1)], statuses[date(2021, 7, 1)]) == ("tbc", "na")
    assert date(2021, 8, 1) not in statuses and date(2021, 9, 1) not in statuses
    target = Target.objects.get(indicator=ds.rereferrals)
    assert (target.bound, target.number) == ("<", D(36))
    assert BenchmarkValue.objects.get(indicator=ds.rereferrals).status == "local"
    contacts = Value.objects.filter(indicator=ds.contacts, month__lte=date(2021, 5, 1))
    assert [v.number for v in contacts] == [D(1828), D(1828)]


def test_a_misprinted_month_is_read_by_its_position(ds):
    months = [*MONTHS_2122]
    months[9] = "Jan-21"  # as in the seed's third table
    plan, _ = run(ds, book_2022([("", [REREF_ROW])], months=months))
    assert validation.MSG_AT.format(
        sheet="Sheet",
        row=3,
        column="L",
        message=reading.MSG_MONTH_RESEQUENCED.format(text="Jan-21", month="January 2022"),
    ) in texts(plan, validation.WARNING)
    assert Value.objects.filter(indicator=ds.rereferrals, month=date(2022, 1, 1)).exists()
    assert not Value.objects.filter(month=date(2021, 1, 1)).exists()


def test_a_month_given_twice_in_a_table_is_an_error(ds):
    plan, result = run(
        ds, book_2022([("", [REREF_ROW[:4]])], months=["Apr-21", "Apr-21"], comparators=[])
    )
    assert result is None
    assert [i.message for i in plan.errors] == [
        reading.MSG_MONTH_REPEATED.format(month="April 2021")
    ]


def test_unknown_indicators_are_created_with_a_warning_in_their_area(ds):
    row = ["Number of care leavers", "NUMBER", 156, 154, 161]
    plan, result = run(
        ds,
        book_2022([("Robust Corporate Parenting", [row])], months=MONTHS_2122[:3], comparators=[]),
    )
    assert result.indicators_created == 1
    created = Indicator.objects.get(name="Number of care leavers")
    assert (created.outturn_type, created.priority_area) == ("number", ds.other_area)
    assert import_plan.MSG_NEW_INDICATOR.format(
        indicator="Number of care leavers", area="priority area “Robust Corporate Parenting”"
    ) in [i.message for i in plan.warnings]
    assert ds.other_area.indicators.filter(pk=created.pk).exists()


def test_a_new_area_heading_creates_the_area(ds):
    row = ["Number of care leavers", "NUMBER", 156]
    plan, _ = run(ds, book_2022([("Care leavers", [row])], months=["Apr-21"], comparators=[]))
    warnings = [i.message for i in plan.warnings]
    assert import_plan.MSG_NEW_AREA.format(area="Care leavers") in warnings
    assert Indicator.objects.get(name="Number of care leavers").priority_area.name == "Care leavers"


def test_an_unknown_indicator_without_an_outturn_type_is_an_error(ds):
    data = book_2019([["X9", "A brand new measure", "", "", "", 5, 6]], months=["Apr-21", "May-21"])
    plan, result = run(ds, data)
    assert result is None
    assert [i.message for i in plan.errors] == [
        import_plan.MSG_OUTTURN_MISSING.format(indicator="A brand new measure")
    ]
    assert not Indicator.objects.filter(name="A brand new measure").exists()


def test_an_unknown_outturn_type_is_an_error(ds):
    row = [*REREF_ROW]
    row[1] = "Ratio"
    plan, result = run(ds, book_2022([("", [row])]))
    assert [i.message for i in plan.errors] == [
        collect.MSG_OUTTURN_UNKNOWN.format(indicator=REREF, text="Ratio")
    ]


def test_repeated_rows_must_agree_on_values_and_keep_the_first_benchmark(ds):
    repeat = [*CLA_ROW]
    repeat[14] = "N/A"  # Southampton 19/20 differs, as in the seed
    plan, result = run(ds, book_2022([("", [CLA_ROW]), ("", [repeat])]))
    assert plan.errors == []
    assert any("differs from “486”" in i.message for i in plan.warnings)
    bench = BenchmarkValue.objects.get(indicator=ds.cla, comparator__name="Southampton", year=2019)
    assert bench.number == D(486)
    clash = [*CLA_ROW]
    clash[2] = 999
    plan, result = run(ds, book_2022([("", [CLA_ROW]), ("", [clash])]))
    assert [i.message for i in plan.errors] == [
        validation.MSG_DUPLICATE.format(indicator=CLA_ROW[0], month="April 2021")
    ]


def test_future_months_in_a_file_are_errors(ds):
    plan, result = run(
        ds, book_2022([("", [[REREF, "PERCENTAGE", "20%"]])], months=["Apr-22"], comparators=[])
    )
    assert result is None
    assert [i.message for i in plan.errors] == [
        validation.MSG_FUTURE_MONTH.format(indicator=REREF, month="April 2022", latest="March 2022")
    ]


def test_changing_a_published_value_needs_a_performance_manager_s_reason(ds):
    add_values(ds.rereferrals, [20])  # April 2021, published
    plan, result = run(ds, seedlike())
    assert result is None
    assert [i.message for i in plan.errors] == [
        import_plan.MSG_PUBLISHED_CHANGE.format(
            indicator=REREF, month="April 2021", old="20", new="21"
        )
    ]
    plan, result = run(ds, seedlike(), revision_reason="Corrected after the audit")
    assert result.revised == 1
    value = Value.objects.get(indicator=ds.rereferrals, month=date(2021, 4, 1))
    assert (value.number, value.revised, value.state) == (D(21), True, "published")
    revision = ValueRevision.objects.get()
    assert (revision.old_display, revision.new_display, revision.reason) == (
        "20",
        "21",
        "Corrected after the audit",
    )


def test_a_changed_approved_value_becomes_provisional(ds):
    add_values(ds.rereferrals, [20], state="approved")
    run(ds, seedlike())
    value = Value.objects.get(indicator=ds.rereferrals, month=date(2021, 4, 1))
    assert (value.number, value.state) == (D(21), "provisional")


def test_only_a_performance_manager_imports(ds):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run(ds, seedlike(), user=ds.officer)
    assert not Value.objects.exists()


def test_publish_approves_and_publishes_what_it_imports(ds):
    plan, result = run(ds, seedlike(), publish=True)
    assert Value.objects.exclude(state="published").count() == 0
    assert Publication.objects.filter(panel=ds.panel).count() == 11
    assert result.published_months[0] == date(2021, 4, 1)


# --- The 2019 layout -------------------------------------------------------------------------

MONTHS_2019 = ["Apr-18", "May-18", "Jun-18"]


def test_the_2019_layout_matches_by_ref_then_name_and_checks_derived_columns(ds):
    ds.rereferrals.ref = "M2-NI"
    ds.rereferrals.save()
    rows = [
        # ref matches even though the name is written differently
        [
            "M2-NI",
            "Re-referrals (12 months)",
            "Jo Feeney",
            "Data team",
            "Fewer repeat referrals",
            "20%",
            "25%",
            "30%",
            "20%",
            "",
            "Worsening",
            "25%",
            "30%",
            "Y",
            "28%",
            "23%",
            "22%",
        ],
        # no ref: matched by name, case and spaces ignored; derived columns disagree
        [
            "",
            "  number OF contacts ",
            "",
            "",
            "",
            100,
            110,
            121,
            0.1,
            "",
            "Up",
            200,
            121,
            "N",
            "N/A",
            "N/A",
            "N/A",
        ],
        [
            "CP1",
            "Children on a plan",
            "Nobody Known",
            "",
            "Safer children",
            339,
            355,
            385,
            "",
            "",
            "↑",
            "",
            "",
            "N",
            406,
            "",
            "",
        ],
    ]
    data = book_2019(rows, months=MONTHS_2019)
    plan, result = run(ds, data)
    assert plan.errors == [], texts(plan)
    assert Value.objects.filter(indicator=ds.rereferrals).count() == 3
    assert Value.objects.get(indicator=ds.rereferrals, month=date(2018, 4, 1)).number == D(20)
    assert Value.objects.filter(indicator=ds.contacts).count() == 3
    new = Indicator.objects.get(ref="CP1")
    assert (new.name, new.outturn_type, new.outcome) == (
        "Children on a plan",
        "number",
        "Safer children",
    )
    warnings = [i.message for i in plan.warnings]
    # 12-month average of 100, 110, 121 is 110.3, not 200; % change 110 -> 121 is 10%: agrees.
    assert (
        import_plan.MSG_DERIVED_DIFFERS.format(
            indicator="number OF contacts", column="12 month average", file="200", computed="110.3"
        )
        in warnings
    )
    assert not any("% change from previous month" in w and "contacts" in w for w in warnings)
    assert not any("Re-referrals" in w and "derived" in w for w in warnings)
    assert (
        import_plan.MSG_PERSON_UNKNOWN.format(
            indicator="Children on a plan", role="owner", name="Nobody Known"
        )
        in warnings
    )
    neighbours = BenchmarkValue.objects.get(
        indicator=ds.rereferrals, comparator__name="Statistical Neighbours"
    )
    assert (neighbours.number, neighbours.year) == (D(28), 2017)
    assert BenchmarkValue.objects.filter(comparator__name="South East").count() == 2


def test_the_2019_layout_warns_when_the_direction_of_travel_disagrees(ds):
    ds.rereferrals.ref = "M2-NI"
    ds.rereferrals.save()
    rows = [["M2-NI", REREF, "", "", "", "20%", "25%", "30%", "", "", "Improving", "", "", "Y"]]
    plan, _ = run(ds, book_2019(rows, months=MONTHS_2019))
    assert import_plan.MSG_DERIVED_DIFFERS.format(
        indicator=REREF, column="DoT", file="Improving", computed="Worsening"
    ) in [i.message for i in plan.warnings]


# --- Files that are not workbooks ---------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [b"", b"Indicator,Outturn type\n", b"PK\x03\x04 broken zip", b"\x00" * 100],
)
def test_broken_files_are_refused_with_a_message(ds, data):
    with pytest.raises(reading.ImportRefused) as caught:
        reading.read_workbook(data)
    assert "not an Excel workbook" in caught.value.message


def test_a_workbook_without_a_table_is_refused(ds):
    book = Workbook()
    book.active.append(["Just a title"])
    with pytest.raises(reading.ImportRefused) as caught:
        reading.read_workbook(to_bytes(book))
    assert caught.value.message == reading.MSG_NO_TABLE


# --- The command line ------------------------------------------------------------------------


def test_the_command_imports_and_is_idempotent(ds, tmp_path):
    path = tmp_path / "dataset.xlsx"
    path.write_bytes(seedlike())
    out = io.StringIO()
    call_command(
        "import_dataset", str(path), "--panel", "cf", "--dry-run", stdout=out, stderr=io.StringIO()
    )
    assert "Dry run, nothing written" in out.getvalue()
    assert not Value.objects.exists()
    call_command(
        "import_dataset", str(path), "--panel", "cf", "--publish", stdout=out, stderr=io.StringIO()
    )
    assert Value.objects.published().count() == 33
    out = io.StringIO()
    call_command("import_dataset", str(path), "--panel", "cf", stdout=out, stderr=io.StringIO())
    assert "0 to create, 0 to change, 0 to revise" in out.getvalue()


def test_the_command_fails_with_the_same_messages(ds, tmp_path):
    bad = [*REREF_ROW]
    bad[3] = "lots"
    path = tmp_path / "bad.xlsx"
    path.write_bytes(
        book_2022(
            [
                (
                    "",
                    [
                        REREF_ROW[:2] + REREF_ROW[2:3] + ["5%"] + REREF_ROW[4:],
                    ],
                ),
                ("", [bad]),
            ]
        )
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_dataset", str(path), "--panel", "cf", stdout=io.StringIO(), stderr=err)
    assert validation.MSG_UNREADABLE.format(indicator=REREF, month="May 2021", text="lots") in (
        err.getvalue()
    )
    assert not Value.objects.exists()
    (tmp_path / "notes.xlsx").write_text("not a workbook")
    with pytest.raises(CommandError, match="not an Excel workbook"):
        call_command("import_dataset", str(tmp_path / "notes.xlsx"), "--panel", "cf")
    with pytest.raises(CommandError, match="No panel"):
        call_command("import_dataset", str(path), "--panel", "nope")


# --- Speed -------------------------------------------------------------------------------------


def big_workbook(indicators: int = 250) -> bytes:
    rows = []
    for i in range(indicators):
        kind = ("NUMBER", "PERCENTAGE", "RATE")[i % 3]
        values = [(i * 7 + m * 3) % 90 + 1 for m in range(12)]
        rows.append([f"Generated indicator {i:03d}", kind, *values, "TBC", 50, 40, 30])
    months = [*MONTHS_2122, "Mar-22"]
    return book_2022(
        [("", rows)],
        months=months,
        comparators=["Southampton 19/20", "Statistical Neighbours", "England"],
    )


def test_250_indicators_by_12_months_import_whole(ds, tmp_path):
    """The size `make bench` times (its goal: under a second); here only what it writes."""
    data = big_workbook()
    path = tmp_path / "big.xlsx"
    path.write_bytes(data)
    run(ds, data)  # the first import creates the indicators
    Value.objects.all().delete()
    Target.objects.all().delete()
    BenchmarkValue.objects.all().delete()
    plan, result = run(ds, path)
    assert result.created == 250 * 12 + 250 + 250 * 3
    assert Value.objects.count() == 250 * 12


# --- Round trips -------------------------------------------------------------------------------


def demo_user(name):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)


def test_the_admin_export_of_the_seed_dataset_reimports_changing_nothing(demo, client):
    from django.urls import reverse

    from meetings.models import Panel

    panel = Panel.objects.get()
    performance = demo_user("performance")
    client.force_login(performance)
    ids = list(Indicator.objects.filter(panel=panel).values_list("pk", flat=True))
    response = client.post(
        reverse("admin:indicators_indicator_changelist"),
        {"action": "export_xlsx", "_selected_action": ids},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    before = (Value.history.count(), Target.history.count(), BenchmarkValue.history.count())
    plan, result = services.import_workbook(user=performance, panel=panel, source=response.content)
    assert plan.errors == [] and plan.changes == [] and not plan.new_indicators
    assert plan.unchanged == (
        Value.objects.filter(indicator__panel=panel).count()
        + Target.objects.filter(indicator__panel=panel).count()
        + BenchmarkValue.objects.filter(indicator__panel=panel).count()
    )
    assert (result.created, result.changed) == (0, 0)
    after = (Value.history.count(), Target.history.count(), BenchmarkValue.history.count())
    assert after == before


def test_the_admin_csv_export_prints_figures_as_the_council_does(demo, client):
    from django.urls import reverse

    client.force_login(demo_user("performance"))
    ids = list(
        Indicator.objects.filter(name__startswith="Percentage of CLA placed").values_list(
            "pk", flat=True
        )
    )
    response = client.post(
        reverse("admin:indicators_indicator_changelist"),
        {"action": "export_csv", "_selected_action": ids},
    )
    text = response.content.decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header.startswith("Priority area,Indicator,Outturn type,Apr-21,")
    assert "Southampton 19/20" in header and "Statistical Neighbours" in header
    assert row.endswith(
        "PERCENTAGE,24%,25%,26%,27%,28%,29%,31%,30%,31%,43%,51%,<36%,37%,N/A,36%,38%,36%"
    )


def test_the_public_monitoring_export_reimports_changing_nothing(demo):
    from indicators import exports, selectors
    from meetings.models import Panel

    panel = Panel.objects.get()
    data = exports.monitoring_xlsx(dataset=selectors.panel_dataset(panel=panel), year=2021)
    plan, result = services.import_workbook(
        user=demo_user("performance"), panel=panel, source=data, dry_run=True
    )
    assert plan.errors == [] and plan.changes == []
    assert plan.unchanged > 300


# --- Hypothesis: whatever the file, a message, never a server error ----------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # noqa: E402

HEADINGS = [
    "Indicator",
    "Outturn type",
    "Ref",
    "Owner",
    "Target",
    "Apr-21",
    "May 21",
    "2021-06",
    "April 2021",
    "Jan-21",
    "Statistical Neighbours",
    "Southampton 19/20",
    "SE region",
    "DoT",
    "12 month average",
    "12-mnth max value",
    "Percentage?",
    "% change from previous month",
    "",
]
WORDS = [
    "TBC",
    "N/A",
    "Local",
    "-",
    "21%",
    "<36%",
    " 27 % ",
    "1,828",
    "Not reported",
    "NUMBER",
    "PERCENTAGE",
    "RATE",
    "Improving",
    "Y",
]
safe_text = st.text(max_size=15).map(lambda t: ILLEGAL_CHARACTERS_RE.sub("", t))
cells = st.one_of(
    st.none(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(WORDS + HEADINGS),
    safe_text,
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)),
    st.booleans(),
)
header_rows = st.lists(st.one_of(st.sampled_from(HEADINGS), safe_text), min_size=0, max_size=10)
sheets = st.lists(
    st.tuples(header_rows, st.lists(st.lists(cells, max_size=10), max_size=6)),
    min_size=1,
    max_size=3,
)


def build(tables) -> bytes:
    book = Workbook()
    ws = book.active
    for header, rows in tables:
        ws.append(header)
        for row in rows:
            ws.append(row)
        ws.append([])
    return to_bytes(book)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(tables=sheets, broken=st.sampled_from([None, "truncate", "garbage"]))
def test_generated_workbooks_are_imported_or_refused_with_a_message(ds, tables, broken):
    data = build(tables)
    if broken == "truncate":
        data = data[: len(data) // 2]
    elif broken == "garbage":
        data = data[:30] + bytes(range(256)) + data[300:]
    try:
        plan, _ = run(ds, data)
    except reading.ImportRefused as refused:
        assert refused.message
        return
    assert all(issue.text for issue in plan.issues)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(tables=sheets, raw=st.binary(max_size=200), use_raw=st.booleans())
def test_the_admin_upload_never_fails_with_a_server_error(client, ds, tables, raw, use_raw):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(ds.performance)
    data = raw if use_raw else build(tables)
    response = client.post(
        reverse("admin:indicators_entry_import"),
        {"panel": ds.panel.pk, "file": SimpleUploadedFile("upload.xlsx", data)},
    )
    context = response.context
    refused = bool(context["form"].errors or context["refused"])
    refused = refused or bool(context["plan"] and context["plan"].errors)
    # A refusal is a 400 with its message; anything else is a preview of the plan.
    assert response.status_code == (400 if refused else 200)
    assert refused or context["plan"] is not None


@pytest.mark.django_db(transaction=True)
def test_an_import_cut_off_midway_leaves_nothing_behind(ds):
    """The database connection drops after the values are written and before the benchmarks:
    the transaction is rolled back, so the next reader sees the dataset as it was."""
    from django.db import OperationalError

    real_write = imports.write_figures
    calls = []

    def cut_off(*args, **kwargs):
        calls.append(kwargs["model"])
        if kwargs["model"] is BenchmarkValue:
            raise OperationalError("server closed the connection unexpectedly")
        return real_write(*args, **kwargs)

    before = {
        model: model.objects.count()
        for model in (Value, Value.history.model, Target, BenchmarkValue, Comparator, Indicator)
    }
    with (
        mock.patch.object(imports, "write_figures", side_effect=cut_off),
        pytest.raises(OperationalError),
    ):
        run(ds, seedlike())

    assert Target in calls and BenchmarkValue in calls  # it did stop midway
    assert {model: model.objects.count() for model in before} == before
