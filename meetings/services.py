"""The scrutiny manager's writes: meetings and their standard items, attendance, declarations,
minutes numbered on through the municipal year, approval of minutes, cancelling and moving
meetings, and the work programme. Each is atomic and checks every object with full_clean()."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from core.command_line import recorded_user

from . import rules
from .models import (
    AgendaItem,
    Attendance,
    Declaration,
    Meeting,
    Minute,
    Panel,
    Person,
    Resolution,
    WorkProgrammeItem,
)

ERROR_QUORUM = (
    "Only {present} present at {meeting}: fewer than the panel's quorum of {quorum}. "
    "The meeting is not quorate."
)
ERROR_MINUTE_ITEM_OTHER_MEETING = "Agenda item {item} is not on the agenda of {meeting}."
ERROR_APPROVES_LATER_MEETING = (
    "Minutes can only approve the minutes of an earlier meeting of the same panel; "
    "{meeting} is not one."
)
ERROR_MINUTE_NUMBER_TAKEN = (
    "Minute {number} of {year} is already taken (by the minutes of {meeting}). Leave the number "
    "blank to take the next one."
)
ERROR_DECLARATION_ITEM_OTHER_MEETING = "Agenda item {item} is not on the agenda of {meeting}."
ERROR_ALREADY_CANCELLED = "{meeting} is already cancelled."
ERROR_PLACE_NO_MEETING = "Choose the meeting to place “{title}” on."
ERROR_PLACE_OTHER_PANEL = "{meeting} is not a meeting of the {panel}."
ERROR_ALREADY_PLACED = "“{title}” is already on the agenda of {meeting} as item {number}."


def _save(obj, *, user=None):
    obj.full_clean()
    if recorded_user(user) is not None:
        obj._history_user = user
    obj.save()
    return obj


def _lock_panel(panel_id: int) -> None:
    """Serialise numbering per panel (a row lock on PostgreSQL; SQLite locks the database)."""
    list(Panel.objects.select_for_update().filter(pk=panel_id).values_list("pk", flat=True))


# --- Meetings and agendas -------------------------------------------------------------------


#: Changes that calendars must be told about (a new SEQUENCE).
CALENDAR_FIELDS: frozenset[str] = frozenset({"start", "venue", "hybrid", "status"})
#: Changes that move a meeting (move_meeting).
MOVE_FIELDS: frozenset[str] = frozenset({"start", "venue"})


@transaction.atomic
def add_standard_items(*, meeting: Meeting) -> list[AgendaItem]:
    """Give a meeting the six standard items (rules.STANDARD_ITEMS) as items 1 to 6, moving any
    items already on it after them in their order. Items already there with a standard title
    are kept, not duplicated."""
    existing = list(meeting.items.order_by("number", "pk"))
    have = {item.title.strip().upper() for item in existing}
    missing = [(t, s) for t, s in rules.STANDARD_ITEMS if t.upper() not in have]
    if not missing:
        return []
    standard = [i for i in existing if i.title.strip().upper() in rules.STANDARD_ITEM_TITLES]
    others = [i for i in existing if i not in standard]
    # Two passes so the unique (meeting, number) constraint never sees a clash.
    offset = 1000 + max((i.number for i in existing), default=0)
    for item in existing:
        AgendaItem.objects.filter(pk=item.pk).update(number=item.number + offset)
    created = []
    order = {title.upper(): n for n, title in enumerate(rules.STANDARD_ITEM_TITLES, start=1)}
    for item in standard:
        AgendaItem.objects.filter(pk=item.pk).update(number=order[item.title.strip().upper()])
    for title, summary in missing:
        created.append(
            _save(
                AgendaItem(
                    meeting=meeting,
                    number=order[title.upper()],
                    title=title,
                    summary=summary,
                    kind=AgendaItem.Kind.PROCEDURAL,
                )
            )
        )
    for number, item in enumerate(others, start=rules.first_report_number()):
        AgendaItem.objects.filter(pk=item.pk).update(number=number)
    return created


@transaction.atomic
def create_meeting(
    *,
    panel: Panel,
    start: datetime,
    venue: str = "",
    hybrid: bool = False,
    notice: str = "",
    user=None,
) -> Meeting:
    """Schedule a meeting; its agenda opens with the six standard items. (The admin's add form
    takes the same two steps, save_meeting then add_standard_items, with the items typed on the
    form saved in between, so that they follow the standard six.)"""
    meeting = save_meeting(
        meeting=Meeting(panel=panel, start=start, venue=venue, hybrid=hybrid, notice=notice),
        user=user,
    )
    add_standard_items(meeting=meeting)
    return meeting


@transaction.atomic
def save_meeting(*, meeting: Meeting, changed: Iterable[str] = (), user=None) -> Meeting:
    """Save a meeting scheduled or corrected on a form (`changed` names the fields changed). A
    new time or venue moves the meeting (move_meeting); any other change calendars must be told
    about is a new SEQUENCE of the same event too (note_calendar_change)."""
    changed = frozenset(changed)
    if meeting.pk and changed & MOVE_FIELDS:
        return move_meeting(meeting=meeting, start=meeting.start, venue=meeting.venue, user=user)
    note_calendar_change(meeting=meeting, changed=changed)
    return _save(meeting, user=user)


@transaction.atomic
def add_agenda_item(
    *,
    meeting: Meeting,
    title: str,
    summary: str = "",
    report_of: str = "",
    kind: str = AgendaItem.Kind.REPORT,
    exempt_paragraph: int | None = None,
    exempt_reason: str = "",
) -> AgendaItem:
    """Add an item after the last one on the agenda (exempt when a Schedule 12A paragraph is
    given)."""
    used = meeting.items.values_list("number", flat=True)
    return _save(
        AgendaItem(
            meeting=meeting,
            number=rules.next_number(used=used),
            title=title,
            summary=summary,
            report_of=report_of,
            kind=kind,
            exempt=exempt_paragraph is not None,
            exempt_paragraph=exempt_paragraph,
            exempt_reason=exempt_reason,
        )
    )


@transaction.atomic
def save_agenda_items(
    *,
    meeting: Meeting,
    items: Sequence[AgendaItem],
    deleted: Iterable[AgendaItem] = (),
    user=None,
) -> list[AgendaItem]:
    """Save the items entered or corrected on a meeting's agenda, then take off those deleted.
    An item left without a number goes after the last one (rules.next_number)."""
    used = set(meeting.items.values_list("number", flat=True))
    for item in items:
        item.meeting = meeting
        if not item.number:
            item.number = rules.next_number(used=used)
        used.add(item.number)
        _save(item, user=user)
    for item in deleted:
        item.delete()
    return list(items)


@transaction.atomic
def publish_agenda(*, meeting: Meeting, on: date, user=None) -> Meeting:
    """Publish the agenda: from now on the public sees its items."""
    meeting.agenda_published = on
    return _save(meeting, user=user)


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, user=None) -> Meeting:
    """Cancel a meeting: calendars show it cancelled (a new SEQUENCE of the same event)."""
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(ERROR_ALREADY_CANCELLED.format(meeting=meeting))
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    return _save(meeting, user=user)


@transaction.atomic
def move_meeting(
    *, meeting: Meeting, start: datetime, venue: str | None = None, user=None
) -> Meeting:
    """Move a meeting to a new time (and venue): calendars update the same event."""
    meeting.start = start
    if venue is not None:
        meeting.venue = venue
    meeting.sequence += 1
    return _save(meeting, user=user)


def note_calendar_change(*, meeting: Meeting, changed: Iterable[str]) -> bool:
    """Bump the meeting's SEQUENCE (unsaved) when a change reaches its calendar entry."""
    if meeting.pk and CALENDAR_FIELDS.intersection(changed):
        meeting.sequence += 1
        return True
    return False


# --- Attendance and declarations -------------------------------------------------------------


def present_count(*, meeting: Meeting) -> int:
    """Members counted towards the quorum: present in person or as substitutes."""
    return meeting.attendance.filter(status__in=rules.COUNTS_AS_PRESENT).count()


def quorum_warning(*, meeting: Meeting) -> str | None:
    """The warning to give when attendance is recorded and fewer than the quorum are present."""
    if not meeting.attendance.exists():
        return None
    present = present_count(meeting=meeting)
    quorum = meeting.panel.quorum
    if rules.is_quorate(present=present, quorum=quorum):
        return None
    return ERROR_QUORUM.format(present=present, meeting=meeting, quorum=quorum)


@dataclass(frozen=True)
class AttendanceEntry:
    person: Person
    status: str
    note: str = ""
    substitute_for: Person | None = None
    #: The row this entry corrects, when the correction names another person or meeting.
    row: Attendance | None = None


@transaction.atomic
def record_attendance(
    *, meeting: Meeting, entries: Sequence[AttendanceEntry]
) -> tuple[list[Attendance], str | None]:
    """Record (or correct) who was present, sent apologies or was absent: one row a person a
    meeting. Returns the rows and the quorum warning, if any."""
    rows = []
    for entry in entries:
        row = (
            entry.row
            or Attendance.objects.filter(meeting=meeting, person=entry.person).first()
            or Attendance()
        )
        row.meeting = meeting
        row.person = entry.person
        row.status = entry.status
        row.note = entry.note
        row.substitute_for = entry.substitute_for
        rows.append(_save(row))
    return rows, quorum_warning(meeting=meeting)


@transaction.atomic
def remove_attendance(*, rows: Iterable[Attendance]) -> None:
    """Take rows entered by mistake off a meeting's attendance."""
    for row in rows:
        row.delete()


@transaction.atomic
def record_declaration(
    *,
    meeting: Meeting,
    person: Person,
    kind: str,
    detail: str,
    item: AgendaItem | None = None,
    declaration: Declaration | None = None,
) -> Declaration:
    """Record a declaration of interest by a member, on an item of this meeting's agenda (or
    correct `declaration`, already recorded)."""
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError(
            ERROR_DECLARATION_ITEM_OTHER_MEETING.format(item=item, meeting=meeting)
        )
    declaration = declaration or Declaration()
    declaration.meeting = meeting
    declaration.person = person
    declaration.kind = kind
    declaration.detail = detail
    declaration.item = item
    return _save(declaration)


@transaction.atomic
def remove_declarations(*, declarations: Iterable[Declaration]) -> None:
    """Take declarations recorded by mistake off a meeting's record."""
    for declaration in declarations:
        declaration.delete()


# --- Minutes ------------------------------------------------------------------------------------


def next_minute_number(*, panel: Panel, municipal_year: int) -> int:
    """The number the panel's next minute takes in a municipal year (rules.next_minute_number)."""
    used = Minute.objects.filter(panel=panel, municipal_year=municipal_year).values_list(
        "number", flat=True
    )
    return rules.next_minute_number(used=used)


def next_minute_number_for(*, meeting: Meeting) -> int:
    return next_minute_number(panel=meeting.panel, municipal_year=meeting.municipal_year)


def previous_meeting(*, meeting: Meeting) -> Meeting | None:
    """The panel's last meeting before this one that was not cancelled."""
    return (
        Meeting.objects.filter(panel_id=meeting.panel_id, start__lt=meeting.start)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("-start")
        .first()
    )


def validate_minute(minute: Minute) -> None:
    """Refuse a minute on another meeting's agenda item, one approving the minutes of a meeting
    that is not an earlier meeting of the same panel, and a number already used in the year.
    Errors name the field."""
    meeting = minute.meeting
    errors: dict[str, str] = {}
    if minute.agenda_item_id and minute.agenda_item.meeting_id != meeting.pk:
        errors["agenda_item"] = ERROR_MINUTE_ITEM_OTHER_MEETING.format(
            item=minute.agenda_item, meeting=meeting
        )
    approved = minute.approves_minutes_of
    if approved is not None and (
        approved.panel_id != meeting.panel_id or approved.start >= meeting.start
    ):
        errors["approves_minutes_of"] = ERROR_APPROVES_LATER_MEETING.format(meeting=approved)
    if minute.number:
        taken = (
            Minute.objects.filter(
                panel_id=meeting.panel_id,
                municipal_year=meeting.municipal_year,
                number=minute.number,
            )
            .exclude(pk=minute.pk)
            .select_related("meeting")
            .first()
        )
        if taken is not None:
            errors["number"] = ERROR_MINUTE_NUMBER_TAKEN.format(
                number=minute.number, meeting=taken.meeting, year=meeting.municipal_year_label
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_minute(*, minute: Minute, user=None) -> Minute:
    """Save a minute written item by item. A new minute takes its panel and municipal year from
    its meeting and, unless one is given, the next number of that year; a minute that approves
    the minutes of an earlier meeting marks that meeting's minutes approved here."""
    meeting = minute.meeting
    minute.panel_id = meeting.panel_id
    minute.municipal_year = meeting.municipal_year
    validate_minute(minute)
    if not minute.number:
        _lock_panel(meeting.panel_id)
        minute.number = next_minute_number_for(meeting=meeting)
    previous_approval = None
    if minute.pk:
        previous_approval = (
            Minute.objects.filter(pk=minute.pk)
            .values_list("approves_minutes_of", flat=True)
            .first()
        )
    _save(minute, user=user)
    if previous_approval and previous_approval != minute.approves_minutes_of_id:
        Meeting.objects.filter(pk=previous_approval, minutes_approved_at=meeting).update(
            minutes_approved_at=None
        )
    if minute.approves_minutes_of_id:
        approve_minutes(of=minute.approves_minutes_of, at=meeting, user=user)
    return minute


@transaction.atomic
def add_minute(
    *,
    meeting: Meeting,
    title: str,
    agenda_item: AgendaItem | None = None,
    text: str = "",
    noted: str = "",
    addressed_by: str = "",
    resolutions: Sequence[str] = (),
    approves_minutes_of: Meeting | None = None,
    number: int | None = None,
    user=None,
) -> Minute:
    """Write one minute of a meeting, with its RESOLVED items numbered 1), 2) … in order."""
    minute = save_minute(
        minute=Minute(
            meeting=meeting,
            title=title,
            agenda_item=agenda_item,
            text=text,
            noted=noted,
            addressed_by=addressed_by,
            approves_minutes_of=approves_minutes_of,
            number=number,
        ),
        user=user,
    )
    for text_ in resolutions:
        add_resolution(minute=minute, text=text_)
    return minute


@transaction.atomic
def add_resolution(*, minute: Minute, text: str, number: int | None = None) -> Resolution:
    """Add a RESOLVED item to a minute, numbered after the last one unless a number is given."""
    if number is None:
        number = rules.next_number(used=minute.resolutions.values_list("number", flat=True))
    return _save(Resolution(minute=minute, number=number, text=text))


def number_resolutions(*, minute: Minute, resolutions: Iterable[Resolution]) -> None:
    """Number unnumbered resolutions (unsaved) after the highest number the minute has."""
    used = set(minute.resolutions.exclude(number__isnull=True).values_list("number", flat=True))
    for resolution in resolutions:
        if resolution.number:
            used.add(resolution.number)
    for resolution in resolutions:
        if not resolution.number:
            resolution.number = rules.next_number(used=used)
            used.add(resolution.number)


@transaction.atomic
def save_resolutions(
    *,
    minute: Minute,
    resolutions: Sequence[Resolution],
    deleted: Iterable[Resolution] = (),
    user=None,
) -> list[Resolution]:
    """Save the RESOLVED items entered or corrected on a minute, after taking off those deleted;
    those left without a number follow the highest (number_resolutions)."""
    for resolution in deleted:
        resolution.delete()
    number_resolutions(minute=minute, resolutions=resolutions)
    for resolution in resolutions:
        resolution.minute = minute
        _save(resolution, user=user)
    return list(resolutions)


@transaction.atomic
def approve_minutes(*, of: Meeting, at: Meeting, user=None) -> Meeting:
    """Record that the minutes of meeting `of` were approved as a correct record at `at`."""
    if of.panel_id != at.panel_id or of.start >= at.start:
        raise ValidationError(ERROR_APPROVES_LATER_MEETING.format(meeting=of))
    of.minutes_approved_at = at
    return _save(of, user=user)


# --- Work programme -----------------------------------------------------------------------------


@transaction.atomic
def place_on_meeting(
    *, work_item: WorkProgrammeItem, meeting: Meeting | None = None, user=None
) -> AgendaItem:
    """Place a work programme item on a meeting (its target meeting unless one is given): it
    gets an agenda item after the meeting's last, and the work programme item is confirmed."""
    meeting = meeting or work_item.target_meeting
    if meeting is None:
        raise ValidationError(ERROR_PLACE_NO_MEETING.format(title=work_item.title))
    if meeting.panel_id != work_item.panel_id:
        raise ValidationError(
            ERROR_PLACE_OTHER_PANEL.format(meeting=meeting, panel=work_item.panel)
        )
    if work_item.agenda_item_id:
        item = work_item.agenda_item
        raise ValidationError(
            ERROR_ALREADY_PLACED.format(
                title=work_item.title, meeting=item.meeting, number=item.number
            )
        )
    summary = work_item.purpose
    report_of = ""
    if work_item.lead_officer is not None:
        lead = work_item.lead_officer
        report_of = f"Report of the {lead.job_title}" if lead.job_title else f"Report of {lead}"
    item = add_agenda_item(
        meeting=meeting, title=work_item.title, summary=summary, report_of=report_of
    )
    work_item.agenda_item = item
    work_item.target_meeting = meeting
    if work_item.status in (WorkProgrammeItem.Status.PLANNED, WorkProgrammeItem.Status.DEFERRED):
        work_item.status = WorkProgrammeItem.Status.CONFIRMED
    _save(work_item, user=user)
    return item
