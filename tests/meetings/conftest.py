"""A small panel built with factories (fast), mirroring the seed demo's shape; tests of the seed
itself use the `demo` fixture sparingly, as loading it takes seconds."""

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from meetings.models import Attendance, Meeting, Membership, Panel, Person
from tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    MeetingFactory,
    MembershipFactory,
    MinuteFactory,
    PanelContactFactory,
    PanelFactory,
    PersonFactory,
    RecommendationFactory,
    ResolutionFactory,
)

LONDON = ZoneInfo("Europe/London")


def at(day: date, hour: int = 17, minute: int = 30) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


@dataclass
class Scene:
    panel: Panel
    chair: Person
    members: list[Person]
    appointed: list[Person]
    november: Meeting  # held, minutes 28-30 and attendance, agenda never published
    march: Meeting  # agenda published, items 1-8


@pytest.fixture
def scene(db) -> Scene:
    panel = PanelFactory(
        name="Children and Families Scrutiny Panel",
        slug="children-and-families",
        quorum=3,
        terms_of_reference="Scrutiny of services to include:\nRegular scrutiny of performance.",
    )
    chair = PersonFactory(name="Guthrie")
    members = [chair] + [PersonFactory(name=n) for n in ("Bell", "Laurent")]
    appointed = [
        PersonFactory(kind=Person.Kind.APPOINTED, name=n) for n in ("Nicola Brown", "Rob Sanders")
    ]
    start = date(2021, 5, 1)
    MembershipFactory(panel=panel, person=chair, role=Membership.Role.CHAIR, start=start)
    for person in members[1:]:
        MembershipFactory(panel=panel, person=person, start=start)
    designations = ("Primary Parent Governor", "Church of England")
    for person, designation in zip(appointed, designations, strict=True):
        MembershipFactory(
            panel=panel, person=person, role="appointed", designation=designation, start=start
        )
    MembershipFactory(
        panel=panel, person=None, role="appointed", designation="Secondary Parent Governor",
        start=start,
    )
    PanelContactFactory(
        panel=panel,
        person=PersonFactory(
            kind="officer", title="", name="Mark Pirnie", phone="023 8083 3886",
            email="mark.pirnie@example.org",
        ),
    )
    november = MeetingFactory(panel=panel, start=at(date(2021, 11, 25)), status="held")
    for person in members:
        AttendanceFactory(meeting=november, person=person, status=Attendance.Status.PRESENT)
    AttendanceFactory(meeting=november, person=appointed[1], status=Attendance.Status.APOLOGIES)
    MinuteFactory(meeting=november, number=28, title="APOLOGIES AND CHANGES IN PANEL MEMBERSHIP")
    performance = MinuteFactory(
        meeting=november,
        number=29,
        title="CHILDREN AND LEARNING - PERFORMANCE",
        text="The Panel received the report.",
        addressed_by="Steph Murray, Deputy Director of Children and Learning",
        noted="The number of audits where practice was good had increased.\nNEET was a concern.",
    )
    ResolutionFactory(minute=performance, number=1, text="That foster carer inquiries are added.")
    ResolutionFactory(minute=performance, number=2, text="That NEET indicators are clarified.")
    RecommendationFactory(
        meeting=november,
        item_title="CHILDREN AND LEARNING - PERFORMANCE",
        number=1,
        action_proposed="That foster carer inquiries are added.",
    )
    MinuteFactory(meeting=november, number=30, title="MONITORING SCRUTINY RECOMMENDATIONS")
    march = MeetingFactory(
        panel=panel,
        start=at(date(2022, 3, 31)),
        venue="Conference Room 3 - Civic Centre",
        hybrid=True,
        notice="Please note time of meeting",
        agenda_published=date(2022, 3, 23),
        status="held",
    )
    for number, title in enumerate(
        ["APOLOGIES", "DISCLOSURE OF INTERESTS", "STATEMENT FROM THE CHAIR"], start=1
    ):
        AgendaItemFactory(meeting=march, number=number, title=title, kind="procedural")
    AgendaItemFactory(
        meeting=march,
        number=7,
        title="ELECTIVE HOME EDUCATION",
        summary="Report of the Executive Director - Children and Learning, summarising the role.",
        report_of="Executive Director - Children and Learning",
        page_from=5,
        page_to=14,
    )
    november.minutes_approved_at = march
    november.save()
    return Scene(
        panel=panel,
        chair=chair,
        members=members,
        appointed=appointed,
        november=november,
        march=march,
    )
