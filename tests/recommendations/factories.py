"""The tracker's factories: the shared ones of tests/factories/, with the tracker's defaults."""

from __future__ import annotations

from datetime import date

import factory

from core import roles
from meetings.models import Meeting, Panel, Person, Resolution
from recommendations import rules
from recommendations.models import Status
from tests import factories as shared
from tests.factories import PASSWORD, UserFactory  # noqa: F401  (re-exported for the tests)

PANEL_NAME = "Children and Families Scrutiny Panel"
PANEL_SLUG = "children-and-families"


def status(slug: str) -> Status:
    return Status.objects.get(slug=slug)


def the_panel() -> Panel:
    return shared.PanelFactory(name=PANEL_NAME, slug=PANEL_SLUG)


def meeting_on(day: date, panel: Panel | None = None) -> Meeting:
    """The panel's meeting on a day (created when there is none)."""
    panel = panel or the_panel()
    found = Meeting.objects.filter(panel=panel, start__date=day).first()
    return found or shared.MeetingFactory(panel=panel, day=day, status=Meeting.Status.HELD)


class PersonFactory(shared.PersonFactory):
    kind = Person.Kind.OFFICER
    job_title = "Service Manager"


class RecommendationFactory(shared.RecommendationFactory):
    """A recommendation of the panel, made on 27 January 2022 unless told otherwise; no meeting
    row is needed (history entered by hand)."""

    meeting = None
    panel = factory.LazyFunction(the_panel)
    meeting_date = date(2022, 1, 27)
    action_proposed = factory.Sequence(lambda n: f"That the Panel considers matter {n}.")
    response_due = factory.LazyAttribute(
        lambda o: rules.default_response_due(meeting_date=o.meeting_date)
    )


class UpdateFactory(shared.RecommendationUpdateFactory):
    recommendation = factory.SubFactory(RecommendationFactory)
    date = date(2022, 3, 23)
    action_taken = "Something was done."


def resolution_for(
    *,
    meeting: Meeting,
    title: str,
    minute_number: int,
    number: int,
    text: str,
    exempt: bool = False,
    item_number: int = 8,
) -> Resolution:
    """A RESOLVED item under a minute of an agenda item (exempt if asked)."""
    item = shared.AgendaItemFactory(
        meeting=meeting,
        number=item_number,
        title=title,
        exempt=exempt,
        exempt_paragraph=3 if exempt else None,
    )
    minute = shared.MinuteFactory(
        meeting=meeting, number=minute_number, agenda_item=item, title=title.upper()
    )
    return shared.ResolutionFactory(minute=minute, number=number, text=text)


def user_with_role(username: str, role: str | None):
    return UserFactory(username=username, role=role)


ROLES = {
    "manager": roles.SCRUTINY_MANAGER,
    "officer": roles.OFFICER,
    "member": roles.PANEL_MEMBER,
}
