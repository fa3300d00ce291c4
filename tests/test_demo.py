"""The seed demo: what `load_demo` loads, checked against the seed text itself."""

import json
import re
from datetime import date, datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from core import roles
from indicators.models import (
    AreaIndicator,
    BenchmarkValue,
    Commentary,
    Indicator,
    PriorityArea,
    Publication,
    Target,
    Value,
)
from meetings.models import AgendaItem, Attendance, Meeting, Membership, Minute, Resolution
from recommendations.models import Recommendation, RecommendationUpdate
from scrutiny.demo import loader

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "fixtures" / "seeds" / "agenda-pack-2022-03-31.txt"
DEMO = ROOT / "fixtures" / "demo"
LONDON = ZoneInfo("Europe/London")
IFA = "Percentage of CLA placed with IFAs at end of period"
PERMANENCE = (
    "Percentage of Looked after Children (LAC) with a permanence plan in place within 6 months "
    "of BLA"
)


def seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").splitlines()


def block_after(lines: list[str], starts: str, *, skip: int = 0) -> list[str]:
    """The non-blank lines of the block that follows the first line starting with `starts`."""
    index = next(i for i, line in enumerate(lines) if line.startswith(starts)) + 1 + skip
    while not lines[index].strip():
        index += 1
    block = []
    while index < len(lines) and lines[index].strip():
        block.append(lines[index])
        index += 1
    return block


def seed_tables() -> list[tuple[list[str], list[list[str]]]]:
    """Each "What the data tells us" table of the seed as (header cells, rows of cells)."""
    lines = seed_lines()
    tables = []
    for i, line in enumerate(lines):
        if line.startswith("Indicator\tOutturn type\t"):
            rows = []
            j = i + 1
            while lines[j].strip():
                rows.append(lines[j].split("\t"))
                j += 1
            tables.append((line.split("\t"), rows))
    return tables


def expected_counts() -> dict[str, int]:
    """What the demo should hold, counted from the seed text (not from the parser)."""
    lines = seed_lines()
    tables = seed_tables()
    names = list(dict.fromkeys(row[0] for _, rows in tables for row in rows))
    header = tables[0][0]
    months = [h for h in header if re.fullmatch(r"[A-Z][a-z]{2}-\d\d", h)]
    benchmarks = header[header.index("Target") + 1 :]
    areas = block_after(lines, "Priority Areas", skip=1)[1:]
    rated = [a for a in areas if a.split("\t")[2:3] not in ([], [""])]
    dates = block_after(lines, "Dates of Meetings")[1:]
    meetings = sum(1 for line in dates for cell in line.split("\t") if cell.strip())
    agenda_start = lines.index("AGENDA")
    agenda_end = next(
        i for i in range(agenda_start, len(lines)) if lines[i].startswith("Wednesday")
    )
    agenda = [
        line
        for line in lines[agenda_start:agenda_end]
        if re.match(r"^\d+ [A-Z]", line) and line.split(" (Page")[0].isupper()
    ]
    minutes_start = next(i for i, line in enumerate(lines) if line.startswith("MINUTES OF THE"))
    minutes_end = next(i for i in range(minutes_start, len(lines)) if "left blank" in lines[i])
    minutes = lines[minutes_start:minutes_end]
    resolutions = [line for line in minutes if re.match(r"^- \d\) |^RESOLVED that ", line)]
    tracker = block_after(lines, "Scrutiny Monitoring –")[1:]
    front = lines[: lines.index("Contacts")]
    councillors = [line for line in front if line.startswith("Councillor ")]
    appointed = block_after(lines, "Appointed Members")
    return {
        "indicators": len(names),
        "area_placements": sum(len(rows) for _, rows in tables),
        "values": len(names) * len(months),
        "publications": len(months),
        "targets": len(names),
        "benchmark_values": len(names) * len(benchmarks),
        "priority_areas": len(rated),
        "commentary": len(rated),
        "meetings": meetings,
        "agenda_items": len(agenda),
        "minutes": sum(1 for line in minutes if re.match(r"^\d+\. \*\*", line)),
        "resolutions": len(resolutions),
        "memberships": len(councillors) + len(appointed),
        "recommendations": len(tracker),
        "updates": len(tracker),
        "users": len(loader.ACCOUNTS),
        "panels": 1,
    }


@pytest.fixture(scope="class")
def demo_once(django_db_setup, django_db_blocker):
    """The demo, loaded once for a class of read-only tests and rolled back after them. Each
    test still runs in its own savepoint (the `db` fixture), so a test's writes are undone."""
    with django_db_blocker.unblock(), transaction.atomic():
        counts = loader.load_demo(seeds_dir=SEED.parent)
        yield counts
        transaction.set_rollback(True)


@pytest.fixture
def loaded(demo_once, db) -> dict[str, int]:
    return demo_once


def test_the_seed_counts_themselves():
    """A guard on the counting above: the figures a reader of the seed would give."""
    assert expected_counts() == {
        "indicators": 29,
        "area_placements": 35,
        "values": 319,
        "publications": 11,
        "targets": 29,
        "benchmark_values": 145,
        "priority_areas": 5,
        "commentary": 5,
        "meetings": 7,
        "agenda_items": 10,
        "minutes": 7,
        "resolutions": 6,
        "memberships": 10,
        "recommendations": 5,
        "updates": 5,
        "users": 5,
        "panels": 1,
    }


def test_a_second_load_changes_nothing(db):
    loaded = loader.load_demo(seeds_dir=SEED.parent)
    histories = (Value.history.count(), Meeting.history.count(), Indicator.history.count())
    again = loader.load_demo(seeds_dir=SEED.parent)
    assert again == loaded
    assert (Value.history.count(), Meeting.history.count(), Indicator.history.count()) == histories


def test_the_command_is_idempotent_and_prints_counts_and_logins(db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    first = loader.counts()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert loader.counts() == first
    printed = out.getvalue()
    assert re.search(r"indicators\s+29", printed)
    assert "Demo logins" in printed and settings.DEMO_PASSWORD in printed
    for account in loader.ACCOUNTS:
        assert account.username in printed
    assert "disagrees with table" in printed


def test_the_command_refuses_under_production_settings(db):
    with (
        override_settings(SETTINGS_MODULE="scrutiny.settings.prod"),
        pytest.raises(CommandError, match="production settings"),
    ):
        call_command("load_demo", verbosity=0)
    assert not Indicator.objects.exists()


def test_the_loader_refuses_under_production_settings_too(db):
    with (
        override_settings(SETTINGS_MODULE="scrutiny.settings.prod"),
        pytest.raises(loader.DemoRefused),
    ):
        loader.load_demo(seeds_dir=SEED.parent)


def test_refusal_rules():
    assert loader.refusal_reason(
        settings_module="scrutiny.settings.prod", debug=True, allow_demo=True
    )
    assert loader.refusal_reason(settings_module="site.staging", debug=False, allow_demo=False)
    assert not loader.refusal_reason(settings_module="site.staging", debug=False, allow_demo=True)
    assert not loader.refusal_reason(
        settings_module="scrutiny.settings.dev", debug=True, allow_demo=False
    )
    assert not loader.refusal_reason(
        settings_module="scrutiny.settings.test", debug=False, allow_demo=False
    )


class TestTheLoadedDemo:
    """What the demo holds, checked against the seed."""

    def test_load_demo_loads_what_the_seed_holds(self, loaded):
        expected = expected_counts()
        assert {key: loaded[key] for key in expected} == expected
        assert loaded["people"] == 13  # 5 councillors, 4 appointed members, 2 contacts, 2 officers
        assert loaded["comparators"] == 4

    def test_priority_areas_and_their_ratings(self, loaded):
        areas = list(PriorityArea.objects.order_by("order").values_list("name", "rating"))
        assert areas == [
            ("Effective assessment and intervention", "medium"),
            ("Purposeful Direct Contact", "high"),
            ("Management Support for better practice", "high"),
            ("Right service at the right time", "high"),
            ("Robust corporate parenting", "high"),
        ]

    def test_ifa_placements(self, loaded):
        ifa = Indicator.objects.get(name=IFA)
        values = {v.month: v for v in ifa.values.all()}
        assert values[date(2022, 2, 1)].number == 51
        assert values[date(2022, 1, 1)].number == 43
        target = Target.objects.get(indicator=ifa, year=2021)
        assert (target.number, target.bound, target.status) == (36, "<", "")
        assert (ifa.polarity, ifa.outturn_type) == ("lower", "percentage")
        assert ifa.priority_area.name == "Robust corporate parenting"
        assert ifa.owner.name == "Jo Feeney"

    def test_tbc_values_are_tbc_never_zero(self, loaded):
        permanence = Indicator.objects.get(name=PERMANENCE)
        assert permanence.values.count() == 11
        assert not permanence.values.filter(number__isnull=False).exists()
        assert set(permanence.values.values_list("status", flat=True)) == {"tbc"}
        assert Target.objects.get(indicator=permanence).status == "tbc"

    def test_a_real_zero_is_a_zero(self, loaded):
        iha = Indicator.objects.get(name__startswith="Percentage of initial health assessments")
        assert iha.values.get(month=date(2021, 8, 1)).number == 0
        assert iha.values.get(month=date(2022, 2, 1)).status == "tbc"

    def test_the_blank_benchmark_cell_is_not_reported(self, loaded):
        leavers = Indicator.objects.get(name="Number of care leavers")
        blank = BenchmarkValue.objects.get(
            indicator=leavers, comparator__name="Southampton", year=2020
        )
        assert (blank.number, blank.status) == (None, "not_reported")
        na = BenchmarkValue.objects.get(indicator=leavers, comparator__name="England", year=2020)
        assert na.status == "na"

    def test_the_misprinted_jan21_column_is_loaded_as_jan22(self, loaded):
        supervision = Indicator.objects.get(
            name="Percentage of CIN who have had their supervision and within timescale"
        )
        assert supervision.values.get(month=date(2022, 1, 1)).number == 62
        assert not supervision.values.filter(month__year=2021, month__month=1).exists()

    def test_values_are_published_on_the_agenda_date(self, loaded):
        published = datetime(2022, 3, 23, 9, 0, tzinfo=LONDON)
        assert set(Value.objects.values_list("state", flat=True)) == {"published"}
        assert set(Value.objects.values_list("published_at", flat=True)) == {published}
        months = list(Publication.objects.order_by("month").values_list("month", flat=True))
        assert months[0] == date(2021, 4, 1) and months[-1] == date(2022, 2, 1)

    def test_repeated_rows_make_one_indicator_placed_in_every_table(self, loaded):
        rereferrals = Indicator.objects.get(name="Percentage of re-referrals within 12 months")
        placements = AreaIndicator.objects.filter(indicator=rereferrals).order_by(
            "priority_area__order"
        )
        assert [(p.priority_area.order, p.order) for p in placements] == [(1, 1), (4, 1)]
        assert rereferrals.priority_area.order == 1
        assert rereferrals.order == 1
        cla = Indicator.objects.get(name="Number of CLA at the end of the month")
        assert cla.priority_area.order == 4
        assert AreaIndicator.objects.filter(indicator=cla).count() == 2
        # Values and benchmarks of the first appearance (table 4), not table 5's N/A.
        own = BenchmarkValue.objects.get(indicator=cla, comparator__name="Southampton", year=2019)
        assert own.number == 486
        visits = Indicator.objects.get(name__startswith="Percentage of CLA for whom a visit")
        assert visits.priority_area.order == 2
        assert Target.objects.get(indicator=visits).status == "tbc"

    def test_indicator_meta(self, loaded):
        referrals = Indicator.objects.get(
            name="Rates of referrals per 10,000 of Under 18 Population"
        )
        assert (referrals.measure_type, referrals.outturn_type) == ("cumulative_ytd", "rate")
        assert Indicator.objects.get(name="Number of contacts").polarity == "none"
        assert (
            Indicator.objects.get(name="Number of referrals in the month").measure_type
            == "in_month"
        )
        assert not Indicator.objects.filter(definition="").exists()
        meta = json.loads((DEMO / "indicator_meta.json").read_text(encoding="utf-8"))
        assert set(meta["indicators"]) == set(Indicator.objects.values_list("name", flat=True))

    def test_owners(self, loaded):
        webb = set(
            Indicator.objects.filter(owner__name="Stuart Webb").values_list(
                "priority_area__order", flat=True
            )
        )
        feeney = set(
            Indicator.objects.filter(owner__name="Jo Feeney").values_list(
                "priority_area__order", flat=True
            )
        )
        assert (webb, feeney) == ({1, 2}, {3, 4, 5})

    def test_commentary_for_february_2022(self, loaded):
        right_service = Commentary.objects.get(priority_area__order=4, month=date(2022, 2, 1))
        paragraphs = right_service.analysis.split("\n\n")
        assert len(paragraphs) == 3
        assert "Page 7" not in right_service.analysis
        assert "Right Service at the Right Time" not in right_service.analysis
        assert len(right_service.action_points) == 3
        assert not right_service.actions.startswith("- ")
        assert right_service.state == "published"
        assert Commentary.objects.filter(month=date(2022, 2, 1)).count() == 5

    def test_meetings(self, loaded):
        starts = [timezone.localtime(m.start, LONDON) for m in Meeting.objects.order_by("start")]
        assert [s.date() for s in starts] == [
            date(2021, 6, 17),
            date(2021, 7, 22),
            date(2021, 9, 30),
            date(2021, 11, 4),
            date(2021, 11, 25),
            date(2022, 1, 27),
            date(2022, 3, 31),
        ]
        assert {(s.hour, s.minute) for s in starts} == {(17, 30)}
        march = Meeting.objects.get(start__date=date(2022, 3, 31))
        assert (march.venue, march.hybrid, march.notice, march.agenda_published) == (
            "Conference Room 3 - Civic Centre",
            True,
            "Please note time of meeting",
            date(2022, 3, 23),
        )
        assert set(Meeting.objects.values_list("status", flat=True)) == {"held"}

    def test_the_agenda_of_31_march_2022(self, loaded):
        items = AgendaItem.objects.filter(meeting__start__date=date(2022, 3, 31)).order_by("number")
        assert [i.number for i in items] == list(range(1, 11))
        assert [i.kind for i in items] == ["procedural"] * 6 + [
            "report",
            "report",
            "performance",
            "monitoring",
        ]
        performance = items.get(number=9)
        assert performance.title == "CHILDREN AND LEARNING - PERFORMANCE"
        assert (performance.page_from, performance.page_to) == (65, 88)
        assert performance.report_of == "Service Director - Legal and Business Operations"
        assert performance.dataset_panel.slug == "children-and-families"
        assert performance.dataset_month == date(2022, 2, 1)

    def test_the_minutes_of_25_november_2021(self, loaded):
        minutes = Minute.objects.filter(meeting__start__date=date(2021, 11, 25)).order_by("number")
        assert [m.number for m in minutes] == list(range(28, 35))
        assert {m.municipal_year for m in minutes} == {2021}
        counts = {m.number: m.resolutions.count() for m in minutes}
        assert (counts[29], counts[30], counts[33]) == (1, 2, 3)
        assert Resolution.objects.count() == 6
        approval = minutes.get(number=29)
        july = Meeting.objects.get(start__date=date(2021, 7, 22))
        assert approval.approves_minutes_of == july
        assert approval.resolutions.get().text.startswith(
            "That the minutes of the meeting held on 22 July"
        )
        assert timezone.localtime(july.minutes_approved_at.start).date() == date(2021, 11, 25)
        november = Meeting.objects.get(start__date=date(2021, 11, 25))
        assert timezone.localtime(november.minutes_approved_at.start).date() == date(2022, 3, 31)
        send = minutes.get(number=30)
        assert len(send.noted_points) == 7
        assert send.addressed_by.splitlines() == [
            "The Cabinet Member for Education, Councillor J Baillie",
            "Tammy Marks, Service Manager – Special Educational Needs and Disability",
        ]
        assert [r.number for r in minutes.get(number=33).resolutions.all()] == [1, 2, 3]

    def test_attendance_of_25_november_2021(self, loaded):
        rows = Attendance.objects.filter(meeting__start__date=date(2021, 11, 25))
        present = {(a.person.name, a.note) for a in rows.filter(status="present")}
        assert present == {
            ("Guthrie", "Chair"),
            ("Bell", ""),
            ("Laurent", ""),
            ("Mitchell", ""),
            ("Paffey", ""),
        }
        assert [a.person.name for a in rows.filter(status="apologies")] == ["Rob Sanders"]

    def test_panel_and_membership(self, loaded):
        memberships = Membership.objects.order_by("order")
        assert (
            memberships.filter(person__isnull=True).get().designation == "Secondary Parent Governor"
        )
        assert memberships.get(role="chair").person.name == "Guthrie"
        assert memberships.get(person__name="Paffey").person.display_name == "Councillor Dr Paffey"
        panel = memberships.first().panel
        assert (panel.name, panel.slug, panel.quorum) == (
            "Children and Families Scrutiny Panel",
            "children-and-families",
            3,
        )
        assert len(panel.terms_of_reference.splitlines()) == 6
        contacts = [
            (c.role, c.person.name, c.person.phone) for c in panel.contacts.order_by("order")
        ]
        assert contacts == [
            ("Democratic Support Officer", "Emily Goodwin", "023 8083 2302"),
            ("Scrutiny Manager", "Mark Pirnie", "023 8083 3886"),
        ]

    def test_the_tracker(self, loaded):
        recommendations = list(Recommendation.objects.all())  # the model's default ordering
        assert [r.status.name for r in recommendations] == [
            "Partially complete",
            "Complete",
            "In train",
            "Complete",
            "Not complete – within timescale",
        ]
        assert [(r.item_title, r.number) for r in recommendations] == [
            ("Ofsted Focused Letter", 1),
            ("SSCP Annual Report", 1),
            ("Quality Assurance Brief", 1),
            ("Quality Assurance Brief", 2),
            ("Quality Assurance Brief", 3),
        ]
        assert all(
            timezone.localtime(r.meeting.start).date() == r.meeting_date for r in recommendations
        )
        march = Meeting.objects.get(start__date=date(2022, 3, 31))
        for recommendation in recommendations:
            update = recommendation.updates.get()
            assert (update.date, update.author_name, update.reported_to) == (
                date(2022, 3, 23),
                "Scrutiny Manager",
                march,
            )
            assert update.status == recommendation.status
        assert RecommendationUpdate.objects.count() == 5

    @pytest.mark.parametrize(
        ("username", "group", "person", "staff"),
        [
            ("member", roles.PANEL_MEMBER, "Guthrie", False),
            ("officer", roles.OFFICER, "Stuart Webb", True),
            ("performance", roles.PERFORMANCE_MANAGER, "Jo Feeney", True),
            ("manager", roles.SCRUTINY_MANAGER, "Mark Pirnie", True),
        ],
    )
    def test_demo_users_log_in_with_their_role(
        self, loaded, client, username, group, person, staff
    ):
        assert client.login(username=username, password=settings.DEMO_PASSWORD)
        user = get_user_model().objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [group]
        assert user.person.name == person
        assert (user.is_staff, user.is_superuser) == (staff, False)

    def test_the_admin_account(self, loaded, client):
        assert client.login(username="admin", password=settings.DEMO_PASSWORD)
        admin = get_user_model().objects.get(username="admin")
        assert admin.is_superuser and admin.is_staff
        assert not admin.groups.exists()


def normalised(text: str) -> str:
    return " ".join(text.split())


def test_transcribed_text_is_the_seeds_wording():
    """Every text transcribed into fixtures/demo/ appears in the seed as written. Bullet
    markers and line breaks do not count: minute 30's sixth point joins its sub-bullets."""
    raw = SEED.read_text(encoding="utf-8")
    seed = normalised(raw)
    unbulleted = normalised(re.sub(r"\n\s*-\s+", " ", raw))
    panel = json.loads((DEMO / "panel.json").read_text(encoding="utf-8"))
    meetings = json.loads((DEMO / "meetings.json").read_text(encoding="utf-8"))
    texts = [panel["panel"]["role"], *panel["panel"]["terms_of_reference"]]
    for item in meetings["agenda"]["items"]:
        texts += [item["title"], item["summary"], item["report_of"]]
    for minute in meetings["minutes"]["items"]:
        texts += [minute["title"], *minute["text"].split("\n\n"), *minute["addressed_by"]]
        texts += minute["noted"]
        # Resolutions are capitalised "That …" even where the seed runs on "RESOLVED that …".
        texts += [resolution[1:] for resolution in minute["resolutions"]]
    missing = [
        text
        for text in texts
        if normalised(text) not in seed and normalised(text) not in unbulleted
    ]
    assert missing == []


def test_nothing_is_written_when_the_seed_is_unreadable(db, tmp_path):
    broken = SEED.read_text(encoding="utf-8").replace("\t21%\t27%\t", "\t21%\tsoon\t", 1)
    (tmp_path / loader.SEED_FILE).write_text(broken, encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("load_demo", seeds_dir=tmp_path, verbosity=0)
    assert loader.counts()["panels"] == 0


def test_a_failure_late_in_the_load_rolls_back_everything(db, tmp_path):
    """The tracker is loaded after the dataset: an unknown status there undoes it all."""
    broken = SEED.read_text(encoding="utf-8").replace("\tPartially complete", "\tSort of done")
    (tmp_path / loader.SEED_FILE).write_text(broken, encoding="utf-8")
    with pytest.raises(CommandError, match="Sort of done"):
        call_command("load_demo", seeds_dir=tmp_path, verbosity=0)
    assert {key: n for key, n in loader.counts().items() if n} == {}
