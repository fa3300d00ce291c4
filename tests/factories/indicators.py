"""Priority areas, indicators and their figures: the indicators app's models."""

from datetime import UTC, date, datetime
from decimal import Decimal

import factory

from indicators.models import (
    AreaIndicator,
    BenchmarkValue,
    Commentary,
    Comparator,
    Indicator,
    PriorityArea,
    Publication,
    SpcBreak,
    Target,
    Value,
)

from .meetings import PanelFactory


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


class AreaIndicatorFactory(factory.django.DjangoModelFactory):
    """An indicator listed under a second priority area (its own is `Indicator.priority_area`)."""

    class Meta:
        model = AreaIndicator

    priority_area = factory.SubFactory(PriorityAreaFactory)
    indicator = factory.SubFactory(
        IndicatorFactory, panel=factory.SelfAttribute("..priority_area.panel")
    )
    order = 0


class ValueFactory(factory.django.DjangoModelFactory):
    """A provisional value; by default one of the 48 months from April 2019 (always past)."""

    class Meta:
        model = Value

    indicator = factory.SubFactory(IndicatorFactory)
    month = factory.Sequence(lambda n: date(2019 + (3 + n % 48) // 12, (3 + n % 48) % 12 + 1, 1))
    number = Decimal("50")
    status = ""
    state = Value.State.PROVISIONAL


class PublicationFactory(factory.django.DjangoModelFactory):
    """A panel's month marked as published."""

    class Meta:
        model = Publication

    panel = factory.SubFactory(PanelFactory)
    month = date(2022, 2, 1)
    published_at = datetime(2022, 3, 23, 9, 0, tzinfo=UTC)


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


class CommentaryFactory(factory.django.DjangoModelFactory):
    """Provisional commentary on an indicator for February 2022. For a priority area's, pass
    `priority_area=…, indicator=None` (a commentary is on exactly one of them)."""

    class Meta:
        model = Commentary

    indicator = factory.SubFactory(IndicatorFactory)
    priority_area = None
    month = date(2022, 2, 1)
    analysis = factory.Sequence(lambda n: f"Analysis {n}")
    state = Value.State.PROVISIONAL


class SpcBreakFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpcBreak

    indicator = factory.SubFactory(IndicatorFactory)
    month = date(2021, 9, 1)
    kind = SpcBreak.Kind.REBASE
    reason = "the case-system migration"
