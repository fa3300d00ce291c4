"""The framework-free rules of meetings: numbering, attendance, quorum, exemption, calendars."""

from datetime import date

import pytest

from meetings import rules
from meetings.rules import MeetingFact


def fact(status=None, *, held=True, recorded=True, had_seat=True):
    return MeetingFact(held=held, recorded=recorded, had_seat=had_seat, status=status)


class TestMinuteNumbers:
    def test_runs_on_from_the_last_number_of_the_year(self):
        # The minutes of 25 November 2021 are 28-34: the next minute of 2021/22 is 35.
        assert rules.next_minute_number(used=range(28, 35)) == 35

    def test_a_year_with_no_minutes_starts_at_one(self):
        assert rules.next_minute_number(used=[]) == 1

    def test_gaps_do_not_reuse_numbers(self):
        assert rules.next_minute_number(used=[1, 2, 5]) == 6

    def test_resolutions_are_numbered_from_one(self):
        assert rules.next_number(used=[]) == 1
        assert rules.next_number(used=[1, 2]) == 3


class TestAttendance:
    def test_percentage_rounds_half_up(self):
        assert rules.attendance_percent(present=1, expected=8) == 13  # 12.5
        assert rules.attendance_percent(present=2, expected=3) == 67
        assert rules.attendance_percent(present=1, expected=3) == 33

    def test_no_percentage_without_expected_meetings(self):
        assert rules.attendance_percent(present=0, expected=0) is None

    def test_record_counts_present_apologies_and_absent(self):
        record = rules.attendance_record(
            meetings=[
                fact(rules.PRESENT),
                fact(rules.PRESENT),
                fact(rules.SUBSTITUTE),
                fact(rules.APOLOGIES),
                fact(rules.ABSENT),
                fact(None),  # not listed in the minutes: absent
            ]
        )
        assert record == rules.AttendanceRecord(
            expected=6, present=3, apologies=1, absent=2, percent=50
        )

    def test_meetings_not_held_or_not_recorded_or_without_a_seat_are_not_expected(self):
        record = rules.attendance_record(
            meetings=[
                fact(rules.PRESENT),
                fact(None, held=False),  # cancelled or still to come
                fact(None, recorded=False),  # attendance not taken yet
                fact(rules.PRESENT, had_seat=False),  # before joining the panel
            ]
        )
        assert (record.expected, record.present, record.absent, record.percent) == (1, 1, 0, 100)

    def test_nothing_expected(self):
        record = rules.attendance_record(meetings=[])
        assert record.percent is None
        assert not record.has_meetings

    def test_seat_covers_its_first_and_last_day(self):
        start, end = date(2021, 5, 1), date(2022, 4, 30)
        assert rules.seat_covers(on=start, start=start, end=None)
        assert rules.seat_covers(on=end, start=start, end=end)
        assert not rules.seat_covers(on=date(2022, 5, 1), start=start, end=end)
        assert not rules.seat_covers(on=date(2021, 4, 30), start=start, end=None)


class TestQuorum:
    @pytest.mark.parametrize(
        ("present", "quorum", "quorate"), [(2, 3, False), (3, 3, True), (5, 3, True), (0, 1, False)]
    )
    def test_quorate_when_at_least_the_quorum_is_present(self, present, quorum, quorate):
        assert rules.is_quorate(present=present, quorum=quorum) is quorate


class TestExemption:
    def test_notice_names_the_paragraph_of_schedule_12a(self):
        assert (
            rules.exemption_notice(paragraph=3)
            == "Exempt: paragraph 3 of Schedule 12A to the Local Government Act 1972"
        )

    def test_every_paragraph_is_described(self):
        assert sorted(rules.SCHEDULE_12A_PARAGRAPHS) == [1, 2, 3, 4, 5, 6, 7]


class TestStandardItems:
    def test_six_items_in_the_order_of_the_seed_agenda(self):
        assert rules.STANDARD_ITEM_TITLES == (
            "APOLOGIES AND CHANGES IN PANEL MEMBERSHIP (IF ANY)",
            "DISCLOSURE OF PERSONAL AND PECUNIARY INTERESTS",
            "DECLARATIONS OF SCRUTINY INTEREST",
            "DECLARATION OF PARTY POLITICAL WHIP",
            "STATEMENT FROM THE CHAIR",
            "MINUTES OF THE PREVIOUS MEETING (INCLUDING MATTERS ARISING)",
        )
        assert rules.first_report_number() == 7

    def test_previous_minutes_item_is_recognised_whatever_the_case(self):
        assert rules.is_previous_minutes_item(title="Minutes of the Previous Meeting")
        assert not rules.is_previous_minutes_item(title="Elective Home Education")


class TestYears:
    def test_municipal_years_latest_first(self):
        dates = [date(2021, 6, 17), date(2022, 3, 31), date(2022, 6, 1)]
        assert rules.municipal_years_of(dates=dates) == [2022, 2021]

    def test_default_year_is_the_current_one_when_it_has_meetings(self):
        assert rules.default_municipal_year(years=[2021, 2022], today=date(2022, 7, 1)) == 2022

    def test_default_year_falls_back_to_the_latest_earlier_year(self):
        assert rules.default_municipal_year(years=[2020, 2021], today=date(2026, 11, 23)) == 2021

    def test_default_year_falls_forward_when_only_later_years_have_meetings(self):
        assert rules.default_municipal_year(years=[2030], today=date(2026, 11, 23)) == 2030
        assert rules.default_municipal_year(years=[], today=date(2026, 11, 23)) is None


def state(cancelled=False, has_minutes=False, published=False, past=False) -> str:
    return rules.meeting_state(
        cancelled=cancelled, has_minutes=has_minutes, published=published, past=past
    )


class TestMeetingState:
    def test_first_rule_that_applies(self):
        assert state(cancelled=True, has_minutes=True, published=True, past=True) == "cancelled"
        assert state(has_minutes=True, past=True) == "minutes"
        assert state(published=True) == "agenda"
        assert state(past=True) == "held"
        assert state() == "to-follow"
