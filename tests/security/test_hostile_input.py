"""Hostile input gets a 4xx or the page's default, never a server error (issue 11, section 5).

Numbers that pass `str.isdigit()` but are not ASCII digits ("²"), and numbers of thousands of
digits, used to answer 500 on the monitoring table, the catalogue, the tracker, the archive,
the meetings list and the panel page."""

from __future__ import annotations

import pytest
from django.test import Client

from fuzz.pages import get_routes
from indicators import views as indicator_views
from indicators.views import performance_url
from recommendations import views as recommendation_views

pytestmark = pytest.mark.django_db

NOT_ASCII = ("²", "²²²²", "٣", "２０２１")
HUGE = "9" * 10_000
NUMERIC_KEYS = ("year", "per_page", "page", "p")


@pytest.mark.parametrize("value", [*NOT_ASCII[:1], HUGE, "-1"])
def test_no_get_route_fails_on_a_hostile_number(world, value):  # noqa: F811
    failures = []
    for path, role, _ in get_routes(world):
        client = Client(raise_request_exception=False)
        user = world.user(role)
        if user is not None:
            client.force_login(user)
        for key in NUMERIC_KEYS:
            status = client.get(path, {key: value}).status_code
            if status >= 500:
                failures.append((path, key, status))
    assert failures == []


@pytest.mark.parametrize("value", [*NOT_ASCII, HUGE])
def test_the_monitoring_table_shows_its_default_year_and_says_so(world, client, value):  # noqa: F811
    response = client.get(performance_url(world.panel.slug), {"year": value})
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is no published data for the financial year" in text
    assert "What the data tells us: 2021/22" in text


@pytest.mark.parametrize("value", [*NOT_ASCII, HUGE])
def test_an_unusable_year_shows_the_default_on_meeting_pages(world, client, value):  # noqa: F811
    for path in ("/meetings/", f"/meetings/panels/{world.panel.slug}/"):
        default = client.get(path).content
        response = client.get(path, {"year": value})
        assert response.status_code == 200, path
        assert response.content == default, path


@pytest.mark.parametrize("value", [*NOT_ASCII, HUGE])
@pytest.mark.parametrize(
    ("path", "default"),
    [
        ("/recommendations/", recommendation_views.PER_PAGE),
        ("/recommendations/archive/", recommendation_views.PER_PAGE),
        ("/indicators/", indicator_views.CATALOGUE_PER_PAGE),
    ],
)
def test_an_unusable_page_size_shows_the_default(world, client, path, default, value):  # noqa: F811
    response = client.get(path, {"per_page": value})
    assert response.status_code == 200
    # The page as if the default had been asked for (its links carry the size it used).
    assert response.content == client.get(path, {"per_page": default}).content


@pytest.mark.parametrize("area", ["-1", "²", HUGE, "0"])
def test_the_entry_index_jump_refuses_an_unusable_area(world, client, area):  # noqa: F811
    client.force_login(world.users["officer_a"])
    response = client.get("/admin/indicators/entry/", {"area": area, "month": "2022-02"})
    assert response.status_code == 404


@pytest.mark.parametrize("month", ["0000-05", "1899-12", "²²²²-01", "2022-²", "2022-13", "9999-01"])
def test_the_entry_index_jump_refuses_an_unusable_month(world, client, month):  # noqa: F811
    client.force_login(world.users["officer_a"])
    response = client.get("/admin/indicators/entry/", {"area": world.area_a.pk, "month": month})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("part", "value"), [("year", "9" * 400), ("year", "²"), ("month", "9" * 30), ("day", "-1")]
)
def test_every_admin_date_hierarchy_ignores_an_unusable_date(world, part, value):  # noqa: F811
    """Found by the long fuzz: ?month__year=999…9 overflowed Django's date (a 500)."""
    from django.contrib import admin

    client = Client(raise_request_exception=False)
    client.force_login(world.users["admin"])
    checked = []
    for model, model_admin in admin.site._registry.items():
        if not model_admin.date_hierarchy:
            continue
        opts = model._meta
        path = f"/admin/{opts.app_label}/{opts.model_name}/"
        response = client.get(path, {f"{model_admin.date_hierarchy}__{part}": value})
        assert response.status_code == 200, path
        everything = client.get(path).context["cl"]
        assert response.context["cl"].result_count == everything.result_count, path
        assert response.context["cl"].params == everything.params, path
        checked.append(path)
    assert len(checked) >= 6  # ours, and django-axes'


@pytest.mark.parametrize("month", ["2999-01", "9998-12"])
def test_a_far_future_month_is_the_entry_screens_to_refuse(world, client, month):  # noqa: F811
    """A month of four digits is a month: its entry screen opens (saving is where the entry rule
    says the month is in the future), never a server error."""
    client.force_login(world.users["officer_a"])
    response = client.get(
        f"/admin/indicators/entry/{world.area_a.pk}/{month}/", follow=True
    )
    assert response.status_code == 200
    label = {"2999-01": "January 2999", "9998-12": "December 9998"}[month]
    assert label in response.content.decode()
