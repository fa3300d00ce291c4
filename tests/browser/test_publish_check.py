"""The performance manager publishes a month through its check (issue 12): what becomes public,
which indicators have no value for the month, then the confirmation; the public dashboard then
shows the published figures."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import expect

from indicators.models import Indicator, PriorityArea, Publication, Value

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo_transactional"),
]
MARCH = date(2022, 3, 1)
REREF = "Percentage of re-referrals within 12 months"
EARLY_HELP = "Number of Early Help assessments completed"
#: The four indicators of the first priority area, approved for March 2022 (of the demo's 29).
APPROVED = {
    REREF: Decimal("25"),
    EARLY_HELP: Decimal("150"),
    "Rates of Single Assessments completed per 10,000": Decimal("620"),
    "Percentage of C&F assessments completed within 45 working days": None,  # TBC
}
WIDTHS = (1280, 390)


def _approve_march():
    area = PriorityArea.objects.get(order=1)
    manager = User.objects.get(username="performance")
    for indicator in Indicator.objects.filter(priority_area=area):
        number = APPROVED[indicator.name]
        Value.objects.create(
            indicator=indicator,
            month=MARCH,
            number=number,
            status="" if number is not None else "tbc",
            state=Value.State.APPROVED,
            approved_by=manager,
            approved_at="2022-04-05T10:00Z",
        )
    return area.panel


def test_the_manager_checks_the_month_confirms_and_the_public_sees_it(
    page, live_server, login, assert_accessible
):
    panel = _approve_march()
    status = reverse("admin:indicators_entry_month_status", args=[panel.slug, "2022-03"])
    login(page, live_server, "performance", settings.DEMO_PASSWORD)
    page.goto(live_server.url + status)
    page.get_by_role("link", name="Check and publish 4 approved values").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Check before you publish: {panel}, March 2022"
    )
    values = page.locator("#publish-values")
    expect(values.locator(".summary-list__row")).to_have_count(4)
    expect(values.locator(".summary-list__row", has_text=REREF)).to_contain_text(
        "25% for March 2022; RAG:"
    )
    expect(values.locator(".summary-list__row", has_text=EARLY_HELP)).to_contain_text(
        "150 for March 2022"
    )
    expect(values).to_contain_text("TBC for March 2022")
    expect(page.locator("#publish-completeness-summary")).to_have_text(
        "25 of 29 indicators have no March 2022 value:"
    )
    missing = page.locator("#publish-missing li")
    expect(missing).to_have_count(25)
    expect(missing.first).to_contain_text("(not entered)")
    expect(page.locator("#publish-missing")).to_contain_text("Number of contacts (not entered)")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        expect(page.get_by_role("button", name="Confirm and publish March 2022")).to_be_visible()
        assert_accessible(page)
    # Nothing is public before the confirmation.
    assert not Publication.objects.filter(panel=panel, month=MARCH).exists()

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Confirm and publish March 2022").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "March 2022 published: 4 value(s) now public."
    )
    assert Value.objects.published().filter(month=MARCH).count() == 4

    page.context.clear_cookies()
    page.goto(live_server.url + f"/panels/{panel.slug}/")
    # The dashboard shows a tile per area row and again under "All indicators".
    tile = page.locator(".app-tile", has=page.get_by_role("link", name=REREF, exact=True)).first
    expect(tile.locator(".app-tile__value")).to_have_text("Latest value: 25%")
    expect(tile.locator("p.app-tile__period")).to_contain_text("March 2022")
    tile = page.locator(
        ".app-tile", has=page.get_by_role("link", name=EARLY_HELP, exact=True)
    ).first
    expect(tile.locator(".app-tile__value")).to_have_text("Latest value: 150")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
