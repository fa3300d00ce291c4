"""iCalendar feeds: valid RFC 5545 that the icalendar package parses back, stable UIDs,
cancellations and moves that calendar programs can follow."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from meetings import services
from tests.factories import MeetingFactory

from .conftest import at

pytestmark = pytest.mark.django_db


def events(client, url) -> dict[str, object]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_panel_calendar_has_one_event_per_meeting(client, scene):
    found = events(client, reverse("meetings:panel-calendar", args=[scene.panel.slug]))
    march = found[f"meeting-{scene.march.pk}@scrutiny"]
    assert set(found) == {f"meeting-{m.pk}@scrutiny" for m in scene.panel.meetings.all()}
    assert march.decoded("DTSTART") == datetime(2022, 3, 31, 16, 30, tzinfo=UTC)  # 5.30 pm BST
    assert march.decoded("DTEND") == datetime(2022, 3, 31, 18, 30, tzinfo=UTC)
    assert str(march["SUMMARY"]) == "Children and Families Scrutiny Panel"
    assert str(march["LOCATION"]) == "Conference Room 3 - Civic Centre (hybrid meeting)"
    assert str(march["STATUS"]) == "CONFIRMED"
    assert str(march["URL"]).endswith(scene.march.get_absolute_url())
    assert "7. ELECTIVE HOME EDUCATION" in str(march["DESCRIPTION"])
    assert "DTSTAMP" in march


def test_unpublished_agendas_give_no_item_titles(client, scene):
    meeting = MeetingFactory(panel=scene.panel)
    meeting.items.create(number=1, title="NOT YET OUT")
    found = events(client, reverse("meetings:panel-calendar", args=[scene.panel.slug]))
    assert "NOT YET OUT" not in str(found[f"meeting-{meeting.pk}@scrutiny"]["DESCRIPTION"])


def test_all_panels_calendar(client, scene):
    other = MeetingFactory(start=at(date(2021, 12, 2)))
    found = events(client, reverse("meetings:calendar"))
    assert f"meeting-{other.pk}@scrutiny" in found
    assert f"meeting-{scene.march.pk}@scrutiny" in found


def test_cancelled_meeting_keeps_its_uid_and_is_cancelled(client, scene):
    url = reverse("meetings:panel-calendar", args=[scene.panel.slug])
    uid = f"meeting-{scene.march.pk}@scrutiny"
    assert int(events(client, url)[uid]["SEQUENCE"]) == 0
    services.cancel_meeting(meeting=scene.march)
    event = events(client, url)[uid]
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1


def test_moved_meeting_is_the_same_event_with_a_higher_sequence(client, scene):
    url = reverse("meetings:panel-calendar", args=[scene.panel.slug])
    uid = f"meeting-{scene.march.pk}@scrutiny"
    services.move_meeting(meeting=scene.march, start=at(date(2022, 4, 7), 18))
    event = events(client, url)[uid]
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == datetime(2022, 4, 7, 17, 30, tzinfo=UTC)  # 6.30 pm BST


def test_unknown_panel_calendar_is_404(client, db):
    assert client.get(reverse("meetings:panel-calendar", args=["nope"])).status_code == 404


def test_calendar_query_count(client, scene, django_assert_num_queries):
    url = reverse("meetings:panel-calendar", args=[scene.panel.slug])
    with django_assert_num_queries(3):
        client.get(url)
    for n in range(10):
        meeting = MeetingFactory(
            panel=scene.panel, start=at(date(2022, 5, 5 + n)), agenda_published=date(2022, 5, 1)
        )
        meeting.items.create(number=1, title=f"ITEM {n}")
    with django_assert_num_queries(3):
        client.get(url)
