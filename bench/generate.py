"""A large, consistent data set for `make bench`, written with bulk_create.

`generate(params=…)` writes into the default database (migrated, holding no panels): panels,
people, memberships, priority areas, indicators with a value for every month of
`params.years` financial years (all published, each month with its `Publication`), a target
and benchmarks per year, commentary, meetings with agendas, attendance, minutes numbered
through each municipal year, resolutions, and a recommendation per resolution with updates
and the panel's decisions. The data passes `manage.py check_data`: percentages lie in 0–100,
counts are whole, bounds agree with polarities, recommendations leave the list at later
meetings with a status to match, updates follow their meeting.

`ensure_dataset(params=…, url=…)` reuses the database at `url` when it holds a data set made
with the same parameters, the same generator and the same migrations; otherwise it recreates
the database, migrates it and generates. History (django-simple-history) is not written:
bulk_create bypasses it, as a fresh import would.

Run alone: `python -m bench.generate` (the same database choice as `bench.run`).
"""

from __future__ import annotations

import hashlib
import io
import json
import random
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from indicators.rules.calendar import add_months
from meetings.rules import MUNICIPAL_YEAR_START_MONTH, municipal_year

LONDON = ZoneInfo("Europe/London")
BENCH_DIR = Path(__file__).resolve().parent
DATA_DIR = BENCH_DIR / "data"
META_TABLE = "bench_meta"

PANEL_NAMES = (
    "Children and Families Scrutiny Panel",
    "Health Overview and Scrutiny Panel",
    "Housing and Communities Scrutiny Panel",
    "Place Scrutiny Panel",
    "Resources Scrutiny Panel",
)
AREA_THEMES = (
    "Effective assessment and intervention",
    "Purposeful direct contact",
    "Management support for better practice",
    "Right service at the right time",
    "Robust corporate parenting",
)
INDICATOR_STEMS = {
    "percentage": (
        "Percentage of assessments completed within 45 working days",
        "Percentage of visits within statutory timescales",
        "Percentage of re-referrals within 12 months",
        "Percentage of plans reviewed on time",
        "Percentage of cases with up-to-date supervision",
    ),
    "number": (
        "Number of contacts",
        "Number of referrals in the month",
        "Number of children on a plan at the end of the month",
        "Number of assessments completed",
        "Number of enquiries received",
    ),
    "rate": (
        "Rate of referrals per 10,000 of the under-18 population",
        "Rate of children looked after per 10,000",
        "Rate of assessments per 10,000",
    ),
}
COMPARATORS = (
    ("Southampton", "own", 10),
    ("Statistical Neighbours", "neighbours", 20),
    ("South East", "region", 30),
    ("England", "national", 40),
)
#: Meetings of a municipal year (May to April), by calendar month.
MEETING_MONTHS = (6, 7, 9, 10, 11, 12, 1, 2, 3, 4)
STANDARD_ITEMS = (
    "APOLOGIES AND CHANGES IN PANEL MEMBERSHIP (IF ANY)",
    "DISCLOSURE OF PERSONAL AND PECUNIARY INTERESTS",
    "DECLARATIONS OF SCRUTINY INTEREST",
    "DECLARATION OF PARTY POLITICAL WHIP",
    "STATEMENT FROM THE CHAIR",
    "MINUTES OF THE PREVIOUS MEETING (INCLUDING MATTERS ARISING)",
)
REPORT_TOPICS = (
    "Elective home education",
    "Self evaluation of practice",
    "Quality assurance brief",
    "Annual report of the safeguarding partnership",
    "Fostering sufficiency",
    "Care leavers' accommodation",
    "Early help offer",
    "Workforce stability",
    "Missing children",
    "Special educational needs and disabilities",
)
WORDS = (
    "the panel noted the improvement in timeliness since the move to the new case system and "
    "asked for the figures to be broken down by locality at the next meeting",
    "performance remains below the statistical neighbour average and the service has agreed a "
    "recovery plan with monthly reporting to the leadership team",
    "almost four hundred visits were held in draft at the month end, so the published figure "
    "understates the work done; the data team is clearing the backlog",
    "the increase reflects a rise in contacts from schools after the start of term, in line "
    "with the seasonal pattern of previous years",
    "managers audited a sample of cases and found the recording accurate; the shortfall is in "
    "capacity, which the recruitment campaign is addressing",
)
ACTIONS = (
    "Weekly performance clinics with team managers",
    "Recruitment of four experienced social workers",
    "Audit of a sample of cases in each locality",
    "Report back to the panel with a breakdown by locality",
    "Review of the threshold document with partners",
)


@dataclass(frozen=True)
class Params:
    """The size of the data set. Indicators and meetings are shared equally among the panels;
    every meeting makes `recommendations / meetings` recommendations (the remainder going to
    the earliest meetings)."""

    panels: int = 5
    indicators: int = 250
    areas_per_panel: int = 5
    first_year: int = 2016  # the financial year (April) of the first month
    years: int = 10  # financial years of monthly values: 10 → 120 months
    meetings: int = 500
    recommendations: int = 5000
    updates_per_recommendation: int = 2
    seed: int = 2022

    @property
    def months(self) -> list[date]:
        start = date(self.first_year, 4, 1)
        return [_add_months(start, k) for k in range(self.years * 12)]

    @property
    def fiscal_years(self) -> list[int]:
        return list(range(self.first_year, self.first_year + self.years))


def _add_months(month: date, count: int) -> date:
    return add_months(month=month, count=count)


def fingerprint(params: Params, *, migrations: list[str]) -> str:
    """What decides whether a stored data set can be reused: the parameters, this generator's
    source, and the migrations the project has (a new migration makes a new data set)."""
    source = Path(__file__).read_bytes()
    payload = json.dumps(
        {"params": asdict(params), "migrations": sorted(migrations)}, sort_keys=True
    ).encode()
    return hashlib.sha256(payload + source).hexdigest()


# --- Generation -----------------------------------------------------------------------------


class _Text:
    """Deterministic filler text of realistic length."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def paragraph(self, sentences: int = 2) -> str:
        return " ".join(
            self.rng.choice(WORDS).capitalize() + "." for _ in range(sentences)
        )

    def actions(self, count: int = 3) -> str:
        return "\n".join(self.rng.sample(ACTIONS, count))


def _decimal(value: float, places: int) -> Decimal:
    return Decimal(str(round(value, places))) if places else Decimal(int(round(value)))


def _series(rng: random.Random, *, outturn: str, measure: str, count: int, places: int):
    """A month-by-month series: a level with a drift, noise and a step or two; cumulative
    measures add monthly amounts and restart each April (the first month is an April)."""
    if outturn == "percentage":
        level, noise = rng.uniform(35, 90), rng.uniform(1, 6)
    elif outturn == "rate":
        level, noise = rng.uniform(20, 600), rng.uniform(2, 30)
    else:
        level, noise = rng.uniform(30, 2500), 0.0
        noise = level * rng.uniform(0.03, 0.12)
    drift = rng.uniform(-0.15, 0.15) * noise
    values: list[float] = []
    running = 0.0
    for k in range(count):
        if rng.random() < 0.02:
            level += rng.choice((-1, 1)) * 3 * noise
        level = level + drift if level + drift > 0 else level
        x = max(0.0, rng.gauss(level, noise))
        if outturn == "percentage":
            x = min(100.0, x)
        if measure == "cumulative_ytd":
            if k % 12 == 0:
                running = 0.0
            running += x / 12
            x = running
        values.append(round(x, places) if places else float(round(x)))
    return values


def generate(*, params: Params, progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Write the data set into the default database (migrated, with no panel yet) in one
    transaction and return the row counts by model."""
    from django.db import transaction

    with transaction.atomic():
        return _generate(params, progress or (lambda _: None))


def _generate(params: Params, say: Callable[[str], None]) -> dict[str, int]:
    from indicators.models import (
        AreaIndicator,
        BenchmarkValue,
        Commentary,
        Comparator,
        Indicator,
        PriorityArea,
        Publication,
        Target,
        Value,
    )
    from meetings.models import (
        AgendaItem,
        Attendance,
        Declaration,
        Meeting,
        Membership,
        Minute,
        Panel,
        PanelContact,
        Person,
        Resolution,
    )
    from recommendations.models import (
        PanelDecision,
        Recommendation,
        RecommendationUpdate,
        Status,
    )

    rng = random.Random(params.seed)
    text = _Text(rng)
    counts: dict[str, int] = {}
    months = params.months
    batch = 2000

    def bulk(model, rows: list) -> list:
        created = model.objects.bulk_create(rows, batch_size=batch)
        name = str(model._meta.verbose_name_plural)
        counts[name] = counts.get(name, 0) + len(rows)
        return created

    statuses = {s.slug: s for s in Status.objects.all()}
    complete = next(s for s in statuses.values() if s.is_complete)
    rejected = next(s for s in statuses.values() if s.is_rejected)
    open_statuses = [s for s in statuses.values() if not s.is_complete and not s.is_rejected]
    in_train = statuses.get("in-train", open_statuses[0])

    comparators = []
    for name, kind, order in COMPARATORS:
        comparator, _ = Comparator.objects.get_or_create(
            name=name, defaults={"kind": kind, "order": order}
        )
        comparators.append(comparator)

    # --- Panels and people ---
    say("panels and people")
    panels = bulk(
        Panel,
        [
            Panel(
                name=PANEL_NAMES[p] if p < len(PANEL_NAMES) else f"Scrutiny Panel {p + 1}",
                slug=f"bench-{p + 1}",
                role="To scrutinise the performance of the council's services.",
                terms_of_reference="Monitor performance.\nMake recommendations.",
                quorum=3,
            )
            for p in range(params.panels)
        ],
    )
    people_rows: list[Person] = []
    for p in range(params.panels):
        for k in range(8):
            people_rows.append(
                Person(kind="councillor", title="Councillor", name=f"Member {p + 1}-{k + 1}")
            )
        people_rows.append(Person(kind="appointed", name=f"Governor {p + 1}"))
        people_rows.append(
            Person(kind="officer", name=f"Officer {p + 1}", job_title="Service manager")
        )
        people_rows.append(
            Person(kind="officer", name=f"Scrutiny manager {p + 1}", job_title="Scrutiny manager")
        )
    people = bulk(Person, people_rows)
    per_panel = 11
    members = {p: people[p * per_panel : p * per_panel + 8] for p in range(params.panels)}
    governor = {p: people[p * per_panel + 8] for p in range(params.panels)}
    officer = {p: people[p * per_panel + 9] for p in range(params.panels)}
    manager = {p: people[p * per_panel + 10] for p in range(params.panels)}
    start = date(params.first_year, 5, 1)
    memberships = []
    contacts = []
    for p, panel in enumerate(panels):
        for k, person in enumerate(members[p]):
            role = "chair" if k == 0 else ("vice_chair" if k == 1 else "member")
            memberships.append(
                Membership(panel=panel, person=person, role=role, start=start, order=k)
            )
        memberships.append(
            Membership(
                panel=panel,
                person=governor[p],
                role="appointed",
                designation="Primary Parent Governor",
                start=start,
                order=9,
            )
        )
        memberships.append(
            Membership(
                panel=panel, person=None, role="appointed", designation="Church representative",
                start=start, order=10,
            )
        )
        contacts.append(PanelContact(panel=panel, person=manager[p], role="Scrutiny manager"))
    bulk(Membership, memberships)
    bulk(PanelContact, contacts)

    # --- Priority areas and indicators ---
    say("indicators")
    areas = bulk(
        PriorityArea,
        [
            PriorityArea(
                panel=panel,
                name=f"{AREA_THEMES[a % len(AREA_THEMES)]} ({a + 1})",
                order=a + 1,
                rating=("high", "medium", "low")[a % 3],
            )
            for panel in panels
            for a in range(params.areas_per_panel)
        ],
    )
    areas_of = {
        p: areas[p * params.areas_per_panel : (p + 1) * params.areas_per_panel]
        for p in range(params.panels)
    }
    kinds = ("percentage", "number", "percentage", "rate", "number")
    indicator_rows: list[Indicator] = []
    shapes: list[tuple[str, str, str, int]] = []
    for p, panel in enumerate(panels):
        count = params.indicators // params.panels + (p < params.indicators % params.panels)
        for k in range(count):
            outturn = kinds[k % len(kinds)]
            measure = "snapshot"
            if outturn != "percentage":
                measure = "cumulative_ytd" if k % 7 == 3 else ("in_month" if k % 2 else "snapshot")
            polarity = ("higher", "lower", "none")[k % 3]
            places = 0 if outturn == "number" else 1
            stems = INDICATOR_STEMS[outturn]
            area = areas_of[p][k % params.areas_per_panel]
            indicator_rows.append(
                Indicator(
                    panel=panel,
                    priority_area=area,
                    ref=f"P{p + 1}-{k + 1:03d}",
                    name=f"{stems[k % len(stems)]} ({p + 1}.{k + 1})",
                    definition="As defined in the council's data dictionary.",
                    outturn_type=outturn,
                    measure_type=measure,
                    polarity=polarity,
                    decimals=places,
                    owner=officer[p],
                    reporter=manager[p],
                    outcome="Children are safe and well supported.",
                    order=k + 1,
                )
            )
            shapes.append((outturn, measure, polarity, places))
    indicators = bulk(Indicator, indicator_rows)
    placements = []
    for indicator in indicators:
        placements.append(
            AreaIndicator(
                priority_area_id=indicator.priority_area_id,
                indicator=indicator,
                order=indicator.order,
            )
        )
        if indicator.order % 10 == 0:  # repeated in another area's table, as the council does
            p = panels.index(next(pl for pl in panels if pl.pk == indicator.panel_id))
            others = [a for a in areas_of[p] if a.pk != indicator.priority_area_id]
            if others:
                placements.append(
                    AreaIndicator(
                        priority_area=others[0], indicator=indicator, order=indicator.order
                    )
                )
    bulk(AreaIndicator, placements)

    # --- Values, publications, targets, benchmarks ---
    say("values")
    published_at = {m: datetime.combine(_add_months(m, 1), time(9), LONDON) + timedelta(19)
                    for m in months}
    values: list[Value] = []
    targets: list[Target] = []
    benchmarks: list[BenchmarkValue] = []
    for indicator, (outturn, measure, polarity, places) in zip(indicators, shapes, strict=True):
        series = _series(rng, outturn=outturn, measure=measure, count=len(months), places=places)
        for month, x in zip(months, series, strict=True):
            missing = rng.random() < 0.02
            values.append(
                Value(
                    indicator=indicator,
                    month=month,
                    number=None if missing else _decimal(x, places),
                    status=rng.choice(("tbc", "na", "not_reported")) if missing else "",
                    state="published",
                    published_at=published_at[month],
                )
            )
        for y, year in enumerate(params.fiscal_years):
            year_values = series[y * 12 : y * 12 + 12]
            mean = sum(year_values) / len(year_values)
            if measure == "cumulative_ytd":
                mean = year_values[-1]
            if polarity == "none":
                targets.append(Target(indicator=indicator, year=year, number=None, status="tbc"))
            else:
                aim = mean * (1.05 if polarity == "higher" else 0.95)
                if outturn == "percentage":
                    aim = min(100.0, aim)
                bound = ""
                if indicator.order % 6 == 0:
                    bound = ">=" if polarity == "higher" else "<"
                targets.append(
                    Target(
                        indicator=indicator,
                        year=year,
                        number=_decimal(aim, places),
                        bound=bound,
                    )
                )
            for c, comparator in enumerate(comparators):
                if c and rng.random() < 0.05:
                    benchmarks.append(
                        BenchmarkValue(
                            indicator=indicator, comparator=comparator, year=year, number=None,
                            status="na",
                        )
                    )
                    continue
                figure = max(0.0, mean * rng.uniform(0.85, 1.15))
                if outturn == "percentage":
                    figure = min(100.0, figure)
                benchmarks.append(
                    BenchmarkValue(
                        indicator=indicator,
                        comparator=comparator,
                        year=year,
                        number=_decimal(figure, 1),
                    )
                )
    bulk(Value, values)
    del values
    bulk(
        Publication,
        [
            Publication(panel=panel, month=month, published_at=published_at[month])
            for panel in panels
            for month in months
        ],
    )
    bulk(Target, targets)
    bulk(BenchmarkValue, benchmarks)

    # --- Commentary: every area every month; a tenth of the indicator-months ---
    say("commentary")
    commentary = [
        Commentary(
            priority_area=area,
            month=month,
            analysis=text.paragraph(3),
            actions=text.actions(),
            state="published",
        )
        for area in areas
        for month in months
    ]
    commentary += [
        Commentary(
            indicator=indicator,
            month=month,
            analysis=text.paragraph(2),
            actions=text.actions(2),
            state="published",
        )
        for indicator in indicators
        for k, month in enumerate(months)
        if (k + indicator.order) % 10 == 0
    ]
    bulk(Commentary, commentary)
    del commentary

    # --- Meetings, agendas, attendance, minutes, resolutions ---
    say("meetings")
    meeting_rows: list[Meeting] = []
    meeting_panel: list[int] = []
    for p, panel in enumerate(panels):
        count = params.meetings // params.panels + (p < params.meetings % params.panels)
        for j in range(count):
            year = params.first_year + j // len(MEETING_MONTHS)
            month = MEETING_MONTHS[j % len(MEETING_MONTHS)]
            # The meeting cycle follows the municipal year: May–December in `year`, the rest after.
            first = date(year if month >= MUNICIPAL_YEAR_START_MONTH else year + 1, month, 1)
            thursday = first + timedelta((3 - first.weekday()) % 7 + 7 * (p % 3))
            meeting_rows.append(
                Meeting(
                    panel=panel,
                    start=datetime.combine(thursday, time(17, 30), LONDON),
                    venue="Conference Room 3 and 4, Civic Centre",
                    hybrid=j % 4 == 0,
                    status="held",
                    agenda_published=thursday - timedelta(8),
                )
            )
            meeting_panel.append(p)
    meetings = bulk(Meeting, meeting_rows)
    by_panel: dict[int, list[Meeting]] = {}
    for meeting, p in zip(meetings, meeting_panel, strict=True):
        by_panel.setdefault(p, []).append(meeting)
    for panel_meetings in by_panel.values():
        for earlier, later in zip(panel_meetings, panel_meetings[1:], strict=False):
            earlier.minutes_approved_at = later
    Meeting.objects.bulk_update(
        [m for m in meetings if m.minutes_approved_at is not None],
        ["minutes_approved_at"],
        batch_size=batch,
    )

    items: list[AgendaItem] = []
    item_meeting: list[tuple[int, int]] = []  # (panel index, meeting index within panel)
    first_month, last_month = months[0], months[-1]
    for p, panel_meetings in by_panel.items():
        for j, meeting in enumerate(panel_meetings):
            day = meeting.start.date()
            for n, title in enumerate(STANDARD_ITEMS, start=1):
                items.append(
                    AgendaItem(meeting=meeting, number=n, title=title, kind="procedural")
                )
                item_meeting.append((p, j))
            for r in range(3):
                number = 7 + r
                topic = REPORT_TOPICS[(j * 3 + r) % len(REPORT_TOPICS)]
                performance = r == 2
                exempt = r == 1 and j % 25 == 7
                dataset_month = None
                if performance:
                    dataset_month = min(last_month, _add_months(day.replace(day=1), -2))
                    if dataset_month < first_month:
                        performance, dataset_month = False, None
                items.append(
                    AgendaItem(
                        meeting=meeting,
                        number=number,
                        title=(
                            f"{panels[p].name.split(' Scrutiny')[0]} performance"
                            if performance
                            else f"{topic} ({day.year})"
                        ),
                        summary=text.paragraph(1),
                        report_of="Report of the Executive Director – Children and Learning",
                        page_from=10 * r + 5,
                        page_to=10 * r + 14,
                        kind="performance" if performance else "report",
                        exempt=exempt,
                        exempt_paragraph=3 if exempt else None,
                        exempt_reason="Information about the financial affairs of a person"
                        if exempt
                        else "",
                        dataset_panel=panels[p] if performance else None,
                        dataset_month=dataset_month,
                    )
                )
                item_meeting.append((p, j))
            items.append(
                AgendaItem(
                    meeting=meeting,
                    number=10,
                    title="MONITORING SCRUTINY RECOMMENDATIONS",
                    kind="monitoring",
                )
            )
            item_meeting.append((p, j))
    items = bulk(AgendaItem, items)

    attendance = []
    declarations = []
    for p, panel_meetings in by_panel.items():
        for j, meeting in enumerate(panel_meetings):
            absent = j % len(members[p])
            for k, person in enumerate(members[p]):
                attendance.append(
                    Attendance(
                        meeting=meeting,
                        person=person,
                        status="apologies" if k == absent else "present",
                    )
                )
            attendance.append(Attendance(meeting=meeting, person=governor[p], status="present"))
            if j % 5 == 0:
                declarations.append(
                    Declaration(
                        meeting=meeting,
                        person=members[p][(j // 5) % 8],
                        kind="other",
                        detail="A family member works for a provider of children's services.",
                    )
                )
    bulk(Attendance, attendance)
    bulk(Declaration, declarations)

    say("minutes")
    minutes: list[Minute] = []
    next_number: dict[tuple[int, int], int] = {}
    previous_meeting: dict[int, Meeting] = {}
    for item, (p, _j) in zip(items, item_meeting, strict=True):
        meeting = item.meeting
        year = municipal_year(on=meeting.start.date())
        number = next_number.get((p, year), 0) + 1
        next_number[(p, year)] = number
        approves = None
        if item.number == 6:
            approves = previous_meeting.get(p)
        if item.number == 10:
            previous_meeting[p] = meeting
        minutes.append(
            Minute(
                meeting=meeting,
                panel=meeting.panel,
                municipal_year=year,
                number=number,
                agenda_item=item,
                title=item.title,
                text=text.paragraph(2) if item.number >= 7 else "",
                noted="\n".join(text.rng.sample(WORDS, 2)) if item.kind == "report" else "",
                addressed_by="The Executive Director – Children and Learning"
                if item.number >= 7
                else "",
                approves_minutes_of=approves,
            )
        )
    minutes = bulk(Minute, minutes)

    # Resolutions: each meeting's share of the recommendations, round the report items.
    say("resolutions and recommendations")
    report_minutes: dict[int, list[Minute]] = {}
    for minute in minutes:
        if minute.agenda_item.number in (7, 8, 9):
            report_minutes.setdefault(minute.meeting.pk, []).append(minute)
    ordered_meetings = [m for p in sorted(by_panel) for m in by_panel[p]]
    total = len(ordered_meetings)
    resolutions: list[Resolution] = []
    for index, meeting in enumerate(ordered_meetings):
        share = params.recommendations // total + (index < params.recommendations % total)
        numbers: dict[int, int] = {}
        for r in range(share):
            minute = report_minutes[meeting.pk][r % 3]
            numbers[minute.pk] = numbers.get(minute.pk, 0) + 1
            resolutions.append(
                Resolution(
                    minute=minute,
                    number=numbers[minute.pk],
                    text=f"That the Panel {rng.choice(('is provided with', 'receives'))} "
                    f"{rng.choice(('a briefing on', 'the figures for', 'a report on'))} "
                    f"{minute.title.lower()} {rng.choice(WORDS)[:80]}.",
                )
            )
    resolutions = bulk(Resolution, resolutions)

    position = {m.pk: (p, j) for p, ms in by_panel.items() for j, m in enumerate(ms)}
    recommendations: list[Recommendation] = []
    fates: list[tuple[str, Meeting | None]] = []
    panel_indicators: dict[int, list] = {}
    for indicator in indicators:
        panel_indicators.setdefault(indicator.panel_id, []).append(indicator)
    for resolution in resolutions:
        minute = resolution.minute
        meeting = minute.meeting
        p, j = position[meeting.pk]
        panel_meetings = by_panel[p]
        remaining = len(panel_meetings) - 1 - j
        roll = rng.random()
        accepted = reported = None
        if remaining >= 8 and roll < 0.85:
            status, accepted = complete, panel_meetings[j + rng.randint(2, 6)]
        elif remaining >= 8 and roll < 0.9:
            status, reported = rejected, panel_meetings[j + rng.randint(2, 4)]
        elif remaining >= 1 and roll < 0.2:
            status = complete  # complete, waiting for the panel to accept it
        elif remaining >= 1 and roll < 0.25:
            status = rejected  # rejected, waiting to be reported
        else:
            status = rng.choice(open_statuses)
        day = meeting.start.astimezone(LONDON).date()
        recommendations.append(
            Recommendation(
                panel=meeting.panel,
                resolution=resolution,
                meeting=meeting,
                meeting_date=day,
                item_title=minute.title,
                number=resolution.number,
                item_order=minute.agenda_item.number,
                action_proposed=resolution.text,
                lead_officer=officer[p],
                due_date=day + timedelta(days=91),
                response_due=day + timedelta(days=61),
                status=status,
                accepted_at=accepted,
                rejection_reported_at=reported,
            )
        )
        fates.append((p, j))
    recommendations = bulk(Recommendation, recommendations)

    updates: list[RecommendationUpdate] = []
    decisions: list[PanelDecision] = []
    links = []
    through = Recommendation.indicators.through
    for rec, (p, j) in zip(recommendations, fates, strict=True):
        panel_meetings = by_panel[p]
        for u in range(params.updates_per_recommendation):
            last = u == params.updates_per_recommendation - 1
            later = panel_meetings[min(j + u + 1, len(panel_meetings) - 1)]
            updates.append(
                RecommendationUpdate(
                    recommendation=rec,
                    date=rec.meeting_date + timedelta(days=20 + 30 * u),
                    action_taken=text.paragraph(2),
                    status=rec.status if last else in_train,
                    author_name="Service manager",
                    reported_to=later if later.pk != rec.meeting_id else None,
                )
            )
        if rec.accepted_at is not None:
            decisions.append(
                PanelDecision(recommendation=rec, meeting=rec.accepted_at, decision="accepted")
            )
        elif rec.rejection_reported_at is not None:
            decisions.append(
                PanelDecision(
                    recommendation=rec,
                    meeting=rec.rejection_reported_at,
                    decision="rejection_noted",
                )
            )
        if rec.pk % 5 == 0:
            choices = panel_indicators[rec.panel_id]
            links.append(
                through(recommendation_id=rec.pk, indicator_id=choices[rec.pk % len(choices)].pk)
            )
    bulk(RecommendationUpdate, updates)
    bulk(PanelDecision, decisions)
    through.objects.bulk_create(links, batch_size=batch)
    counts["recommendation indicator links"] = len(links)
    return counts


# --- The import workbook ----------------------------------------------------------------------


def import_workbook(
    *, tables: list[tuple[str, list[tuple[str, str]]]], year: int, seed: int = 7
) -> bytes:
    """An .xlsx in the council's 2022 layout (`indicators.workbook.reading`): per priority area a
    heading row, then `Indicator | Outturn type | Apr-YY … Mar-YY | Target | Southampton YY/YY |
    Statistical Neighbours | South East | England`, then the rows, then an analysis. `tables`
    gives (area name, [(indicator name, outturn type)]) and `year` the financial year."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    months = [_add_months(date(year, 4, 1), k) for k in range(12)]
    headings = [f"{m:%b}-{m:%y}" for m in months]
    own = f"Southampton {(year - 1) % 100:02d}/{year % 100:02d}"
    book = Workbook()
    sheet = book.active
    sheet.title = "Performance"
    sheet.append(["Children and Families performance dataset"])
    sheet.append([])
    for area, rows in tables:
        sheet.append([area])
        sheet.append(
            ["Indicator", "Outturn type", *headings, "Target", own,
             "Statistical Neighbours", "South East", "England"]
        )
        for name, outturn in rows:
            places = 0 if outturn == "number" else 1
            series = _series(rng, outturn=outturn, measure="snapshot", count=12, places=places)
            if not places:
                series = [int(x) for x in series]
            mean = sum(series) / 12
            target = round(min(100.0, mean * 1.05) if outturn == "percentage" else mean, places)
            sheet.append(
                [name, outturn.upper(), *series, target,
                 *(round(min(100.0, mean * rng.uniform(0.9, 1.1)), 1) if outturn == "percentage"
                   else round(mean * rng.uniform(0.9, 1.1), 1) for _ in range(4))]
            )
        sheet.append([])
        sheet.append(["Analysis"])
        sheet.append([_Text(rng).paragraph(2)])
        sheet.append([])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- The database -----------------------------------------------------------------------------


def migration_leaves() -> list[str]:
    """The latest migration of every app, as the files on disk say."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    return [f"{app}.{name}" for app, name in loader.graph.leaf_nodes()]


def stored_fingerprint() -> str | None:
    """The fingerprint of the data set in the default database, or None when it has none (or
    the database does not exist yet)."""
    from django.db import DatabaseError, connection

    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT value FROM {META_TABLE} WHERE name = 'fingerprint'")
            row = cursor.fetchone()
    except DatabaseError:
        return None
    finally:
        connection.close()
    return row[0] if row else None


def _store_fingerprint(value: str, counts: dict[str, int]) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {META_TABLE} (name VARCHAR(50) PRIMARY KEY, value TEXT)"
        )
        cursor.execute(f"DELETE FROM {META_TABLE}")
        cursor.execute(
            f"INSERT INTO {META_TABLE} (name, value) VALUES (%s, %s), (%s, %s), (%s, %s)",
            [
                "fingerprint", value,
                "counts", json.dumps(counts),
                "generated_at", datetime.now(UTC).isoformat(timespec="seconds"),
            ],
        )


def stored_counts() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, value FROM {META_TABLE}")
        rows = dict(cursor.fetchall())
    return {
        "counts": json.loads(rows.get("counts", "{}")),
        "generated_at": rows.get("generated_at"),
    }


def _recreate_database(url: str) -> None:
    """An empty database at `url`: PostgreSQL's is dropped and created again (via the
    `postgres` maintenance database); a SQLite file is deleted."""
    from django.db import connections

    connections.close_all()
    import dj_database_url

    config = dj_database_url.parse(url)
    if config["ENGINE"].endswith("sqlite3"):
        path = Path(config["NAME"])
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=config.get("HOST") or "127.0.0.1",
        port=config.get("PORT") or 5432,
        user=config.get("USER") or "postgres",
        password=config.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=5,
    ) as conn:
        name = sql.Identifier(config["NAME"])
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def ensure_dataset(
    *,
    params: Params,
    url: str,
    progress: Callable[[str], None] | None = None,
    force: bool = False,
) -> tuple[bool, float]:
    """Make sure the database at `url` (the default database of the running Django) holds the
    data set of `params`, making it anew when `force`. Returns (reused, seconds spent
    generating)."""
    import time as clock

    from django.core.management import call_command

    say = progress or (lambda _: None)
    wanted = fingerprint(params, migrations=migration_leaves())
    if not force and stored_fingerprint() == wanted:
        return True, 0.0
    began = clock.perf_counter()
    say("recreating the database")
    _recreate_database(url)
    say("migrating")
    call_command("migrate", interactive=False, verbosity=0)
    counts = generate(params=params, progress=lambda step: say(f"generating {step}"))
    _store_fingerprint(wanted, counts)
    return False, clock.perf_counter() - began


if __name__ == "__main__":  # pragma: no cover - `python -m bench.generate`
    from bench import run

    run.main(["--generate-only"])
