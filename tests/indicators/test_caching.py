"""The dashboard and monitoring tables are cached for the public and dropped by any change."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import BenchmarkValue, Commentary, Indicator, Publication, Target, Value
from tests.indicators.factories import seed_demo  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_demo")]

IFA = "Percentage of CLA placed with IFAs at end of period"
DASHBOARD = "/panels/children-and-families/"
TABLE = "/panels/children-and-families/performance/?year=2021"


def _queries(client, path: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize("path", [DASHBOARD, TABLE, "/"])
def test_a_second_public_request_is_served_from_the_cache(client, path):
    first, first_html = _queries(client, path)
    second, second_html = _queries(client, path)
    assert first > 0
    assert second == 0
    assert second_html == first_html


def test_exports_keep_their_file_name_when_cached(client):
    client.get(TABLE + "&format=csv")
    response = client.get(TABLE + "&format=csv")
    assert response["Content-Disposition"].endswith('.csv"')
    assert response["Content-Type"].startswith("text/csv")


def _change_value():
    value = Value.objects.get(indicator__name=IFA, month="2022-02-01")
    value.number = 100
    value.save()


def _change_target():
    target = Target.objects.get(indicator__name=IFA, year=2021)
    target.number = 30
    target.save()


def _change_benchmark():
    benchmark = BenchmarkValue.objects.filter(indicator__name=IFA).first()
    benchmark.number = 12
    benchmark.save()


def _change_commentary():
    commentary = Commentary.objects.filter(priority_area__isnull=False).first()
    commentary.analysis += " Changed."
    commentary.save()


def _change_publication():
    Publication.objects.filter(month="2022-02-01").delete()


def _change_indicator():
    indicator = Indicator.objects.get(name=IFA)
    indicator.name = IFA + " (renamed)"
    indicator.save()


@pytest.mark.parametrize(
    "change",
    [
        _change_value,
        _change_target,
        _change_benchmark,
        _change_commentary,
        _change_publication,
        _change_indicator,
    ],
)
@pytest.mark.parametrize("path", [DASHBOARD, TABLE])
def test_any_change_to_the_data_drops_the_cached_pages(client, change, path):
    _queries(client, path)
    assert _queries(client, path)[0] == 0
    change()
    queries, _ = _queries(client, path)
    assert queries > 0, "the page was rebuilt"


@pytest.mark.parametrize("path", [DASHBOARD, TABLE])
def test_a_changed_value_shows_at_once(client, path):
    _, before = _queries(client, path)
    _change_value()
    _, after = _queries(client, path)
    assert after.count("100%") > before.count("100%")


def test_signed_in_users_always_get_a_fresh_page(client):
    client.force_login(User.objects.get(username="member"))
    first, _ = _queries(client, DASHBOARD)
    second, _ = _queries(client, DASHBOARD)
    assert second > 0
    assert second == first
