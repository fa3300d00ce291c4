"""Panels, people and meetings: the meetings app's models."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from meetings.models import (
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
    Resolution,
    WorkProgrammeItem,
)
from meetings.rules import municipal_year

LONDON = ZoneInfo("Europe/London")


class PanelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Panel
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Scrutiny Panel {n}")
    slug = factory.Sequence(lambda n: f"panel-{n}")
    quorum = 3


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    kind = Person.Kind.COUNCILLOR
    title = factory.LazyAttribute(
        lambda person: "Councillor" if person.kind == Person.Kind.COUNCILLOR else ""
    )
    name = factory.Sequence(lambda n: f"Person {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    """A member of the panel from May 2021; `person=None` is a vacancy."""

    class Meta:
        model = Membership

    panel = factory.SubFactory(PanelFactory)
    person = factory.SubFactory(PersonFactory)
    role = Membership.Role.MEMBER
    start = date(2021, 5, 1)


class PanelContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PanelContact

    panel = factory.SubFactory(PanelFactory)
    person = factory.SubFactory(PersonFactory, kind="officer", title="")
    role = "Scrutiny Manager"


class MeetingFactory(factory.django.DjangoModelFactory):
    """A scheduled meeting at 10 am, London time, on `day`: by default one of the 300 days from
    Monday 14 June 2021, so always in the past and in the municipal year 2021/22, and never at
    5.30 pm, the time of the seed's real meetings (a panel's meetings must not share a start)."""

    class Meta:
        model = Meeting
        exclude = ("day",)

    panel = factory.SubFactory(PanelFactory)
    day = factory.Sequence(lambda n: date(2021, 6, 14) + timedelta(days=n % 300))
    start = factory.LazyAttribute(lambda m: datetime.combine(m.day, time(10, 0), tzinfo=LONDON))
    status = Meeting.Status.SCHEDULED


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Item {n + 1}")
    kind = AgendaItem.Kind.REPORT


class AgendaDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaDocument

    item = factory.SubFactory(AgendaItemFactory)
    title = factory.Sequence(lambda n: f"Appendix {n + 1}")
    url = "https://example.org/paper.pdf"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    status = Attendance.Status.PRESENT


class DeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Declaration

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    kind = Declaration.Kind.OTHER
    detail = "Governor of a school in the city."


class MinuteFactory(factory.django.DjangoModelFactory):
    """A minute of its meeting's panel and municipal year."""

    class Meta:
        model = Minute

    meeting = factory.SubFactory(MeetingFactory)
    panel = factory.SelfAttribute("meeting.panel")
    municipal_year = factory.LazyAttribute(
        lambda m: municipal_year(on=timezone.localtime(m.meeting.start, LONDON).date())
    )
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Minute {n + 1}")


class ResolutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resolution

    minute = factory.SubFactory(MinuteFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "That the Panel notes the report."


class WorkProgrammeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkProgrammeItem

    panel = factory.SubFactory(PanelFactory)
    title = factory.Sequence(lambda n: f"Future item {n + 1}")
    purpose = "To understand the service's plans."
