"""The scrutiny manager's services: standard items, minutes numbered through the municipal year,
approval of minutes, attendance and quorum, declarations, cancelling and moving, work programme."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from meetings import rules, services
from meetings.models import AgendaItem, Attendance, Meeting, Minute, WorkProgrammeItem
from tests.factories import (
    AgendaItemFactory,
    MeetingFactory,
    MinuteFactory,
    PanelFactory,
    PersonFactory,
    WorkProgrammeItemFactory,
)

LONDON = ZoneInfo("Europe/London")
pytestmark = pytest.mark.django_db


def at(day: date) -> datetime:
    return datetime.combine(day, time(17, 30), tzinfo=LONDON)


class TestStandardItems:
    def test_a_new_meeting_gets_the_six_standard_items(self):
        meeting = services.create_meeting(panel=PanelFactory(), start=at(date(2022, 6, 16)))
        items = list(meeting.items.order_by("number"))
        assert [(i.number, i.title) for i in items] == list(
            enumerate(rules.STANDARD_ITEM_TITLES, start=1)
        )
        assert {i.kind for i in items} == {AgendaItem.Kind.PROCEDURAL}

    def test_report_items_follow_from_seven(self):
        meeting = services.create_meeting(panel=PanelFactory(), start=at(date(2022, 6, 16)))
        item = services.add_agenda_item(meeting=meeting, title="ELECTIVE HOME EDUCATION")
        assert item.number == 7

    def test_items_entered_first_move_after_the_standard_items(self):
        meeting = MeetingFactory()
        AgendaItemFactory(meeting=meeting, number=1, title="ELECTIVE HOME EDUCATION")
        AgendaItemFactory(meeting=meeting, number=2, title="DESTINATION 22")
        services.add_standard_items(meeting=meeting)
        numbers = dict(meeting.items.values_list("title", "number"))
        assert numbers["ELECTIVE HOME EDUCATION"] == 7
        assert numbers["DESTINATION 22"] == 8
        assert numbers["STATEMENT FROM THE CHAIR"] == 5

    def test_items_saved_without_a_number_follow_the_last(self):
        meeting = services.create_meeting(panel=PanelFactory(), start=at(date(2022, 6, 16)))
        first = AgendaItem(title="ELECTIVE HOME EDUCATION", kind=AgendaItem.Kind.REPORT)
        second = AgendaItem(title="DESTINATION 22", kind=AgendaItem.Kind.REPORT)
        services.save_agenda_items(meeting=meeting, items=[first, second])
        assert (first.number, second.number) == (7, 8)
        services.save_agenda_items(meeting=meeting, items=[], deleted=[second])
        assert meeting.items.count() == 7

    def test_standard_items_are_not_added_twice(self):
        meeting = services.create_meeting(panel=PanelFactory(), start=at(date(2022, 6, 16)))
        assert services.add_standard_items(meeting=meeting) == []
        assert meeting.items.count() == 6


class TestMinuteNumbering:
    def test_numbers_run_on_across_the_meetings_of_a_municipal_year(self):
        panel = PanelFactory()
        july = MeetingFactory(panel=panel, start=at(date(2021, 7, 22)))
        november = MeetingFactory(panel=panel, start=at(date(2021, 11, 25)))
        first = services.add_minute(meeting=july, title="APOLOGIES")
        second = services.add_minute(meeting=july, title="MINUTES OF THE PREVIOUS MEETING")
        third = services.add_minute(meeting=november, title="APOLOGIES")
        assert (first.number, second.number, third.number) == (1, 2, 3)
        assert third.municipal_year == 2021

    def test_after_minute_34_of_2021_22_comes_35(self):
        panel = PanelFactory()
        november = MeetingFactory(panel=panel, start=at(date(2021, 11, 25)))
        for number in range(28, 35):
            MinuteFactory(meeting=november, number=number)
        march = MeetingFactory(panel=panel, start=at(date(2022, 3, 31)))
        assert services.next_minute_number_for(meeting=march) == 35
        assert services.add_minute(meeting=march, title="APOLOGIES").number == 35

    def test_a_new_municipal_year_restarts_at_one(self):
        panel = PanelFactory()
        march = MeetingFactory(panel=panel, start=at(date(2022, 3, 31)))
        MinuteFactory(meeting=march, number=40)
        june = MeetingFactory(panel=panel, start=at(date(2022, 6, 16)))
        minute = services.add_minute(meeting=june, title="APOLOGIES")
        assert (minute.number, minute.municipal_year) == (1, 2022)

    def test_each_panel_numbers_its_own_minutes(self):
        day = date(2021, 11, 25)
        MinuteFactory(meeting=MeetingFactory(start=at(day)), number=12)
        other = MeetingFactory(start=at(day))
        assert services.add_minute(meeting=other, title="APOLOGIES").number == 1

    def test_a_number_taken_in_the_year_is_refused_naming_the_field(self):
        panel = PanelFactory()
        july = MeetingFactory(panel=panel, start=at(date(2021, 7, 22)))
        MinuteFactory(meeting=july, number=5)
        november = MeetingFactory(panel=panel, start=at(date(2021, 11, 25)))
        with pytest.raises(ValidationError) as caught:
            services.add_minute(meeting=november, title="APOLOGIES", number=5)
        assert caught.value.message_dict["number"] == [
            services.ERROR_MINUTE_NUMBER_TAKEN.format(number=5, meeting=july, year="2021/22")
        ]

    def test_resolved_items_are_numbered_one_two_three(self):
        minute = services.add_minute(
            meeting=MeetingFactory(),
            title="CHILDREN AND LEARNING - PERFORMANCE",
            resolutions=["That foster carer inquiries are added.", "That NEET is clarified."],
        )
        assert list(minute.resolutions.values_list("number", "text")) == [
            (1, "That foster carer inquiries are added."),
            (2, "That NEET is clarified."),
        ]
        assert services.add_resolution(minute=minute, text="A third.").number == 3

    def test_a_minute_cannot_be_on_another_meetings_item(self):
        item = AgendaItemFactory()
        with pytest.raises(ValidationError) as caught:
            services.add_minute(meeting=MeetingFactory(), title="X", agenda_item=item)
        assert "agenda_item" in caught.value.message_dict


class TestApprovingMinutes:
    def test_the_previous_minutes_minute_marks_them_approved(self):
        panel = PanelFactory()
        november = MeetingFactory(panel=panel, start=at(date(2021, 11, 25)))
        march = MeetingFactory(panel=panel, start=at(date(2022, 3, 31)))
        services.add_minute(
            meeting=march,
            title="MINUTES OF THE PREVIOUS MEETING (INCLUDING MATTERS ARISING)",
            approves_minutes_of=november,
            resolutions=["That the minutes of 25 November 2021 be approved."],
        )
        november.refresh_from_db()
        assert november.minutes_approved_at == march

    def test_minutes_of_a_later_meeting_cannot_be_approved(self):
        panel = PanelFactory()
        november = MeetingFactory(panel=panel, start=at(date(2021, 11, 25)))
        march = MeetingFactory(panel=panel, start=at(date(2022, 3, 31)))
        with pytest.raises(ValidationError) as caught:
            services.add_minute(meeting=november, title="MINUTES", approves_minutes_of=march)
        assert caught.value.message_dict["approves_minutes_of"] == [
            services.ERROR_APPROVES_LATER_MEETING.format(meeting=march)
        ]
        assert not Minute.objects.exists()

    def test_previous_meeting_skips_cancelled_ones(self):
        panel = PanelFactory()
        held = MeetingFactory(panel=panel, start=at(date(2021, 11, 4)))
        MeetingFactory(panel=panel, start=at(date(2021, 11, 18)), status=Meeting.Status.CANCELLED)
        later = MeetingFactory(panel=panel, start=at(date(2021, 11, 25)))
        assert services.previous_meeting(meeting=later) == held


class TestAttendanceAndQuorum:
    def test_fewer_present_than_the_quorum_gives_the_warning(self):
        meeting = MeetingFactory(panel=PanelFactory(quorum=3))
        a, b, c = PersonFactory(), PersonFactory(), PersonFactory()
        _, warning = services.record_attendance(
            meeting=meeting,
            entries=[
                services.AttendanceEntry(a, Attendance.Status.PRESENT),
                services.AttendanceEntry(b, Attendance.Status.PRESENT),
                services.AttendanceEntry(c, Attendance.Status.APOLOGIES),
            ],
        )
        assert warning == services.ERROR_QUORUM.format(present=2, meeting=meeting, quorum=3)

    def test_quorate_meeting_gives_no_warning_and_substitutes_count(self):
        meeting = MeetingFactory(panel=PanelFactory(quorum=3))
        a, b, c, d = (PersonFactory() for _ in range(4))
        _, warning = services.record_attendance(
            meeting=meeting,
            entries=[
                services.AttendanceEntry(a, Attendance.Status.PRESENT),
                services.AttendanceEntry(b, Attendance.Status.PRESENT),
                services.AttendanceEntry(c, Attendance.Status.SUBSTITUTE, substitute_for=d),
            ],
        )
        assert warning is None

    def test_no_warning_before_attendance_is_recorded(self):
        assert services.quorum_warning(meeting=MeetingFactory()) is None

    def test_recording_again_corrects_the_row(self):
        meeting = MeetingFactory()
        person = PersonFactory()
        services.record_attendance(
            meeting=meeting, entries=[services.AttendanceEntry(person, Attendance.Status.ABSENT)]
        )
        services.record_attendance(
            meeting=meeting,
            entries=[services.AttendanceEntry(person, Attendance.Status.APOLOGIES)],
        )
        assert list(meeting.attendance.values_list("status", flat=True)) == ["apologies"]

    def test_correcting_a_row_can_name_another_person(self):
        meeting = MeetingFactory()
        wrong, right = PersonFactory(), PersonFactory()
        (row,), _ = services.record_attendance(
            meeting=meeting, entries=[services.AttendanceEntry(wrong, Attendance.Status.PRESENT)]
        )
        services.record_attendance(
            meeting=meeting,
            entries=[services.AttendanceEntry(right, Attendance.Status.PRESENT, row=row)],
        )
        assert list(meeting.attendance.values_list("pk", "person")) == [(row.pk, right.pk)]
        services.remove_attendance(rows=[row])
        assert not meeting.attendance.exists()

    def test_a_declaration_is_corrected_in_place(self):
        meeting = MeetingFactory()
        person = PersonFactory()
        declaration = services.record_declaration(
            meeting=meeting, person=person, kind="other", detail="Governor"
        )
        services.record_declaration(
            meeting=meeting, person=person, kind="other", detail="School governor",
            declaration=declaration,
        )
        assert list(meeting.declarations.values_list("detail", flat=True)) == ["School governor"]

    def test_declaration_on_another_meetings_item_is_refused(self):
        item = AgendaItemFactory()
        meeting = MeetingFactory()
        with pytest.raises(ValidationError) as caught:
            services.record_declaration(
                meeting=meeting, person=PersonFactory(), kind="other", detail="Governor", item=item
            )
        assert caught.value.messages == [
            services.ERROR_DECLARATION_ITEM_OTHER_MEETING.format(item=item, meeting=meeting)
        ]


class TestCancellingAndMoving:
    def test_cancelling_bumps_the_sequence(self):
        meeting = MeetingFactory()
        services.cancel_meeting(meeting=meeting)
        meeting.refresh_from_db()
        assert (meeting.status, meeting.sequence) == (Meeting.Status.CANCELLED, 1)

    def test_cancelling_twice_is_refused(self):
        meeting = MeetingFactory(status=Meeting.Status.CANCELLED)
        with pytest.raises(ValidationError) as caught:
            services.cancel_meeting(meeting=meeting)
        assert caught.value.messages == [services.ERROR_ALREADY_CANCELLED.format(meeting=meeting)]

    def test_moving_bumps_the_sequence_and_keeps_the_meeting(self):
        meeting = MeetingFactory()
        services.move_meeting(meeting=meeting, start=at(date(2022, 2, 3)), venue="Room 1")
        meeting.refresh_from_db()
        assert (meeting.sequence, meeting.venue) == (1, "Room 1")
        assert meeting.start == at(date(2022, 2, 3))

    def test_saving_a_new_time_moves_the_meeting_once(self):
        meeting = MeetingFactory()
        meeting.start = at(date(2022, 2, 3))
        meeting.hybrid = not meeting.hybrid
        services.save_meeting(meeting=meeting, changed=["start", "hybrid"])
        meeting.refresh_from_db()
        assert (meeting.sequence, meeting.start) == (1, at(date(2022, 2, 3)))

    def test_only_calendar_changes_bump_the_sequence(self):
        meeting = MeetingFactory()
        assert not services.note_calendar_change(meeting=meeting, changed=["notice"])
        assert services.note_calendar_change(meeting=meeting, changed=["start", "notice"])
        assert meeting.sequence == 1


class TestWorkProgramme:
    def test_placing_an_item_creates_its_agenda_item(self):
        meeting = services.create_meeting(panel=PanelFactory(), start=at(date(2022, 11, 24)))
        lead = PersonFactory(kind="officer", title="", job_title="Head of Quality Assurance")
        work = WorkProgrammeItemFactory(
            panel=meeting.panel,
            title="Workforce Academy",
            purpose="The impact of the Workforce Academy on practice.",
            lead_officer=lead,
            target_meeting=meeting,
        )
        item = services.place_on_meeting(work_item=work)
        work.refresh_from_db()
        assert (item.number, item.title, item.meeting) == (7, "Workforce Academy", meeting)
        assert item.summary == "The impact of the Workforce Academy on practice."
        assert item.report_of == "Report of the Head of Quality Assurance"
        assert work.agenda_item == item
        assert work.status == WorkProgrammeItem.Status.CONFIRMED

    def test_placing_twice_is_refused(self):
        meeting = MeetingFactory()
        work = WorkProgrammeItemFactory(panel=meeting.panel, target_meeting=meeting)
        item = services.place_on_meeting(work_item=work)
        with pytest.raises(ValidationError) as caught:
            services.place_on_meeting(work_item=work)
        assert caught.value.messages == [
            services.ERROR_ALREADY_PLACED.format(
                title=work.title, meeting=meeting, number=item.number
            )
        ]

    def test_an_item_without_a_meeting_cannot_be_placed(self):
        work = WorkProgrammeItemFactory()
        with pytest.raises(ValidationError) as caught:
            services.place_on_meeting(work_item=work)
        assert caught.value.messages == [services.ERROR_PLACE_NO_MEETING.format(title=work.title)]

    def test_an_item_cannot_go_to_another_panels_meeting(self):
        work = WorkProgrammeItemFactory()
        other = MeetingFactory()
        with pytest.raises(ValidationError):
            services.place_on_meeting(work_item=work, meeting=other)
        assert not other.items.exists()
