"""The database itself refuses impossible states, whatever code writes to it."""

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from meetings.models import Membership
from tests.factories import (
    AgendaItemFactory,
    CommentaryFactory,
    MeetingFactory,
    MembershipFactory,
    MinuteFactory,
    PanelFactory,
    PriorityAreaFactory,
    RecommendationFactory,
    TargetFactory,
    ValueFactory,
)

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def refused(build) -> None:
    """Assert that the database refuses the row `build()` writes."""
    with pytest.raises(IntegrityError), transaction.atomic():
        build()


def test_a_value_is_a_number_or_a_status_never_both():
    refused(lambda: ValueFactory(number=Decimal("12"), status="tbc"))


def test_a_value_is_a_number_or_a_status_never_neither():
    refused(lambda: ValueFactory(number=None, status=""))


def test_a_missing_value_with_its_status_is_accepted():
    assert ValueFactory(number=None, status="tbc").pk


def test_one_value_per_indicator_and_month():
    first = ValueFactory(month=date(2022, 2, 1))
    refused(lambda: ValueFactory(indicator=first.indicator, month=date(2022, 2, 1)))


def test_a_value_month_is_the_first_of_the_month():
    refused(lambda: ValueFactory(month=date(2022, 2, 15)))


def test_a_target_bound_needs_a_number_not_tbc():
    refused(lambda: TargetFactory(number=None, status="tbc", bound="<"))


def test_a_bounded_number_target_is_accepted():
    assert TargetFactory(number=Decimal("36"), bound="<").pk


def test_a_numerator_needs_a_positive_denominator():
    refused(lambda: ValueFactory(numerator=Decimal("5"), denominator=None))
    refused(lambda: ValueFactory(numerator=Decimal("5"), denominator=Decimal("0")))
    assert ValueFactory(numerator=Decimal("5"), denominator=Decimal("10")).pk


def test_commentary_belongs_to_an_area_or_an_indicator_not_both():
    value = ValueFactory()
    area = PriorityAreaFactory(panel=value.indicator.panel)
    refused(
        lambda: CommentaryFactory(
            priority_area=area, indicator=value.indicator, month=date(2022, 2, 1), analysis=""
        )
    )


def test_minute_numbers_are_unique_in_a_panel_and_municipal_year():
    panel = PanelFactory()
    november = MeetingFactory(panel=panel, start=datetime(2021, 11, 25, 17, 30, tzinfo=LONDON))
    january = MeetingFactory(panel=panel, start=datetime(2022, 1, 27, 17, 30, tzinfo=LONDON))
    MinuteFactory(meeting=november, number=30)
    refused(lambda: MinuteFactory(meeting=january, number=30))


def test_minute_numbers_may_repeat_in_the_next_municipal_year():
    panel = PanelFactory()
    november = MeetingFactory(panel=panel, start=datetime(2021, 11, 25, 17, 30, tzinfo=LONDON))
    june = MeetingFactory(
        panel=panel, start=datetime.combine(date(2022, 6, 16), time(17, 30), LONDON)
    )
    first = MinuteFactory(meeting=november, number=30)
    again = MinuteFactory(meeting=june, number=30)
    assert (first.municipal_year, again.municipal_year) == (2021, 2022)


def test_the_same_minute_number_is_fine_for_another_panel():
    MinuteFactory(number=7)
    assert MinuteFactory(number=7).pk


def test_an_exempt_agenda_item_needs_its_paragraph():
    refused(lambda: AgendaItemFactory(exempt=True, exempt_paragraph=None))


def test_an_exempt_agenda_item_with_a_paragraph_outside_1_to_7_is_refused():
    refused(lambda: AgendaItemFactory(exempt=True, exempt_paragraph=8))


def test_an_exempt_agenda_item_with_its_paragraph_is_accepted():
    assert AgendaItemFactory(exempt=True, exempt_paragraph=3).pk


def test_only_an_appointed_seat_may_be_vacant():
    panel = PanelFactory()
    refused(
        lambda: MembershipFactory(
            panel=panel, person=None, role=Membership.Role.MEMBER, start=date(2021, 5, 1)
        )
    )


def test_a_vacant_appointed_seat_is_accepted():
    vacancy = MembershipFactory(
        panel=PanelFactory(),
        person=None,
        role=Membership.Role.APPOINTED,
        designation="Secondary Parent Governor",
        start=date(2021, 5, 1),
    )
    assert vacancy.is_vacant


def test_a_recommendation_is_not_both_accepted_and_rejection_reported():
    later = MeetingFactory()
    refused(lambda: RecommendationFactory(accepted_at=later, rejection_reported_at=later))


def test_recommendation_numbers_are_unique_within_an_item():
    first = RecommendationFactory(item_title="Quality Assurance Brief", number=1)
    refused(
        lambda: RecommendationFactory(
            meeting=first.meeting, item_title="Quality Assurance Brief", number=1
        )
    )
    assert RecommendationFactory(
        meeting=first.meeting, item_title="Quality Assurance Brief", number=2
    ).pk
