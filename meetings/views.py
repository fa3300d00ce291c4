"""Public pages of the meetings: thin views over meetings.selectors (which decides what a reader
may see), meetings.exports (calendars, PDFs)."""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core import params

from . import exports, selectors
from .models import AgendaDocument, AgendaItem, Panel
from .pages import MEETING_PAGE


def _year(request) -> int | None:
    return params.parse_year(request.GET.get("year"))


def _stamp(meeting) -> str:
    return timezone.localtime(meeting.start).strftime("%Y-%m-%d")


@require_GET
def meeting_list(request):
    listing = selectors.meetings_list(
        year=_year(request), panel_slug=request.GET.get("panel", "")[:100]
    )
    return render(request, "meetings/meeting_list.html", {"listing": listing})


@require_GET
def meeting_detail(request, pk: int):
    page = selectors.meeting_page(meeting=selectors.get_meeting(pk), user=request.user)
    has_performance_item = any(item.kind == AgendaItem.Kind.PERFORMANCE for item in page.items)
    questions = (
        MEETING_PAGE.get("questions", meeting=page.meeting, user=request.user)
        if has_performance_item
        else None
    )
    return render(
        request, "meetings/meeting_detail.html", {"page": page, "questions": questions}
    )


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def agenda_pdf(request, pk: int):
    page = selectors.meeting_page(meeting=selectors.get_meeting(pk), user=request.user)
    if not page.shows_agenda or not page.items:
        raise Http404("No agenda has been published for this meeting.")
    pdf = exports.agenda_pdf(page=page, base_url=request.build_absolute_uri("/"))
    return _pdf_response(pdf, f"agenda-{page.meeting.panel.slug}-{_stamp(page.meeting)}.pdf")


@require_GET
def minutes_pdf(request, pk: int):
    page = selectors.meeting_page(meeting=selectors.get_meeting(pk), user=request.user)
    if not page.minutes:
        raise Http404("No minutes have been published for this meeting.")
    pdf = exports.minutes_pdf(page=page, base_url=request.build_absolute_uri("/"))
    return _pdf_response(pdf, f"minutes-{page.meeting.panel.slug}-{_stamp(page.meeting)}.pdf")


@require_GET
def paper(request, pk: int):
    document = get_object_or_404(
        AgendaDocument.objects.visible_to(request.user), pk=pk, file__gt=""
    )
    return FileResponse(document.file.open("rb"), as_attachment=False)


@require_GET
def panel_detail(request, slug: str):
    page = selectors.panel_page(slug=slug, year=_year(request))
    return render(request, "meetings/panel_detail.html", {"page": page})


@require_GET
def work_programme(request, slug: str):
    panel = selectors.get_panel(slug)
    items = selectors.work_programme(panel=panel)
    return render(request, "meetings/work_programme.html", {"panel": panel, "items": items})


@require_GET
def person_detail(request, pk: int):
    page = selectors.person_page(pk=pk, user=request.user)
    return render(request, "meetings/person_detail.html", {"page": page})


def _calendar_response(ics: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def calendar(request):
    meetings, titles = selectors.calendar_meetings()
    ics = exports.calendar_ics(
        meetings=meetings,
        name="Scrutiny meetings",
        base_url=request.build_absolute_uri("/"),
        agenda_titles=titles,
    )
    return _calendar_response(ics, "scrutiny-meetings.ics")


@require_GET
def panel_calendar(request, slug: str):
    panel = get_object_or_404(Panel, slug=slug)
    meetings, titles = selectors.calendar_meetings(panel=panel)
    ics = exports.calendar_ics(
        meetings=meetings,
        name=panel.name,
        base_url=request.build_absolute_uri("/"),
        agenda_titles=titles,
    )
    return _calendar_response(ics, f"{panel.slug}.ics")
