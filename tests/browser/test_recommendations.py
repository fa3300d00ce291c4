"""The tracker in a real browser: every page passes axe (WCAG 2.2 AA), and the scrutiny manager
records the panel's decisions on the monitoring report of 31 March 2022."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

REPORT = "/recommendations/report/2022-03-31/"


@pytest.mark.django_db(transaction=True)
def test_public_pages_are_accessible(page, live_server, demo_transactional, assert_accessible):
    page.goto(live_server.url + "/recommendations/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Recommendations tracker")
    table = page.get_by_role("table", name="Open recommendations")
    expect(table.get_by_role("row")).to_have_count(6)
    expect(table).to_contain_text("Partially complete")
    assert_accessible(page)

    page.get_by_label("Progress status").select_option(label="Complete")
    page.get_by_role("button", name="Apply filters").click()
    filtered = page.get_by_role("table", name="Open recommendations")
    expect(filtered.get_by_role("row")).to_have_count(3)
    assert_accessible(page)

    page.goto(live_server.url + REPORT)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Scrutiny Monitoring – 31 March 2022"
    )
    report = page.locator("table.app-monitoring-table")
    expect(report.locator("tbody tr")).to_have_count(5)
    expect(report).to_contain_text("Not complete – within timescale")
    expect(page.get_by_role("link", name="Record the panel’s decisions")).to_have_count(0)
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel spreadsheet (.xlsx)").click()
    assert download.value.suggested_filename == "scrutiny-monitoring-2022-03-31.xlsx"

    report.get_by_role("link", name="2)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quality Assurance Brief")
    expect(page.get_by_role("main")).to_contain_text("On agenda for March 2022 meeting.")
    assert_accessible(page)

    page.goto(live_server.url + "/recommendations/awaiting-response/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Awaiting the executive’s response"
    )
    assert_accessible(page)

    page.goto(live_server.url + "/recommendations/archive/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Archived recommendations")
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_the_manager_records_the_panels_decisions(
    page, live_server, demo_transactional, login, assert_accessible
):
    login(page, live_server, "manager", settings.DEMO_PASSWORD)
    page.goto(live_server.url + REPORT)
    page.get_by_role("link", name="Record the panel’s decisions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the panel’s decisions")
    groups = page.locator("fieldset")
    expect(groups).to_have_count(2)  # the two items marked Complete
    assert_accessible(page)

    sscp = page.get_by_role("group", name=re.compile("SSCP Annual Report 1"))
    sscp.get_by_label("Accepted as complete").check()
    qa = page.get_by_role("group", name=re.compile("Quality Assurance Brief 2"))
    qa.get_by_label("Not accepted – stays on the list").check()
    page.get_by_role("button", name="Save the decisions").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The panel's decisions are recorded (2 changed)."
    )
    expect(page.locator("table.app-monitoring-table")).to_contain_text(
        "Panel decision: Accepted as complete"
    )
    assert_accessible(page)

    page.goto(live_server.url + "/recommendations/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Add recommendations from the minutes"
    )
    assert_accessible(page)
    pending = page.get_by_role("table", name="Resolutions not yet on the tracker")
    first = pending.get_by_role("row").nth(1)
    resolved = first.get_by_role("cell").nth(2).inner_text()
    first.get_by_role("button", name=re.compile("Add to the tracker")).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "is on the tracker"
    )
    expect(page.locator(".app-action-proposed")).to_contain_text(resolved.split(") ", 1)[1][:40])

    page.goto(live_server.url + "/recommendations/")
    table = page.get_by_role("table", name="Open recommendations")
    expect(table).not_to_contain_text("That the Panel are provided with details")
    expect(table).to_contain_text("That the service self-assessment is considered")

    page.goto(live_server.url + "/recommendations/archive/")
    archive = page.get_by_role("table", name="Archived recommendations")
    expect(archive).to_contain_text("Accepted as complete, 31 March 2022")
    page.get_by_label("Search the archive").fill("Safeguarding Practice Reviews")
    page.get_by_role("button", name="Search").click()
    found = page.get_by_role("table", name="Archived recommendations")
    expect(found.get_by_role("row")).to_have_count(2)
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_an_officer_records_action_taken(
    page, live_server, demo_transactional, login, assert_accessible
):
    login(page, live_server, "officer", settings.DEMO_PASSWORD)
    page.goto(live_server.url + REPORT)
    page.locator("table.app-monitoring-table").get_by_role("link", name="1)").first.click()
    expect(page.get_by_role("heading", level=2, name="Record action taken")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Date of the update").fill("01/04/2022")
    page.get_by_label("Action taken").fill("The Cabinet Member wrote to the Minister.")
    page.get_by_label("Progress status").select_option(label="Complete")
    page.get_by_role("button", name="Save the update").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "the status is now “Complete”"
    )
    expect(page.locator(".app-update").first).to_contain_text(
        "The Cabinet Member wrote to the Minister."
    )
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_two_people_editing_a_recommendation_the_second_is_shown_the_first_ones_change(
    page, browser, live_server, login, assert_accessible, demo_transactional
):
    from recommendations.models import Recommendation

    recommendation = Recommendation.objects.order_by("pk").first()
    url = live_server.url + reverse(
        "admin:recommendations_recommendation_change", args=[recommendation.pk]
    )
    other_context = browser.new_context()
    administrator = other_context.new_page()
    login(page, live_server, "manager", settings.DEMO_PASSWORD)
    login(administrator, live_server, "admin", settings.DEMO_PASSWORD)
    page.goto(url)
    administrator.goto(url)

    administrator.get_by_label("Action proposed").fill("Theirs: a briefing in June.")
    administrator.get_by_role("button", name="Save", exact=True).click()
    expect(administrator.locator(".messagelist")).to_contain_text("was changed successfully")
    page.get_by_label("Action proposed").fill("Mine: a briefing in July.")
    page.get_by_role("button", name="Save", exact=True).click()

    errors = page.locator(".errorlist.nonfield")
    expect(errors).to_contain_text("saved this at")
    expect(errors).to_contain_text("it is now “Theirs: a briefing in June.”")
    expect(page.get_by_label("Action proposed")).to_have_value("Mine: a briefing in July.")
    # Django's own autocomplete widgets (select2) give their comboboxes no accessible name:
    # a known fault of the stock admin, left out here; everything else on the page is checked.
    assert_accessible(page, {"exclude": [[".select2-container"]]})
    recommendation.refresh_from_db()
    assert recommendation.action_proposed == "Theirs: a briefing in June."

    # Having seen theirs, the manager keeps their own on purpose.
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    recommendation.refresh_from_db()
    assert recommendation.action_proposed == "Mine: a briefing in July."
    other_context.close()
