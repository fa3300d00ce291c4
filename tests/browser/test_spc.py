"""The indicator page of an indicator rebased at the seed's Care Director migration, in a real
browser at desktop and phone widths: the chart draws the segment's trial limits and the rebase
line, the data table and the list of periods say the same in words, and axe finds nothing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from indicators.models import Indicator

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo_transactional"),
]

REREFERRALS = "Percentage of re-referrals within 12 months"


@pytest.mark.parametrize("width", [1280, 390])
def test_indicator_page_with_a_rebase(page, live_server, assert_accessible, width):
    page.set_viewport_size({"width": width, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    indicator = Indicator.objects.get(name=REREFERRALS)
    page.goto(live_server.url + indicator.get_absolute_url())
    page.wait_for_load_state("networkidle")

    chart = page.locator("#indicator-chart.js-plotly-plot")
    expect(chart).to_be_visible()
    expect(chart.locator(".legendtext", has_text="SPC mean (trial)")).to_have_count(1)
    expect(chart.locator(".annotation-text", has_text="Limits recalculated")).to_be_visible()
    expect(page.locator(".app-verdict")).to_contain_text(
        "Limits recalculated from February 2022 after the case-system migration"
    )
    periods = page.locator("ul.app-spc-segments li")
    expect(periods).to_have_count(2)
    expect(periods.first).to_contain_text("mean 26%, process limits 15% to 38% (trial limits)")

    table = page.get_by_role("region", name="Figures month by month")
    expect(table).to_be_visible()

    def row(month: str):
        return table.locator("tr", has=page.locator("th", has_text=re.compile(f"^{month}$")))

    expect(row("February 2022")).to_contain_text("Limits recalculated from here")
    expect(row("January 2022")).to_contain_text("Mean 26%, limits 15% to 38% (trial)")
    assert problems == []
    assert_accessible(page)
