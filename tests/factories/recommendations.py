"""Recommendations, their updates and the panel's questions: the recommendations app's models."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from recommendations.models import Question, Recommendation, RecommendationUpdate, Status

from .core import UserFactory
from .indicators import IndicatorFactory
from .meetings import LONDON, MeetingFactory


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


class QuestionFactory(factory.django.DjangoModelFactory):
    """An open question on an indicator's February 2022 figure. An answer needs its date too
    (`answer=…, answered_at=…`): the database refuses one without the other."""

    class Meta:
        model = Question

    indicator = factory.SubFactory(IndicatorFactory)
    month = date(2022, 2, 1)
    text = factory.Sequence(lambda n: f"Why did the figure change? ({n})")
    asked_by = factory.SubFactory(UserFactory)
