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


def _page_keys() -> set[str]:
    from django.core.cache import cache

    return {key for key in cache._cache if ":indicators:page:" in key}


@pytest.mark.parametrize("path", [DASHBOARD, TABLE])
def test_parameters_a_page_does_not_read_make_no_new_cache_entry(client, path):
    from django.core.cache import cache

    cache.clear()
    joiner = "&" if "?" in path else "?"
    _queries(client, f"{path}{joiner}x=1")
    assert len(_page_keys()) == 1
    queries, _ = _queries(client, f"{path}{joiner}x=2")
    assert queries == 0, "served from the entry ?x=1 made"
    for n in range(3, 30):
        client.get(f"{path}{joiner}x={n}&utm_source={n}")
    assert len(_page_keys()) == 1


def test_a_parameter_the_page_reads_is_a_page_of_its_own(client):
    from django.core.cache import cache

    cache.clear()
    table = "/panels/children-and-families/performance/"
    _, latest = _queries(client, table)
    _, year_2020 = _queries(client, table + "?year=2020")
    assert len(_page_keys()) == 2
    # The demo has no 2020/21 data: the page says so, where the latest year shows its table.
    assert "2020" in year_2020 and "2020" not in latest
    # The same parameters in another order are the same page.
    _queries(client, table + "?columns=2019&year=2020")
    queries, _ = _queries(client, table + "?year=2020&columns=2019")
    assert queries == 0
    assert len(_page_keys()) == 3


def test_the_dashboard_filters_are_read_from_the_query(client):
    from django.core.cache import cache

    cache.clear()
    _, everything = _queries(client, DASHBOARD)
    _, red = _queries(client, DASHBOARD + "?rating=red&x=1")
    assert red != everything
    assert len(_page_keys()) == 2
