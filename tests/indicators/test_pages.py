"""The public pages of the dataset on the seed demo: dashboard, monitoring table, indicator
page, catalogue. What a reader sees, that unpublished figures never show, query counts."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from core import roles
from indicators import asof
from indicators.models import Indicator, Value
from indicators.rules import vocabulary
from indicators.rules.figures import format_value
from indicators.rules.spc import Assurance, SpcResult, Variation
from indicators.rules.statistics import IndicatorInput, analyse
from indicators.views import performance_url
from meetings.models import Panel
from tests.factories import (
    AgendaItemFactory,
    MeetingFactory,
    MinuteFactory,
    PublicationFactory,
    RecommendationFactory,
    ResolutionFactory,
    ValueFactory,
)
from tests.indicators.factories import (  # noqa: F401
    FEB_22,
    MAR_22,
    area_named,
    grow_dataset,
    publish_march_for_one_area,
    seed_demo,
    seed_tables,
)
from tests.indicators.workbooks import MONTHS_2122

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_demo")]

SLUG = "children-and-families"
IFA = "Percentage of CLA placed with IFAs at end of period"
CONTACTS = "Number of contacts"
REFERRAL_RATE = "Rates of referrals per 10,000 of Under 18 Population"
MONTHS = MONTHS_2122
CURRENT_HEADERS = [
    "Indicator",
    "Outturn type",
    *MONTHS,
    "Target",
    "Southampton 19/20",
    "Southampton 20/21",
    "Statistical Neighbours",
    "South East",
    "England",
]
# The council's 2019 layout (issue 12): the 13 months to the reporting month, no target; on
# the page the indicator's name leads, as the row's header.
HEADERS_2019 = [
    "Indicator",
    "Ref",
    "Owner",
    "Reporter",
    "Outcome",
    "Feb-21",
    "Mar-21",
    *MONTHS,
    "% change from previous month",
    "% change from same month prev. yr",
    "DoT",
    "12 month average",
    "12-mnth max value",
    "Percentage?",
    "Stat. Neighbour",
    "England",
    "SE region",
]


# --- A small DOM, enough to ask pages what a reader sees ---------------------------------------

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def text(self) -> str:
        return " ".join(self.raw().split())

    def raw(self) -> str:
        return "".join(c if isinstance(c, str) else c.raw() for c in self.children)

    def all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if (tag is None or child.tag == tag) and (cls is None or cls in child.classes):
                    found.append(child)
                found.extend(child.all(tag, cls))
        return found

    def one(self, tag: str | None = None, cls: str | None = None) -> Node:
        found = self.all(tag, cls)
        assert len(found) == 1, f"{len(found)} <{tag} class={cls}> found"
        return found[0]


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#root", {}, None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def dom(response) -> Node:
    assert response.status_code == 200, response.status_code
    builder = _Builder()
    builder.feed(response.content.decode())
    return builder.root


def tile(page: Node, name: str) -> Node:
    tiles = [t for t in page.all("li", "app-tile") if t.one("h3").one("a").text() == name]
    assert tiles, f"no tile for {name}"
    return tiles[0]


def row_cells(table: Node, name: str) -> list[Node]:
    for tr in table.one("tbody").all("tr"):
        cells = [c for c in tr.children if isinstance(c, Node) and c.tag in ("td", "th")]
        if any(c.text() == name for c in cells):
            return cells
    raise AssertionError(f"no row {name}")


def headers(table: Node) -> list[str]:
    return [th.text() for th in table.one("thead").all("th")]


def _ifa() -> Indicator:
    return Indicator.objects.get(name=IFA)


# --- Dashboard ---------------------------------------------------------------------------------


def test_dashboard_names_the_panel_and_the_month(client):
    page = dom(client.get("/"))

    assert page.one("h1").text() == "Children and Families Scrutiny Panel"
    assert "Data to end of February 2022" in page.text()
    sections = page.one("main").all("section")
    assert [s.one("h2").text() for s in sections] == [
        "Effective assessment and intervention",
        "Purposeful Direct Contact",
        "Management Support for better practice",
        "Right service at the right time",
        "Robust corporate parenting",
    ]
    corporate = sections[-1]
    assert "Priority area rating: High concern" in corporate.text()
    assert "Priority area rating: Medium concern" in sections[0].text()
    counts = corporate.one("ul", "app-rag-key").text()
    assert counts == "Red 2 Amber 0 Green 0 Not rated 11"
    assert len(corporate.all("li", "app-tile")) == 13
    assert "plotly" not in client.get("/").content.decode()  # the chart bundle is not loaded


def test_dashboard_tile_of_the_ifa_placements(client):
    card = tile(dom(client.get(f"/panels/{SLUG}/")), IFA)

    assert "app-tile--red" in card.classes
    assert card.one("p", "app-tile__value").text() == "Latest value: 51%"
    assert "Target <36%" in card.text()
    assert card.one("strong", "app-rag").text() == "RAG rating: Red"
    direction = card.one("span", "app-dot")
    assert "app-dot--worsening" in direction.classes
    assert direction.text() == "Worsening since January 2022"
    assert direction.one("svg").attrs["class"].endswith("app-dot__arrow--up")
    # Trial limits from the seed's 11 months (issue 12); no assurance before 13 points.
    badge, assurance = card.all("li", "app-spc")
    assert badge.one("span", "app-spc__icon").attrs["aria-hidden"] == "true"
    assert badge.all("span")[1].text() == "Special cause of concern (high), trial limits"
    assert assurance.all("span")[1].text() == "No assurance until 13 points"
    spark = card.one("svg", "app-sparkline")
    assert spark.attrs["role"] == "img"
    summary = spark.one("title").text()
    assert summary.startswith("12 months to February 2022: from 24% in April 2021 to 51% in")
    assert summary.endswith("Target <36%.")
    assert spark.attrs["aria-label"] == summary
    assert card.one("h3").one("a").attrs["href"] == _ifa().get_absolute_url()


def test_a_tile_judges_its_spc_on_the_whole_history(client):
    """A tile draws 12 months, but its SPC icons judge every month on record: eight years of a
    steady process (50 to 52 a month), then two years at a higher level (60 to 62). Against the
    whole history the last two years lie above the upper process limit, and the target of 55
    lies within the limits; judged on the last two years alone they would be common cause and
    the target always met. So the dashboard reads the whole history, as the indicator page."""
    panel = Panel.objects.get(slug=SLUG)
    _, (indicator, *_) = grow_dataset(panel, indicators=1, months=120)
    values = list(indicator.values.order_by("month"))
    for k, value in enumerate(values):
        value.number = Decimal(60 + k % 3 if k >= 96 else 50 + k % 3)
    Value.objects.bulk_update(values, ["number"])

    def badges(page):
        return [item.all("span")[1].text() for item in page.all("li", "app-spc")]

    shown = badges(tile(dom(client.get("/")), indicator.name))
    assert shown == [
        "Special cause of improvement (high)",
        "Hit and miss: the target lies within the process limits",
    ]
    assert badges(dom(client.get(indicator.get_absolute_url())).one("main")) == shown

    def judged(months: int) -> SpcResult:
        series = {v.month: float(v.number) for v in values[-months:]}
        return analyse(
            indicator=IndicatorInput(
                name=indicator.name,
                outturn_type=indicator.outturn_type,
                measure_type=indicator.measure_type,
                polarity=indicator.polarity,
                decimals=indicator.decimals,
                tolerance=5.0,
                series=series,
                targets={2021: vocabulary.Target(55.0)},
            ),
            month=FEB_22,
        ).spc

    assert [judged(120).variation.label, judged(120).assurance.label] == shown
    assert judged(24).variation is Variation.COMMON_CAUSE
    assert judged(24).assurance is Assurance.CONSISTENTLY_MEETS


def test_dashboard_filters(client):
    red = dom(client.get("/", {"rating": "red"}))
    names = [t.one("h3").one("a").text() for t in red.all("li", "app-tile")]
    # Re-referrals is a row of two areas' tables, so it has a tile in each.
    assert sorted(names) == sorted(
        [
            "Percentage of re-referrals within 12 months",
            "Percentage of re-referrals within 12 months",
            "Rate of CLA per 10,000 under 18 population",
            IFA,
        ]
    )
    assert "4 indicators match the filters." in red.text()

    area = area_named(Panel.objects.get(slug=SLUG), "Purposeful Direct Contact")
    one_area = dom(client.get("/", {"area": area.pk}))
    assert [s.one("h2").text() for s in one_area.one("main").all("section")] == [area.name]

    # 11 months give trial limits (issue 12), so most tiles have a signal; those rebased at
    # the Care Director migration (one month since) and the one with no figures have none …
    common = dom(client.get("/", {"signal": "common"}))
    assert len(common.all("li", "app-tile")) == 7
    none = dom(client.get("/", {"signal": "none"}))
    assert len(none.all("li", "app-tile")) == 17
    assert all("Not enough data for SPC" in t.text() for t in none.all("li", "app-tile"))
    # … and the extra area's 24 months all have one.
    grow_dataset(Panel.objects.get(slug=SLUG))
    page = dom(client.get("/", {"signal": "none"}))
    assert len(page.all("li", "app-tile")) == 17
    signalled = dom(
        client.get("/", {"area": area_named(Panel.objects.get(slug=SLUG), "Extra area").pk})
    )
    assert len(signalled.all("li", "app-tile")) == 20
    assert not [t for t in signalled.all("li", "app-tile") if "Not enough data" in t.text()]


def test_dashboard_ignores_filters_it_cannot_read(client):
    page = dom(client.get("/", {"rating": "purple", "area": "x"}))
    assert len(page.all("li", "app-tile")) == 35


def test_unknown_panel_is_not_found(client):
    assert client.get("/panels/no-such-panel/").status_code == 404
    assert client.get("/indicators/panels/no-such-panel/performance/").status_code == 404


# --- One area published a month ahead of the others -----------------------------------------

def test_importing_and_publishing_a_one_row_march_keeps_every_other_tile(client, tmp_path):
    """The issue's second reproduction: `import_dataset --publish` of a one-row March workbook
    turned 33 tiles into "No data"; now only that indicator moves to March."""
    import io

    from django.core.management import call_command

    from tests.indicators.workbooks import book_2022

    reref = "Percentage of re-referrals within 12 months"
    path = tmp_path / "march.xlsx"
    path.write_bytes(book_2022([("", [[reref, "PERCENTAGE", "25%"]])], months=["Mar-22"],
                               comparators=[]))
    before = dom(client.get("/")).text().count("No data")
    call_command("import_dataset", str(path), "--panel", SLUG, "--publish",
                 stdout=io.StringIO(), stderr=io.StringIO())

    page = dom(client.get("/"))
    assert page.text().count("No data") == before
    assert "Data to end of March 2022 for 1 indicator; February 2022 for the rest" in page.text()
    card = tile(page, reref)
    assert card.one("p", "app-tile__period").text().startswith("March 2022")
    assert card.one("p", "app-tile__value").text() == "Latest value: 25%"
    assert tile(page, IFA).one("p", "app-tile__period").text() == "February 2022"


def test_publishing_one_areas_month_keeps_the_others_at_their_own(client):
    ahead = publish_march_for_one_area()
    page = dom(client.get("/"))
    count = len(ahead)

    assert count < Indicator.objects.filter(is_active=True).count()
    assert (
        f"Data to end of March 2022 for {count} indicators; February 2022 for the rest"
        in page.text()
    )
    assert "No data" not in page.text()
    card = tile(page, IFA)  # another area's indicator: February's figure, with its month
    assert card.one("p", "app-tile__value").text() == "Latest value: 51%"
    assert card.one("p", "app-tile__period").text() == "February 2022"
    assert "Target <36%" in card.text()
    assert card.one("span", "app-dot").text() == "Worsening since January 2022"
    first = tile(page, ahead[0].name)
    assert first.one("p", "app-tile__period").text().startswith("March 2022")
    seven = format_value(
        value=7, outturn_type=ahead[0].outturn_type, decimals=ahead[0].decimals
    )
    assert first.one("p", "app-tile__value").text() == f"Latest value: {seven}"

    tables = dom(client.get(performance_url(SLUG)))
    text = tables.text()
    assert f"Data to end of March 2022 for {count} indicators" in text
    assert "No analysis published for March 2022" not in text
    assert "March words." in text
    corporate = _tables(tables)[4]
    assert row_cells(corporate, IFA)[12].text() == "51%, red"

    catalogue = dom(client.get(reverse("indicators:list"), {"q": "IFAs"}))
    cells = catalogue.one("tbody").one("tr").all("td")
    assert [c.text() for c in cells[-2:]] == ["51%", "February 2022"]
    assert "None published" not in dom(client.get(reverse("indicators:list"))).text()

    body = client.get(reverse("api:indicator", args=[_ifa().pk])).json()
    assert body["month"] == "2022-02"
    assert body["statistics"]["rag"] == "red"
    assert client.get(reverse("api:indicator", args=[ahead[0].pk])).json()["month"] == "2022-03"


# --- Monitoring table --------------------------------------------------------------------------


def _tables(page: Node) -> list[Node]:
    return page.all("table", "app-monitoring-table")


def test_monitoring_table_in_the_current_layout(client):
    page = dom(client.get(performance_url(SLUG), {"year": 2021}))
    tables = _tables(page)

    assert page.one("h1").text() == "What the data tells us: 2021/22"
    assert len(tables) == 5
    for table, seed in zip(tables, seed_tables(), strict=True):
        assert headers(table) == CURRENT_HEADERS
        names = [tr.one("th").text() for tr in table.one("tbody").all("tr")]
        assert names == [row[0] for row in seed.rows]  # repeated rows too, in seed order
    cells = row_cells(tables[4], IFA)
    texts = [c.text() for c in cells]
    assert texts[1] == "PERCENTAGE"
    assert texts[2:13] == [
        "24%, green",
        "25%, green",
        "26%, green",
        "27%, green",
        "28%, green",
        "29%, green",
        "31%, green",
        "30%, green",
        "31%, green",
        "43%, red",
        "51%, red",
    ]
    assert "app-rag-cell--red" in cells[12].classes
    assert cells[12].one("span", "govuk-visually-hidden").text() == ", red"
    assert "app-rag-cell--green" in cells[10].classes
    assert texts[13:] == ["<36%", "37%", "N/A", "36%", "38%", "36%"]


def test_monitoring_table_shows_analysis_and_next_steps(client):
    page = dom(client.get(performance_url(SLUG)))
    corporate = page.one("main").all("section")[-1]

    assert "The number of Children in care continues to increase." in corporate.text()
    steps = corporate.one("ul", "govuk-list--bullet").all("li")
    assert len(steps) == 4
    assert steps[1].text().startswith("The senior leadership team have commissioned a peer")
    assert "Not reported" in row_cells(_tables(page)[3], "Number of care leavers")[15].text()


def test_monitoring_table_in_the_2019_layout(client):
    page = dom(client.get(performance_url(SLUG), {"year": 2021, "columns": "2019"}))
    tables = _tables(page)

    assert all(headers(table) == HEADERS_2019 for table in tables)
    texts = [c.text() for c in row_cells(tables[4], IFA)]
    assert texts[2] == "Jo Feeney"
    assert texts[18:] == ["+18.6%", "", "↓ Worsening", "31.4%", "51%", "P", "36%", "36%", "38%"]
    checked = [i for i in page.all("input") if "checked" in i.attrs]
    assert [i.attrs["value"] for i in checked] == ["2019"]


def test_monitoring_table_year_picker_and_refused_years(client):
    page = dom(client.get(performance_url(SLUG)))
    options = page.one("select").all("option")
    assert [(o.text(), "selected" in o.attrs) for o in options] == [("2021/22", True)]

    for wanted in ("2020", "2030", "abc"):
        refused = dom(client.get(performance_url(SLUG), {"year": wanted}))
        summary = refused.one("div", "govuk-error-summary").text()
        assert f"There is no published data for the financial year “{wanted}”" in summary
        assert refused.one("h1").text() == "What the data tells us: 2021/22"


def test_a_past_years_table_is_at_its_latest_month_with_figures(client):
    """Two years of extra indicators (March 2020 to February 2022), with nothing published for
    March 2021: 2020/21's table is "Data to end of February 2021" with no March column, and
    2019/20's lists only the indicators with a figure, target or benchmark it prints; the
    year picker offers the years with figures and nothing else."""
    _, extra = grow_dataset(Panel.objects.get(slug=SLUG), indicators=3, months=24)
    Value.objects.filter(month=date(2021, 3, 1)).delete()

    page = dom(client.get(performance_url(SLUG), {"year": 2020}))
    assert page.one("h1").text() == "What the data tells us: 2020/21"
    assert "Data to end of February 2021" in page.text()
    extra_table = _tables(page)[-1]
    assert "Feb-21" in headers(extra_table) and "Mar-21" not in headers(extra_table)
    options = [o.text() for o in page.one("select").all("option")]
    assert options == ["2021/22", "2020/21", "2019/20"]

    earlier = dom(client.get(performance_url(SLUG), {"year": 2019}))
    assert "Data to end of March 2020" in earlier.text()
    rows = [
        cells[0].text()
        for table in _tables(earlier)
        for cells in [
            [c for c in tr.children if isinstance(c, Node) and c.tag in ("td", "th")]
            for tr in table.one("tbody").all("tr")
        ]
        if cells
    ]
    assert rows == [e.name for e in extra]


def test_monitoring_table_links_its_exports(client):
    page = dom(client.get(performance_url(SLUG), {"columns": "2019"}))
    links = [a.attrs["href"] for a in page.all("a") if a.attrs.get("href", "").startswith("?")]
    assert links == ["?year=2021&columns=2019&format=xlsx", "?year=2021&columns=2019&format=csv"]


# --- Indicator page ----------------------------------------------------------------------------


def test_indicator_page_of_the_ifa_placements(client):
    page = dom(client.get(reverse("indicators:detail", args=[_ifa().pk])))

    assert page.one("h1").text() == IFA
    assert (
        page.one("p", "app-verdict")
        .text()
        .startswith(
            "Red: 51% against a target below 36%. This month is above the upper process limit"
            " (concern). The limits are trial limits from 11 points."
        )
    )
    facts = {
        row.one("dt").text(): row.one("dd").text()
        for row in page.all("div", "govuk-summary-list__row")
    }
    assert facts["Owner"] == "Jo Feeney, Performance Manager"
    assert facts["Polarity"] == "Lower is better"
    assert facts["Measure type"] == "Snapshot at month end"
    assert facts["Outturn type"] == "Percentage"
    assert facts["Definition"].startswith("Percentage of children looked after")
    assert {"Reporter", "Outcome", "Priority area"} <= facts.keys()

    figures = page.one("table", "app-monitoring-table").one("tbody").all("tr")
    assert len(figures) == 11
    assert [c.text() for c in figures[0].all("td")][:3] == ["51%", "Red", "<36%"]
    assert figures[0].one("th").text() == "February 2022"
    assert figures[-1].one("th").text() == "April 2021"
    benchmarks = page.all("table")[-1].text()
    assert "Statistical Neighbours 2020/21 36%" in benchmarks
    assert "Southampton 2020/21 N/A" in benchmarks

    commentary = page.one("main").text()
    assert "February 2022: Robust corporate parenting" in commentary
    assert "The number of Children in care continues to increase." in commentary


def test_indicator_page_month_picker_shows_the_figures_as_of_the_chosen_month(client):
    url = reverse("indicators:detail", args=[_ifa().pk])
    latest = dom(client.get(url))
    picker = latest.one("select")
    options = picker.all("option")
    assert picker.attrs["name"] == "month"
    assert options[0].text() == "February 2022" and "selected" in options[0].attrs
    assert options[-1].text() == "April 2021"
    assert latest.one("label", "govuk-label").text() == "Show the figures as of"

    page = dom(client.get(url, {"month": "2022-01"}))
    assert page.one("div", "govuk-inset-text").one("h2").text() == "January 2022"
    assert page.one("p", "app-verdict").text().startswith("Red: 43% against a target below 36%.")
    chosen = [o.text() for o in page.one("select").all("option") if "selected" in o.attrs]
    assert chosen == ["January 2022"]
    # The figures table stops at the chosen month.
    figures = page.one("div", "app-table-scroll").one("table")
    assert figures.one("tbody").all("th")[0].text() == "January 2022"


@pytest.mark.parametrize("month", ["2022-03", "January"])
def test_indicator_page_refuses_a_month_it_has_no_figures_for(client, month):
    response = client.get(reverse("indicators:detail", args=[_ifa().pk]), {"month": month})
    page = dom(response)

    assert response.status_code == 200
    summary = page.one("div", "govuk-error-summary").text()
    _, expected = asof.month_error(text=month, reported=[date(2021, 4, 1), FEB_22])
    assert expected in summary
    assert page.one("div", "govuk-inset-text").one("h2").text() == "February 2022"


def test_indicator_page_chart_is_a_data_island_and_static_modules(client):
    response = client.get(reverse("indicators:detail", args=[_ifa().pk]))
    page = dom(response)
    scripts = page.all("script")

    island = [s for s in scripts if s.attrs.get("type") == "application/json"]
    assert len(island) == 1 and island[0].attrs["id"] == "indicator-chart-data"
    figure = json.loads(island[0].text())
    names = [trace["name"] for trace in figure["data"]]
    assert names[:2] == ["Value", "Target"]
    assert "Statistical Neighbours 2020/21" in names
    assert figure["data"][0]["y"][-1] == 51.0
    # No inline script: every other script is a file; plotly's basic bundle, not the full one.
    sources = [s.attrs["src"] for s in scripts if s not in island]
    assert all(sources) and len(sources) == len(scripts) - 1
    assert "/static/dist/plotly-basic.min.js" in sources
    assert "/static/dist/indicator-chart.js" in sources
    assert not any("plotly.min.js" in s or "cdn" in s for s in sources)
    assert page.one("div", "app-chart").attrs["id"] == "indicator-chart"


def test_cumulative_indicator_page_shows_monthly_amounts(client):
    rate = Indicator.objects.get(name=REFERRAL_RATE)
    page = dom(client.get(reverse("indicators:detail", args=[rate.pk])))
    table = page.one("table", "app-monitoring-table")

    assert headers(table)[:3] == ["Month", "Year to date", "Monthly amount"]
    feb, jan = table.one("tbody").all("tr")[:2]
    assert [c.text() for c in feb.all("td")][:2] == ["896", "43"]
    assert [c.text() for c in jan.all("td")][:2] == ["853", "95"]
    assert "896 so far this year (forecast year end 977)" in page.one("p", "app-verdict").text()


def test_a_cumulative_measure_says_its_direction_compares_monthly_increases(client):
    """896 year to date in February after 853 in January reads as a fall unless the page says
    the direction compares the monthly increases (43 in February, 95 in January)."""
    rate = Indicator.objects.get(name=REFERRAL_RATE)
    basis = "Down on the monthly increase (43 vs 95); year to date 896"

    card = tile(dom(client.get("/")), REFERRAL_RATE)
    assert card.one("p", "app-tile__basis").text() == basis
    assert tile(dom(client.get("/")), IFA).all("p", "app-tile__basis") == []
    page = dom(client.get(reverse("indicators:detail", args=[rate.pk])))
    assert f"{basis}." in page.one("p", "app-verdict").text()
    table = next(
        t for t in _tables(dom(client.get(performance_url(SLUG), {"columns": "2019"})))
        if any(tr.text().startswith(REFERRAL_RATE) for tr in t.one("tbody").all("tr"))
    )
    assert f"↓ {basis}" in [c.text() for c in row_cells(table, REFERRAL_RATE)]


def test_indicator_page_lists_recommendations_the_public_may_see(client):
    ifa = _ifa()
    panel = ifa.panel
    # Odd start times: the demo's meetings must not clash with these (one start per panel).
    public = RecommendationFactory(
        meeting__panel=panel,
        meeting__start=datetime(2021, 7, 7, 7, 7, tzinfo=UTC),
        item_title="Placements sufficiency",
        action_proposed="That IFA use is reported.",
    )
    public.indicators.add(ifa)
    meeting = MeetingFactory(panel=panel, start=datetime(2021, 8, 8, 8, 8, tzinfo=UTC))
    minute = MinuteFactory(
        meeting=meeting,
        agenda_item=AgendaItemFactory(meeting=meeting, exempt=True, exempt_paragraph=3),
    )
    secret = RecommendationFactory(
        meeting=minute.meeting,
        resolution=ResolutionFactory(minute=minute),
        item_title="Confidential contract",
        action_proposed="That the contract is renegotiated.",
    )
    secret.indicators.add(ifa)
    url = reverse("indicators:detail", args=[ifa.pk])

    listed = dom(client.get(url)).one("ul", "app-recommendations").all("li")
    assert len(listed) == 1
    assert "Placements sufficiency 1)" in listed[0].text()
    assert listed[0].one("strong", "govuk-tag").text() == "In train"
    assert listed[0].one("a").attrs["href"] == reverse("recommendations:detail", args=[public.pk])

    member = User.objects.create_user("member-test", password="x-pass-123")
    member.groups.add(Group.objects.get(name=roles.PANEL_MEMBER))
    client.force_login(member)
    assert len(dom(client.get(url)).one("ul", "app-recommendations").all("li")) == 2


def test_indicator_page_not_found(client):
    ifa = _ifa()
    assert client.get(reverse("indicators:detail", args=[999999])).status_code == 404
    Indicator.objects.filter(pk=ifa.pk).update(is_active=False)
    assert client.get(reverse("indicators:detail", args=[ifa.pk])).status_code == 404


# --- Catalogue ---------------------------------------------------------------------------------


def _catalogue_rows(page: Node) -> dict[str, list[str]]:
    rows = {}
    for tr in page.one("table").one("tbody").all("tr"):
        cells = [c.text() for c in tr.all("td")]
        rows[cells[1]] = cells
    return rows


def test_catalogue_lists_every_indicator_with_its_latest_value(client):
    page = dom(client.get(reverse("indicators:list")))
    rows = _catalogue_rows(page)

    assert len(rows) == 29
    assert rows[IFA][2:] == ["Robust corporate parenting", "Percentage", "51%", "February 2022"]
    permanence = (
        "Percentage of Looked after Children (LAC) with a permanence plan in place "
        "within 6 months of BLA"
    )
    assert rows[permanence][4] == "TBC"
    assert (
        page.one("table")
        .one("tbody")
        .all("tr")[0]
        .one("a")
        .attrs["href"]
        .startswith("/indicators/")
    )


def test_catalogue_filters_by_area_and_searches(client):
    corporate = area_named(Panel.objects.get(slug=SLUG), "Robust corporate parenting")
    assert len(_catalogue_rows(dom(client.get("/indicators/", {"area": corporate.pk})))) == 13
    assert list(_catalogue_rows(dom(client.get("/indicators/", {"q": "IFAs"})))) == [IFA]
    empty = dom(client.get("/indicators/", {"q": "no such thing"}))
    assert "No indicators match." in empty.text()


# --- Unpublished figures never reach a page ----------------------------------------------------


def _provisional_march(*, publish_month: bool) -> None:
    contacts = Indicator.objects.get(name=CONTACTS)
    ValueFactory(indicator=contacts, month=MAR_22, number=Decimal(12345))
    ValueFactory(
        indicator=_ifa(), month=MAR_22, number=Decimal(12), state=Value.State.APPROVED
    )
    if publish_month:
        PublicationFactory(panel=contacts.panel, month=MAR_22, published_at=timezone.now())


@pytest.mark.parametrize("publish_month", [False, True])
def test_unpublished_values_appear_on_no_page(client, publish_month):
    _provisional_march(publish_month=publish_month)
    contacts = Indicator.objects.get(name=CONTACTS)
    urls = [
        "/",
        f"/panels/{SLUG}/",
        performance_url(SLUG),
        performance_url(SLUG) + "?columns=2019",
        reverse("indicators:list"),
        reverse("indicators:detail", args=[contacts.pk]),
        reverse("indicators:detail", args=[_ifa().pk]),
    ]
    for url in urls:
        content = client.get(url).content.decode()
        assert "12,345" not in content and "12345" not in content, url

    table = _tables(dom(client.get(performance_url(SLUG))))[4]
    cells = row_cells(table, IFA)
    # A published month with no published figure yet changes nothing: every indicator is
    # still read as of February, its latest published figure.
    assert "Mar-22" not in headers(table)
    assert cells[12].text() == "51%, red"
    assert "Data to end of February 2022" in dom(client.get("/")).text()


# --- Queries: fixed, whatever the size of the dataset -----------------------------------------


def _urls():
    ifa = _ifa()
    return {
        "dashboard": "/",
        "panel dashboard": f"/panels/{SLUG}/",
        "monitoring": performance_url(SLUG),
        "monitoring 2019": performance_url(SLUG) + "?columns=2019",
        "indicator": reverse("indicators:detail", args=[ifa.pk]),
        "indicator month": reverse("indicators:detail", args=[ifa.pk]) + "?month=2021-12",
        "catalogue": reverse("indicators:list"),
    }


EXPECTED_QUERIES = {
    # panel + latest month, areas, indicators, values, the year's targets, SPC breaks (issue 12)
    "dashboard": 6,
    "panel dashboard": 6,
    "monitoring": 8,
    "monitoring 2019": 8,
    "indicator": 8,  # indicator, values, targets, benchmarks, commentary, SPC breaks,
    #                  recommendations, questions
    "indicator month": 8,  # the same, read as of an earlier month
    "catalogue": 3,  # count, page of rows, the area filter's choices
}


def test_query_counts_are_pinned_and_do_not_grow(client, django_assert_num_queries):
    urls = _urls()
    for name, url in urls.items():
        with django_assert_num_queries(EXPECTED_QUERIES[name]):
            assert client.get(url).status_code == 200, name

    _, extra = grow_dataset(Panel.objects.get(slug=SLUG))
    urls["indicator"] = reverse("indicators:detail", args=[extra[0].pk])
    urls["indicator month"] = urls["indicator"] + "?month=2021-12"
    for name, url in urls.items():
        with django_assert_num_queries(EXPECTED_QUERIES[name]):
            assert client.get(url).status_code == 200, name
    assert len(dom(client.get("/")).all("li", "app-tile")) == 55


def test_signed_in_members_see_the_same_pages_within_eleven_queries(
    client, django_assert_max_num_queries
):
    member = User.objects.create_user("member-pages", password="x-pass-123")
    member.groups.add(Group.objects.get(name=roles.PANEL_MEMBER))
    client.force_login(member)
    for url in _urls().values():
        # The indicator page's 8 (with the SPC breaks, issue 12), and session, user, groups.
        with django_assert_max_num_queries(11):
            response = client.get(url)
        assert response.status_code == 200
    card = tile(dom(client.get("/")), IFA)
    assert card.one("p", "app-tile__value").text() == "Latest value: 51%"


def test_indicator_chart_draws_spc_limits_and_flagged_points(client):
    """With enough months the chart carries the SPC mean and limits and marks each flagged
    month with its rule; the table says the same in words."""
    panel = Panel.objects.get(slug=SLUG)
    _, (indicator, *_) = grow_dataset(panel, indicators=1, months=20)
    values = indicator.values.order_by("month")
    for k, value in enumerate(values):  # a steady process, then a jump: higher is better
        value.number = Decimal(80) if k >= 16 else Decimal(50 + (k % 3))
        value.save()
    page = dom(client.get(reverse("indicators:detail", args=[indicator.pk])))

    island = next(s for s in page.all("script") if s.attrs.get("type") == "application/json")
    figure = json.loads(island.text())
    traces = {trace["name"]: trace for trace in figure["data"]}
    # 20 months: firm limits, named without "(trial)".
    assert {"SPC mean", "Upper process limit", "Lower process limit"} <= traces.keys()
    flagged = traces["Special cause (improvement)"]
    assert flagged["x"][-1] == "2022-02-01"
    assert flagged["text"][-1] == "outside limits (high)"
    latest = page.one("table", "app-monitoring-table").one("tbody").all("tr")[0]
    assert latest.all("td")[-2].text() == "Outside limits (high): improvement"
    assert "Special cause of improvement (high)" in page.one("ul", "app-spc-group").text()


def test_a_tile_draws_the_rag_tag_and_direction_exactly_as_their_includes():
    """tiles.py writes the includes out for speed: they must not drift apart."""
    from django.template.loader import render_to_string

    from indicators import selectors
    from indicators.presenters import IndicatorView, Tile

    dataset = selectors.dashboard_dataset(panel=Panel.objects.get(slug=SLUG))
    checked = 0
    for data in dataset.indicators:
        if data.stats is None:
            continue
        html = Tile(data, None).html
        rag = render_to_string(
            "includes/rag_tag.html",
            {"rag": data.stats.rag.value, "label": data.stats.rag.label, "prefix": "RAG rating:"},
        )
        direction = render_to_string(
            "includes/direction.html",
            {
                "direction": IndicatorView(data).direction,
                "movement": IndicatorView(data).movement,
                "label": IndicatorView(data).direction_label,
                "since": IndicatorView(data).direction_since,
            },
        )
        spc = render_to_string("includes/spc.html", {"badges": IndicatorView(data).spc_badges})
        assert rag.strip() in html, data.indicator.name
        assert direction.strip() in html, data.indicator.name
        assert spc.strip() in html, data.indicator.name
        checked += 1
    assert checked == len(dataset.indicators) > 20
