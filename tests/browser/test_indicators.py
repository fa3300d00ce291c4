"""The dataset pages in a real browser: dashboard, monitoring table (both column sets), the
indicator page with its plotly chart, the catalogue. Accessibility (axe) on each, no console
errors (so no CSP violations), and the weight of a first load."""

from __future__ import annotations

import gzip
import re

import pytest
from playwright.sync_api import expect

from indicators.models import Indicator
from indicators.views import performance_url

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo_transactional"),
]

IFA = "Percentage of CLA placed with IFAs at end of period"
SLUG = "children-and-families"
#: The most a first load of a page may weigh on the wire.
BUDGET = 600 * 1024


class Load:
    """What the page loaded: console errors, failed requests, and each response's size as it
    travels in production (HTML as Django sends it; static files gzipped, as WhiteNoise's
    CompressedManifestStaticFilesStorage serves them)."""

    def __init__(self, page):
        self.problems: list[str] = []
        self.sizes: dict[str, tuple[int, int]] = {}
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        page.on("response", self._response)

    def _console(self, message):
        if message.type == "error":
            self.problems.append(f"console: {message.text}")

    def _response(self, response):
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status} {response.url}")
            return
        if response.status >= 300:
            return
        body = response.body()
        wire = len(gzip.compress(body, 9)) if "/static/" in response.url else len(body)
        self.sizes[response.url] = (len(body), wire)

    @property
    def wire(self) -> int:
        return sum(wire for _, wire in self.sizes.values())

    def report(self, name: str) -> str:
        raw = sum(size for size, _ in self.sizes.values())
        return f"{name}: {self.wire / 1024:.0f} KB on the wire ({raw / 1024:.0f} KB unpacked)"


def _open(page, live_server, path: str) -> Load:
    load = Load(page)
    page.goto(live_server.url + path)
    page.wait_for_load_state("networkidle")
    return load


def _check(load: Load, name: str) -> None:
    print("\n" + load.report(name))
    assert load.problems == []
    assert load.wire < BUDGET, load.report(name)


def test_dashboard(page, live_server, assert_accessible):
    load = _open(page, live_server, "/")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Children and Families Scrutiny Panel"
    )
    expect(page.get_by_text("Data to end of February 2022")).to_be_visible()
    tile = page.locator(".app-tile", has=page.get_by_role("link", name=IFA, exact=True))
    expect(tile).to_have_class(re.compile(r"app-tile--red"))
    expect(tile.locator(".app-tile__value")).to_have_text("Latest value: 51%")
    expect(tile.get_by_role("img")).to_have_accessible_name(re.compile(r"^12 months to Feb"))
    assert not any("plotly" in url for url in load.sizes)
    _check(load, "dashboard")
    assert_accessible(page)

    # The filters are a plain GET form.
    page.get_by_label("Rating", exact=True).select_option("red")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    assert "rating=red" in page.url
    expect(page.locator(".app-tile")).to_have_count(4)
    expect(page.get_by_text("4 indicators match the filters.")).to_be_visible()
    assert_accessible(page)
    tile = page.locator(".app-tile", has=page.get_by_role("link", name=IFA, exact=True))
    with page.expect_navigation():
        tile.get_by_role("link", name=IFA, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(IFA)


def test_monitoring_table_in_both_column_sets(page, live_server, assert_accessible):
    load = _open(page, live_server, performance_url(SLUG))

    expect(page.get_by_role("heading", level=1)).to_have_text("What the data tells us: 2021/22")
    tables = page.locator("table.app-monitoring-table")
    expect(tables).to_have_count(5)
    row = tables.nth(4).get_by_role("row").filter(has_text=IFA)
    expect(row.get_by_role("rowheader")).to_have_text(IFA)
    feb = row.get_by_role("cell").nth(11)  # after Outturn type and ten months
    expect(feb).to_have_text("51%, red")
    expect(feb).to_have_class(re.compile(r"app-rag-cell--red"))
    _check(load, "monitoring table")
    assert_accessible(page)

    page.get_by_label("2019 layout").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    assert "columns=2019" in page.url
    header = tables.nth(4).locator("thead th")
    expect(header.nth(1)).to_have_text("Ref")
    expect(header.last).to_have_text("SE region")  # the council's 2019 layout (issue 12)
    row = tables.nth(4).get_by_role("row").filter(has_text=IFA)
    # After Ref, Owner, Reporter, Outcome and the 13 months to February 2022.
    expect(row.get_by_role("cell").nth(17)).to_have_text("+18.6%")
    expect(row.get_by_role("cell").nth(22)).to_have_text("P")
    assert_accessible(page)


def test_indicator_page_draws_its_chart(page, live_server, assert_accessible):
    ifa = Indicator.objects.get(name=IFA)
    load = _open(page, live_server, ifa.get_absolute_url())

    chart = page.locator("#indicator-chart.js-plotly-plot")
    expect(chart).to_be_visible()
    expect(chart.locator(".scatterlayer .trace").first).to_be_visible()
    expect(chart.locator(".legendtext").first).to_have_text("Value")
    expect(page.locator(".app-verdict")).to_contain_text("Red: 51% against a target below 36%.")
    expect(page.get_by_role("region", name="Figures month by month")).to_be_visible()
    bundles = [url for url in load.sizes if "plotly" in url]
    assert [url.rsplit("/", 1)[-1] for url in bundles] == ["plotly-basic.min.js"]
    _check(load, "indicator page")
    assert_accessible(page)


def test_catalogue(page, live_server, assert_accessible):
    load = _open(page, live_server, "/indicators/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Indicators")
    expect(page.locator("table tbody tr")).to_have_count(29)
    _check(load, "catalogue")
    assert_accessible(page)

    page.get_by_label("Name or reference").fill("IFAs")
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("51%")
    assert_accessible(page)


# --- Figures of their own month, and any month -------------------------------------------------

WIDTHS = [1280, 390]


def _at_width(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})


def _no_sideways_scroll(page, width: int) -> None:
    # Wide tables scroll inside their own region; the page itself never does.
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", WIDTHS)
def test_dashboard_with_one_area_a_month_ahead(page, live_server, assert_accessible, width):
    from tests.indicators.factories import publish_march_for_one_area

    ahead = publish_march_for_one_area()
    _at_width(page, width)
    load = _open(page, live_server, "/")

    expect(
        page.get_by_text(
            f"Data to end of March 2022 for {len(ahead)} indicators; February 2022 for the rest"
        )
    ).to_be_visible()
    tile = page.locator(".app-tile", has=page.get_by_role("link", name=IFA, exact=True))
    expect(tile.locator(".app-tile__value")).to_have_text("Latest value: 51%")
    expect(tile.locator(".app-tile__period").first).to_have_text("February 2022")
    ahead_tile = page.locator(
        ".app-tile", has=page.get_by_role("link", name=ahead[0].name, exact=True)
    )
    expect(ahead_tile.locator(".app-tile__period").first).to_contain_text("March 2022")
    expect(page.get_by_text("No data")).to_have_count(0)
    _check(load, f"dashboard, mixed months, {width}px")
    _no_sideways_scroll(page, width)
    assert_accessible(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_indicator_month_picker(page, live_server, assert_accessible, width):
    ifa = Indicator.objects.get(name=IFA)
    _at_width(page, width)
    load = _open(page, live_server, ifa.get_absolute_url())

    picker = page.get_by_label("Show the figures as of")
    expect(picker).to_have_value("2022-02")
    picker.select_option(label="January 2022")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    assert "month=2022-01" in page.url
    expect(page.locator(".govuk-inset-text h2")).to_have_text("January 2022")
    expect(page.locator(".app-verdict")).to_contain_text("Red: 43% against a target below 36%.")
    expect(page.get_by_label("Show the figures as of")).to_have_value("2022-01")
    _check(load, f"indicator page, month picker, {width}px")
    _no_sideways_scroll(page, width)
    assert_accessible(page)

    # A month with no figures: the GOV.UK error summary, linked to the picker, and no 500.
    page.goto(live_server.url + ifa.get_absolute_url() + "?month=2030-01")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is no published figure for January 2030")
    summary.get_by_role("link").click()
    expect(page.get_by_label("Show the figures as of")).to_be_focused()
    assert_accessible(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_past_years_table(page, live_server, assert_accessible, width):
    from datetime import date

    from indicators.models import Value
    from meetings.models import Panel
    from tests.indicators.factories import grow_dataset

    grow_dataset(Panel.objects.get(slug=SLUG), indicators=3, months=24)
    Value.objects.filter(month=date(2021, 3, 1)).delete()
    _at_width(page, width)
    load = _open(page, live_server, performance_url(SLUG))

    year = page.get_by_label("Financial year")
    expect(year.locator("option")).to_have_text(["2021/22", "2020/21", "2019/20"])
    year.select_option(label="2020/21")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What the data tells us: 2020/21")
    expect(page.get_by_text("Data to end of February 2021", exact=False).first).to_be_visible()
    extra = page.locator("table.app-monitoring-table").last
    expect(extra.locator("thead th").filter(has_text="Feb-21")).to_have_count(1)
    expect(extra.locator("thead th").filter(has_text="Mar-21")).to_have_count(0)
    _check(load, f"monitoring table, past year, {width}px")
    _no_sideways_scroll(page, width)
    assert_accessible(page)
