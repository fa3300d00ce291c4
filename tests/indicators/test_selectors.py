"""The dataset selector on the seed demo: what it loads, what it leaves out, how many queries."""

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from indicators import catalogue, selectors
from indicators.models import Indicator, Publication, Value
from indicators.presenters import IndicatorView
from indicators.rules.change import Direction
from indicators.rules.rag import Rag
from tests.factories import CommentaryFactory, PublicationFactory, ValueFactory
from tests.indicators.factories import FEB_22, MAR_22, grow_dataset, seed_demo  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_demo")]

IFA = "Percentage of CLA placed with IFAs at end of period"
CLA = "Number of CLA at the end of the month"
REFERRAL_RATE = "Rates of referrals per 10,000 of Under 18 Population"
JAN_22 = date(2022, 1, 1)


def _panel():
    return selectors.dashboard_panel(slug="children-and-families")


def _row(dataset, name):
    return next(data for data in dataset.indicators if data.indicator.name == name)


def test_demo_dataset_is_analysed_for_february_2022():
    dataset = selectors.panel_dataset(panel=_panel())

    assert dataset.month == FEB_22 == dataset.latest_month
    assert dataset.years == [2021]
    assert [area.area.name for area in dataset.areas] == [
        "Effective assessment and intervention",
        "Purposeful Direct Contact",
        "Management Support for better practice",
        "Right service at the right time",
        "Robust corporate parenting",
    ]
    assert [area.area.get_rating_display() for area in dataset.areas] == [
        "Medium",
        "High",
        "High",
        "High",
        "High",
    ]
    # The council's tables repeat rows: 4 + 3 + 4 + 11 + 13 rows of 29 indicators.
    assert [len(area.rows) for area in dataset.areas] == [4, 3, 4, 11, 13]
    assert len(dataset.indicators) == 29
    assert [c.name for c in dataset.comparators] == [
        "Southampton",
        "Statistical Neighbours",
        "South East",
        "England",
    ]


def test_ifa_placements_are_red_at_51_percent_against_below_36():
    data = _row(selectors.panel_dataset(panel=_panel()), IFA)

    assert data.latest.number == 51.0
    assert IndicatorView(data).latest_text == "51%"
    assert IndicatorView(data).year_target_text == "<36%"
    assert data.stats.rag is Rag.RED
    assert data.stats.dot is Direction.WORSENING
    assert IndicatorView(data).movement == "up"
    assert data.stats.verdict.startswith("Red: 51% against a target below 36%.")
    assert [data.month_rag(date(2021, m, 1)) for m in (4, 12)] == [Rag.GREEN] * 2
    assert data.month_rag(date(2022, 1, 1)) is Rag.RED  # 43%


def test_repeated_indicator_is_one_dataset_row_in_two_areas():
    dataset = selectors.panel_dataset(panel=_panel())
    holders = [
        area.area.name
        for area in dataset.areas
        if any(row.indicator.name == CLA for row in area.rows)
    ]

    assert holders == ["Right service at the right time", "Robust corporate parenting"]
    assert sum(1 for data in dataset.indicators if data.indicator.name == CLA) == 1


def test_cumulative_measure_is_rated_on_its_year_end_forecast():
    indicator = Indicator.objects.get(name=REFERRAL_RATE)
    indicator.targets.update_or_create(year=2021, defaults={"number": Decimal(950), "status": ""})
    data = _row(selectors.panel_dataset(panel=_panel()), REFERRAL_RATE)

    # 896 by February forecasts 977.5 for the year: above a 950 target. No polarity, though.
    assert data.is_cumulative
    assert round(data.stats.forecast, 1) == 977.5
    assert data.month_rag(FEB_22) is Rag.NONE
    indicator.polarity = Indicator.Polarity.LOWER
    indicator.save()
    data = _row(selectors.panel_dataset(panel=_panel()), REFERRAL_RATE)
    assert data.stats.rag is Rag.AMBER  # 977.5 misses 950 by 2.9%, within 5%
    assert data.month_rag(FEB_22) is Rag.AMBER


def test_area_commentary_of_the_month():
    dataset = selectors.panel_dataset(panel=_panel())
    corporate = dataset.areas[-1]

    assert corporate.commentary.month == FEB_22
    assert corporate.commentary.analysis.startswith("The number of Children in care continues")
    assert len(corporate.commentary.action_points) == 4
    assert corporate.counts == {"red": 2, "amber": 0, "green": 0, "none": 11}


def test_unpublished_values_and_commentary_are_never_loaded():
    ifa = Indicator.objects.get(name=IFA)
    ValueFactory(indicator=ifa, month=MAR_22, number=Decimal(12))  # provisional
    PublicationFactory(panel=ifa.panel, month=MAR_22, published_at=timezone.now())
    CommentaryFactory(indicator=ifa, month=MAR_22, analysis="Draft words")

    dataset = selectors.panel_dataset(panel=_panel())
    data = _row(dataset, IFA)

    # The month is published but this value is not: the indicator stays at February.
    assert dataset.month == FEB_22
    assert MAR_22 not in data.figures
    assert IndicatorView(data).latest_text == "51%"
    assert all(note.analysis != "Draft words" for note in data.commentary)
    one = selectors.indicator_dataset(pk=ifa.pk)
    assert MAR_22 not in one.figures
    assert all(note.analysis != "Draft words" for note in one.commentary)


def test_published_values_after_the_latest_publication_wait_for_it():
    ifa = Indicator.objects.get(name=IFA)
    ValueFactory(
        indicator=ifa,
        month=MAR_22,
        number=Decimal(12),
        state=Value.State.PUBLISHED,
        published_at=timezone.now(),
    )
    dataset = selectors.panel_dataset(panel=_panel())

    assert dataset.month == FEB_22
    assert MAR_22 not in _row(dataset, IFA).figures


def test_an_earlier_month_is_analysed_on_request():
    data = selectors.as_of(_row(selectors.panel_dataset(panel=_panel()), IFA), month=JAN_22)

    assert data.month == JAN_22
    assert IndicatorView(data).latest_text == "43%"
    assert data.stats.rag is Rag.RED
    assert all(note.month <= JAN_22 for note in data.commentary)


def test_no_publication_means_no_month():
    Publication.objects.all().delete()
    dataset = selectors.panel_dataset(panel=_panel())

    assert dataset.month is None
    assert all(data.stats is None and not data.figures for data in dataset.indicators)


def test_the_dashboard_loads_less_and_says_the_same():
    """The dashboard's dataset leaves out what no tile shows (the targets of other years, the
    benchmarks, the commentary), yet every figure and statistic a tile shows is the monitoring
    table's; also with ten years of history."""
    grow_dataset(_panel(), indicators=3, months=120)
    panel = _panel()
    whole = selectors.panel_dataset(panel=panel)
    tiles = selectors.dashboard_dataset(panel=panel)

    assert tiles.month == whole.month == FEB_22
    assert [len(area.rows) for area in tiles.areas] == [len(area.rows) for area in whole.areas]
    assert [data.pk for data in tiles.indicators] == [data.pk for data in whole.indicators]
    for shown, full in zip(tiles.indicators, whole.indicators, strict=True):
        assert shown.figures == full.figures
        # Everything but the comparisons with benchmarks, which no tile shows.
        assert shown.stats == dataclasses.replace(full.stats, benchmark_positions=())
        assert IndicatorView(shown).year_target_text == IndicatorView(full).year_target_text
    extra = _row(tiles, "Extra indicator 0")
    assert len(extra.series) == 120
    assert extra.stats.spc.message.startswith("XmR chart of 120 points.")
    assert extra.benchmarks == [] and tiles.comparators == []
    assert _row(whole, "Extra indicator 0").benchmarks


def test_a_years_table_is_at_the_latest_month_of_the_year_with_figures():
    """2020/21 ended in March 2021; with no figure published for March 2021, its table is
    analysed at February 2021, each row at its own latest month of that year; 2019/20's
    table leaves out the demo's indicators, which have no figure, target or benchmark it
    prints for that year."""
    _, extra = grow_dataset(_panel(), indicators=3, months=24)  # March 2020 to February 2022
    Value.objects.filter(month=date(2021, 3, 1)).delete()
    dataset = selectors.panel_dataset(panel=_panel(), year=2020)

    assert dataset.month == date(2021, 2, 1)
    # The demo's indicators stay in 2020/21's table for the outturn of 2019/20 it prints.
    assert dataset.months_summary == (
        "Data to end of February 2021; no published figure for 29 indicators"
    )
    assert {_row(dataset, e.name).month for e in extra} == {date(2021, 2, 1)}
    assert dataset.years == [2021, 2020, 2019]

    earlier = selectors.panel_dataset(panel=_panel(), year=2019)
    assert earlier.month == date(2020, 3, 1)
    shown = [data.indicator.name for area in earlier.areas for data in area.rows]
    assert shown == [e.name for e in extra]


def _count(function):
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries.captured_queries)


def test_query_count_is_fixed_whatever_the_size():
    panel = _panel()
    small = _count(lambda: selectors.panel_dataset(panel=panel))
    ifa = Indicator.objects.get(name=IFA)
    one_small = _count(lambda: selectors.indicator_dataset(pk=ifa.pk))

    _, extra = grow_dataset(panel.__class__.objects.get(pk=panel.pk))
    panel = _panel()
    dataset = selectors.panel_dataset(panel=panel)

    assert len(dataset.indicators) == 49
    assert len(dataset.areas[-1].rows) == 20
    # One more than before issue 12 each: the SPC baselines and rebases.
    assert _count(lambda: selectors.panel_dataset(panel=panel)) == small == 7
    assert _count(lambda: selectors.indicator_dataset(pk=extra[0].pk)) == one_small == 6
    # A panel that does not carry its latest month costs one more query.
    plain = panel.__class__.objects.get(pk=panel.pk)
    assert _count(lambda: selectors.panel_dataset(panel=plain)) == 8


def test_catalogue_latest_value_and_filters():
    rows = {ind.name: ind for ind in catalogue.catalogue()}
    assert len(rows) == 29
    assert catalogue.latest_figure(rows[IFA]).number == 51.0
    assert rows[IFA].latest_month == FEB_22
    tbc = rows[
        "Percentage of Looked after Children (LAC) with a permanence plan in place "
        "within 6 months of BLA"
    ]
    assert catalogue.latest_figure(tbc).status == "tbc"

    corporate = selectors.dashboard_panel(slug="children-and-families").priority_areas.get(
        name="Robust corporate parenting"
    )
    in_area = [ind.name for ind in catalogue.catalogue(area=corporate)]
    assert len(in_area) == 13 and CLA in in_area  # CLA's home is another area
    assert [ind.name for ind in catalogue.catalogue(search="ifas")] == [IFA]


def test_catalogue_query_count_is_fixed(django_assert_num_queries):
    with django_assert_num_queries(1):
        list(catalogue.catalogue())
    grow_dataset(_panel())
    with django_assert_num_queries(1):
        assert len(list(catalogue.catalogue())) == 49
