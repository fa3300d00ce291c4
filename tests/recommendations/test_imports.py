"""Import of existing trackers: awkward council files, idempotence, errors, the round trip."""

import io
from datetime import date, datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from core import upload_stash
from core.command_line import COMMAND_LINE
from recommendations import importers, services
from recommendations import tracker_format as fmt
from recommendations.importers import TrackerImportError
from recommendations.models import Recommendation, RecommendationUpdate
from recommendations.services import import_tracker

from .conftest import MARCH
from .factories import PASSWORD, meeting_on

LONG_TAKEN = (
    "Update – 18/03/22:\n"
    "• Confidential information was circulated to the Panel.\n"
    "• See https://www.southampton.gov.uk/scrutiny?x=1&y=2 for the papers.\n"
    "\n"
    "Next – a session in autumn 2022."
)


def workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def council_rows():
    return [
        ["Children and Families Scrutiny Panel"],
        ["Scrutiny Monitoring – 31 March 2022"],
        [],
        ["Date", "Title", "Action proposed", "Action Taken", "Progress Status"],
        ["24/01/19", "Early Help", "1) That the Panel receives – in 2019 – a briefing.",
         LONG_TAKEN, "Completed"],
        [None, None, "2) That the offer\nis published.", "", "in train"],
        [datetime(2022, 1, 27), "Quality Assurance Brief",
         "1) That the Scrutiny Manager liaises.", "A meeting has taken place.", "In Train"],
        ["", "", "3) That the Workforce Academy is considered.", "Scheduled.",
         "Not complete – within timescale."],
    ]


def do_import(panel, content, name="tracker.xlsx", **kwargs):
    return import_tracker(panel=panel, content=content, name=name, user=COMMAND_LINE,
                          today=date(2022, 4, 1), **kwargs)


def test_an_awkward_council_file_is_imported_exactly(panel, march_meeting):
    plan = do_import(panel, workbook(council_rows()))
    assert (len(plan.created), len(plan.updated), len(plan.unchanged)) == (4, 0, 0)
    recs = {(r.meeting_date, r.item_title, r.number): r for r in Recommendation.objects.all()}
    early = recs[(date(2019, 1, 24), "Early Help", 1)]
    assert early.action_proposed == "That the Panel receives – in 2019 – a briefing."
    assert early.status.name == "Complete"
    update = early.updates.get()
    assert update.action_taken == LONG_TAKEN
    assert (update.date, update.reported_to, update.status.name) == (
        MARCH, march_meeting, "Complete"
    )
    offer = recs[(date(2019, 1, 24), "Early Help", 2)]
    assert offer.action_proposed == "That the offer\nis published."
    assert offer.status.name == "In train"
    assert not offer.updates.exists()
    qa3 = recs[(date(2022, 1, 27), "Quality Assurance Brief", 3)]
    assert qa3.status.name == "Not complete – within timescale"
    assert qa3.response_due == date(2022, 3, 27)


def test_a_second_import_changes_nothing(panel, march_meeting):
    content = workbook(council_rows())
    do_import(panel, content)
    before = (Recommendation.objects.count(), RecommendationUpdate.objects.count(),
              Recommendation.history.count())
    plan = do_import(panel, content)
    assert (len(plan.created), len(plan.updated), len(plan.unchanged)) == (0, 0, 4)
    assert (Recommendation.objects.count(), RecommendationUpdate.objects.count(),
            Recommendation.history.count()) == before


def test_changed_rows_update_the_matching_recommendation(panel, march_meeting):
    do_import(panel, workbook(council_rows()))
    rows = council_rows()
    rows[6][3] = "Two sessions have been attended."
    rows[6][4] = "Complete"
    plan = do_import(panel, workbook(rows))
    assert [(c.row, c.changes) for c in plan.updated] == [
        (7, ["action taken", "status In train → Complete"])
    ]
    qa1 = Recommendation.objects.get(item_title="Quality Assurance Brief", number=1)
    assert qa1.status.name == "Complete"
    assert qa1.updates.latest().action_taken == "Two sessions have been attended."
    assert Recommendation.objects.count() == 4


def test_any_error_writes_nothing_and_every_error_is_named(panel):
    rows = council_rows()
    rows[5][4] = "Sort of"
    rows[7][0] = "31/13/22"
    rows[7][1] = "Bad date"
    with pytest.raises(TrackerImportError) as caught:
        do_import(panel, workbook(rows))
    messages = [str(error) for error in caught.value.errors]
    assert messages[0].startswith("Row 6, column E (Progress status): “Sort of” is not a known")
    assert messages[1] == "Row 8, column A (Date): " + fmt.ERROR_BAD_DATE.format(value="31/13/22")
    assert not Recommendation.objects.exists()


def test_formulas_are_never_evaluated(panel):
    rows = council_rows()[:5]
    rows[4][2] = "=CONCAT(\"1) \",\"That\")"
    with pytest.raises(TrackerImportError) as caught:
        do_import(panel, workbook(rows))
    assert str(caught.value.errors[0]) == "Row 5, column C (Action proposed): " + (
        fmt.ERROR_NO_PROPOSAL
    )


def test_a_csv_tracker_is_imported_too(panel):
    content = (
        "Date,Title,Action proposed,Action taken,Progress status\r\n"
        '17/06/21,Ofsted Focused Letter,"1) That the Cabinet Member lobbies.","Briefed.\n'
        '• Twice",Partially complete\r\n'
    ).encode("cp1252")
    do_import(panel, content, name="tracker.csv")
    rec = Recommendation.objects.get()
    assert rec.updates.get().action_taken == "Briefed.\n• Twice"
    assert rec.updates.get().date == date(2022, 4, 1)  # no date in a title row: the import's


def test_dry_run_writes_nothing(panel):
    plan = do_import(panel, workbook(council_rows()), dry_run=True)
    assert len(plan.created) == 4
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"x", "tracker.pdf", importers.ERROR_EXTENSION.format(name="tracker.pdf")),
        (b"not a zip", "tracker.xlsx", importers.ERROR_NOT_XLSX.format(name="tracker.xlsx")),
        (b"x" * (importers.MAX_UPLOAD_BYTES + 1), "big.csv", importers.ERROR_TOO_LARGE.format(
            size=importers.MAX_UPLOAD_BYTES + 1, limit=importers.MAX_UPLOAD_BYTES)),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(panel, content, name, message):
    with pytest.raises(TrackerImportError) as caught:
        do_import(panel, content, name=name)
    assert [str(e) for e in caught.value.errors] == [message]


@pytest.mark.parametrize("export_format", ["xlsx", "csv"])
def test_an_exported_report_reimports_to_the_same_records(tracker, client, panel, export_format):
    url = reverse("recommendations:report", args=[MARCH])
    content = client.get(url, {"format": export_format}).content
    before = sorted(Recommendation.objects.values_list("pk", "action_proposed", "status__name"))
    plan = do_import(panel, content, name=f"export.{export_format}")
    assert (len(plan.created), len(plan.updated), len(plan.unchanged)) == (0, 0, 5)
    after = sorted(Recommendation.objects.values_list("pk", "action_proposed", "status__name"))
    assert after == before


def test_an_exported_list_imported_into_an_empty_tracker_recreates_it(tracker, client, panel):
    content = client.get(reverse("recommendations:list"), {"format": "xlsx"}).content
    fields = ("meeting_date", "item_title", "number", "action_proposed", "status__name")
    before = list(Recommendation.objects.order_by("pk").values_list(*fields))
    RecommendationUpdate.objects.all().delete()
    Recommendation.objects.all().delete()
    do_import(panel, content)
    assert list(Recommendation.objects.order_by("pk").values_list(*fields)) == before
    plan = do_import(panel, content)
    assert len(plan.unchanged) == 5


def test_import_tracker_command(panel, tmp_path):
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(workbook(council_rows()))
    out = io.StringIO()
    call_command("import_tracker", str(path), panel=panel.slug, dry_run=True, stdout=out)
    assert "Would create 4" in out.getvalue()
    assert not Recommendation.objects.exists()
    call_command("import_tracker", str(path), panel=panel.slug, stdout=out)
    assert Recommendation.objects.count() == 4
    bad = tmp_path / "bad.csv"
    bad.write_text("Date,Title,Action proposed,Progress status\n01/01/22,X,1) Y,Whatever\n")
    with pytest.raises(CommandError, match=r"Nothing was imported:\nRow 2, column D"):
        call_command("import_tracker", str(bad), panel=panel.slug)


class TestAdminUpload:
    URL = "/admin/recommendations/recommendation/import/"

    @pytest.fixture
    def manager(self, users, client):
        users["manager"].is_staff = True
        users["manager"].save()
        client.login(username="manager", password=PASSWORD)
        return users["manager"]

    def test_upload_preview_confirm(self, panel, march_meeting, manager, client, settings,
                                    tmp_path):
        settings.MEDIA_ROOT = tmp_path
        upload = SimpleUploadedFile("tracker.xlsx", workbook(council_rows()))
        preview = client.post(self.URL, {"panel": panel.pk, "file": upload})
        page = preview.content.decode()
        assert preview.status_code == 200
        assert "4 to create, 0 to update, 0 unchanged." in page
        assert not Recommendation.objects.exists()
        token = preview.context["token"]
        done = client.post(self.URL, {"confirm": "1", "token": token})
        assert done.status_code == 302
        assert Recommendation.objects.count() == 4
        # Nothing is left waiting in the shared upload stash.
        assert not list((tmp_path / upload_stash.STASH_DIR).iterdir())

    def test_errors_are_listed_by_row_and_column_and_nothing_can_be_confirmed(
        self, panel, manager, client, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        rows = council_rows()
        rows[5][4] = "Sort of"
        upload = SimpleUploadedFile("tracker.xlsx", workbook(rows))
        page = client.post(self.URL, {"panel": panel.pk, "file": upload}).content.decode()
        assert "Row 6, column E (Progress status): “Sort of” is not a known" in page
        assert "Confirm the import" not in page

    def test_wrong_file_type_is_refused(self, panel, manager, client):
        upload = SimpleUploadedFile("tracker.pdf", b"%PDF")
        page = client.post(self.URL, {"panel": panel.pk, "file": upload}).content.decode()
        assert "Upload an .xlsx or .csv file." in page

    def test_a_panel_member_cannot_import(self, panel, users, client):
        users["member"].is_staff = True
        users["member"].save()
        client.login(username="member", password=PASSWORD)
        upload = SimpleUploadedFile("tracker.xlsx", workbook(council_rows()))
        assert client.post(self.URL, {"panel": panel.pk, "file": upload}).status_code == 403


def test_meeting_dates_link_to_existing_meetings(panel):
    qa = meeting_on(date(2022, 1, 27), panel)
    do_import(panel, workbook(council_rows()))
    assert Recommendation.objects.get(item_title="Quality Assurance Brief", number=1).meeting == qa


@pytest.mark.django_db(transaction=True)
def test_an_import_cut_off_midway_leaves_nothing_behind(panel, march_meeting):
    """The connection drops while the third recommendation is written: the two before it are
    rolled back with it."""
    from django.db import OperationalError

    real_save = Recommendation.save
    saved = []

    def cut_off(rec, *args, **kwargs):
        if len(saved) == 2:
            raise OperationalError("server closed the connection unexpectedly")
        real_save(rec, *args, **kwargs)
        saved.append(rec.pk)

    with (
        mock.patch.object(Recommendation, "save", autospec=True, side_effect=cut_off),
        pytest.raises(OperationalError),
    ):
        do_import(panel, workbook(council_rows()))

    assert len(saved) == 2  # two were written before the cut
    assert not Recommendation.objects.exists()
    assert not RecommendationUpdate.objects.exists()
    assert not Recommendation.history.exists()


@pytest.mark.parametrize("role", ["nobody", "officer", "member"])
def test_applying_an_import_is_refused_to_anyone_but_the_scrutiny_manager(panel, users, role):
    rows = importers.read_rows(content=workbook(council_rows()), name="tracker.xlsx")
    plan = importers.plan_import(panel=panel, rows=rows, today=date(2022, 4, 1))
    with pytest.raises(PermissionDenied) as refused:
        services.apply_import(plan=plan, user=users[role])
    assert str(refused.value) == services.ERROR_MAY_NOT_IMPORT
    assert not Recommendation.objects.exists()


def test_the_scrutiny_manager_applies_an_import(panel, users):
    rows = importers.read_rows(content=workbook(council_rows()), name="tracker.xlsx")
    plan = importers.plan_import(panel=panel, rows=rows, today=date(2022, 4, 1))
    services.apply_import(plan=plan, user=users["manager"])
    assert Recommendation.objects.count() == 4
    assert {u.author for u in RecommendationUpdate.objects.all()} == {users["manager"]}
