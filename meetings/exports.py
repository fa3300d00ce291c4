"""Exports of meetings: one helper per format.

- `calendar_ics`: an RFC 5545 calendar of meetings. Each meeting is one event with a stable UID
  (`meeting-<pk>@scrutiny`); a cancelled meeting stays in the feed with STATUS:CANCELLED; moving
  or cancelling a meeting raises its SEQUENCE so calendar programs replace the old entry. Only
  the titles of the items of a published agenda are given: never an item's content.
- `agenda_pdf` and `minutes_pdf`: the agenda and the minutes as a reader may see them (the
  views built by meetings.selectors, exempt content already withheld), printed by WeasyPrint.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.template.loader import render_to_string
from django.utils import timezone

from . import rules
from .models import Meeting

PRODID = "-//Scrutiny//Meetings calendar//EN"
UID_DOMAIN = "scrutiny"


def meeting_uid(meeting: Meeting) -> str:
    """The event's UID: it never changes, whatever happens to the meeting."""
    return f"meeting-{meeting.pk}@{UID_DOMAIN}"


def _summary(meeting: Meeting) -> str:
    summary = meeting.panel.name
    if meeting.status == Meeting.Status.CANCELLED:
        summary += " (cancelled)"
    return summary


def _location(meeting: Meeting) -> str:
    if meeting.hybrid:
        return f"{meeting.venue} (hybrid meeting)" if meeting.venue else "Hybrid meeting"
    return meeting.venue


def calendar_ics(
    *,
    meetings: Iterable[Meeting],
    name: str,
    base_url: str,
    agenda_titles: dict[int, list[str]] | None = None,
    stamp: datetime | None = None,
) -> bytes:
    """An iCalendar file of the meetings (panel selected). `agenda_titles` maps a meeting's pk
    to the titles of its published agenda; `base_url` (scheme and host) makes links absolute."""
    from icalendar import Calendar, Event

    agenda_titles = agenda_titles or {}
    stamp = (stamp or timezone.now()).astimezone(UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for meeting in meetings:
        event = Event()
        start = meeting.start.astimezone(UTC)
        event.add("uid", meeting_uid(meeting))
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", start + rules.MEETING_LENGTH)
        event.add("summary", _summary(meeting))
        event.add("sequence", meeting.sequence)
        cancelled = meeting.status == Meeting.Status.CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        if location := _location(meeting):
            event.add("location", location)
        url = base_url.rstrip("/") + meeting.get_absolute_url()
        event.add("url", url)
        lines = []
        if meeting.notice:
            lines.append(meeting.notice)
        titles = agenda_titles.get(meeting.pk)
        if titles:
            lines.append("Agenda:")
            lines.extend(titles)
        lines.append(url)
        event.add("description", "\n".join(lines))
        calendar.add_component(event)
    return calendar.to_ical()


def _pdf(template: str, context: dict, *, base_url: str) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=base_url).write_pdf()


def agenda_pdf(*, page, base_url: str) -> bytes:
    """The agenda of a meeting page (selectors.MeetingPage) as a PDF."""
    return _pdf("meetings/pdf/agenda.html", {"page": page}, base_url=base_url)


def minutes_pdf(*, page, base_url: str) -> bytes:
    """The minutes of a meeting page (selectors.MeetingPage) as a PDF."""
    return _pdf("meetings/pdf/minutes.html", {"page": page}, base_url=base_url)
