"""Factories for the meetings tests, on top of tests.factories."""

from datetime import date

import factory

from meetings.models import (
    AgendaDocument,
    Attendance,
    Declaration,
    Membership,
    PanelContact,
    WorkProgrammeItem,
)
from tests.factories import (  # noqa: F401 - re-exported for the tests
    AgendaItemFactory,
    MeetingFactory,
    MinuteFactory,
    PanelFactory,
    PersonFactory,
    RecommendationFactory,
    ResolutionFactory,
    UserFactory,
)


class MembershipFactory(factory.django.DjangoModelFactory):
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


class AgendaDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaDocument

    item = factory.SubFactory(AgendaItemFactory)
    title = factory.Sequence(lambda n: f"Appendix {n + 1}")
    url = "https://example.org/paper.pdf"


class WorkProgrammeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkProgrammeItem

    panel = factory.SubFactory(PanelFactory)
    title = factory.Sequence(lambda n: f"Future item {n + 1}")
    purpose = "To understand the service's plans."
