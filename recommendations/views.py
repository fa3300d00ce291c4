"""Pages of the tracker: each view parses its input, makes one selector or service call, renders.

Public pages: the open list, the archive, the awaiting-response list, a recommendation, a
meeting's monitoring report and their exports (exempt items only for signed-in users).
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.tables import configure_table
from meetings.models import Meeting, Panel, Resolution

from . import exports, selectors, services
from .filters import RecommendationFilter
from .forms import DecisionFormSet, UpdateForm
from .models import Recommendation
from .tables import ArchiveTable, AwaitingTable, OpenTable

PER_PAGE = 50
CHANGE = "recommendations.change_recommendation"
ADD = "recommendations.add_recommendation"
ADD_UPDATE = "recommendations.add_recommendationupdate"
MESSAGE_DECISIONS = "The panel's decisions are recorded ({count} changed)."
MESSAGE_UPDATE = "The update is recorded and the status is now “{status}”."
MESSAGE_CREATED = "Recommendation {number}) of “{title}” is on the tracker."


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _export(request, *, panel_name: str, title: str, groups, filename: str):
    """The export the query string asks for (?format=xlsx|csv), or None for the HTML page."""
    export_format = request.GET.get("format")
    if not export_format:
        return None
    if export_format not in exports.FORMATS:
        raise Http404("Unknown export format")
    content, content_type = exports.export_bytes(
        export_format=export_format, panel_name=panel_name, title=title, groups=groups
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{export_format}"'
    return response


def _export_links(request) -> dict[str, str]:
    links = {}
    for export_format in exports.FORMATS:
        query = request.GET.copy()
        query.pop("page", None)
        query["format"] = export_format
        links[export_format] = f"?{query.urlencode()}"
    return links


def _panel_name(panel: Panel | None) -> str:
    if panel is not None:
        return panel.name
    names = list(Panel.objects.values_list("name", flat=True)[:2])
    return names[0] if len(names) == 1 else "Scrutiny panels"


def index(request):
    """The open tracker, filtered; also as .xlsx or .csv."""
    today = timezone.localdate()
    base = Recommendation.objects.visible_to(request.user).on_list()
    filterset = RecommendationFilter(request.GET or None, queryset=base)
    recommendations = filterset.qs
    panel = filterset.form.cleaned_data.get("panel") if filterset.is_bound else None
    exported = _export(
        request,
        panel_name=_panel_name(panel),
        title=f"Scrutiny Monitoring – open recommendations, {_long(today)}",
        groups=selectors.tracker_groups(recommendations) if request.GET.get("format") else [],
        filename=f"scrutiny-tracker-{today:%Y-%m-%d}",
    )
    if exported:
        return exported
    table = OpenTable(recommendations.for_tables(), today=today, caption="Open recommendations")
    configure_table(request, table, per_page=PER_PAGE)
    return render(
        request,
        "recommendations/list.html",
        {
            "filter": filterset,
            "table": table,
            "export_links": _export_links(request),
            "recent_meetings": Meeting.objects.past().select_related("panel")[:6],
        },
    )


def archive(request):
    """Recommendations that left the list, searchable."""
    query = request.GET.get("q", "").strip()
    recommendations = Recommendation.objects.visible_to(request.user).archived().search(query)
    table = ArchiveTable(recommendations.for_tables(), caption="Archived recommendations")
    configure_table(request, table, per_page=PER_PAGE)
    return render(request, "recommendations/archive.html", {"table": table, "query": query})


def awaiting_response(request):
    """On the list with no action taken yet, soonest response due first."""
    recommendations = Recommendation.objects.visible_to(request.user).awaiting_response()
    table = AwaitingTable(recommendations.for_tables(), caption="Awaiting the executive's response")
    configure_table(request, table, per_page=PER_PAGE)
    return render(request, "recommendations/awaiting.html", {"table": table})


def detail(request, pk: int, form: UpdateForm | None = None, status: int = 200):
    """One recommendation: its proposal, history of action taken, decisions and indicators."""
    try:
        recommendation = selectors.recommendation_detail(pk=pk, user=request.user)
    except Recommendation.DoesNotExist as exc:
        raise Http404("No such recommendation") from exc
    if form is None and request.user.has_perm(ADD_UPDATE) and recommendation.is_on_list:
        form = UpdateForm()
    today = timezone.localdate()
    context = {
        "recommendation": recommendation,
        "overdue": recommendation.is_overdue(today=today),
        "indicators": selectors.published_values_since(recommendation=recommendation),
        "form": form,
    }
    return render(request, "recommendations/detail.html", context, status=status)


@login_required
@permission_required(ADD_UPDATE, raise_exception=True)
@require_POST
def add_update(request, pk: int):
    """Record action taken on a recommendation (officers and the scrutiny manager)."""
    recommendation = get_object_or_404(Recommendation.objects.on_list(), pk=pk)
    form = UpdateForm(request.POST)
    if form.is_valid():
        try:
            update = services.add_update(
                recommendation=recommendation,
                user=request.user,
                on=form.cleaned_data["date"],
                action_taken=form.cleaned_data["action_taken"],
                status=form.cleaned_data["status"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, MESSAGE_UPDATE.format(status=update.status.name))
            return redirect(recommendation)
    return detail(request, pk, form=form, status=400)


def _meeting_on(request, report_date: date) -> Meeting | list[Meeting]:
    meetings = list(
        selectors.meetings_on(report_date=report_date, panel_slug=request.GET.get("panel"))
    )
    if not meetings:
        raise Http404("No meeting on that date")
    return meetings[0] if len(meetings) == 1 else meetings


def report(request, report_date: date):
    """The monitoring report of a meeting, as a page and as .xlsx or .csv."""
    meeting = _meeting_on(request, report_date)
    if isinstance(meeting, list):
        return render(
            request, "recommendations/report_choose.html", {"meetings": meeting, "day": report_date}
        )
    result = selectors.monitoring_report(meeting=meeting, user=request.user)
    exported = _export(
        request,
        panel_name=meeting.panel.name,
        title=result.title,
        groups=result.groups,
        filename=f"scrutiny-monitoring-{report_date:%Y-%m-%d}",
    )
    if exported:
        return exported
    return render(
        request,
        "recommendations/report.html",
        {"report": result, "export_links": _export_links(request)},
    )


@login_required
@permission_required(CHANGE, raise_exception=True)
def decisions(request, report_date: date):
    """The scrutiny manager records the panel's decisions on the report, in one go."""
    meeting = _meeting_on(request, report_date)
    if isinstance(meeting, list):
        raise Http404("Name the panel: ?panel=<slug>")
    result = selectors.monitoring_report(meeting=meeting, user=request.user)
    formset = DecisionFormSet(request.POST or None, items=result.decidable_items())
    if request.method == "POST" and formset.is_valid():
        try:
            changed = services.record_decisions(
                meeting=meeting, decisions=formset.decisions(), user=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, MESSAGE_DECISIONS.format(count=changed))
            url = reverse("recommendations:report", args=[report_date])
            return redirect(f"{url}?panel={meeting.panel.slug}")
    return render(
        request,
        "recommendations/decisions.html",
        {"report": result, "formset": formset},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@permission_required(ADD, raise_exception=True)
def resolutions(request):
    """RESOLVED items of the minutes not yet on the tracker, each with a button to add it."""
    pending = (
        Resolution.objects.filter(recommendation__isnull=True)
        .select_related("minute__meeting__panel", "minute__agenda_item")
        .order_by("-minute__meeting__start", "minute__number", "number")
    )
    return render(request, "recommendations/resolutions.html", {"resolutions": pending})


@login_required
@permission_required(ADD, raise_exception=True)
@require_POST
def create_from_resolution(request, resolution_pk: int):
    """Put one RESOLVED item on the tracker."""
    resolution = get_object_or_404(
        Resolution.objects.select_related("minute__meeting", "minute__agenda_item"),
        pk=resolution_pk,
    )
    try:
        recommendation = services.create_from_resolution(resolution=resolution, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("recommendations:resolutions")
    messages.success(
        request,
        MESSAGE_CREATED.format(number=recommendation.number, title=recommendation.item_title),
    )
    return redirect(recommendation)
