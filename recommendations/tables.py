"""Tables of the tracker (django-tables2): the open list, the archive, awaiting response."""

from __future__ import annotations

from datetime import date

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html

from . import rules
from .models import Recommendation


def status_tag(status) -> str:
    """The status as a GOV.UK tag: always the word, the colour only a second signal."""
    return format_html(
        '<strong class="govuk-tag govuk-tag--{} app-status-tag">{}</strong>',
        status.colour or "grey",
        status.name,
    )


def long_date(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else "—"


class TrackerTable(tables.Table):
    meeting_date = tables.Column(
        verbose_name="Date", order_by=("meeting_date", "item_order", "item_title", "number")
    )
    item_title = tables.Column(verbose_name="Title", order_by=("item_title", "number"))
    action_proposed = tables.Column(verbose_name="Action proposed", orderable=False)
    status = tables.Column(verbose_name="Progress status", order_by=("status__order",))

    class Meta:
        model = Recommendation
        fields = ["meeting_date", "item_title", "action_proposed", "status"]
        # Unsorted by default: the model's order, which is the council's (meeting, item, number).
        empty_text = "No recommendations match."

    def __init__(self, *args, today: date | None = None, caption: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.caption = caption

    def render_meeting_date(self, value):
        return long_date(value)

    def render_action_proposed(self, record):
        return format_html(
            '<a class="govuk-link" href="{}">{}) {}</a>',
            record.get_absolute_url(),
            record.number,
            record.action_proposed,
        )

    def render_status(self, value):
        return status_tag(value)


class OpenTable(TrackerTable):
    lead_officer = tables.Column(verbose_name="Lead officer", order_by=("lead_officer__name",))
    due_date = tables.Column(verbose_name="Due", empty_values=())

    class Meta(TrackerTable.Meta):
        fields = ["meeting_date", "item_title", "action_proposed", "status", "lead_officer",
                  "due_date"]

    def render_lead_officer(self, value):
        return value.display_name

    def render_due_date(self, record):
        if record.due_date is None:
            return "—"
        if record.is_overdue(today=self.today):
            return format_html(
                '{} <strong class="govuk-tag govuk-tag--red">Overdue</strong>',
                long_date(record.due_date),
            )
        return long_date(record.due_date)


class ArchiveTable(TrackerTable):
    outcome = tables.Column(verbose_name="Left the list", empty_values=(), orderable=False)

    class Meta(TrackerTable.Meta):
        fields = ["meeting_date", "item_title", "action_proposed", "status", "outcome"]

    def render_outcome(self, record):
        if record.accepted_at_id:
            when = timezone.localtime(record.accepted_at.start).date()
            return f"Accepted as complete, {long_date(when)}"
        when = timezone.localtime(record.rejection_reported_at.start).date()
        return f"Rejection reported to the panel, {long_date(when)}"


class AwaitingTable(TrackerTable):
    response_due = tables.Column(verbose_name="Response due", empty_values=())

    class Meta(TrackerTable.Meta):
        fields = ["meeting_date", "item_title", "action_proposed", "status", "response_due"]
        order_by = ("response_due", "meeting_date", "number")

    def render_response_due(self, record):
        due = record.response_due_on
        state = rules.response_state(response_due=due, first_response_on=None, today=self.today)
        if state == rules.ResponseState.OVERDUE:
            return format_html(
                '{} <strong class="govuk-tag govuk-tag--red">Response overdue</strong>',
                long_date(due),
            )
        return long_date(due)
