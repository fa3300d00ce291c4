"""The tracker's pages: the open list, archive, awaiting response, a recommendation, and the
screens that write (add an update, add from the minutes) — with their permissions."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators.models import Indicator
from recommendations import services
from recommendations.models import Recommendation
from recommendations.rules import Decision
from tests.factories import ValueFactory

from .factories import (
    PASSWORD,
    PersonFactory,
    RecommendationFactory,
    UpdateFactory,
    meeting_on,
    resolution_for,
    status,
)

LIST = reverse("recommendations:list")
ARCHIVE = reverse("recommendations:archive")
AWAITING = reverse("recommendations:awaiting")
RESOLUTIONS = reverse("recommendations:resolutions")


def text(response) -> str:
    return response.content.decode()


class TestOpenList:
    def test_the_open_list_shows_every_open_item_with_its_status_as_a_word(self, tracker, client):
        response = client.get(LIST)
        assert response.status_code == 200
        page = text(response)
        for rec in tracker:
            assert rec.get_absolute_url() in page
        assert ">Partially complete</strong>" in page
        assert "Not complete – within timescale" in page

    def test_accepted_items_are_off_the_list_and_in_the_archive(self, tracker, march_meeting,
                                                               client, users):
        services.record_decisions(meeting=march_meeting,
                                  decisions={tracker[1].pk: Decision.ACCEPTED},
                                  user=users["manager"])
        assert tracker[1].get_absolute_url() not in text(client.get(LIST))
        archive = text(client.get(ARCHIVE))
        assert tracker[1].get_absolute_url() in archive
        assert "Accepted as complete, 31 March 2022" in archive

    def test_filters_by_status_meeting_officer_and_overdue(self, tracker, client):
        officer = PersonFactory(name="Jane Smith")
        late = tracker[2]
        late.lead_officer = officer
        late.due_date = timezone.localdate() - timedelta(days=1)
        late.save()
        by_status = text(client.get(LIST, {"status": "complete"}))
        assert tracker[1].get_absolute_url() in by_status
        assert tracker[0].get_absolute_url() not in by_status
        by_meeting = text(client.get(LIST, {"meeting": "2021-06-17"}))
        assert tracker[0].get_absolute_url() in by_meeting
        assert tracker[1].get_absolute_url() not in by_meeting
        by_officer = text(client.get(LIST, {"officer": officer.pk}))
        assert late.get_absolute_url() in by_officer
        assert tracker[0].get_absolute_url() not in by_officer
        overdue = text(client.get(LIST, {"overdue": "on"}))
        assert late.get_absolute_url() in overdue
        assert tracker[0].get_absolute_url() not in overdue
        assert ">Overdue</strong>" in overdue

    def test_the_list_query_count_stays_constant(self, tracker, panel, client,
                                                django_assert_max_num_queries):
        with django_assert_max_num_queries(8):
            client.get(LIST)
        officer = PersonFactory()
        for n in range(40):
            rec = RecommendationFactory(panel=panel, meeting_date=date(2022, 2, 1) + timedelta(n),
                                        lead_officer=officer, due_date=date(2022, 5, 1))
            UpdateFactory(recommendation=rec)
        with django_assert_max_num_queries(8):
            response = client.get(LIST)
        assert text(response).count("That the Panel considers matter") == 40


class TestArchive:
    def test_the_archive_is_searchable_including_action_taken(self, tracker, march_meeting,
                                                             client, users):
        services.record_decisions(
            meeting=march_meeting,
            decisions={tracker[1].pk: Decision.ACCEPTED, tracker[3].pk: Decision.ACCEPTED},
            user=users["manager"],
        )
        found = text(client.get(ARCHIVE, {"q": "circulated"}))
        assert tracker[1].get_absolute_url() in found
        assert tracker[3].get_absolute_url() not in found
        assert tracker[3].get_absolute_url() in text(client.get(ARCHIVE))

    def test_the_archive_query_count_stays_constant(self, panel, march_meeting, client,
                                                   django_assert_max_num_queries):
        def add(n):
            for i in range(n):
                RecommendationFactory(panel=panel, status=status("complete"),
                                      accepted_at=march_meeting, item_title=f"Done {i}-{n}")
        add(2)
        with django_assert_max_num_queries(6):
            client.get(ARCHIVE)
        add(30)
        with django_assert_max_num_queries(6):
            assert text(client.get(ARCHIVE)).count("Accepted as complete") == 32


class TestAwaitingResponse:
    def test_lists_open_items_without_any_action_taken(self, tracker, panel, client):
        waiting = RecommendationFactory(panel=panel, meeting_date=date(2022, 1, 27),
                                        item_title="No response yet")
        page = text(client.get(AWAITING))
        assert waiting.get_absolute_url() in page
        assert tracker[0].get_absolute_url() not in page
        assert "27 March 2022" in page  # two months after the meeting
        assert "Response overdue" in page

    def test_query_count_stays_constant(self, panel, client, django_assert_max_num_queries):
        RecommendationFactory(panel=panel)
        with django_assert_max_num_queries(5):
            client.get(AWAITING)
        for _ in range(30):
            RecommendationFactory(panel=panel)
        with django_assert_max_num_queries(5):
            client.get(AWAITING)


class TestDetail:
    def test_the_page_shows_the_proposal_history_and_status(self, tracker, client):
        rec = tracker[2]
        UpdateFactory(recommendation=rec, date=date(2022, 4, 2), action_taken="Sessions booked.",
                      status=status("complete"), author_name="Mark Pirnie")
        services.sync_status(recommendation=rec)
        response = client.get(reverse("recommendations:detail", args=[rec.pk]))
        page = text(response)
        assert response.status_code == 200
        assert "That the Scrutiny Manager liaises." in page
        assert page.index("Sessions booked.") < page.index("A meeting has taken place.")
        assert "2 April 2022 – Mark Pirnie" in page
        assert "Marked complete; on the list until the panel accepts it." in page
        assert "Record action taken" not in page

    def test_linked_indicators_show_only_published_values_since_the_recommendation(
        self, tracker, client
    ):
        rec = tracker[2]
        indicator = Indicator.objects.create(panel=rec.panel, name="Number of foster enquiries",
                                             outturn_type="number")
        rec.indicators.add(indicator)
        now = timezone.now()
        ValueFactory(indicator=indicator, month=date(2021, 12, 1), number=11,
                     state="published", published_at=now)
        ValueFactory(indicator=indicator, month=date(2022, 1, 1), number=12,
                     state="published", published_at=now)
        ValueFactory(indicator=indicator, month=date(2022, 2, 1), number=99,
                     state="provisional")
        page = text(client.get(rec.get_absolute_url()))
        assert reverse("indicators:detail", args=[indicator.pk]) in page
        assert "January 2022" in page and ">12<" in page
        assert "December 2021" not in page
        assert ">99<" not in page

    def test_query_count(self, tracker, client, django_assert_max_num_queries):
        rec = tracker[2]
        for day in range(10):
            UpdateFactory(recommendation=rec, date=date(2022, 4, 1 + day))
        with django_assert_max_num_queries(8):
            assert client.get(rec.get_absolute_url()).status_code == 200

    def test_an_unknown_recommendation_is_a_404(self, db, client):
        assert client.get(reverse("recommendations:detail", args=[999])).status_code == 404


class TestAddUpdate:
    def url(self, rec):
        return reverse("recommendations:add-update", args=[rec.pk])

    @pytest.mark.parametrize("username", ["officer", "manager"])
    def test_officers_and_the_manager_record_action_taken(self, tracker, client, users,
                                                         username):
        rec = tracker[2]
        client.login(username=username, password=PASSWORD)
        assert "Record action taken" in text(client.get(rec.get_absolute_url()))
        response = client.post(self.url(rec), {"date": "01/04/2022",
                                               "action_taken": "Two sessions attended.",
                                               "status": status("complete").pk})
        assert response.status_code == 302
        rec.refresh_from_db()
        assert rec.status.name == "Complete"
        latest = rec.updates.latest()
        assert (latest.date, latest.author) == (date(2022, 4, 1), users[username])

    @pytest.mark.parametrize("username", ["member", "nobody"])
    def test_panel_members_may_not(self, tracker, client, users, username):
        client.login(username=username, password=PASSWORD)
        response = client.post(self.url(tracker[2]), {"date": "01/04/2022", "action_taken": "x",
                                                      "status": status("complete").pk})
        assert response.status_code == 403
        assert tracker[2].updates.count() == 1

    def test_anonymous_users_may_not(self, tracker, client):
        response = client.post(self.url(tracker[2]), {})
        assert response.status_code == 302
        assert tracker[2].updates.count() == 1

    def test_a_bad_update_is_shown_with_its_error(self, tracker, client, users):
        client.login(username="officer", password=PASSWORD)
        response = client.post(self.url(tracker[2]), {"date": "01/01/2020", "action_taken": "x",
                                                      "status": status("complete").pk})
        assert response.status_code == 400
        assert services.ERROR_UPDATE_BEFORE_MEETING in text(response)


class TestCreateFromResolution:
    @pytest.fixture
    def resolution(self, panel):
        return resolution_for(meeting=meeting_on(date(2021, 11, 25), panel),
                              title="Children and Learning - Performance", minute_number=33,
                              number=1, text="That the number of foster carer inquiries would "
                              "be added to the dataset considered by the Panel")

    def test_the_manager_adds_a_resolution_with_one_button(self, resolution, client, users):
        client.login(username="manager", password=PASSWORD)
        page = text(client.get(RESOLUTIONS))
        assert "foster carer inquiries" in page
        response = client.post(
            reverse("recommendations:create-from-resolution", args=[resolution.pk])
        )
        rec = Recommendation.objects.get()
        assert response.status_code == 302
        assert response["Location"] == rec.get_absolute_url()
        assert rec.resolution == resolution
        assert "foster carer inquiries" not in text(client.get(RESOLUTIONS))

    @pytest.mark.parametrize("username", ["member", "officer", "nobody"])
    def test_other_roles_may_not(self, resolution, client, users, username):
        client.login(username=username, password=PASSWORD)
        assert client.get(RESOLUTIONS).status_code == 403
        url = reverse("recommendations:create-from-resolution", args=[resolution.pk])
        assert client.post(url).status_code == 403
        assert not Recommendation.objects.exists()

    def test_anonymous_users_may_not(self, resolution, client):
        url = reverse("recommendations:create-from-resolution", args=[resolution.pk])
        assert client.post(url).status_code == 302
        assert not Recommendation.objects.exists()


@pytest.mark.parametrize("per_page", ["-91146319131", "0", "abc", "100000"])
@pytest.mark.parametrize("path", ["/recommendations/", "/recommendations/archive/", "/indicators/"])
@pytest.mark.django_db
def test_a_page_size_out_of_range_falls_back_to_the_default(client, path, per_page):
    """Found by the fuzz run: a negative ?per_page= used to raise a server error."""
    response = client.get(path, {"per_page": per_page, "page": "2"})
    assert response.status_code == 200
