"""Writes to the tracker: creation from a resolution, updates, the panel's decisions."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from recommendations import services
from recommendations.models import PanelDecision, Recommendation
from recommendations.rules import Decision

from .factories import RecommendationFactory, meeting_on, resolution_for, status


@pytest.fixture
def resolution(panel):
    meeting = meeting_on(date(2021, 11, 25), panel)
    return resolution_for(
        meeting=meeting,
        title="Children and Learning - Performance",
        minute_number=33,
        number=2,
        text="That clarification would be provided on what the NEET indicators measured.",
        item_number=9,
    )


def test_a_recommendation_is_created_from_a_resolution_in_one_action(resolution, users):
    rec = services.create_from_resolution(resolution=resolution, user=users["manager"])
    assert rec.resolution == resolution
    assert rec.meeting == resolution.minute.meeting
    assert rec.meeting_date == date(2021, 11, 25)
    assert rec.item_title == "Children and Learning - Performance"
    assert rec.item_order == 9
    assert rec.number == 2
    assert rec.action_proposed == resolution.text
    assert rec.status.name == "In train"
    assert rec.response_due == date(2022, 1, 25)
    assert rec.history.first().history_user == users["manager"]


def test_a_resolution_goes_on_the_tracker_only_once(resolution, users):
    services.create_from_resolution(resolution=resolution, user=users["manager"])
    with pytest.raises(ValidationError) as caught:
        services.create_from_resolution(resolution=resolution, user=users["manager"])
    assert caught.value.messages == [
        services.ERROR_ALREADY_TRACKED.format(number=2, minute=33)
    ]
    assert Recommendation.objects.count() == 1


def test_an_update_is_dated_attributed_and_sets_the_status(panel, users):
    rec = RecommendationFactory(panel=panel)
    update = services.add_update(
        recommendation=rec,
        user=users["officer"],
        on=date(2022, 3, 1),
        action_taken="Briefing given.",
        status=status("partially-complete"),
    )
    rec.refresh_from_db()
    assert rec.status.name == "Partially complete"
    assert update.author == users["officer"]
    assert update.author_name == "officer"
    assert update.status.name == "Partially complete"


def test_a_backdated_update_does_not_override_the_latest_status(panel, users):
    rec = RecommendationFactory(panel=panel)
    services.add_update(recommendation=rec, user=users["officer"], on=date(2022, 3, 10),
                        action_taken="Done.", status=status("complete"))
    services.add_update(recommendation=rec, user=users["officer"], on=date(2022, 2, 10),
                        action_taken="Earlier note.", status=status("in-train"))
    rec.refresh_from_db()
    assert rec.status.name == "Complete"


def test_an_update_cannot_predate_the_recommendation(panel, users):
    rec = RecommendationFactory(panel=panel)
    with pytest.raises(ValidationError) as caught:
        services.add_update(recommendation=rec, user=users["officer"], on=date(2021, 1, 1),
                            action_taken="x", status=status("complete"))
    assert caught.value.message_dict["date"] == [services.ERROR_UPDATE_BEFORE_MEETING]


class TestDecisions:
    def test_accepting_a_complete_item_sets_accepted_at_to_the_meeting(
        self, tracker, march_meeting, users
    ):
        sscp = tracker[1]
        changed = services.record_decisions(
            meeting=march_meeting, decisions={sscp.pk: Decision.ACCEPTED}, user=users["manager"]
        )
        sscp.refresh_from_db()
        assert changed == 1
        assert sscp.accepted_at == march_meeting
        assert not sscp.is_on_list
        decision = PanelDecision.objects.get(recommendation=sscp)
        assert (decision.meeting, decision.decision, decision.recorded_by) == (
            march_meeting, "accepted", users["manager"]
        )

    def test_not_accepted_keeps_it_on_the_list_and_records_the_decision(
        self, tracker, march_meeting, users
    ):
        sscp = tracker[1]
        services.record_decisions(
            meeting=march_meeting, decisions={sscp.pk: Decision.NOT_ACCEPTED},
            user=users["manager"],
        )
        sscp.refresh_from_db()
        assert sscp.is_on_list
        assert sscp.accepted_at is None
        assert sscp.decisions.get().decision == "not_accepted"

    def test_a_rejection_noted_leaves_the_list(self, tracker, march_meeting, users):
        rejected = RecommendationFactory(
            panel=march_meeting.panel, meeting_date=date(2022, 1, 27), status=status("rejected")
        )
        services.record_decisions(
            meeting=march_meeting, decisions={rejected.pk: Decision.REJECTION_NOTED},
            user=users["manager"],
        )
        rejected.refresh_from_db()
        assert rejected.rejection_reported_at == march_meeting
        assert not rejected.is_on_list

    @pytest.mark.parametrize(
        ("index", "decision"),
        [(2, Decision.ACCEPTED), (2, Decision.REJECTION_NOTED), (1, Decision.REJECTION_NOTED)],
    )
    def test_decisions_the_status_does_not_allow_are_refused_and_nothing_is_written(
        self, tracker, march_meeting, users, index, decision
    ):
        sscp, other = tracker[1], tracker[index]
        with pytest.raises(ValidationError) as caught:
            services.record_decisions(
                meeting=march_meeting,
                decisions={sscp.pk: Decision.ACCEPTED, other.pk: decision},
                user=users["manager"],
            )
        assert "cannot be recorded" in caught.value.messages[0]
        sscp.refresh_from_db()
        assert sscp.accepted_at is None
        assert not PanelDecision.objects.exists()

    def test_an_item_not_on_that_meetings_list_is_refused(self, tracker, panel, users):
        earlier = meeting_on(date(2022, 1, 27), panel)
        with pytest.raises(ValidationError) as caught:
            services.record_decisions(
                meeting=earlier, decisions={tracker[1].pk: Decision.ACCEPTED},
                user=users["manager"],
            )
        assert caught.value.messages == [
            services.ERROR_NOT_ON_LIST.format(recommendation=f"Recommendation {tracker[1].pk}")
        ]

    def test_clearing_a_decision_puts_the_item_back(self, tracker, march_meeting, users):
        sscp = tracker[1]
        services.record_decisions(meeting=march_meeting, decisions={sscp.pk: Decision.ACCEPTED},
                                  user=users["manager"])
        services.record_decisions(meeting=march_meeting, decisions={sscp.pk: None},
                                  user=users["manager"])
        sscp.refresh_from_db()
        assert sscp.accepted_at is None
        assert not sscp.decisions.exists()

    def test_an_item_decided_at_a_later_meeting_cannot_be_decided_again_earlier(
        self, tracker, march_meeting, panel, users
    ):
        june = meeting_on(date(2022, 6, 30), panel)
        sscp = tracker[1]
        services.record_decisions(meeting=june, decisions={sscp.pk: Decision.ACCEPTED},
                                  user=users["manager"])
        with pytest.raises(ValidationError) as caught:
            services.record_decisions(meeting=march_meeting,
                                      decisions={sscp.pk: Decision.ACCEPTED},
                                      user=users["manager"])
        assert caught.value.messages == [
            services.ERROR_DECIDED_ELSEWHERE.format(recommendation=sscp, meeting=june)
        ]



class TestAdminAction:
    """recommendations.admin_actions.put_on_tracker, for meetings' ResolutionAdmin."""

    def run(self, user, queryset):
        from django.contrib import admin
        from django.contrib.messages.storage.fallback import FallbackStorage
        from django.test import RequestFactory

        from meetings.models import Resolution
        from recommendations.admin_actions import put_on_tracker

        request = RequestFactory().post("/admin/meetings/resolution/")
        request.user = user
        request.session = {}
        request._messages = FallbackStorage(request)
        put_on_tracker(admin.ModelAdmin(Resolution, admin.site), request, queryset)
        return [str(m) for m in request._messages]

    def test_meetings_list_of_resolutions_offers_it(self, users):
        from django.contrib import admin
        from django.test import RequestFactory

        from meetings.models import Resolution

        request = RequestFactory().get("/admin/meetings/resolution/")
        request.user = users["manager"]
        actions = admin.site.get_model_admin(Resolution).get_actions(request)
        assert "put_on_tracker" in actions

    def test_the_manager_puts_selected_resolutions_on_the_tracker(self, resolution, users):
        from meetings.models import Resolution

        messages = self.run(users["manager"], Resolution.objects.all())
        assert messages == ["1 resolution(s) put on the recommendations tracker."]
        assert Recommendation.objects.get().resolution == resolution
        again = self.run(users["manager"], Resolution.objects.all())
        assert again[0].startswith("Not added: Resolution 2) of minute 33 is already")
        assert Recommendation.objects.count() == 1

    @pytest.mark.parametrize("username", ["officer", "member"])
    def test_other_roles_may_not(self, resolution, users, username):
        from django.core.exceptions import PermissionDenied

        from meetings.models import Resolution

        with pytest.raises(PermissionDenied):
            self.run(users[username], Resolution.objects.all())
        assert not Recommendation.objects.exists()


def test_default_statuses_come_back_when_the_table_is_emptied_but_not_otherwise(db):
    from recommendations.defaults import DEFAULT_STATUSES, ensure_statuses
    from recommendations.models import Status

    Status.objects.filter(slug="rejected").delete()
    ensure_statuses()
    assert not Status.objects.filter(slug="rejected").exists()  # an admin's choice stands
    Status.objects.all().delete()
    ensure_statuses()
    assert list(Status.objects.values_list("name", flat=True)) == [s[0] for s in DEFAULT_STATUSES]
