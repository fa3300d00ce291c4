"""Reads behind the public meeting pages.

Exempt and unpublished content is decided in ONE place, `core.visibility`, and every
selector here (and search, the calendars and the PDFs) asks it before handing anything over:

- an exempt agenda item (or an exempt paper) shows the public its title and the Schedule 12A
  exemption only — never its summary, report of, papers, minute text, who addressed the panel,
  what was noted, its RESOLVED items or the recommendations arising;
- an agenda not yet published shows the public only the meeting's date, time and venue — no
  items, no papers. Minutes, attendance and declarations are a record of a meeting that has
  taken place, and are public once written (except for exempt items).

The views get plain dataclasses, never a model object whose hidden fields a template could
reach by mistake.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from core.visibility import PUBLIC, Reader, item_withheld, reader_of

from . import rules
from .models import (
    AgendaDocument,
    AgendaItem,
    Attendance,
    Declaration,
    Meeting,
    Membership,
    Minute,
    Panel,
    PanelContact,
    Person,
    WorkProgrammeItem,
)
from .pages import MEETING_PAGE


def annotate_state(meeting: Meeting, *, has_minutes: bool, now=None) -> Meeting:
    """Set `state` and `state_label` (rules.meeting_state) on a meeting for the templates."""
    now = now or timezone.now()
    meeting.state = rules.meeting_state(
        cancelled=meeting.status == Meeting.Status.CANCELLED,
        has_minutes=has_minutes,
        published=meeting.is_published,
        past=meeting.start < now,
    )
    meeting.state_label = rules.STATE_LABELS[meeting.state]
    return meeting


# --- The meetings list ------------------------------------------------------------------------


@dataclass
class PanelMeetings:
    panel: Panel
    upcoming: list[Meeting] = field(default_factory=list)
    past: list[Meeting] = field(default_factory=list)


@dataclass
class MeetingsList:
    years: list[tuple[int, str]]
    year: int | None
    panels: list[PanelMeetings]
    panel_choices: list[Panel]
    panel_slug: str

    @property
    def year_label(self) -> str:
        return rules.municipal_year_label(year=self.year) if self.year is not None else ""

    @property
    def is_empty(self) -> bool:
        return not any(p.upcoming or p.past for p in self.panels)


def meetings_list(*, year: int | None, panel_slug: str = "", today: date | None = None):
    """Meetings by panel for one municipal year (the current one, or the latest with meetings,
    when none is asked for), each panel's split into upcoming (soonest first) and past (latest
    first). Three queries whatever the number of meetings."""
    today = today or timezone.localdate()
    months = Meeting.objects.dates("start", "month")
    years = rules.municipal_years_of(dates=months)
    if year is None or year not in years:
        year = rules.default_municipal_year(years=years, today=today)
    panel_choices = list(Panel.objects.filter(meetings__isnull=False).distinct())
    meetings = (
        Meeting.objects.select_related("panel")
        .annotate(has_minutes=Exists(Minute.objects.filter(meeting=OuterRef("pk"))))
        .order_by("panel__name", "start")
    )
    if year is not None:
        meetings = meetings.in_municipal_year(year)
    if panel_slug:
        meetings = meetings.filter(panel__slug=panel_slug)
    now = timezone.now()
    by_panel: dict[int, PanelMeetings] = {}
    for meeting in meetings:
        annotate_state(meeting, has_minutes=meeting.has_minutes, now=now)
        group = by_panel.setdefault(meeting.panel_id, PanelMeetings(panel=meeting.panel))
        (group.upcoming if meeting.start >= now else group.past).append(meeting)
    for group in by_panel.values():
        group.past.reverse()
    return MeetingsList(
        years=[(y, rules.municipal_year_label(year=y)) for y in years],
        year=year,
        panels=list(by_panel.values()),
        panel_choices=panel_choices,
        panel_slug=panel_slug,
    )


# --- One meeting ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Paper:
    title: str
    url: str  # empty when withheld
    exemption: str  # empty unless exempt
    external: bool = False


#: What a reader who may not read the item sees instead of a declaration's detail.
DETAIL_WITHHELD = "Withheld: the item is exempt"
DETAIL_NOT_YET_PUBLISHED = "Withheld until the agenda is published"
#: Instead of the item's number and title, on an agenda the reader may not read yet.
ITEM_NOT_YET_PUBLISHED = "An item of an agenda not yet published"


@dataclass(frozen=True)
class DeclarationView:
    person: Person
    kind: str
    detail: str
    item_number: int | None
    item_title: str
    meeting: Meeting | None = None
    on_item: bool = False  # made on one item (not the whole agenda), shown or not

    @property
    def item_label(self) -> str:
        if self.item_number is not None:
            return f"{self.item_number}. {self.item_title}"
        return ITEM_NOT_YET_PUBLISHED if self.on_item else "The whole agenda"


@dataclass(frozen=True)
class ItemView:
    number: int
    title: str
    kind: str
    summary: str
    report_of: str
    pages: str
    papers: list[Paper]
    exemption: str  # the notice, empty unless exempt
    withheld: bool  # exempt and this user may not read it
    exempt_reason: str = ""
    minute_number: int | None = None
    declarations: list[DeclarationView] = field(default_factory=list)


@dataclass(frozen=True)
class MinuteView:
    number: int
    title: str
    item_number: int | None
    text: str
    addressed_by: list[str]
    noted_points: list[str]
    resolutions: list[tuple[int, str]]
    exemption: str
    withheld: bool
    approves: Meeting | None = None

    @property
    def paragraphs(self) -> list[str]:
        """The text, one paragraph a line."""
        return [line.strip() for line in self.text.splitlines() if line.strip()]

    @property
    def text_leads_into_points(self) -> bool:
        """Whether the text already ends "… the Panel noted the following:"."""
        return self.text.rstrip().endswith(":")


@dataclass(frozen=True)
class AttendanceView:
    person: Person
    status: str
    status_label: str
    note: str
    substitute_for: Person | None


@dataclass
class MeetingPage:
    meeting: Meeting
    confidential: bool  # the reader sees exempt and unpublished content
    shows_agenda: bool
    items: list[ItemView]
    minutes: list[MinuteView]
    present: list[AttendanceView]
    apologies: list[AttendanceView]
    absent: list[AttendanceView]
    declarations: list[DeclarationView]
    recommendations: list
    approved_at: Meeting | None

    @property
    def has_attendance(self) -> bool:
        return bool(self.present or self.apologies or self.absent)

    @property
    def is_cancelled(self) -> bool:
        return self.meeting.status == Meeting.Status.CANCELLED


def get_meeting(pk: int) -> Meeting:
    """The meeting with its panel and the meeting that approved its minutes (404 if none)."""
    return get_object_or_404(
        Meeting.objects.select_related("panel", "minutes_approved_at"), pk=pk
    )


def _paper_view(paper: AgendaDocument, *, confidential: bool, withheld_item: bool) -> Paper:
    if paper.exempt or withheld_item:
        notice = rules.exemption_notice(paragraph=paper.exempt_paragraph) if paper.exempt else ""
        if not confidential:
            return Paper(title=paper.title, url="", exemption=notice or "Exempt")
        return Paper(
            title=paper.title, url=_paper_url(paper), exemption=notice, external=not paper.file
        )
    return Paper(title=paper.title, url=_paper_url(paper), exemption="", external=not paper.file)


def _paper_url(paper: AgendaDocument) -> str:
    if paper.file:
        return reverse("meetings:paper", args=[paper.pk])
    return paper.url


def declaration_view(declaration: Declaration, *, reader: Reader) -> DeclarationView:
    """A declaration as `reader` may see it (core.visibility): on an exempt item, its detail
    withheld; on an agenda not yet published, the item and the detail withheld. The meeting and
    the item (with its meeting) must be selected."""
    item = declaration.item
    meeting = declaration.meeting
    published = meeting.is_published
    shows_item = item is not None and (published or reader.sees_unpublished_agenda)
    detail = declaration.detail
    if item is not None and item_withheld(
        exempt=item.exempt, agenda_published=published, reader=reader
    ):
        detail = DETAIL_WITHHELD if shows_item else DETAIL_NOT_YET_PUBLISHED
    return DeclarationView(
        person=declaration.person,
        kind=declaration.get_kind_display(),
        detail=detail,
        item_number=item.number if shows_item else None,
        item_title=item.title if shows_item else "",
        meeting=meeting,
        on_item=item is not None,
    )


def item_views(
    items: Iterable[AgendaItem], *, reader: Reader, declarations=None, minute_numbers=None
) -> list[ItemView]:
    """Agenda items as `reader` may see them (papers must be prefetched as `documents`)."""
    declarations = declarations or {}
    minute_numbers = minute_numbers or {}
    confidential = reader.sees_exempt
    views = []
    for item in items:
        withheld = item.exempt and not confidential
        notice = rules.exemption_notice(paragraph=item.exempt_paragraph) if item.exempt else ""
        papers = (
            []
            if withheld
            else [
                _paper_view(p, confidential=confidential, withheld_item=item.exempt)
                for p in item.documents.all()
            ]
        )
        views.append(
            ItemView(
                number=item.number,
                title=item.title,
                kind=item.kind,
                summary="" if withheld else item.summary,
                report_of="" if withheld else item.report_of,
                pages="" if withheld else item.pages,
                papers=papers,
                exemption=notice,
                withheld=withheld,
                exempt_reason="" if withheld else item.exempt_reason,
                minute_number=minute_numbers.get(item.pk),
                declarations=declarations.get(item.pk, []),
            )
        )
    return views


def minute_views(minutes: Iterable[Minute], *, reader: Reader) -> list[MinuteView]:
    """Minutes as `reader` may see them (resolutions prefetched, agenda items selected)."""
    views = []
    for minute in minutes:
        item = minute.agenda_item
        exempt = bool(item and item.exempt)
        withheld = exempt and not reader.sees_exempt
        views.append(
            MinuteView(
                number=minute.number,
                title=minute.title,
                item_number=item.number if item else None,
                text="" if withheld else minute.text,
                addressed_by=[]
                if withheld
                else [line.strip() for line in minute.addressed_by.splitlines() if line.strip()],
                noted_points=[] if withheld else minute.noted_points,
                resolutions=[]
                if withheld
                else [(r.number, r.text) for r in minute.resolutions.all()],
                exemption=rules.exemption_notice(paragraph=item.exempt_paragraph)
                if exempt
                else "",
                withheld=withheld,
                approves=minute.approves_minutes_of,
            )
        )
    return views


def meeting_items(meeting: Meeting) -> QuerySet[AgendaItem]:
    return meeting.items.prefetch_related(
        Prefetch("documents", queryset=AgendaDocument.objects.order_by("order", "pk"))
    )


def meeting_minutes(meeting: Meeting) -> QuerySet[Minute]:
    return (
        meeting.minutes.select_related("agenda_item", "approves_minutes_of__panel")
        .prefetch_related("resolutions")
        .order_by("number")
    )


def meeting_page(*, meeting: Meeting, user) -> MeetingPage:
    """Everything the meeting page shows, as `user` may see it (the agenda only once published,
    exempt content withheld): at most seven queries after the meeting itself (declarations,
    items, papers, minutes, resolutions, attendance and the recommendations arising), whatever
    the number of rows."""
    reader = reader_of(user)
    shows_agenda = meeting.is_published or reader.sees_unpublished_agenda
    declarations = []
    for declaration in meeting.declarations.select_related("person", "item").order_by(
        "item__number", "pk"
    ):
        declaration.meeting = meeting  # already loaded: no query per row
        declarations.append(declaration_view(declaration, reader=reader))
    by_item: dict[int | None, list[DeclarationView]] = defaultdict(list)
    items = list(meeting_items(meeting)) if shows_agenda else []
    number_to_pk = {item.number: item.pk for item in items}
    for declaration in declarations:
        by_item[number_to_pk.get(declaration.item_number)].append(declaration)
    minutes = list(meeting_minutes(meeting))
    annotate_state(meeting, has_minutes=bool(minutes))
    minute_numbers = {m.agenda_item_id: m.number for m in minutes if m.agenda_item_id}
    attendance = [
        AttendanceView(
            person=a.person,
            status=a.status,
            status_label=a.get_status_display(),
            note=a.note,
            substitute_for=a.substitute_for,
        )
        for a in meeting.attendance.select_related("person", "substitute_for").order_by(
            "person__name"
        )
    ]
    recommendations = MEETING_PAGE.get("recommendations", meeting=meeting, user=user)
    return MeetingPage(
        meeting=meeting,
        confidential=reader.sees_exempt,
        shows_agenda=shows_agenda,
        items=item_views(
            items, reader=reader, declarations=by_item, minute_numbers=minute_numbers
        ),
        minutes=minute_views(minutes, reader=reader),
        present=[a for a in attendance if a.status in rules.COUNTS_AS_PRESENT],
        apologies=[a for a in attendance if a.status == rules.APOLOGIES],
        absent=[a for a in attendance if a.status == rules.ABSENT],
        declarations=declarations,
        recommendations=recommendations,
        approved_at=meeting.minutes_approved_at,
    )


# --- A panel ----------------------------------------------------------------------------------


@dataclass
class PanelPage:
    panel: Panel
    chair: Membership | None
    members: list[Membership]
    appointed: list[Membership]
    contacts: list[PanelContact]
    year: int
    meetings: list[Meeting]
    work_programme_count: int
    years: list[tuple[int, str]]

    @property
    def year_label(self) -> str:
        return rules.municipal_year_label(year=self.year)

    @property
    def terms_lead(self) -> str:
        """The first line of the terms of reference (the lead-in)."""
        lines = self._terms_lines()
        return lines[0] if lines else ""

    @property
    def terms_points(self) -> list[str]:
        """The lines after the lead-in, one a point."""
        return self._terms_lines()[1:]

    def _terms_lines(self) -> list[str]:
        return [
            line.strip().removeprefix("- ").strip()
            for line in self.panel.terms_of_reference.splitlines()
            if line.strip()
        ]

    @property
    def vacancies(self) -> list[Membership]:
        return [m for m in self.appointed if m.is_vacant]


def current_seats(panel: Panel, *, on: date) -> QuerySet[Membership]:
    """The panel's seats held (or vacant) on a date, in the order of the front sheet."""
    return (
        panel.memberships.filter(start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .select_related("person")
        .order_by("order", "pk")
    )


def panel_page(*, slug: str, year: int | None = None, today: date | None = None) -> PanelPage:
    """A panel's front sheet: seats, contacts and the meeting dates of a municipal year (the one
    with the panel's latest meeting up to today, else the current one), with the years it has
    met in to choose from. Six queries."""
    today = today or timezone.localdate()
    panel = get_object_or_404(Panel, slug=slug)
    if year is None:
        latest = (
            panel.meetings.filter(start__date__lte=today).order_by("-start").values("start").first()
        )
        year = rules.municipal_year(
            on=timezone.localtime(latest["start"]).date() if latest else today
        )
    first, after = rules.municipal_year_bounds(year=year)
    on = min(today, after)
    seats = list(current_seats(panel, on=on if on >= first else first))
    chair = next((s for s in seats if s.role == Membership.Role.CHAIR), None)
    members = [s for s in seats if s.role != Membership.Role.APPOINTED]
    appointed = [s for s in seats if s.role == Membership.Role.APPOINTED]
    contacts = list(panel.contacts.select_related("person").order_by("order"))
    meetings = [
        annotate_state(m, has_minutes=m.has_minutes)
        for m in panel.meetings.in_municipal_year(year)
        .annotate(has_minutes=Exists(Minute.objects.filter(meeting=OuterRef("pk"))))
        .order_by("start")
    ]
    count = WorkProgrammeItem.objects.filter(panel=panel).exclude(
        status=WorkProgrammeItem.Status.DONE
    ).count()
    years = set(rules.municipal_years_of(dates=panel.meetings.dates("start", "month"))) | {year}
    return PanelPage(
        years=[(y, rules.municipal_year_label(year=y)) for y in sorted(years, reverse=True)],
        panel=panel,
        chair=chair,
        members=members,
        appointed=appointed,
        contacts=contacts,
        year=year,
        meetings=meetings,
        work_programme_count=count,
    )


# --- A person ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PanelRecord:
    panel: Panel
    seats: list[Membership]
    record: rules.AttendanceRecord
    meetings: list[tuple[Meeting, str]]  # (meeting, status label) for the expected meetings


@dataclass
class PersonPage:
    person: Person
    seats: list[Membership]
    contact_roles: list[PanelContact]
    records: list[PanelRecord]
    declarations: list[DeclarationView]

    @property
    def total(self) -> rules.AttendanceRecord:
        return rules.AttendanceRecord(
            expected=sum(r.record.expected for r in self.records),
            present=sum(r.record.present for r in self.records),
            apologies=sum(r.record.apologies for r in self.records),
            absent=sum(r.record.absent for r in self.records),
            percent=rules.attendance_percent(
                present=sum(r.record.present for r in self.records),
                expected=sum(r.record.expected for r in self.records),
            ),
        )


def person_page(*, pk: int, user, now=None) -> PersonPage:
    """A member's panels and roles, attendance record per panel (rules.attendance_record) and
    the declarations they made. Six queries whatever the number of meetings."""
    now = now or timezone.now()
    person = get_object_or_404(Person, pk=pk)
    seats = list(person.memberships.select_related("panel").order_by("panel__name", "-start"))
    contact_roles = list(person.panel_contacts.select_related("panel"))
    panel_ids = {s.panel_id for s in seats}  # seats are ordered by panel name
    recorded = Attendance.objects.filter(meeting=OuterRef("pk"))
    meetings = list(
        Meeting.objects.filter(panel_id__in=panel_ids)
        .annotate(recorded=Exists(recorded))
        .select_related("panel")
        .order_by("start")
    )
    statuses = dict(person.attendance.values_list("meeting_id", "status"))
    labels = dict(Attendance.Status.choices)
    records = []
    seats_by_panel: dict[int, list[Membership]] = defaultdict(list)
    for seat in seats:
        seats_by_panel[seat.panel_id].append(seat)
    for panel_id, panel_seats in seats_by_panel.items():
        facts = []
        expected_meetings = []
        for meeting in (m for m in meetings if m.panel_id == panel_id):
            on = timezone.localtime(meeting.start).date()
            fact = rules.MeetingFact(
                held=meeting.status != Meeting.Status.CANCELLED and meeting.start < now,
                recorded=meeting.recorded,
                had_seat=any(
                    rules.seat_covers(on=on, start=s.start, end=s.end) for s in panel_seats
                ),
                status=statuses.get(meeting.pk),
            )
            facts.append(fact)
            if fact.held and fact.recorded and fact.had_seat:
                status = statuses.get(meeting.pk)
                expected_meetings.append((meeting, labels.get(status, "Absent")))
        records.append(
            PanelRecord(
                panel=panel_seats[0].panel,
                seats=panel_seats,
                record=rules.attendance_record(meetings=facts),
                meetings=expected_meetings,
            )
        )
    declarations = person.declarations.select_related("meeting__panel", "item").order_by(
        "-meeting__start", "pk"
    )
    reader = reader_of(user)
    return PersonPage(
        person=person,
        seats=seats,
        contact_roles=contact_roles,
        records=records,
        declarations=[declaration_view(d, reader=reader) for d in declarations],
    )


# --- Work programme -----------------------------------------------------------------------------


def work_programme(*, panel: Panel) -> list[WorkProgrammeItem]:
    """A panel's work programme: items not done first by target meeting (unscheduled last),
    then those done. Two queries at most."""
    items = WorkProgrammeItem.objects.filter(panel=panel).select_related(
        "lead_officer", "target_meeting", "agenda_item"
    )
    return sorted(
        items,
        key=lambda w: (
            w.status == WorkProgrammeItem.Status.DONE,
            w.target_meeting is None,
            w.target_meeting.start if w.target_meeting else timezone.now(),
            w.order,
            w.pk,
        ),
    )


def get_panel(slug: str) -> Panel:
    return get_object_or_404(Panel, slug=slug)


# --- Calendars --------------------------------------------------------------------------------


def calendar_meetings(*, panel: Panel | None = None) -> tuple[list[Meeting], dict[int, list[str]]]:
    """The meetings of a calendar feed (one panel's, or every panel's) and the item titles of
    each published agenda — titles only, which the public may see even of exempt items. A feed
    is fetched by calendar programs without a session, so it is always the public's. Two
    queries."""
    meetings = Meeting.objects.select_related("panel").order_by("start")
    if panel is not None:
        meetings = meetings.filter(panel=panel)
    # Titles of exempt items are public: only the agenda's publication is asked of the policy.
    items = AgendaItem.objects.all()
    if not PUBLIC.sees_unpublished_agenda:
        items = items.filter(meeting__agenda_published__isnull=False)
    if panel is not None:
        items = items.filter(meeting__panel=panel)
    meetings = list(meetings)
    titles: dict[int, list[str]] = defaultdict(list)
    for meeting_id, number, title, exempt in items.order_by("meeting", "number").values_list(
        "meeting_id", "number", "title", "exempt"
    ):
        titles[meeting_id].append(f"{number}. {title}" + (" (exempt)" if exempt else ""))
    return meetings, dict(titles)
