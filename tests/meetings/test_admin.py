"""The scrutiny manager's workflow in the admin: new meetings get the standard items, attendance
warns below the quorum, minutes are numbered by themselves, moves bump the calendar sequence."""

from datetime import date

import pytest
from django.urls import reverse

from meetings import rules, services
from meetings.models import Meeting, Minute
from tests.factories import PASSWORD, MeetingFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def management(prefix: str, total: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def meeting_form(panel, **extra) -> dict:
    data = {
        "panel": panel.pk,
        "start_0": "16/06/2022",
        "start_1": "17:30",
        "venue": "Conference Room 3 - Civic Centre",
        "status": "scheduled",
        "notice": "",
        "agenda_published": "",
        "minutes_approved_at": "",
        **management("items"),
        **management("attendance"),
        **management("declarations"),
    }
    data.update(extra)
    return data


@pytest.fixture
def manager(client):
    user = UserFactory(username="scrutiny-manager", groups=["Scrutiny manager"], is_staff=True)
    client.login(username=user.username, password=PASSWORD)
    return user


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_new_meeting_gets_the_six_standard_items(client, manager, scene):
    response = client.post(
        reverse("admin:meetings_meeting_add"), meeting_form(scene.panel), follow=True
    )
    assert response.status_code == 200
    meeting = Meeting.objects.get(panel=scene.panel, start__date="2022-06-16")
    assert list(meeting.items.values_list("title", flat=True)) == list(rules.STANDARD_ITEM_TITLES)
    assert "The six standard items were added to the agenda as items 1 to 6." in messages_of(
        response
    )


def test_attendance_below_the_quorum_warns(client, manager, scene):
    meeting = scene.march
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    a, b = PersonFactory(), PersonFactory()
    data = meeting_form(
        scene.panel,
        start_0="31/03/2022",
        status="held",
        agenda_published="23/03/2022",
        **management("attendance", 2),
    )
    items = list(meeting.items.order_by("number"))
    data.update(
        {
            "items-TOTAL_FORMS": str(len(items)),
            "items-INITIAL_FORMS": str(len(items)),
        }
    )
    for i, item in enumerate(items):
        data.update(
            {
                f"items-{i}-id": item.pk,
                f"items-{i}-meeting": meeting.pk,
                f"items-{i}-number": item.number,
                f"items-{i}-kind": item.kind,
                f"items-{i}-title": item.title,
                f"items-{i}-summary": item.summary,
                f"items-{i}-report_of": item.report_of,
                f"items-{i}-page_from": item.page_from or "",
                f"items-{i}-page_to": item.page_to or "",
            }
        )
    for i, person in enumerate((a, b)):
        data[f"attendance-{i}-person"] = person.pk
        data[f"attendance-{i}-status"] = "present"
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.attendance.count() == 2
    assert (
        services.ERROR_QUORUM.format(present=2, meeting=meeting, quorum=3)
        in messages_of(response)
    )


def test_an_item_added_without_a_number_goes_after_the_last(client, manager, scene):
    meeting = scene.march
    last = meeting.items.order_by("number").last().number
    data = meeting_form(
        scene.panel,
        start_0="31/03/2022",
        status="held",
        agenda_published="23/03/2022",
        **management("items", 1),
        **management("declarations", 1),
    )
    data.update(
        {
            "items-0-number": "",
            "items-0-kind": "report",
            "items-0-title": "DESTINATION 22",
            "declarations-0-person": PersonFactory().pk,
            "declarations-0-kind": "other",
            "declarations-0-detail": "Governor of a school in the report",
        }
    )
    response = client.post(reverse("admin:meetings_meeting_change", args=[meeting.pk]), data)
    assert response.status_code == 302
    assert meeting.items.get(title="DESTINATION 22").number == last + 1
    assert meeting.declarations.get().detail == "Governor of a school in the report"


def test_moving_a_meeting_bumps_its_calendar_sequence(client, manager, scene):
    meeting = MeetingFactory(panel=scene.panel)
    data = meeting_form(scene.panel, start_0="23/06/2022")
    client.post(reverse("admin:meetings_meeting_change", args=[meeting.pk]), data)
    meeting.refresh_from_db()
    assert meeting.start.date() == date(2022, 6, 23)
    assert meeting.sequence == 1


def test_cancel_action(client, manager, scene):
    meeting = MeetingFactory(panel=scene.panel)
    client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "cancel_meetings", "_selected_action": [meeting.pk]},
    )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence) == ("cancelled", 1)


def test_the_minute_form_offers_the_next_number(client, manager, scene):
    response = client.get(reverse("admin:meetings_minute_add") + f"?meeting={scene.march.pk}")
    assert response.status_code == 200
    assert response.context["adminform"].form.initial["number"] == 31  # after 28-30 of 2021/22


def test_a_minute_saved_without_a_number_takes_the_next_one(client, manager, scene):
    data = {
        "meeting": scene.march.pk,
        "number": "",
        "agenda_item": scene.march.items.get(number=7).pk,
        "title": "",
        "addressed_by": "",
        "text": "The Panel received the report.",
        "noted": "",
        "approves_minutes_of": "",
        **management("resolutions", 2),
        "resolutions-0-text": "That the Panel is updated.",
        "resolutions-0-number": "",
        "resolutions-1-text": "That legal support is found.",
        "resolutions-1-number": "",
    }
    response = client.post(reverse("admin:meetings_minute_add"), data, follow=True)
    assert response.status_code == 200, response.content
    minute = Minute.objects.get(meeting=scene.march)
    assert (minute.number, minute.title, minute.municipal_year) == (
        31,
        "ELECTIVE HOME EDUCATION",
        2021,
    )
    assert list(minute.resolutions.values_list("number", "text")) == [
        (1, "That the Panel is updated."),
        (2, "That legal support is found."),
    ]


def test_a_taken_number_is_refused_on_the_form(client, manager, scene):
    data = {
        "meeting": scene.march.pk,
        "number": "29",
        "title": "A minute",
        **management("resolutions"),
    }
    response = client.post(reverse("admin:meetings_minute_add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["number"]
    assert errors == [
        services.ERROR_MINUTE_NUMBER_TAKEN.format(
            number=29, meeting=scene.november, year="2021/22"
        )
    ]


def test_approving_previous_minutes_in_the_admin(client, manager, scene):
    later = MeetingFactory(panel=scene.panel, start=scene.march.start.replace(month=4, day=28))
    data = {
        "meeting": later.pk,
        "title": "MINUTES OF THE PREVIOUS MEETING (INCLUDING MATTERS ARISING)",
        "approves_minutes_of": scene.march.pk,
        **management("resolutions"),
    }
    client.post(reverse("admin:meetings_minute_add"), data)
    scene.march.refresh_from_db()
    assert scene.march.minutes_approved_at == later


@pytest.mark.parametrize(("groups", "staff"), [(["Panel member"], False), (["Officer"], True)])
def test_others_cannot_write_minutes(client, scene, groups, staff):
    user = UserFactory(groups=groups, is_staff=staff)
    client.login(username=user.username, password=PASSWORD)
    response = client.post(
        reverse("admin:meetings_minute_add"),
        {"meeting": scene.march.pk, "title": "X", **management("resolutions")},
    )
    assert response.status_code in (302, 403)
    assert not Minute.objects.filter(meeting=scene.march).exists()
