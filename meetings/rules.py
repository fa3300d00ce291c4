"""Rules of a council's committee cycle, free of Django so they can be unit-tested alone."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

#: The annual council meeting in May opens a new municipal year.
MUNICIPAL_YEAR_START_MONTH = 5


def municipal_year(*, on: date) -> int:
    """The municipal year a date belongs to, named by the calendar year it starts in.

    Rule: the municipal year runs from May to the following April, so 17 June 2021 and
    31 March 2022 both fall in the municipal year 2021 ("2021/22").
    """
    return on.year if on.month >= MUNICIPAL_YEAR_START_MONTH else on.year - 1


def municipal_year_label(*, year: int) -> str:
    """Label a municipal year the way council papers do: 2021 -> "2021/22"."""
    return f"{year}/{(year + 1) % 100:02d}"


def municipal_year_bounds(*, year: int) -> tuple[date, date]:
    """First day of the municipal year and first day of the next one (half-open range)."""
    return date(year, MUNICIPAL_YEAR_START_MONTH, 1), date(year + 1, MUNICIPAL_YEAR_START_MONTH, 1)


# --- Standard agenda items -----------------------------------------------------------------

#: The six items every agenda opens with, titled and worded as on the panel's agendas.
STANDARD_ITEMS: tuple[tuple[str, str], ...] = (
    (
        "APOLOGIES AND CHANGES IN PANEL MEMBERSHIP (IF ANY)",
        "To note any changes in membership of the Panel made in accordance with Council "
        "Procedure Rule 4.3.",
    ),
    (
        "DISCLOSURE OF PERSONAL AND PECUNIARY INTERESTS",
        "In accordance with the Localism Act 2011, and the Council's Code of Conduct, Members to "
        "disclose any personal or pecuniary interests in any matter included on the agenda for "
        "this meeting.",
    ),
    (
        "DECLARATIONS OF SCRUTINY INTEREST",
        "Members are invited to declare any prior participation in any decision taken by a "
        "Committee, Sub-Committee, or Panel of the Council on the agenda and being scrutinised "
        "at this meeting.",
    ),
    (
        "DECLARATION OF PARTY POLITICAL WHIP",
        "Members are invited to declare the application of any party political whip on any "
        "matter on the agenda and being scrutinised at this meeting.",
    ),
    ("STATEMENT FROM THE CHAIR", ""),
    (
        "MINUTES OF THE PREVIOUS MEETING (INCLUDING MATTERS ARISING)",
        "To approve and sign as a correct record the Minutes of the previous meeting and to deal "
        "with any matters arising.",
    ),
)
STANDARD_ITEM_TITLES: tuple[str, ...] = tuple(title for title, _ in STANDARD_ITEMS)


def is_previous_minutes_item(*, title: str) -> bool:
    """Whether an agenda item is the standard "minutes of the previous meeting" item.

    Rule: its title, read without regard to case, begins "Minutes of the previous meeting".
    """
    return title.strip().upper().startswith("MINUTES OF THE PREVIOUS MEETING")


def first_report_number() -> int:
    """The number the first report item takes: the one after the standard items (7)."""
    return len(STANDARD_ITEMS) + 1


# --- Numbering -----------------------------------------------------------------------------


def next_minute_number(*, used: Iterable[int]) -> int:
    """The number of the next minute of a panel in a municipal year.

    Rule: minutes are numbered on through the municipal year across meetings (the minutes of
    25 November 2021 run 28 to 34, so the next one is 35); the first minute of a municipal year
    is 1. `used` is every number already taken by the panel in that year.
    """
    return max(used, default=0) + 1


def next_number(*, used: Iterable[int]) -> int:
    """The next number of a list numbered from 1 (agenda items, RESOLVED items 1), 2) …)."""
    return max(used, default=0) + 1


# --- Attendance and quorum -----------------------------------------------------------------

PRESENT = "present"
APOLOGIES = "apologies"
ABSENT = "absent"
SUBSTITUTE = "substitute"
#: Attendance statuses that count towards the quorum.
COUNTS_AS_PRESENT: frozenset[str] = frozenset({PRESENT, SUBSTITUTE})


class MeetingFact(NamedTuple):
    """What one meeting of a panel says about one person's attendance."""

    held: bool  # took place: not cancelled and already started
    recorded: bool  # the attendance of the meeting has been recorded
    had_seat: bool  # the person held a seat on the panel on the meeting's date
    status: str | None  # the person's attendance status there, None when not listed


@dataclass(frozen=True)
class AttendanceRecord:
    expected: int
    present: int
    apologies: int
    absent: int
    percent: int | None

    @property
    def has_meetings(self) -> bool:
        return self.expected > 0


def attendance_percent(*, present: int, expected: int) -> int | None:
    """Present as a whole-number percentage of expected, rounded half up; None when nothing was
    expected (no percentage rather than a misleading 0%)."""
    if expected <= 0:
        return None
    return int((Decimal(present) * 100 / Decimal(expected)).quantize(0, ROUND_HALF_UP))


def seat_covers(*, on: date, start: date, end: date | None) -> bool:
    """Whether a seat held from `start` to `end` (inclusive; None = still held) covers `on`."""
    return start <= on and (end is None or on <= end)


def attendance_record(*, meetings: Iterable[MeetingFact]) -> AttendanceRecord:
    """A member's attendance record.

    Rule: a member is expected at every meeting of a panel that was held (not cancelled, and
    already started), whose attendance has been recorded, and on whose date the member held a
    seat. Of those, "present" counts the meetings they attended (in person or as a substitute),
    "apologies" those they sent apologies for, and "absent" the rest — marked absent or simply
    not listed. The percentage is present over expected (see attendance_percent).
    """
    expected = present = apologies = 0
    for fact in meetings:
        if not (fact.held and fact.recorded and fact.had_seat):
            continue
        expected += 1
        if fact.status in COUNTS_AS_PRESENT:
            present += 1
        elif fact.status == APOLOGIES:
            apologies += 1
    absent = expected - present - apologies
    return AttendanceRecord(
        expected=expected,
        present=present,
        apologies=apologies,
        absent=absent,
        percent=attendance_percent(present=present, expected=expected),
    )


def is_quorate(*, present: int, quorum: int) -> bool:
    """Rule: a meeting may be held when at least `quorum` members are present."""
    return present >= quorum


# --- Exempt information (Schedule 12A to the Local Government Act 1972) --------------------

SCHEDULE_12A_PARAGRAPHS: dict[int, str] = {
    1: "Information relating to any individual.",
    2: "Information which is likely to reveal the identity of an individual.",
    3: "Information relating to the financial or business affairs of any particular person "
    "(including the authority holding that information).",
    4: "Information relating to any consultations or negotiations, or contemplated "
    "consultations or negotiations, in connection with any labour relations matter arising "
    "between the authority or a Minister of the Crown and employees of, or office holders "
    "under, the authority.",
    5: "Information in respect of which a claim to legal professional privilege could be "
    "maintained in legal proceedings.",
    6: "Information which reveals that the authority proposes to give under any enactment a "
    "notice under or by virtue of which requirements are imposed on a person, or to make an "
    "order or direction under any enactment.",
    7: "Information relating to any action taken or to be taken in connection with the "
    "prevention, investigation or prosecution of crime.",
}


def exemption_notice(*, paragraph: int | None) -> str:
    """What the public is told in place of an exempt item or paper.

    Rule: the notice names the paragraph of Schedule 12A to the Local Government Act 1972 that
    allows the information to be withheld, e.g. "Exempt: paragraph 3 of Schedule 12A to the
    Local Government Act 1972".
    """
    if paragraph is None:
        return "Exempt under Schedule 12A to the Local Government Act 1972"
    return f"Exempt: paragraph {paragraph} of Schedule 12A to the Local Government Act 1972"


# --- Calendar ------------------------------------------------------------------------------

#: Meetings have no end time in the papers; calendars show them this long.
MEETING_LENGTH = timedelta(hours=2)


def municipal_years_of(*, dates: Iterable[date]) -> list[int]:
    """The municipal years the dates fall in, latest first, each once."""
    return sorted({municipal_year(on=d) for d in dates}, reverse=True)


def default_municipal_year(*, years: Iterable[int], today: date) -> int | None:
    """The year a meetings list opens on: the current municipal year when it has meetings, else
    the latest year before it that has, else the earliest one after it; None without meetings."""
    available = sorted(set(years))
    if not available:
        return None
    current = municipal_year(on=today)
    if current in available:
        return current
    earlier = [y for y in available if y < current]
    return earlier[-1] if earlier else available[0]


# --- What a meetings list says about a meeting ---------------------------------------------

STATE_CANCELLED = "cancelled"
STATE_MINUTES = "minutes"
STATE_AGENDA = "agenda"
STATE_HELD = "held"
STATE_AGENDA_TO_FOLLOW = "to-follow"
STATE_LABELS: dict[str, str] = {
    STATE_CANCELLED: "Cancelled",
    STATE_MINUTES: "Minutes available",
    STATE_AGENDA: "Agenda published",
    STATE_HELD: "Held",
    STATE_AGENDA_TO_FOLLOW: "Agenda to follow",
}


def meeting_state(*, cancelled: bool, has_minutes: bool, published: bool, past: bool) -> str:
    """The one word a meetings list shows for a meeting.

    Rule, first that applies: cancelled; minutes available; agenda published; held (a past
    meeting with neither); agenda to follow (a future meeting whose agenda is not out yet).
    """
    if cancelled:
        return STATE_CANCELLED
    if has_minutes:
        return STATE_MINUTES
    if published:
        return STATE_AGENDA
    return STATE_HELD if past else STATE_AGENDA_TO_FOLLOW
