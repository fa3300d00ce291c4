"""The tracker's rules, one by one, without a database."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recommendations import rules
from recommendations.models import Recommendation
from recommendations.rules import Decision, ListReason, ResponseState

from .factories import RecommendationFactory, meeting_on, the_panel

MADE = date(2022, 1, 27)
MEETING = date(2022, 3, 31)
NEXT = date(2022, 6, 30)


def on_list(**overrides) -> bool:
    args = {
        "made_on": MADE,
        "report_date": MEETING,
        "accepted_on": None,
        "rejection_reported_on": None,
    } | overrides
    return rules.is_on_list(**args)


class TestOnTheList:
    def test_an_open_recommendation_from_an_earlier_meeting_is_on_the_list(self):
        assert on_list() is True

    def test_a_meeting_does_not_monitor_its_own_recommendations(self):
        assert on_list(made_on=MEETING) is False
        assert on_list(made_on=NEXT) is False

    def test_an_item_accepted_at_this_meeting_is_still_on_this_meetings_list(self):
        assert on_list(accepted_on=MEETING) is True

    def test_an_item_accepted_at_an_earlier_meeting_has_left_the_list(self):
        assert on_list(accepted_on=date(2022, 2, 1)) is False
        assert on_list(report_date=NEXT, accepted_on=MEETING) is False

    def test_a_rejection_stays_until_it_has_been_reported(self):
        assert on_list(rejection_reported_on=None) is True
        assert on_list(rejection_reported_on=MEETING) is True
        assert on_list(report_date=NEXT, rejection_reported_on=MEETING) is False

    def test_an_item_accepted_later_was_on_the_earlier_lists(self):
        assert on_list(accepted_on=NEXT) is True


class TestReasonAndDecisions:
    def test_reasons(self):
        assert rules.list_reason(is_complete=False, is_rejected=False) == ListReason.OPEN
        assert (
            rules.list_reason(is_complete=True, is_rejected=False)
            == ListReason.COMPLETE_AWAITING_ACCEPTANCE
        )
        assert (
            rules.list_reason(is_complete=False, is_rejected=True)
            == ListReason.REJECTED_AWAITING_REPORT
        )

    def test_a_complete_item_may_be_accepted_or_not_accepted(self):
        assert rules.allowed_decisions(is_complete=True, is_rejected=False, on_list=True) == (
            Decision.ACCEPTED,
            Decision.NOT_ACCEPTED,
        )

    def test_a_rejected_item_may_only_have_its_rejection_noted(self):
        assert rules.allowed_decisions(is_complete=False, is_rejected=True, on_list=True) == (
            Decision.REJECTION_NOTED,
        )

    def test_an_open_item_has_nothing_to_decide(self):
        assert rules.allowed_decisions(is_complete=False, is_rejected=False, on_list=True) == ()

    def test_nothing_is_decided_about_an_item_off_the_list(self):
        assert rules.allowed_decisions(is_complete=True, is_rejected=False, on_list=False) == ()
        assert rules.allowed_decisions(is_complete=False, is_rejected=True, on_list=False) == ()


class TestOverdue:
    def overdue(self, **overrides) -> bool:
        args = {
            "due_date": date(2022, 3, 1),
            "today": date(2022, 3, 2),
            "is_complete": False,
            "is_rejected": False,
            "on_list": True,
        } | overrides
        return rules.is_overdue(**args)

    def test_past_its_due_date_and_still_open_is_overdue(self):
        assert self.overdue() is True

    def test_due_today_is_not_yet_overdue(self):
        assert self.overdue(today=date(2022, 3, 1)) is False

    def test_without_a_due_date_nothing_is_overdue(self):
        assert self.overdue(due_date=None) is False

    def test_complete_rejected_or_archived_items_are_never_overdue(self):
        assert self.overdue(is_complete=True) is False
        assert self.overdue(is_rejected=True) is False
        assert self.overdue(on_list=False) is False


class TestResponseDue:
    @pytest.mark.parametrize(
        ("meeting", "due"),
        [
            (date(2022, 1, 27), date(2022, 3, 27)),
            (date(2021, 12, 31), date(2022, 2, 28)),
            (date(2023, 12, 31), date(2024, 2, 29)),
            (date(2021, 11, 25), date(2022, 1, 25)),
        ],
    )
    def test_two_months_after_the_meeting(self, meeting, due):
        assert rules.default_response_due(meeting_date=meeting) == due

    def test_the_first_update_is_the_response(self):
        state = rules.response_state(
            response_due=date(2022, 3, 27), first_response_on=date(2022, 4, 1), today=NEXT
        )
        assert state == ResponseState.RECEIVED

    def test_awaiting_until_due_then_overdue(self):
        due = date(2022, 3, 27)
        assert (
            rules.response_state(response_due=due, first_response_on=None, today=due)
            == ResponseState.AWAITING
        )
        assert (
            rules.response_state(response_due=due, first_response_on=None, today=date(2022, 3, 28))
            == ResponseState.OVERDUE
        )
        assert (
            rules.response_state(response_due=None, first_response_on=None, today=NEXT)
            == ResponseState.AWAITING
        )


# --- The list's two forms agree -----------------------------------------------------------
# `Recommendation.objects.on_list_for` (the database's form, used to build a meeting's list)
# and `rules.is_on_list` (the rule in Python) must say the same for any recommendation.

MEETING_DAYS = [date(2021, 6, 17), date(2021, 9, 30), date(2022, 1, 27), MEETING, NEXT]


@st.composite
def tracked(draw):
    """A recommendation's dates: made at one of the meetings, then accepted, or its rejection
    reported, at one of them (never both: a database constraint), or still on the list."""
    made = draw(st.sampled_from(MEETING_DAYS))
    leaves = draw(st.sampled_from(["open", "accepted", "rejection_reported"]))
    left_at = None if leaves == "open" else draw(st.sampled_from(MEETING_DAYS))
    return made, leaves, left_at


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    cases=st.lists(tracked(), min_size=1, max_size=6),
    report_date=st.sampled_from(MEETING_DAYS) | st.dates(date(2021, 6, 1), date(2022, 8, 1)),
)
def test_the_database_list_and_the_rule_agree(cases, report_date):
    panel = the_panel()
    meetings = {day: meeting_on(day, panel) for day in MEETING_DAYS}
    expected, pks = set(), []
    for made, leaves, left_at in cases:
        recommendation = RecommendationFactory(
            panel=panel,
            meeting_date=made,
            accepted_at=meetings[left_at] if leaves == "accepted" else None,
            rejection_reported_at=meetings[left_at] if leaves == "rejection_reported" else None,
        )
        pks.append(recommendation.pk)
        if rules.is_on_list(
            made_on=made,
            report_date=report_date,
            accepted_on=left_at if leaves == "accepted" else None,
            rejection_reported_on=left_at if leaves == "rejection_reported" else None,
        ):
            expected.add(recommendation.pk)
    found = Recommendation.objects.filter(pk__in=pks).on_list_for(
        panel=panel, report_date=report_date
    )
    assert set(found.values_list("pk", flat=True)) == expected
