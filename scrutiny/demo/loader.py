"""Load the seed demo: the Children and Families Scrutiny Panel of 31 March 2022.

Two sources, both real: the performance appendix and the tracker are parsed from the seed agenda
pack at load time (`seed_parser`), and the rest was transcribed from the same pack into
`fixtures/demo/*.json` (each file's "notes" say where the seed is silent).

Rules:

- Idempotent: every row is found by its natural key (the model's unique constraint) and written
  only when it is new or differs, so a second load changes nothing, duplicates nothing and adds
  no history. Every row is checked with `full_clean()` before it is saved.
- All or nothing: the whole load is one transaction.
- An indicator printed in several tables is created once. Its home priority area is the first
  table it is printed in, and its values, target and benchmarks come from that first row; every
  table it is printed in gets a placement (`AreaIndicator`) at the row's position. A later row
  that disagrees with the first is reported as a note and not loaded.
- Missing figures are loaded as their status (TBC, N/A, not reported), never as zeros.
- It refuses to run under production settings (`refusal_reason`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models, transaction

from core import roles
from indicators.models import (
    HAS_NUMBER,
    AreaIndicator,
    BenchmarkValue,
    Commentary,
    Comparator,
    Indicator,
    Missing,
    PriorityArea,
    Publication,
    SpcBreak,
    Target,
    Value,
)
from indicators.rules.cells import ParsedCell
from meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    Membership,
    Minute,
    Panel,
    PanelContact,
    Person,
    Resolution,
)
from meetings.rules import municipal_year
from recommendations.models import Recommendation, RecommendationUpdate, Status
from recommendations.tracker_format import status_key

from . import seed_parser
from .seed_parser import AreaSeed

M = TypeVar("M", bound=models.Model)

SEED_FILE = "agenda-pack-2022-03-31.txt"
LONDON = ZoneInfo("Europe/London")
#: The agenda pack is dated Wednesday 23 March 2022: the data in it was public from then.
PUBLISHED_AT = datetime(2022, 3, 23, 9, 0, tzinfo=LONDON)
UPDATE_AUTHOR = "Scrutiny Manager"

COMPARATORS: tuple[tuple[str, str, int], ...] = (
    ("Southampton", Comparator.Kind.OWN, 10),
    ("Statistical Neighbours", Comparator.Kind.NEIGHBOURS, 20),
    ("South East", Comparator.Kind.REGION, 30),
    ("England", Comparator.Kind.NATIONAL, 40),
)

ERROR_PRODUCTION = (
    "load_demo refuses to run under production settings ({module}): it would write the demo "
    "data and accounts with a published password into a live database."
)
ERROR_NOT_DEBUG = (
    "load_demo refuses to run with DEBUG off ({module}) unless settings.ALLOW_DEMO is True."
)
ERROR_UNKNOWN_STATUS = "Tracker line {line}: “{status}” matches no progress status."
ERROR_NO_MEETING = "Tracker line {line}: no meeting of the panel on {date:%d %B %Y}."
ERROR_NO_REPORT_MEETING = "The tracker's title names no meeting of the panel: “{title}”."
ERROR_NO_META = "indicator_meta.json has no entry for “{name}”."
ERROR_VALUE_BOUND = "“{name}” {month:%b-%y}: a value cannot carry a bound (“{text}”)."


class DemoRefused(Exception):
    """The demo must not be loaded under these settings."""


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str | None
    person: str | None  # a person key of panel.json
    is_staff: bool
    is_superuser: bool
    description: str


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        username="member",
        role=roles.PANEL_MEMBER,
        person="guthrie",
        is_staff=False,
        is_superuser=False,
        description="Panel member (Councillor Guthrie, Chair)",
    ),
    DemoAccount(
        username="officer",
        role=roles.OFFICER,
        person="webb",
        is_staff=True,
        is_superuser=False,
        description="Officer (Stuart Webb, Head of Quality Assurance: owns the indicators of "
        "the first two priority areas)",
    ),
    DemoAccount(
        username="performance",
        role=roles.PERFORMANCE_MANAGER,
        person="feeney",
        is_staff=True,
        is_superuser=False,
        description="Performance manager (Jo Feeney: owns the other indicators, approves and "
        "publishes)",
    ),
    DemoAccount(
        username="manager",
        role=roles.SCRUTINY_MANAGER,
        person="pirnie",
        is_staff=True,
        is_superuser=False,
        description="Scrutiny manager (Mark Pirnie: meetings, minutes, the tracker)",
    ),
    DemoAccount(
        username="admin",
        role=None,
        person=None,
        is_staff=True,
        is_superuser=True,
        description="Administrator (superuser)",
    ),
)
#: Priority areas (by order) whose indicators the officer owns; the performance manager owns
#: the rest.
OFFICER_AREAS = (1, 2)

#: The seed's change of system: "On January 31st 2022 CSC migrated over to using Care
#: Director as our CMS recording system" (Effective assessment and intervention), so February
#: 2022 is the first month recorded on it. The commentary ties February's figures to it in
#: three areas: assessments ("data quality and performance issues … possible month
#: anomalies"), visits ("almost 400 visits in draft on Care Director") and supervisions
#: ("a recording issue as part of learning the new workflows on Care Director"). Referrals
#: are left alone: the seed says the change "will not be shown in the referrals … for 21/22".
MIGRATION_MONTH = date(2022, 2, 1)
MIGRATION_REASON = "the case-system migration to Care Director on 31 January 2022"
MIGRATION_AREAS = (
    "Effective assessment and intervention",
    "Purposeful Direct Contact",
    "Management Support for better practice",
)
ERROR_MIGRATION_AREA = "The seed has no priority area “{name}” for the Care Director rebase."

COUNT_LABELS: dict[str, str] = {
    "panels": "panels",
    "people": "people",
    "memberships": "memberships",
    "contacts": "panel contacts",
    "meetings": "meetings",
    "agenda_items": "agenda items",
    "attendance": "attendance records",
    "minutes": "minutes",
    "resolutions": "resolutions",
    "priority_areas": "priority areas",
    "indicators": "indicators",
    "area_placements": "area placements",
    "values": "values",
    "publications": "publications",
    "targets": "targets",
    "comparators": "comparators",
    "benchmark_values": "benchmark values",
    "commentary": "commentary",
    "spc_breaks": "SPC rebases",
    "recommendations": "recommendations",
    "updates": "updates",
    "users": "users",
}


def refusal_reason(*, settings_module: str, debug: bool, allow_demo: bool) -> str | None:
    """Why the demo must not be loaded, or None when it may.

    Rule: never under the production settings module (`….prod`); otherwise only with DEBUG on,
    under the test settings (which turn DEBUG off), or where settings.ALLOW_DEMO says so.
    """
    module = settings_module or "unknown settings"
    if module.endswith(".prod"):
        return ERROR_PRODUCTION.format(module=module)
    if not debug and not allow_demo and not module.endswith(".test"):
        return ERROR_NOT_DEBUG.format(module=module)
    return None


def check_allowed() -> None:
    """Raise DemoRefused under settings where the demo must not be loaded."""
    # Inside override_settings() the SETTINGS_MODULE attribute is None unless overridden.
    module = getattr(settings, "SETTINGS_MODULE", None) or os.environ.get(
        "DJANGO_SETTINGS_MODULE", ""
    )
    reason = refusal_reason(
        settings_module=module,
        debug=settings.DEBUG,
        allow_demo=getattr(settings, "ALLOW_DEMO", False),
    )
    if reason:
        raise DemoRefused(reason)


def default_fixtures_dir() -> Path:
    return Path(settings.BASE_DIR) / "fixtures" / "demo"


# --- writing --------------------------------------------------------------------------------


def _differs(current: Any, wanted: Any) -> bool:
    if isinstance(current, models.Model) or isinstance(wanted, models.Model):
        return getattr(current, "pk", None) != getattr(wanted, "pk", None)
    return current != wanted


def upsert(
    model: type[M],
    *,
    key: Mapping[str, Any],
    values: Mapping[str, Any],
    check_constraints: bool = True,
) -> M:
    """The row with these key fields, created or brought up to `values`; saved (after
    `full_clean`) only when new or changed, so reloading writes nothing.

    `check_constraints=False` is for the hundreds of monthly figures: their fields are still
    cleaned, but their constraints (one per month, a number or a status …) are left to the
    database, which refuses a breach inside the load's transaction; checking each in Python
    costs several queries a row."""
    instance = model._default_manager.filter(**key).order_by("pk").first()
    if instance is None:
        instance = model(**key, **values)
    else:
        changed = [name for name, v in values.items() if _differs(getattr(instance, name), v)]
        if not changed:
            return instance
        for name in changed:
            setattr(instance, name, values[name])
    instance.full_clean(validate_unique=check_constraints, validate_constraints=check_constraints)
    instance.save()
    return instance


def _read_json(directory: Path, name: str) -> dict[str, Any]:
    with (directory / name).open(encoding="utf-8") as handle:
        return json.load(handle)


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=LONDON)


def _load_panel(data: Mapping[str, Any]) -> tuple[Panel, dict[str, Person]]:
    spec = data["panel"]
    panel = upsert(
        Panel,
        key={"slug": spec["slug"]},
        values={
            "name": spec["name"],
            "role": spec["role"],
            "terms_of_reference": "\n".join(spec["terms_of_reference"]),
            "quorum": spec["quorum"],
        },
    )
    people: dict[str, Person] = {}
    start = date.fromisoformat(data["membership_start"])
    order = 0
    for spec in data["councillors"]:
        person = upsert(
            Person,
            key={"kind": Person.Kind.COUNCILLOR, "name": spec["name"]},
            values={"title": spec["title"]},
        )
        people[spec["key"]] = person
        order += 1
        upsert(
            Membership,
            key={"panel": panel, "person": person, "start": start},
            values={"role": spec["role"], "designation": "", "order": order, "end": None},
        )
    for spec in data["appointed_members"]:
        order += 1
        if spec.get("vacant"):
            upsert(
                Membership,
                key={
                    "panel": panel,
                    "person": None,
                    "role": Membership.Role.APPOINTED,
                    "designation": spec["designation"],
                    "start": start,
                },
                values={"order": order, "end": None},
            )
            continue
        person = upsert(
            Person, key={"kind": Person.Kind.APPOINTED, "name": spec["name"]}, values={}
        )
        people[spec["key"]] = person
        upsert(
            Membership,
            key={"panel": panel, "person": person, "start": start},
            values={
                "role": Membership.Role.APPOINTED,
                "designation": spec["designation"],
                "order": order,
                "end": None,
            },
        )
    for order, spec in enumerate(data["contacts"], start=1):
        person = upsert(
            Person,
            key={"kind": Person.Kind.OFFICER, "name": spec["name"]},
            values={
                "job_title": spec["role"],
                "organisation": spec["organisation"],
                "email": spec["email"],
                "phone": spec["phone"],
            },
        )
        people[spec["key"]] = person
        upsert(
            PanelContact,
            key={"panel": panel, "person": person, "role": spec["role"]},
            values={"order": order},
        )
    for spec in data["officers"]:
        people[spec["key"]] = upsert(
            Person,
            key={"kind": Person.Kind.OFFICER, "name": spec["name"]},
            values={"job_title": spec["job_title"], "organisation": spec["organisation"]},
        )
    return panel, people


def _load_meetings(
    data: Mapping[str, Any], *, panel: Panel, people: Mapping[str, Person]
) -> dict[date, Meeting]:
    meetings: dict[date, Meeting] = {}
    for spec in data["meetings"]:
        day = date.fromisoformat(spec["date"])
        published = spec.get("agenda_published")
        meetings[day] = upsert(
            Meeting,
            key={"panel": panel, "start": _at(day, time.fromisoformat(spec["time"]))},
            values={
                "venue": spec["venue"],
                "hybrid": spec["hybrid"],
                "status": spec["status"],
                "notice": spec["notice"],
                "agenda_published": date.fromisoformat(published) if published else None,
            },
        )
    for spec in data["meetings"]:
        approved_at = spec.get("minutes_approved_at")
        if approved_at:
            upsert(
                Meeting,
                key={"pk": meetings[date.fromisoformat(spec["date"])].pk},
                values={"minutes_approved_at": meetings[date.fromisoformat(approved_at)]},
            )

    agenda = data["agenda"]
    meeting = meetings[date.fromisoformat(agenda["meeting"])]
    for spec in agenda["items"]:
        performance = spec["kind"] == AgendaItem.Kind.PERFORMANCE
        month = spec.get("dataset_month")
        upsert(
            AgendaItem,
            key={"meeting": meeting, "number": spec["number"]},
            values={
                "title": spec["title"],
                "summary": spec["summary"],
                "report_of": spec["report_of"],
                "page_from": spec["page_from"],
                "page_to": spec["page_to"],
                "kind": spec["kind"],
                "dataset_panel": panel if performance else None,
                "dataset_month": date.fromisoformat(month) if month else None,
            },
        )

    minutes = data["minutes"]
    meeting = meetings[date.fromisoformat(minutes["meeting"])]
    held_on = meeting.start.astimezone(LONDON).date()
    for spec in minutes["items"]:
        approves = spec.get("approves_minutes_of")
        minute = upsert(
            Minute,
            key={
                "panel": panel,
                "municipal_year": municipal_year(on=held_on),
                "number": spec["number"],
            },
            values={
                "meeting": meeting,
                "title": spec["title"],
                "text": spec["text"],
                "noted": "\n".join(spec["noted"]),
                "addressed_by": "\n".join(spec["addressed_by"]),
                "approves_minutes_of": meetings[date.fromisoformat(approves)] if approves else None,
            },
        )
        for number, text in enumerate(spec["resolutions"], start=1):
            upsert(Resolution, key={"minute": minute, "number": number}, values={"text": text})

    attendance = data["attendance"]
    meeting = meetings[date.fromisoformat(attendance["meeting"])]
    for status, entries in (
        (Attendance.Status.PRESENT, attendance["present"]),
        (Attendance.Status.APOLOGIES, attendance["apologies"]),
    ):
        for entry in entries:
            upsert(
                Attendance,
                key={"meeting": meeting, "person": people[entry["person"]]},
                values={"status": status, "note": entry.get("note", "")},
            )
    return meetings


def _figure(cell: ParsedCell) -> dict[str, Any]:
    return {"number": cell.number, "status": cell.status}


def _load_performance(
    areas: list[AreaSeed],
    meta: Mapping[str, Any],
    *,
    panel: Panel,
    people: Mapping[str, Person],
    notes: list[str],
) -> None:
    comparators = {
        name: upsert(Comparator, key={"name": name}, values={"kind": kind, "order": order})
        for name, kind, order in COMPARATORS
    }
    saved_areas = {
        area.order: upsert(
            PriorityArea,
            key={"panel": panel, "name": area.name},
            values={"order": area.order, "rating": area.rating.lower()},
        )
        for area in areas
    }
    target_year = int(meta["target_year"])
    undated_year = int(meta["undated_benchmark_year"])
    described = meta["indicators"]
    appearances = seed_parser.indicator_appearances(areas=areas)
    for order, (name, found) in enumerate(appearances.items(), start=1):
        if name not in described:
            raise seed_parser.SeedFormatError(ERROR_NO_META.format(name=name))
        home, row = found[0], found[0].row
        judged = described[name]
        indicator = upsert(
            Indicator,
            key={"panel": panel, "name": name},
            values={
                "priority_area": saved_areas[home.area_order],
                "definition": judged["definition"],
                "outturn_type": row.outturn_type.lower(),
                "measure_type": judged["measure_type"],
                "polarity": judged["polarity"],
                "owner": people["webb" if home.area_order in OFFICER_AREAS else "feeney"],
                "order": order,
            },
        )
        for appearance in found:
            upsert(
                AreaIndicator,
                key={"priority_area": saved_areas[appearance.area_order], "indicator": indicator},
                values={"order": appearance.row.position},
            )
        for value in row.values:
            if value.cell.bound:
                raise seed_parser.SeedFormatError(
                    ERROR_VALUE_BOUND.format(name=name, month=value.month, text=value.text)
                )
            upsert(
                Value,
                key={"indicator": indicator, "month": value.month},
                values={
                    **_figure(value.cell),
                    "state": Value.State.PUBLISHED,
                    "published_at": PUBLISHED_AT,
                },
                check_constraints=False,
            )
        if row.target.status in (HAS_NUMBER, Missing.TBC):
            upsert(
                Target,
                key={"indicator": indicator, "year": target_year},
                values={**_figure(row.target), "bound": row.target.bound},
            )
        else:
            notes.append(
                f"“{name}”: target “{row.target_text}” is not a number or TBC; none loaded."
            )
        for benchmark in row.benchmarks:
            upsert(
                BenchmarkValue,
                key={
                    "indicator": indicator,
                    "comparator": comparators[benchmark.column.comparator],
                    "year": benchmark.column.year or undated_year,
                },
                values=_figure(benchmark.cell),
                check_constraints=False,
            )
    notes.extend(seed_parser.repeat_notes(areas=areas))
    _load_migration_rebase(areas, panel=panel)

    for month in sorted({month for area in areas for month in area.table.months}):
        upsert(
            Publication,
            key={"panel": panel, "month": month},
            values={"published_at": PUBLISHED_AT},
        )
    for area in areas:
        # The commentary under a table was written for the table's latest month.
        upsert(
            Commentary,
            key={"priority_area": saved_areas[area.order], "month": area.table.months[-1]},
            values={
                "indicator": None,
                "analysis": area.table.analysis_text,
                "actions": area.table.actions_text,
                "state": Value.State.PUBLISHED,
            },
        )


def _load_migration_rebase(areas: list[AreaSeed], *, panel: Panel) -> None:
    """The Care Director migration as a rebase of the SPC limits of the indicators in the
    tables whose commentary attributes February's figures to it (see MIGRATION_AREAS)."""
    by_name = {area.name: area for area in areas}
    for name in MIGRATION_AREAS:
        if name not in by_name:
            raise seed_parser.SeedFormatError(ERROR_MIGRATION_AREA.format(name=name))
        for row in by_name[name].table.rows:
            upsert(
                SpcBreak,
                key={
                    "indicator": Indicator.objects.get(panel=panel, name=row.name),
                    "month": MIGRATION_MONTH,
                },
                values={"kind": SpcBreak.Kind.REBASE, "reason": MIGRATION_REASON},
            )


def _status_lookup() -> dict[str, Status]:
    lookup: dict[str, Status] = {}
    for status in Status.objects.all():
        for label in [status.name, *status.aliases.split(",")]:
            if label.strip():
                lookup.setdefault(status_key(label), status)
    return lookup


def _load_tracker(
    tracker: seed_parser.Tracker, *, panel: Panel, meetings: Mapping[date, Meeting]
) -> None:
    """Each row becomes a recommendation of the meeting on its date (its item's position in
    that meeting's rows orders it, as the seed does not give agenda item numbers) with one
    update: the "Action taken" reported to the meeting the tracker is dated for, dated the
    day that meeting's agenda was published."""
    statuses = _status_lookup()
    reported_to = meetings.get(tracker.report_date) if tracker.report_date else None
    if reported_to is None or reported_to.agenda_published is None:
        raise seed_parser.SeedFormatError(ERROR_NO_REPORT_MEETING.format(title=tracker.title))
    for row in tracker.rows:
        status = statuses.get(status_key(row.status))
        if status is None:
            raise seed_parser.SeedFormatError(
                ERROR_UNKNOWN_STATUS.format(line=row.line, status=row.status)
            )
        meeting = meetings.get(row.meeting_date)
        if meeting is None:
            raise seed_parser.SeedFormatError(
                ERROR_NO_MEETING.format(line=row.line, date=row.meeting_date)
            )
        recommendation = upsert(
            Recommendation,
            key={
                "panel": panel,
                "meeting_date": row.meeting_date,
                "item_title": row.item_title,
                "number": row.number,
            },
            values={
                "meeting": meeting,
                "item_order": row.item_position,
                "action_proposed": row.action_proposed,
                "status": status,
            },
        )
        upsert(
            RecommendationUpdate,
            key={
                "recommendation": recommendation,
                "date": reported_to.agenda_published,
                "author_name": UPDATE_AUTHOR,
            },
            values={"action_taken": row.action_taken, "status": status, "reported_to": reported_to},
        )


def _load_accounts(*, people: Mapping[str, Person]) -> None:
    roles.ensure_roles()
    user_model = get_user_model()
    for account in ACCOUNTS:
        user = user_model._default_manager.filter(username=account.username).first()
        changed = user is None
        if user is None:
            user = user_model(username=account.username)
        for name, wanted in (
            ("is_staff", account.is_staff),
            ("is_superuser", account.is_superuser),
            ("is_active", True),
        ):
            if getattr(user, name) != wanted:
                setattr(user, name, wanted)
                changed = True
        if not user.check_password(settings.DEMO_PASSWORD):
            user.set_password(settings.DEMO_PASSWORD)
            changed = True
        if changed:
            user.full_clean()
            user.save()
        if account.role:
            user.groups.add(Group.objects.get(name=account.role))
        if account.person:
            upsert(Person, key={"pk": people[account.person].pk}, values={"user": user})


def counts() -> dict[str, int]:
    """How many rows of each kind the database holds."""
    return {
        "panels": Panel.objects.count(),
        "people": Person.objects.count(),
        "memberships": Membership.objects.count(),
        "contacts": PanelContact.objects.count(),
        "meetings": Meeting.objects.count(),
        "agenda_items": AgendaItem.objects.count(),
        "attendance": Attendance.objects.count(),
        "minutes": Minute.objects.count(),
        "resolutions": Resolution.objects.count(),
        "priority_areas": PriorityArea.objects.count(),
        "indicators": Indicator.objects.count(),
        "area_placements": AreaIndicator.objects.count(),
        "values": Value.objects.count(),
        "publications": Publication.objects.count(),
        "targets": Target.objects.count(),
        "comparators": Comparator.objects.count(),
        "benchmark_values": BenchmarkValue.objects.count(),
        "commentary": Commentary.objects.count(),
        "spc_breaks": SpcBreak.objects.count(),
        "recommendations": Recommendation.objects.count(),
        "updates": RecommendationUpdate.objects.count(),
        "users": get_user_model()._default_manager.count(),
    }


@transaction.atomic
def load_demo(
    *, seeds_dir: Path, stdout: IO[str] | None = None, fixtures_dir: Path | None = None
) -> dict[str, int]:
    """Load (or bring up to date) the seed demo and return the row counts (see the module's
    rules). Notes on how the seed was read, and rows of the seed that disagree with each other,
    are written to `stdout`."""
    check_allowed()
    fixtures_dir = fixtures_dir or default_fixtures_dir()
    text = (Path(seeds_dir) / SEED_FILE).read_text(encoding="utf-8")
    appendix = seed_parser.parse_performance_appendix(text=text)
    tracker = seed_parser.parse_tracker(text=text)
    notes = list(appendix.notes)

    panel, people = _load_panel(_read_json(fixtures_dir, "panel.json"))
    meetings = _load_meetings(_read_json(fixtures_dir, "meetings.json"), panel=panel, people=people)
    _load_performance(
        appendix.areas,
        _read_json(fixtures_dir, "indicator_meta.json"),
        panel=panel,
        people=people,
        notes=notes,
    )
    _load_tracker(tracker, panel=panel, meetings=meetings)
    _load_accounts(people=people)

    if stdout is not None:
        for note in notes:
            stdout.write(f"Note: {note}\n")
    return counts()
