"""factory_boy factories for the project's models, general enough for any test to reuse.

Each factory builds a valid row with the fewest related rows it needs; pass fields to override.
`create()` saves without `full_clean()`, so tests of database constraints can build impossible
rows on purpose.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from indicators.models import (
    BenchmarkValue,
    Comparator,
    Indicator,
    PriorityArea,
    Target,
    Value,
)
from meetings.models import AgendaItem, Meeting, Minute, Panel, Person, Resolution
from meetings.rules import municipal_year
from recommendations.models import Recommendation, RecommendationUpdate, Status

LONDON = ZoneInfo("Europe/London")
PASSWORD = "factory-password-123"


class UserFactory(factory.django.DjangoModelFactory):
    """A user with the password `PASSWORD`. `groups` takes role names or Group objects:
    `UserFactory(groups=[roles.OFFICER])`."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        for group in extracted:
            if isinstance(group, str):
                group, _ = Group.objects.get_or_create(name=group)
            self.groups.add(group)


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


class PriorityAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriorityArea

    panel = factory.SubFactory(PanelFactory)
    name = factory.Sequence(lambda n: f"Priority area {n}")
    order = factory.Sequence(lambda n: n)
    rating = PriorityArea.Rating.HIGH


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    panel = factory.SubFactory(PanelFactory)
    priority_area = factory.SubFactory(PriorityAreaFactory, panel=factory.SelfAttribute("..panel"))
    name = factory.Sequence(lambda n: f"Percentage of things done on time {n}")
    outturn_type = Indicator.OutturnType.PERCENTAGE
    measure_type = Indicator.MeasureType.SNAPSHOT
    polarity = Indicator.Polarity.HIGHER
    order = factory.Sequence(lambda n: n)


class ValueFactory(factory.django.DjangoModelFactory):
    """A provisional value; by default one of the 48 months from April 2019 (always past)."""

    class Meta:
        model = Value

    indicator = factory.SubFactory(IndicatorFactory)
    month = factory.Sequence(lambda n: date(2019 + (3 + n % 48) // 12, (3 + n % 48) % 12 + 1, 1))
    number = Decimal("50")
    status = ""
    state = Value.State.PROVISIONAL


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2021
    number = Decimal("75")
    status = ""
    bound = ""


class ComparatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comparator
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Comparator {n}")
    kind = Comparator.Kind.NATIONAL
    order = factory.Sequence(lambda n: n)


class BenchmarkValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BenchmarkValue

    indicator = factory.SubFactory(IndicatorFactory)
    comparator = factory.SubFactory(ComparatorFactory)
    year = 2020
    number = Decimal("60")
    status = ""


class RecommendationFactory(factory.django.DjangoModelFactory):
    """A recommendation made at a meeting, "In train" (a status of the default data migration)."""

    class Meta:
        model = Recommendation

    meeting = factory.SubFactory(MeetingFactory)
    panel = factory.SelfAttribute("meeting.panel")
    meeting_date = factory.LazyAttribute(
        lambda r: timezone.localtime(r.meeting.start, LONDON).date()
    )
    item_title = factory.Sequence(lambda n: f"Report {n}")
    number = 1
    action_proposed = "That the Panel is given a briefing."
    status = factory.LazyFunction(lambda: Status.objects.get(slug="in-train"))


class RecommendationUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecommendationUpdate

    recommendation = factory.SubFactory(RecommendationFactory)
    date = factory.LazyAttribute(lambda u: u.recommendation.meeting_date + timedelta(days=30))
    action_taken = "A briefing has been arranged."
    status = factory.LazyAttribute(lambda u: u.recommendation.status)
    author_name = "Scrutiny Manager"
