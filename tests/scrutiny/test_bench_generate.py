"""`bench.dataset` at a small scale: the rows it says it wrote are there, the data set passes
`check_data`, minutes run on through each municipal year, and the workbook it makes for the
import benchmark is one the importer reads without an error."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from bench import dataset
from bench.dataset import Params
from indicators.models import (
    BenchmarkValue,
    Commentary,
    Indicator,
    PriorityArea,
    Publication,
    Target,
    Value,
)
from indicators.services import import_plan
from indicators.workbook import reading
from meetings.models import AgendaItem, Meeting, Minute, Panel, Resolution
from recommendations.models import Recommendation, RecommendationUpdate

SMALL = Params(
    panels=2,
    indicators=7,
    areas_per_panel=2,
    first_year=2019,
    years=2,
    meetings=24,
    recommendations=61,
    updates_per_recommendation=2,
    seed=5,
)


@pytest.fixture
def generated(db):
    return dataset.generate(params=SMALL)


@pytest.mark.django_db
def test_it_writes_the_rows_it_reports(generated):
    months = SMALL.years * 12
    assert Panel.objects.count() == generated["panels"] == 2
    assert Indicator.objects.count() == generated["indicators"] == 7
    assert PriorityArea.objects.count() == 4
    assert Value.objects.count() == generated["values"] == 7 * months
    assert Publication.objects.count() == generated["publications"] == 2 * months
    assert Target.objects.count() == generated["targets"] == 7 * SMALL.years
    assert BenchmarkValue.objects.count() == generated["benchmark values"] == 7 * SMALL.years * 4
    assert Commentary.objects.count() == generated["commentary"]
    assert Meeting.objects.count() == generated["meetings"] == 24
    assert AgendaItem.objects.count() == generated["agenda items"] == 240
    assert Minute.objects.count() == generated["minutes"] == 240
    assert Resolution.objects.count() == generated["resolutions"] == 61
    assert Recommendation.objects.count() == generated["recommendations"] == 61
    assert RecommendationUpdate.objects.count() == generated["recommendation updates"] == 122


@pytest.mark.django_db
def test_every_indicator_has_every_month_published(generated):
    months = set(SMALL.months)
    assert min(months) == date(2019, 4, 1) and max(months) == date(2021, 3, 1)
    for indicator in Indicator.objects.all():
        values = indicator.values.all()
        assert {v.month for v in values} == months
        assert {v.state for v in values} == {Value.State.PUBLISHED}
    shares = Value.objects.filter(indicator__outturn_type="percentage", number__isnull=False)
    assert shares.exists()
    assert all(0 <= v.number <= 100 for v in shares)


@pytest.mark.django_db
def test_the_data_set_passes_check_data(generated):
    out = StringIO()
    call_command("check_data", stdout=out)
    assert out.getvalue().startswith("No problems found: ")


@pytest.mark.django_db
def test_minutes_run_on_through_each_municipal_year(generated):
    numbers = defaultdict(list)
    for panel_id, year, number in Minute.objects.order_by("meeting__start", "number").values_list(
        "panel_id", "municipal_year", "number"
    ):
        numbers[(panel_id, year)].append(number)
    # 12 meetings a panel: ten in 2019/20, then two in 2020/21, which starts again at 1.
    assert sorted(len(n) for n in numbers.values()) == [20, 20, 100, 100]
    for run in numbers.values():
        assert run == list(range(1, len(run) + 1))


@pytest.mark.django_db
def test_recommendations_leave_the_list_at_later_meetings(generated):
    accepted = Recommendation.objects.filter(accepted_at__isnull=False).select_related(
        "accepted_at", "status"
    )
    for rec in accepted:
        assert rec.status.is_complete
        assert rec.accepted_at.start.date() > rec.meeting_date
    on_list = Recommendation.objects.on_list().count()
    assert 0 < on_list < Recommendation.objects.count()


def test_the_fingerprint_follows_the_parameters():
    same = dataset.fingerprint(SMALL, migrations=["a.0001"])
    assert dataset.fingerprint(Params(**SMALL.__dict__), migrations=["a.0001"]) == same
    assert dataset.fingerprint(SMALL, migrations=["a.0002"]) != same
    assert dataset.fingerprint(Params(**{**SMALL.__dict__, "seed": 6}), migrations=[]) != same


@pytest.mark.django_db
def test_the_import_workbook_is_read_without_errors():
    tables = [
        ("Area one", [("Share done on time", "percentage"), ("Contacts", "number")]),
        ("Area two", [("Rate of referrals", "rate")]),
    ]
    content = dataset.import_workbook(tables=tables, year=2021)
    workbook = reading.read_workbook(content)
    assert [t.heading for t in workbook.tables] == ["Area one", "Area two"]
    months = [c.month for c in workbook.tables[0].month_columns]
    assert months[0] == date(2021, 4, 1) and months[-1] == date(2022, 3, 1)
    assert len(months) == 12
    panel = Panel.objects.create(name="Import panel", slug="import-panel")
    for name, outturn in tables[0][1] + tables[1][1]:
        Indicator.objects.create(panel=panel, name=name, outturn_type=outturn)
    plan = import_plan.plan_import(panel=panel, workbook=workbook, today=date(2022, 6, 1))
    assert plan.errors == []
    assert len(plan.values) == 3 * 12
