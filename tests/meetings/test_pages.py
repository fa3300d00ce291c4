"""The public meeting pages, as a reader sees them, with their query counts pinned."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Attendance, Meeting
from tests.factories import (
    PASSWORD,
    AgendaDocumentFactory,
    AgendaItemFactory,
    AttendanceFactory,
    DeclarationFactory,
    MeetingFactory,
    MembershipFactory,
    MinuteFactory,
    PersonFactory,
    RecommendationFactory,
    ResolutionFactory,
    UserFactory,
    WorkProgrammeItemFactory,
)

from .conftest import LONDON, at

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def add_meetings(panel, count: int, *, year: int = 2021):
    """More meetings with items, papers, minutes, resolutions, recommendations, attendance and
    declarations."""
    people = [m.person for m in panel.memberships.exclude(person=None)]
    for n in range(count):
        day = date(year, 5, 3) + timedelta(days=n)
        meeting = MeetingFactory(panel=panel, start=at(day, 10), agenda_published=day)
        for i in range(1, 4):
            item = AgendaItemFactory(meeting=meeting, number=i, title=f"Extra item {n}.{i}")
            AgendaDocumentFactory(item=item)
            minute = MinuteFactory(meeting=meeting, agenda_item=item, number=1000 + n * 10 + i)
            ResolutionFactory(minute=minute, number=1)
            ResolutionFactory(minute=minute, number=2)
            RecommendationFactory(meeting=meeting, item_title=f"Extra item {n}.{i}")
        for person in people:
            AttendanceFactory(meeting=meeting, person=person)
            DeclarationFactory(meeting=meeting, person=person, item=item)


class TestMeetingList:
    def test_meetings_by_panel_with_dates_times_and_venues(self, client, scene):
        html = text_of(client.get(reverse("meetings:list")))
        assert "Municipal year 2021/22" in html
        assert "Children and Families Scrutiny Panel" in html
        assert "25 November 2021" in html and "31 March 2022" in html
        assert "5.30 p.m." in html
        assert "Conference Room 3 - Civic Centre" in html
        assert "Hybrid" in html
        assert "Minutes available" in html  # 25 November 2021
        assert "Agenda published" in html  # 31 March 2022

    def test_cancelled_meetings_are_marked(self, client, scene):
        scene.march.status = Meeting.Status.CANCELLED
        scene.march.save()
        html = text_of(client.get(reverse("meetings:list")))
        assert '<strong class="govuk-tag govuk-tag--red">Cancelled</strong>' in html

    def test_upcoming_meetings_are_listed_apart(self, client, scene):
        soon = timezone.now() + timedelta(days=30)
        MeetingFactory(panel=scene.panel, start=soon)
        local = soon.astimezone(LONDON)
        year = local.year if local.month >= 5 else local.year - 1
        html = text_of(client.get(reverse("meetings:list"), {"year": year}))
        assert "Upcoming meetings" in html
        assert f"{local.day} {local:%B %Y}" in html
        assert "Agenda to follow" in html

    def test_municipal_year_filter(self, client, scene):
        MeetingFactory(panel=scene.panel, start=at(date(2022, 6, 16)))
        html = text_of(client.get(reverse("meetings:list"), {"year": "2022"}))
        assert "16 June 2022" in html
        assert "31 March 2022" not in html
        assert '<option value="2021">2021/22</option>' in html
        html = text_of(client.get(reverse("meetings:list"), {"year": "2021"}))
        assert "16 June 2022" not in html
        assert "31 March 2022" in html

    def test_panel_filter(self, client, scene):
        other = MeetingFactory(start=at(date(2021, 12, 2)))
        html = text_of(client.get(reverse("meetings:list"), {"panel": scene.panel.slug}))
        assert other.panel.name not in html.split("<main")[1].split("</select>")[-1]
        assert "25 November 2021" in html

    def test_nonsense_filters_fall_back(self, client, scene):
        html = text_of(client.get(reverse("meetings:list"), {"year": "abc", "panel": "nope"}))
        assert "No meetings are scheduled" in html

    def test_query_count_does_not_grow_with_meetings(
        self, client, scene, django_assert_num_queries
    ):
        with django_assert_num_queries(3):
            client.get(reverse("meetings:list"))
        add_meetings(scene.panel, 20)
        with django_assert_num_queries(3):
            html = text_of(client.get(reverse("meetings:list")))
        assert html.count("Minutes available") == 21


class TestMeetingPage:
    def test_agenda_with_numbered_items_summaries_report_of_and_pages(self, client, scene):
        html = text_of(client.get(scene.march.get_absolute_url()))
        assert "Thursday 31 March 2022" in html
        assert "Conference Room 3 - Civic Centre" in html
        assert "Please note time of meeting" in html
        assert "Hybrid meeting" in html
        assert 'id="item-7"' in html
        assert "ELECTIVE HOME EDUCATION" in html
        assert "(Pages 5 - 14)" in html
        assert "Report of the Executive Director - Children and Learning, summarising" in html

    def test_papers_are_listed_with_their_links(self, client, scene):
        item = scene.march.items.get(number=7)
        AgendaDocumentFactory(
            item=item, title="Appendix 1: EHE monthly report", url="https://example.org/ehe.pdf"
        )
        html = text_of(client.get(scene.march.get_absolute_url()))
        assert 'href="https://example.org/ehe.pdf"' in html
        assert "Appendix 1: EHE monthly report" in html

    def test_minutes_attendance_and_resolutions(self, client, scene):
        html = text_of(client.get(scene.november.get_absolute_url()))
        assert 'id="minute-28"' in html and 'id="minute-30"' in html
        assert "Steph Murray, Deputy Director of Children and Learning" in html
        assert "The Panel noted the following:" in html
        assert "<li>NEET was a concern.</li>" in html
        assert "RESOLVED:" in html
        assert '<span class="app-resolutions__number">2)</span> That NEET' in html
        assert "Councillor Guthrie</a>, <a" in html  # present
        assert "Rob Sanders" in html  # apologies
        assert "Approved as a correct record at the meeting of" in html
        assert "Recommendations arising" in html
        assert "CHILDREN AND LEARNING - PERFORMANCE 1)" in html
        assert "In train" in html

    def test_unpublished_agenda_shows_only_date_time_and_venue(self, client, scene):
        meeting = MeetingFactory(panel=scene.panel, venue="Council Chamber")
        AgendaItemFactory(meeting=meeting, title="A REPORT NOT YET OUT", summary="Draft words")
        html = text_of(client.get(meeting.get_absolute_url()))
        assert "Council Chamber" in html
        assert "The agenda for this meeting has not been published." in html
        assert "A REPORT NOT YET OUT" not in html
        assert "Draft words" not in html
        assert client.get(reverse("meetings:agenda-pdf", args=[meeting.pk])).status_code == 404

    def test_signed_in_panel_member_sees_the_draft_agenda(self, client, scene):
        meeting = MeetingFactory(panel=scene.panel)
        AgendaItemFactory(meeting=meeting, title="A REPORT NOT YET OUT")
        user = UserFactory(groups=["Panel member"])
        client.login(username=user.username, password=PASSWORD)
        html = text_of(client.get(meeting.get_absolute_url()))
        assert "A REPORT NOT YET OUT" in html
        assert "Draft: you can see it because you are signed in" in html

    def test_account_without_a_role_sees_what_the_public_sees(self, client, scene):
        meeting = MeetingFactory(panel=scene.panel)
        AgendaItemFactory(meeting=meeting, title="A REPORT NOT YET OUT")
        user = UserFactory()
        client.login(username=user.username, password=PASSWORD)
        assert "A REPORT NOT YET OUT" not in text_of(client.get(meeting.get_absolute_url()))

    def test_declarations_are_listed_by_item(self, client, scene):
        item = scene.march.items.get(number=7)
        DeclarationFactory(
            meeting=scene.march, item=item, person=scene.chair, detail="Governor of a school"
        )
        html = text_of(client.get(scene.march.get_absolute_url()))
        assert "Declarations of interest" in html
        assert "Governor of a school" in html
        assert "Councillor Guthrie (other interest)" in html

    def test_unknown_meeting_is_404(self, client, db):
        assert client.get(reverse("meetings:meeting", args=[99999])).status_code == 404

    def test_query_count_does_not_grow_with_rows(self, client, scene, django_assert_num_queries):
        # meeting, declarations, items, papers, minutes, resolutions, attendance, recommendations
        add_meetings(scene.panel, 1)
        busy = Meeting.objects.filter(items__title__startswith="Extra").first()
        with django_assert_num_queries(8):
            client.get(busy.get_absolute_url())
        for i in range(4, 30):
            item = AgendaItemFactory(meeting=busy, number=i)
            AgendaDocumentFactory(item=item)
            AgendaDocumentFactory(item=item)
            minute = MinuteFactory(meeting=busy, agenda_item=item, number=2000 + i)
            ResolutionFactory(minute=minute, number=1)
            DeclarationFactory(meeting=busy, item=item)
            AttendanceFactory(meeting=busy)
        with django_assert_num_queries(8):
            html = text_of(client.get(busy.get_absolute_url()))
        assert html.count('<li class="app-agenda-item ') == 29

    def test_signed_in_query_count(self, client, scene, django_assert_max_num_queries):
        add_meetings(scene.panel, 1)
        busy = Meeting.objects.filter(items__title__startswith="Extra").first()
        user = UserFactory(groups=["Panel member"])
        client.login(username=user.username, password=PASSWORD)
        # + user, role check and open questions; the session is read from the cache
        with django_assert_max_num_queries(10):
            client.get(busy.get_absolute_url())


class TestPanelPage:
    def test_front_sheet(self, client, scene):
        html = text_of(client.get(reverse("meetings:panel", args=[scene.panel.slug])))
        assert "Terms of reference" in html
        assert "<li>Regular scrutiny of performance.</li>" in html
        assert "hold the meeting is 3." in html
        assert "Chair: <a" in html and "Councillor Guthrie" in html
        assert "Nicola Brown</a>, Primary Parent Governor" in html
        assert "Vacancy</strong> Secondary Parent Governor" in html
        assert "1 seat vacant." in html
        assert "Scrutiny Manager" in html and "Mark Pirnie" in html
        assert "023 8083 3886" in html
        assert "Dates of meetings: municipal year 2021/22" in html
        assert "25 November 2021" in html and "31 March 2022" in html

    def test_unknown_panel_is_404(self, client, db):
        assert client.get(reverse("meetings:panel", args=["nope"])).status_code == 404

    def test_another_municipal_year_is_chosen_from_the_years_the_panel_met_in(self, client, scene):
        add_meetings(scene.panel, 2, year=2022)
        url = reverse("meetings:panel", args=[scene.panel.slug])
        html = text_of(client.get(url))
        assert '<label class="govuk-label" for="year">Municipal year</label>' in html
        # It opens on the year of the latest meeting.
        assert '<option value="2022" selected>2022/23</option>' in html
        assert '<option value="2021">2021/22</option>' in html
        assert "31 March 2022" not in html
        chosen = text_of(client.get(url, {"year": "2021"}))
        assert "Dates of meetings: municipal year 2021/22" in chosen
        assert "31 March 2022" in chosen

    def test_query_count_does_not_grow(self, client, scene, django_assert_num_queries):
        # panel, its latest meeting (to choose the year), seats, contacts, meetings, work
        # programme count, the years it met in; the year given, no latest meeting.
        url = reverse("meetings:panel", args=[scene.panel.slug])
        with django_assert_num_queries(7):
            client.get(url)
        with django_assert_num_queries(6):
            client.get(url, {"year": "2022"})
        add_meetings(scene.panel, 10, year=2022)
        for _ in range(10):
            MembershipFactory(panel=scene.panel)
        with django_assert_num_queries(7):
            client.get(url)
        with django_assert_num_queries(6):
            html = text_of(client.get(url, {"year": "2022"}))
        assert html.count("Minutes available") == 10


class TestPersonPage:
    def test_roles_attendance_and_declarations(self, client, scene):
        DeclarationFactory(
            meeting=scene.march,
            item=scene.march.items.get(number=7),
            person=scene.chair,
            detail="Foster carer",
        )
        html = text_of(client.get(scene.chair.get_absolute_url()))
        assert "<td class=\"govuk-table__cell\">Chair</td>" in html
        assert "1 May 2021" in html
        assert "Attendance record" in html
        assert '<td class="govuk-table__cell govuk-table__cell--numeric">100%</td>' in html
        assert "Foster carer" in html
        assert "7. ELECTIVE HOME EDUCATION" in html

    def test_apologies_count_against_attendance(self, client, scene):
        html = text_of(client.get(scene.appointed[1].get_absolute_url()))
        assert '<td class="govuk-table__cell govuk-table__cell--numeric">0%</td>' in html
        assert "25 November 2021</a>: Apologies" in html

    def test_not_listed_counts_as_absent(self, client, scene):
        html = text_of(client.get(scene.appointed[0].get_absolute_url()))
        assert "25 November 2021</a>: Absent" in html

    def test_attendance_counts_only_meetings_with_a_seat(self, client, scene):
        newcomer = PersonFactory(name="Newcomer")
        MembershipFactory(panel=scene.panel, person=newcomer, start=date(2022, 1, 1))
        AttendanceFactory(
            meeting=scene.november, person=newcomer, status=Attendance.Status.PRESENT
        )
        html = text_of(client.get(newcomer.get_absolute_url()))
        assert "No meetings yet" in html

    def test_unknown_person_is_404(self, client, db):
        assert client.get(reverse("meetings:person", args=[99999])).status_code == 404

    def test_query_count_does_not_grow(self, client, scene, django_assert_num_queries):
        with django_assert_num_queries(6):
            client.get(scene.chair.get_absolute_url())
        add_meetings(scene.panel, 15)
        with django_assert_num_queries(6):
            html = text_of(client.get(scene.chair.get_absolute_url()))
        assert '<td class="govuk-table__cell govuk-table__cell--numeric">16</td>' in html


class TestWorkProgramme:
    def test_items_with_purpose_lead_meeting_and_status(self, client, scene):
        lead = PersonFactory(kind="officer", title="", name="Stuart Webb", job_title="Head of QA")
        WorkProgrammeItemFactory(
            panel=scene.panel,
            title="Workforce Academy",
            purpose="The impact on social work practice",
            lead_officer=lead,
            target_meeting=scene.march,
            status="confirmed",
        )
        WorkProgrammeItemFactory(panel=scene.panel, title="Youth Justice", status="deferred")
        html = text_of(client.get(reverse("meetings:work-programme", args=[scene.panel.slug])))
        assert "Workforce Academy" in html and "The impact on social work practice" in html
        assert "Stuart Webb, Head of QA" in html
        assert "31 March 2022" in html
        assert "Confirmed" in html and "Deferred" in html and "Not yet scheduled" in html

    def test_query_count(self, client, scene, django_assert_num_queries):
        url = reverse("meetings:work-programme", args=[scene.panel.slug])
        with django_assert_num_queries(2):
            client.get(url)
        for _ in range(20):
            WorkProgrammeItemFactory(
                panel=scene.panel, lead_officer=PersonFactory(), target_meeting=scene.march
            )
        with django_assert_num_queries(2):
            client.get(url)

