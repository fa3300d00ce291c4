"""Reads that build the tracker's views: the monitoring report of a meeting, grouped as the
council lays it out, and the same grouping for the open list and its exports."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone

from indicators.models import Value
from meetings.models import Meeting, Panel

from . import rules
from .models import PanelDecision, Recommendation, RecommendationUpdate, Status


@dataclass(frozen=True)
class TrackerItem:
    """One row of the tracker as it stood on a date."""

    recommendation: Recommendation
    action_taken: str
    status: Status
    decision: PanelDecision | None = None

    @property
    def number(self) -> int:
        return self.recommendation.number

    @property
    def action_proposed(self) -> str:
        return self.recommendation.action_proposed

    @property
    def reason(self) -> rules.ListReason:
        return rules.list_reason(
            is_complete=self.status.is_complete, is_rejected=self.status.is_rejected
        )

    @property
    def allowed_decisions(self) -> tuple[rules.Decision, ...]:
        return rules.allowed_decisions(
            is_complete=self.status.is_complete, is_rejected=self.status.is_rejected, on_list=True
        )

    @property
    def left_list_at(self) -> Meeting | None:
        """The meeting at which it was accepted, or its rejection reported, if any."""
        rec = self.recommendation
        return rec.accepted_at or rec.rejection_reported_at


@dataclass
class TrackerGroup:
    """The recommendations of one item of one meeting: date and title are shown once."""

    meeting_date: date
    item_title: str
    items: list[TrackerItem] = field(default_factory=list)


@dataclass
class MonitoringReport:
    panel: Panel
    report_date: date
    meeting: Meeting | None
    groups: list[TrackerGroup]

    @property
    def title(self) -> str:
        return f"Scrutiny Monitoring – {self.report_date.day} {self.report_date:%B %Y}"

    @property
    def items(self) -> list[TrackerItem]:
        return [item for group in self.groups for item in group.items]

    def decidable_items(self) -> list[TrackerItem]:
        """Items the panel may decide at this meeting: complete or rejected, and not already
        decided at another meeting."""
        return [
            item
            for item in self.items
            if item.allowed_decisions
            and (item.left_list_at is None or item.left_list_at.pk == self.meeting.pk)
        ]


def local_date(meeting: Meeting) -> date:
    return timezone.localtime(meeting.start).date()


def group_items(items: Iterable[TrackerItem]) -> list[TrackerGroup]:
    """Group rows by originating meeting and item, in the order the council writes them: by
    meeting date, then the item's place in its meeting, then the order the items were entered;
    numbered 1), 2) … within a title."""
    groups: dict[tuple[date, str], TrackerGroup] = {}
    sort_keys: dict[tuple[date, str], tuple] = {}
    for item in items:
        rec = item.recommendation
        key = (rec.meeting_date, rec.item_title)
        if key not in groups:
            groups[key] = TrackerGroup(meeting_date=rec.meeting_date, item_title=rec.item_title)
            sort_keys[key] = (rec.meeting_date, rec.item_order, rec.pk)
        else:
            current = sort_keys[key]
            sort_keys[key] = (current[0], min(current[1], rec.item_order), min(current[2], rec.pk))
        groups[key].items.append(item)
    ordered = sorted(groups, key=lambda key: sort_keys[key])
    result = [groups[key] for key in ordered]
    for group in result:
        group.items.sort(key=lambda item: item.number)
    return result


def _updates_prefetch(*, up_to: date | None) -> Prefetch:
    updates = RecommendationUpdate.objects.select_related("status", "author", "reported_to")
    if up_to is not None:
        updates = updates.filter(date__lte=up_to)
    return Prefetch("updates", queryset=updates.order_by("date", "pk"), to_attr="tracker_updates")


def _item(rec: Recommendation, *, decision: PanelDecision | None = None) -> TrackerItem:
    """A row as of a date: the latest action taken up to it and the status that recorded."""
    updates = rec.tracker_updates
    if updates:
        latest = updates[-1]
        return TrackerItem(rec, latest.action_taken, latest.status, decision)
    return TrackerItem(rec, "", rec.status, decision)


def meetings_on(*, report_date: date, panel_slug: str | None = None):
    """The meetings held on a date (of one panel when a slug is given), with their panels."""
    meetings = Meeting.objects.filter(start__date=report_date).select_related("panel")
    if panel_slug:
        meetings = meetings.filter(panel__slug=panel_slug)
    return meetings.order_by("panel__name")


def monitoring_report(*, meeting: Meeting, user) -> MonitoringReport:
    """The list as it stood for a meeting: every open item, every complete item not yet
    accepted, every rejected item not yet reported, each with the action taken and the status
    reported up to that date, and the decision the panel recorded there (if any)."""
    report_date = local_date(meeting)
    recommendations = (
        Recommendation.objects.visible_to(user)
        .on_list_for(panel=meeting.panel, report_date=report_date)
        .for_tables()
        .prefetch_related(
            _updates_prefetch(up_to=report_date),
            Prefetch(
                "decisions",
                queryset=PanelDecision.objects.filter(meeting=meeting),
                to_attr="decisions_here",
            ),
        )
    )
    items = [
        _item(rec, decision=rec.decisions_here[0] if rec.decisions_here else None)
        for rec in recommendations
    ]
    return MonitoringReport(
        panel=meeting.panel,
        report_date=report_date,
        meeting=meeting,
        groups=group_items(items),
    )


def tracker_groups(recommendations) -> list[TrackerGroup]:
    """The current state of some recommendations (latest action taken and status), grouped as
    in the council's layout — for exports of the list and archive.

    It loads only what an export shows, in one query whatever the number of updates: each
    recommendation with its status, and the action taken of its latest update (by date, then
    by entry) as an annotation, rather than every update as an object."""
    latest = RecommendationUpdate.objects.filter(recommendation=OuterRef("pk")).order_by(
        "-date", "-pk"
    )
    rows = recommendations.select_related("status").annotate(
        latest_action_taken=Subquery(latest.values("action_taken")[:1])
    )
    return group_items(
        TrackerItem(rec, rec.latest_action_taken or "", rec.status) for rec in rows
    )


def recommendation_detail(*, pk: int, user) -> Recommendation:
    """One recommendation with its history, decisions and indicators, for its page."""
    return (
        Recommendation.objects.visible_to(user)
        .for_tables()
        .select_related("meeting", "resolution__minute__agenda_item", "resolution__minute__meeting")
        .prefetch_related(
            _updates_prefetch(up_to=None),
            Prefetch(
                "decisions",
                queryset=PanelDecision.objects.select_related("meeting", "recorded_by"),
                to_attr="decision_history",
            ),
            "indicators",
        )
        .get(pk=pk)
    )


def published_values_since(*, recommendation: Recommendation) -> list[tuple]:
    """Each linked indicator with its published values from the month the recommendation was
    made; only published values (never provisional or approved ones)."""
    since = recommendation.meeting_date.replace(day=1)
    indicators = list(recommendation.indicators.all())
    values = (
        Value.objects.published()
        .filter(indicator__in=indicators, month__gte=since)
        .order_by("indicator_id", "month")
    )
    by_indicator: dict[int, list] = {indicator.pk: [] for indicator in indicators}
    for value in values:
        by_indicator[value.indicator_id].append(value)
    return [(indicator, by_indicator[indicator.pk]) for indicator in indicators]
