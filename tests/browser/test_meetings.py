"""Meetings in a real browser: every public page passes axe (WCAG 2.2 AA) as the public and as a
signed-in panel member, and the scrutiny manager writes a minute in the admin and sees its
number filled in."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from meetings.models import AgendaItem, Meeting, Person, WorkProgrammeItem


def _extras():
    """An exempt item and a work programme on top of the demo."""
    march = Meeting.objects.get(start__date="2022-03-31")
    AgendaItem.objects.create(
        meeting=march,
        number=11,
        title="PROPOSED CONTRACT FOR PLACEMENTS",
        summary="Confidential summary of the tender.",
        exempt=True,
        exempt_paragraph=3,
    )
    lead = Person.objects.filter(kind=Person.Kind.OFFICER).first()
    WorkProgrammeItem.objects.create(
        panel=march.panel,
        title="Workforce Academy",
        purpose="The impact on the quality of social work practice",
        lead_officer=lead,
        target_meeting=march,
        status="confirmed",
    )
    WorkProgrammeItem.objects.create(panel=march.panel, title="Youth Justice Strategy")
    return march


@pytest.mark.urls("tests.meetings.urls")
@pytest.mark.django_db(transaction=True)
def test_meeting_pages_are_accessible(
    page, live_server, demo_transactional, login, assert_accessible
):
    march = _extras()
    base = live_server.url

    page.goto(base + "/meetings/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Meetings")
    expect(page.get_by_role("table", name="Past meetings")).to_contain_text("31 March 2022")
    assert_accessible(page)
    page.get_by_label("Municipal year").select_option(label="2021/22")
    page.get_by_role("button", name="Show meetings").click()
    expect(page).to_have_url(re.compile(r"year=2021"))

    page.get_by_role("link", name="31 March 2022").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thursday 31 March 2022")
    main = page.get_by_role("main")
    expect(main).to_contain_text("ELECTIVE HOME EDUCATION")
    expect(main).to_contain_text(
        "Exempt: paragraph 3 of Schedule 12A to the Local Government Act 1972"
    )
    expect(main).not_to_contain_text("Confidential summary of the tender.")
    assert_accessible(page)

    page.goto(base + "/meetings/")
    page.get_by_role("link", name="25 November 2021").click()
    expect(page.locator("#minute-33")).to_contain_text(
        "That the number of foster carer inquiries would be added"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Children and Families Scrutiny Panel").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Children and Families Scrutiny Panel"
    )
    expect(page.get_by_role("main")).to_contain_text("Secondary Parent Governor")
    assert_accessible(page)

    page.get_by_role("link", name="Rob Sanders").click()
    expect(page.get_by_role("table", name="Attendance record by panel")).to_contain_text("0%")
    assert_accessible(page)

    page.goto(base + "/meetings/panels/children-and-families/work-programme/")
    expect(page.get_by_role("main")).to_contain_text("Workforce Academy")
    assert_accessible(page)

    page.goto(base + "/search/?q=foster+carers")
    expect(page.get_by_role("heading", level=2)).to_contain_text("for “foster carers”")
    expect(page.locator("mark").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Search for").fill("elective home education")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("main")).to_contain_text("7. ELECTIVE HOME EDUCATION")

    login(page, live_server, "member", settings.DEMO_PASSWORD)
    page.goto(base + march.get_absolute_url())
    expect(page.get_by_role("main")).to_contain_text("Confidential summary of the tender.")
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_the_manager_writes_a_minute(page, live_server, demo_transactional, login):
    march = Meeting.objects.get(start__date="2022-03-31")
    login(page, live_server, "manager", settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/meetings/meeting/{march.pk}/change/")
    page.get_by_role("link", name="Write a minute for this meeting").click()
    number = page.get_by_label("Number")
    # Minutes 28-34 were the 25 November 2021 meeting's: 2021/22 runs on at 35.
    expect(number).to_have_value("35")
    page.get_by_label("Agenda item").select_option(label="7. ELECTIVE HOME EDUCATION")
    page.get_by_label("Text").fill("The Panel received the report of the Executive Director.")
    page.locator("textarea[name='resolutions-0-text']").fill(
        "That legal support for the service is identified."
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("35. ELECTIVE HOME EDUCATION")

    page.goto(f"{live_server.url}/meetings/{march.pk}/#minute-35")
    minute = page.locator("#minute-35")
    expect(minute).to_contain_text("35. ELECTIVE HOME EDUCATION")
    expect(minute).to_contain_text("1) That legal support for the service is identified.")
