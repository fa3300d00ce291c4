"""The monitoring report of a meeting: what is on it, its grouping, its page, its decisions."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from recommendations import selectors, services
from recommendations.rules import Decision

from .conftest import MARCH
from .factories import (
    PASSWORD,
    RecommendationFactory,
    UpdateFactory,
    meeting_on,
    resolution_for,
    status,
)

REPORT = reverse("recommendations:report", args=[MARCH])
DECISIONS = reverse("recommendations:decisions", args=[MARCH])


def rows(report):
    return [
        (g.meeting_date, g.item_title, item.number, item.status.name)
        for g in report.groups
        for item in g.items
    ]


def test_the_report_groups_by_meeting_and_item_in_the_order_entered(tracker, march_meeting):
    report = selectors.monitoring_report(meeting=march_meeting, user=AnonymousUser())
    assert report.title == "Scrutiny Monitoring – 31 March 2022"
    assert [(g.meeting_date, g.item_title, len(g.items)) for g in report.groups] == [
        (date(2021, 6, 17), "Ofsted Focused Letter", 1),
        (date(2022, 1, 27), "SSCP Annual Report", 1),
        (date(2022, 1, 27), "Quality Assurance Brief", 3),
    ]


def test_accepted_items_leave_the_list_after_the_meeting_that_accepted_them(
    tracker, march_meeting, panel, users
):
    services.record_decisions(
        meeting=march_meeting, decisions={tracker[1].pk: Decision.ACCEPTED}, user=users["manager"]
    )
    june = meeting_on(date(2022, 6, 30), panel)
    march = selectors.monitoring_report(meeting=march_meeting, user=AnonymousUser())
    later = selectors.monitoring_report(meeting=june, user=AnonymousUser())
    assert "SSCP Annual Report" in [g.item_title for g in march.groups]
    assert "SSCP Annual Report" not in [g.item_title for g in later.groups]
    # Not accepted (no decision): the other complete item is reported back in June.
    assert (date(2022, 1, 27), "Quality Assurance Brief", 2, "Complete") in rows(later)


def test_rejected_items_stay_until_reported(tracker, march_meeting, panel, users):
    rejected = RecommendationFactory(
        panel=panel, meeting_date=date(2022, 1, 27), item_title="Rejected item",
        status=status("rejected"),
    )
    june = meeting_on(date(2022, 6, 30), panel)
    assert "Rejected item" in [
        g.item_title for g in selectors.monitoring_report(meeting=march_meeting,
                                                          user=AnonymousUser()).groups
    ]
    services.record_decisions(
        meeting=march_meeting, decisions={rejected.pk: Decision.REJECTION_NOTED},
        user=users["manager"],
    )
    assert "Rejected item" not in [
        g.item_title
        for g in selectors.monitoring_report(meeting=june, user=AnonymousUser()).groups
    ]


def test_a_meeting_does_not_monitor_its_own_recommendations(tracker, march_meeting, panel):
    RecommendationFactory(panel=panel, meeting_date=MARCH, item_title="Made in March")
    report = selectors.monitoring_report(meeting=march_meeting, user=AnonymousUser())
    assert "Made in March" not in [g.item_title for g in report.groups]


def test_the_report_shows_the_action_taken_as_it_stood_on_the_date(tracker, march_meeting):
    UpdateFactory(recommendation=tracker[2], date=date(2022, 4, 20),
                  action_taken="Later progress.", status=status("complete"))
    report = selectors.monitoring_report(meeting=march_meeting, user=AnonymousUser())
    qa1 = report.groups[2].items[0]
    assert qa1.action_taken.startswith("A meeting has taken place.")
    assert qa1.status.name == "In train"


def test_exempt_items_are_for_signed_in_users_only(tracker, march_meeting, panel, client, users):
    resolution = resolution_for(
        meeting=meeting_on(date(2022, 1, 27), panel), title="Confidential placement",
        minute_number=40, number=1, text="That the confidential matter is pursued.", exempt=True,
    )
    rec = services.create_from_resolution(resolution=resolution, user=users["manager"])
    public = client.get(REPORT)
    assert "Confidential placement" not in public.content.decode()
    assert client.get(rec.get_absolute_url()).status_code == 404
    assert b"confidential matter" not in client.get(REPORT + "?format=csv").content
    for name in ("recommendations:list", "recommendations:awaiting"):
        assert b"Confidential placement" not in client.get(reverse(name)).content
    listed = client.get(reverse("recommendations:list"), {"format": "csv"}).content
    assert b"confidential matter" not in listed
    client.login(username="member", password=PASSWORD)
    assert b"Confidential placement" in client.get(reverse("recommendations:awaiting")).content
    client.logout()
    client.login(username="member", password=PASSWORD)
    assert "Confidential placement" in client.get(REPORT).content.decode()
    assert client.get(rec.get_absolute_url()).status_code == 200


def test_the_report_page_shows_the_council_layout(tracker, client):
    response = client.get(REPORT)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Scrutiny Monitoring – 31 March 2022" in html
    for header in ("Date", "Title", "Action proposed", "Action taken", "Progress status"):
        assert f'<th scope="col" class="govuk-table__header">{header}</th>' in html
    assert html.count("27/01/22") == 2  # once per group
    assert "Not complete – within timescale" in html
    assert "Record the panel’s decisions" not in html


def test_no_meeting_that_day_is_a_404(tracker, client):
    url = reverse("recommendations:report", args=[date(2022, 3, 30)])
    assert client.get(url).status_code == 404
    assert client.get("/recommendations/report/2022-02-30/").status_code == 404


def test_the_report_page_query_count_does_not_grow(tracker, panel, client,
                                                   django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get(REPORT)
    for n in range(30):
        rec = RecommendationFactory(panel=panel, meeting_date=date(2022, 2, 10),
                                    item_title=f"More {n}")
        UpdateFactory(recommendation=rec)
    with django_assert_max_num_queries(6):
        response = client.get(REPORT)
    assert response.content.decode().count("More ") >= 30


class TestDecisionScreen:
    def test_the_manager_records_the_decisions_on_one_screen(self, tracker, client, users,
                                                             march_meeting):
        client.login(username="manager", password=PASSWORD)
        page = client.get(DECISIONS)
        assert page.status_code == 200
        formset = page.context["formset"]
        assert [f.item.recommendation for f in formset.forms] == [tracker[1], tracker[3]]
        data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2",
                "form-0-recommendation": tracker[1].pk, "form-0-decision": "accepted",
                "form-1-recommendation": tracker[3].pk, "form-1-decision": "not_accepted"}
        response = client.post(DECISIONS, data)
        assert response.status_code == 302
        tracker[1].refresh_from_db()
        tracker[3].refresh_from_db()
        assert tracker[1].accepted_at == march_meeting
        assert tracker[3].accepted_at is None
        assert tracker[3].decisions.get().decision == "not_accepted"
        shown = client.get(REPORT).content.decode()
        assert "Panel decision: Accepted as complete" in shown

    def test_a_decision_the_status_does_not_offer_is_refused(self, tracker, client, users):
        client.login(username="manager", password=PASSWORD)
        data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2",
                "form-0-recommendation": tracker[1].pk, "form-0-decision": "rejection_noted",
                "form-1-recommendation": tracker[3].pk, "form-1-decision": ""}
        response = client.post(DECISIONS, data)
        assert response.status_code == 400
        assert "Select a valid choice" in response.content.decode()
        tracker[1].refresh_from_db()
        assert tracker[1].rejection_reported_at is None

    @pytest.mark.parametrize("username", ["member", "officer", "nobody"])
    def test_other_roles_may_not_record_decisions(self, tracker, client, users, username):
        client.login(username=username, password=PASSWORD)
        assert client.get(DECISIONS).status_code == 403
        data = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1",
                "form-0-recommendation": tracker[1].pk, "form-0-decision": "accepted"}
        assert client.post(DECISIONS, data).status_code == 403
        tracker[1].refresh_from_db()
        assert tracker[1].accepted_at is None

    def test_anonymous_users_are_sent_to_sign_in(self, tracker, client):
        response = client.post(DECISIONS, {})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_the_decision_screen_query_count_is_bounded(self, tracker, client, users,
                                                        django_assert_max_num_queries):
        client.login(username="manager", password=PASSWORD)
        with django_assert_max_num_queries(10):
            assert client.get(DECISIONS).status_code == 200
