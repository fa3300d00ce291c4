"""The world the security checks and the fuzzer run in: `build_world` adds to the seed demo a
second officer owning area B, provisional values in areas A and B, an exempt agenda item with
an uploaded paper, an open paper and a resolution not yet on the tracker (tests/security uses
it too).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from indicators.rules.calendar import add_months

ROLES = ("anonymous", "member", "officer_a", "officer_b", "performance", "manager", "admin")
PROVISIONAL_A = Decimal("4321")
PROVISIONAL_B = Decimal("8765")
EXEMPT_PAPER_TEXT = b"zebracontent exempt appendix"
OPEN_PAPER_TEXT = b"open appendix for everyone"


# --- The world the checks run in ----------------------------------------------------------------


@dataclass
class World:
    """The seed demo's objects the security checks and the fuzzer address, by role."""

    panel: Any
    area_a: Any
    area_b: Any
    indicator_a: Any
    indicator_b: Any
    published_a: Any
    value_a: Any  # provisional, area A
    value_b: Any  # provisional, area B
    month: date  # the provisional values' month
    meeting: Any  # the meeting whose agenda the demo holds
    minutes_meeting: Any  # the meeting whose minutes the demo holds
    report_date: date
    recommendation: Any  # on the open list
    resolution: Any  # not yet on the tracker
    exempt_item: Any
    exempt_paper: Any
    open_paper: Any
    person: Any
    status: Any
    question_a: Any  # asked by the panel member about indicator A (officer A's)
    question_b: Any  # asked about indicator B (officer B's)
    users: dict[str, Any] = field(default_factory=dict)

    def user(self, role: str):
        return None if role == "anonymous" else self.users[role]


def build_world() -> World:
    """Add the security checks' objects to a loaded seed demo (call inside a transaction)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.files.base import ContentFile
    from django.db.models import Max

    from core import roles
    from indicators.models import Indicator, PriorityArea, Value
    from meetings.models import AgendaDocument, AgendaItem, Meeting, Minute, Panel, Person
    from recommendations.models import Question, Recommendation, Status

    users = {u.username: u for u in get_user_model().objects.all()}
    panel = Panel.objects.get()
    area_a = PriorityArea.objects.get(panel=panel, order=1)
    area_b = PriorityArea.objects.get(panel=panel, order=3)
    indicator_a = Indicator.objects.filter(priority_area=area_a).order_by("order").first()
    indicator_b = Indicator.objects.filter(priority_area=area_b).order_by("order").first()

    officer_b = get_user_model().objects.create_user(
        username="officer_b", password="not-used-force-login", is_staff=True
    )
    officer_b.groups.add(Group.objects.get(name=roles.OFFICER))
    person_b = Person.objects.create(
        kind=Person.Kind.OFFICER, name="Officer of area B", user=officer_b
    )
    indicator_b.owner = person_b
    indicator_b.save(update_fields=["owner"])

    latest = Value.objects.filter(indicator__panel=panel).aggregate(m=Max("month"))["m"]
    month = add_months(month=latest, count=1)
    value_a = Value.objects.create(indicator=indicator_a, month=month, number=PROVISIONAL_A)
    value_b = Value.objects.create(indicator=indicator_b, month=month, number=PROVISIONAL_B)
    published_a = (
        Value.objects.filter(indicator=indicator_a, state=Value.State.PUBLISHED)
        .exclude(number=None)
        .order_by("-month")
        .first()
    )

    meeting = Meeting.objects.filter(items__isnull=False).distinct().order_by("-start").first()
    exempt_item = AgendaItem.objects.create(
        meeting=meeting,
        number=meeting.items.aggregate(n=Max("number"))["n"] + 1,
        title="Proposed contract (exempt)",
        summary="Zebrasummary of the tender.",
        exempt=True,
        exempt_paragraph=3,
        exempt_reason="Commercially sensitive.",
    )
    exempt_paper = AgendaDocument(item=exempt_item, title="Tender scores")
    exempt_paper.file.save("tender-scores.txt", ContentFile(EXEMPT_PAPER_TEXT), save=True)
    open_item = meeting.items.filter(exempt=False).order_by("number").first()
    open_paper = AgendaDocument(item=open_item, title="Open appendix")
    open_paper.file.save("open-appendix.txt", ContentFile(OPEN_PAPER_TEXT), save=True)

    report_meeting = Recommendation.objects.order_by("-meeting_date").first()
    report_date = (
        Meeting.objects.filter(start__date__gt=report_meeting.meeting_date)
        .order_by("start")
        .values_list("start", flat=True)
        .first()
    )
    from django.utils import timezone

    report_date = timezone.localtime(report_date).date() if report_date else date(2022, 3, 31)
    minute = Minute.objects.order_by("number").first()
    from meetings.models import Resolution

    resolution = Resolution.objects.filter(recommendation__isnull=True).first()
    if resolution is None:
        resolution = Resolution.objects.create(
            minute=minute, number=99, text="That the service reports back on placements."
        )
    questions = [
        Question.objects.create(
            indicator=indicator,
            month=published_a.month,
            text="Why did the figure change this month?",
            asked_by=users["member"],
        )
        for indicator in (indicator_a, indicator_b)
    ]
    return World(
        question_a=questions[0],
        question_b=questions[1],
        panel=panel,
        area_a=area_a,
        area_b=area_b,
        indicator_a=indicator_a,
        indicator_b=indicator_b,
        published_a=published_a,
        value_a=value_a,
        value_b=value_b,
        month=month,
        meeting=meeting,
        minutes_meeting=Meeting.objects.filter(pk=minute.meeting_id).first() or meeting,
        report_date=report_date,
        recommendation=Recommendation.objects.on_list().order_by("pk").first(),
        resolution=resolution,
        exempt_item=exempt_item,
        exempt_paper=exempt_paper,
        open_paper=open_paper,
        person=Person.objects.filter(memberships__isnull=False).order_by("pk").first(),
        status=Status.objects.order_by("order").first(),
        users={
            "member": users["member"],
            "officer_a": users["officer"],
            "officer_b": officer_b,
            "performance": users["performance"],
            "manager": users["manager"],
            "admin": users["admin"],
        },
    )
