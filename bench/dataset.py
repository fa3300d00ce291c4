"""A large, consistent data set for `make bench`, written with bulk_create.

`generate(params=…)` writes into the default database (migrated, holding no panels): panels,
people, memberships, priority areas, indicators with a value for every month of
`params.years` financial years (all published, each month with its `Publication`), a target
and benchmarks per year, commentary, meetings with agendas, attendance, minutes numbered
through each municipal year, resolutions, and a recommendation per resolution with updates
and the panel's decisions. The data passes `manage.py check_data`: percentages lie in 0–100,
counts are whole, bounds agree with polarities, recommendations leave the list at later
meetings with a status to match, updates follow their meeting. History
(django-simple-history) is not written: bulk_create bypasses it, as a fresh import would.

`import_workbook(tables=…, year=…)` makes the workbook the import benchmark (and `make faults`)
imports. `bench.database.ensure_dataset` decides when a stored data set can be reused; run
alone, `python -m bench.generate`.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.wording import (
    AREA_THEMES,
    COMPARATORS,
    INDICATOR_STEMS,
    MEETING_MONTHS,
    PANEL_NAMES,
    REPORT_TOPICS,
    STANDARD_ITEMS,
    WORDS,
    Filler,
)
from indicators.rules.calendar import add_months
from meetings.rules import MUNICIPAL_YEAR_START_MONTH, municipal_year

LONDON = ZoneInfo("Europe/London")


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
    text = Filler(rng)
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
        sheet.append([Filler(rng).paragraph(2)])
        sheet.append([])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
