"""An officer enters a month in the admin; the performance manager approves and publishes it."""

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from indicators.models import Commentary, PriorityArea, Publication, Value

MARCH = date(2022, 3, 1)
VALUES = {
    "Percentage of re-referrals within 12 months": "25%",
    "Number of Early Help assessments completed": "150",
    "Rates of Single Assessments completed per 10,000": "620",
    "Percentage of C&F assessments completed within 45 working days": "TBC",
}


@pytest.mark.django_db(transaction=True)
def test_an_officer_enters_a_month_and_the_performance_manager_publishes_it(
    page, live_server, login, assert_accessible, demo_transactional
):
    area = PriorityArea.objects.get(order=1)
    panel = area.panel
    entry = reverse("admin:indicators_entry_month", args=[area.pk, "2022-03"])

    login(page, live_server, "officer", settings.DEMO_PASSWORD)
    page.goto(live_server.url + reverse("admin:index"))
    page.get_by_role("link", name="Monthly data entry").first.click()
    expect(page.get_by_role("heading", name="Monthly data entry")).to_be_visible()
    assert_accessible(page)

    page.goto(live_server.url + entry)
    expect(page.get_by_role("table", name="Values for March 2022")).to_be_visible()
    assert_accessible(page)
    # A mistake first: a percentage over 100 is refused, naming the indicator and the month.
    page.get_by_label("Value for Percentage of re-referrals within 12 months, March 2022").fill(
        "125"
    )
    page.get_by_role("button", name="Save the month").click()
    expect(page.locator("#entry-errors")).to_contain_text(
        "Percentage of re-referrals within 12 months, March 2022: a percentage must be between "
        "0 and 100, not 125."
    )
    assert_accessible(page)
    assert not Value.objects.filter(month=MARCH).exists()

    for name, figure in VALUES.items():
        page.get_by_label(f"Value for {name}, March 2022").fill(figure)
    page.get_by_label("Analysis").fill("Re-referrals fell back to 25%.")
    page.get_by_label("Action/next steps").fill("- Keep the weekly draft report\n- Audit EH")
    page.get_by_role("button", name="Save the month").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Effective assessment and intervention, March 2022: 4 added, 0 changed, 0 unchanged."
    )
    assert Value.objects.filter(month=MARCH, state="provisional").count() == 4
    assert Commentary.objects.get(priority_area=area, month=MARCH).action_points == [
        "Keep the weekly draft report",
        "Audit EH",
    ]
    # The officer may not approve or publish.
    page.goto(
        live_server.url
        + reverse("admin:indicators_entry_month_status", args=[panel.slug, "2022-03"])
    )
    expect(page.get_by_role("button", name="Publish")).to_have_count(0)
    expect(page.get_by_role("link", name="Check and publish")).to_have_count(0)

    page.context.clear_cookies()
    login(page, live_server, "performance", settings.DEMO_PASSWORD)
    page.goto(
        live_server.url
        + reverse("admin:indicators_entry_month_status", args=[panel.slug, "2022-03"])
    )
    expect(page.get_by_role("table", name="Values of March 2022")).to_contain_text(
        "Percentage of re-referrals within 12 months"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Approve 4 provisional values").click()
    expect(page.locator(".messagelist")).to_contain_text("4 value(s) approved for March 2022.")
    # Publishing goes through its check (issue 12; tests/browser/test_publish_check.py).
    page.get_by_role("link", name="Check and publish 4 approved values").click()
    page.get_by_role("button", name="Confirm and publish March 2022").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "March 2022 published: 4 value(s) now public."
    )
    assert Value.objects.published().filter(month=MARCH).count() == 4
    assert Publication.objects.filter(panel=panel, month=MARCH).exists()
    assert Commentary.objects.get(priority_area=area, month=MARCH).state == "published"

    # Published rows are now read-only on the entry screen, with a way to revise them.
    page.goto(live_server.url + entry)
    expect(
        page.get_by_label("Value for Percentage of re-referrals within 12 months, March 2022")
    ).to_be_disabled()
    expect(page.get_by_role("link", name="Revise").first).to_be_visible()
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_the_import_screen(page, live_server, login, assert_accessible, demo_transactional):
    login(page, live_server, "performance", settings.DEMO_PASSWORD)
    page.goto(live_server.url + reverse("admin:indicators_entry_import"))
    expect(page.get_by_role("heading", name="Import a workbook")).to_be_visible()
    assert_accessible(page)
    # Submitting shows that the workbook is being read (large files take seconds).
    progress = page.locator("#upload-progress")
    expect(progress).to_be_hidden()
    page.locator("form[data-progress='upload-progress']").dispatch_event("submit")
    expect(progress).to_be_visible()
    expect(progress).to_contain_text("Reading the workbook")
    assert_accessible(page)
    page.get_by_label("Workbook (.xlsx, at most 10 MB)").set_input_files(
        files=[{"name": "notes.xlsx", "mimeType": "text/plain", "buffer": b"not a workbook"}]
    )
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator(".errorlist")).to_contain_text("not an Excel workbook")
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_two_people_saving_the_same_month_the_second_sees_the_first_ones_figure(
    page, browser, live_server, login, assert_accessible, demo_transactional
):
    area = PriorityArea.objects.get(order=1)
    entry = live_server.url + reverse("admin:indicators_entry_month", args=[area.pk, "2022-03"])
    label = "Value for Number of Early Help assessments completed, March 2022"
    other_context = browser.new_context()
    manager = other_context.new_page()
    login(page, live_server, "officer", settings.DEMO_PASSWORD)
    login(manager, live_server, "performance", settings.DEMO_PASSWORD)
    page.goto(entry)
    manager.goto(entry)

    manager.get_by_label(label).fill("150")
    manager.get_by_role("button", name="Save the month").click()
    expect(manager.locator(".messagelist")).to_contain_text("1 added")
    page.get_by_label(label).fill("160")
    page.get_by_role("button", name="Save the month").click()

    errors = page.locator("#entry-errors")
    expect(errors).to_contain_text("saved this value at")
    expect(errors).to_contain_text("it is now 150. Nothing on the screen has been saved.")
    expect(page.get_by_label(label)).to_have_value("160")
    assert_accessible(page)
    assert Value.objects.get(month=MARCH).number == 150

    # Having seen theirs, the officer keeps their own figure on purpose.
    page.get_by_role("button", name="Save the month").click()
    expect(page.locator(".messagelist")).to_contain_text("0 added, 1 changed")
    assert Value.objects.get(month=MARCH).number == 160
    other_context.close()
