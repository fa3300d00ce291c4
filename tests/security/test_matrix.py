"""Who may open what: every route × every role, with the objects that make a difference.

Roles (columns, in order): anonymous, panel member, officer of area A (the demo `officer`,
owner of the first two priority areas' indicators), officer of area B (a second officer who owns
an indicator of the third area), performance manager, scrutiny manager, admin (superuser).

Expected outcomes:
  200   the page (or file) is served
  L     302 to a sign-in page (the site's or the admin's)
  ok    200 or 302 elsewhere (a form accepted or shown again)
  403 / 404 / 405  (404: the admin does not find the object for this user)

The table names every route of scrutiny/urls.py and the apps' urls.py; a test walks the URL
resolver and fails when a route is added without a row here. Admin changelists of every
registered model are added from the declared role permissions (scrutiny.roles).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver

from fuzz.run import EXEMPT_PAPER_TEXT, PROVISIONAL_B, ROLES, World
from indicators.models import Value
from recommendations.models import PanelDecision
from scrutiny import roles


@dataclass(frozen=True)
class Route:
    name: str  # the URL name (namespace:name), or the admin's name for admin screens
    method: str
    url: str  # formatted with w=<World>
    expected: str  # one code per role, in ROLES order
    body: str = ""  # a key of BODIES


PUBLIC = "200 200 200 200 200 200 200"
SIGNED_IN_ONLY = "404 200 200 200 200 200 200"
STAFF = "L L 200 200 200 200 200"
ENTRY_A = "L L 200 403 200 403 200"
ENTRY_B = "L L 403 200 200 403 200"
PERFORMANCE_ONLY = "L L 403 403 200 403 200"
TRACKER_MANAGER = "L 403 403 403 403 200 200"
M = "{w.month:%Y-%m}"

ROUTES: list[Route] = [
    # Performance pages, the API and the site's plumbing
    Route("dashboard", "get", "/", PUBLIC),
    Route("panel-dashboard", "get", "/panels/{w.panel.slug}/", PUBLIC),
    Route("panel-performance", "get", "/panels/{w.panel.slug}/performance/", PUBLIC),
    Route("panel-performance", "get", "/panels/{w.panel.slug}/performance/?format=xlsx", PUBLIC),
    Route("panel-performance", "get", "/panels/{w.panel.slug}/performance/?format=csv", PUBLIC),
    Route(
        "indicators:performance", "get", "/indicators/panels/{w.panel.slug}/performance/", PUBLIC
    ),
    Route("indicators:list", "get", "/indicators/", PUBLIC),
    Route("indicators:detail", "get", "/indicators/{w.indicator_a.pk}/", PUBLIC),
    Route("api:indicators", "get", "/api/indicators/", PUBLIC),
    Route("api:indicator", "get", "/api/indicators/{w.indicator_a.pk}/", PUBLIC),
    Route("healthz", "get", "/healthz", PUBLIC),
    Route("login", "get", "/accounts/login/", PUBLIC),
    Route("logout", "post", "/accounts/logout/", "ok ok ok ok ok ok ok"),
    Route("logout", "get", "/accounts/logout/", "405 405 405 405 405 405 405"),
    # Meetings
    Route("meetings:list", "get", "/meetings/", PUBLIC),
    Route("meetings:calendar", "get", "/meetings/calendar.ics", PUBLIC),
    Route("meetings:meeting", "get", "/meetings/{w.meeting.pk}/", PUBLIC),
    Route("meetings:agenda-pdf", "get", "/meetings/{w.meeting.pk}/agenda.pdf", PUBLIC),
    Route("meetings:minutes-pdf", "get", "/meetings/{w.minutes_meeting.pk}/minutes.pdf", PUBLIC),
    Route("meetings:paper", "get", "/meetings/papers/{w.open_paper.pk}/", PUBLIC),
    Route("meetings:paper", "get", "/meetings/papers/{w.exempt_paper.pk}/", SIGNED_IN_ONLY),
    Route("meetings:panel", "get", "/meetings/panels/{w.panel.slug}/", PUBLIC),
    Route(
        "meetings:work-programme", "get", "/meetings/panels/{w.panel.slug}/work-programme/", PUBLIC
    ),
    Route("meetings:person", "get", "/meetings/people/{w.person.pk}/", PUBLIC),
    Route("meetings:panel-calendar", "get", "/meetings/{w.panel.slug}/calendar.ics", PUBLIC),
    Route("search:results", "get", "/search/?q=children", PUBLIC),
    # Recommendations
    Route("recommendations:list", "get", "/recommendations/", PUBLIC),
    Route("recommendations:list", "get", "/recommendations/?format=xlsx", PUBLIC),
    Route("recommendations:archive", "get", "/recommendations/archive/", PUBLIC),
    Route("recommendations:awaiting", "get", "/recommendations/awaiting-response/", PUBLIC),
    Route("recommendations:report", "get", "/recommendations/report/{w.report_date}/", PUBLIC),
    Route(
        "recommendations:report",
        "get",
        "/recommendations/report/{w.report_date}/?format=csv",
        PUBLIC,
    ),
    Route("recommendations:detail", "get", "/recommendations/{w.recommendation.pk}/", PUBLIC),
    Route("recommendations:resolutions", "get", "/recommendations/new/", TRACKER_MANAGER),
    Route(
        "recommendations:create-from-resolution",
        "post",
        "/recommendations/new/{w.resolution.pk}/",
        "L 403 403 403 403 ok ok",
    ),
    Route(
        "recommendations:create-from-resolution",
        "get",
        "/recommendations/new/{w.resolution.pk}/",
        "L 403 403 403 403 405 405",
    ),
    Route(
        "recommendations:decisions",
        "get",
        "/recommendations/report/{w.report_date}/decisions/",
        TRACKER_MANAGER,
    ),
    Route(
        "recommendations:decisions",
        "post",
        "/recommendations/report/{w.report_date}/decisions/",
        "L 403 403 403 403 ok ok",
        "decisions",
    ),
    Route(
        "recommendations:add-update",
        "post",
        "/recommendations/{w.recommendation.pk}/updates/",
        "L 403 ok ok 403 ok ok",
        "update",
    ),
    Route(
        "recommendations:add-update",
        "get",
        "/recommendations/{w.recommendation.pk}/updates/",
        "L 403 405 405 403 405 405",
    ),
    Route(
        "recommendations:questions",
        "get",
        "/recommendations/questions/",
        "L 200 200 200 200 200 200",
    ),
    Route(
        "recommendations:ask-question",
        "get",
        "/recommendations/questions/ask/{w.indicator_a.pk}/",
        "L 200 403 403 403 403 200",
    ),
    # Only the indicator's owner, a performance manager or an admin answers.
    Route(
        "recommendations:answer-question",
        "get",
        "/recommendations/questions/{w.question_a.pk}/answer/",
        "L 403 200 403 200 403 200",
    ),
    Route(
        "recommendations:answer-question",
        "get",
        "/recommendations/questions/{w.question_b.pk}/answer/",
        "L 403 403 200 200 403 200",
    ),
    Route(
        "recommendations:answer-question",
        "post",
        "/recommendations/questions/{w.question_a.pk}/answer/",
        "L 403 ok 403 ok 403 ok",
        body="answer",
    ),
    # The admin and its custom screens
    Route("admin:index", "get", "/admin/", STAFF),
    Route(
        "admin:indicators_entry_changelist",
        "get",
        "/admin/indicators/entry/",
        "L L 200 200 200 403 200",
    ),
    Route(
        "admin:indicators_entry_month",
        "get",
        "/admin/indicators/entry/{w.area_a.pk}/" + M + "/",
        ENTRY_A,
    ),
    Route(
        "admin:indicators_entry_month",
        "get",
        "/admin/indicators/entry/{w.area_b.pk}/" + M + "/",
        ENTRY_B,
    ),
    Route(
        "admin:indicators_entry_month",
        "post",
        "/admin/indicators/entry/{w.area_b.pk}/" + M + "/",
        "L L 403 ok ok 403 ok",
    ),
    Route(
        "admin:indicators_entry_targets",
        "get",
        "/admin/indicators/entry/{w.area_a.pk}/targets/2021/",
        ENTRY_A,
    ),
    Route(
        "admin:indicators_entry_targets",
        "get",
        "/admin/indicators/entry/{w.area_b.pk}/targets/2021/",
        ENTRY_B,
    ),
    Route(
        "admin:indicators_entry_month_status",
        "get",
        "/admin/indicators/entry/month/{w.panel.slug}/" + M + "/",
        PERFORMANCE_ONLY,
    ),
    Route(
        "admin:indicators_entry_month_status",
        "post",
        "/admin/indicators/entry/month/{w.panel.slug}/" + M + "/",
        "L L 403 403 ok 403 ok",
        "approve",
    ),
    Route(
        "admin:indicators_entry_publish",
        "get",
        "/admin/indicators/entry/month/{w.panel.slug}/" + M + "/publish/",
        PERFORMANCE_ONLY,
    ),
    Route(
        "admin:indicators_entry_publish",
        "post",
        "/admin/indicators/entry/month/{w.panel.slug}/" + M + "/publish/",
        "L L 403 403 ok 403 ok",
        "publish",
    ),
    Route(
        "admin:indicators_entry_import", "get", "/admin/indicators/entry/import/", PERFORMANCE_ONLY
    ),
    Route(
        "admin:indicators_value_change",
        "get",
        "/admin/indicators/value/{w.value_a.pk}/change/",
        "L L 200 404 200 404 200",
    ),
    Route(
        "admin:indicators_value_change",
        "get",
        "/admin/indicators/value/{w.value_b.pk}/change/",
        "L L 404 200 200 404 200",
    ),
    Route(
        "admin:indicators_value_change",
        "post",
        "/admin/indicators/value/{w.value_b.pk}/change/",
        "L L 404 ok ok 404 ok",
        "value_b",
    ),
    Route(
        "admin:indicators_value_add",
        "get",
        "/admin/indicators/value/add/",
        "L L 200 200 200 403 200",
    ),
    Route(
        "admin:indicators_value_revise",
        "get",
        "/admin/indicators/value/{w.published_a.pk}/revise/",
        PERFORMANCE_ONLY,
    ),
    Route(
        "admin:recommendations_recommendation_import",
        "get",
        "/admin/recommendations/recommendation/import/",
        "L L 403 403 403 200 200",
    ),
]


def _body(name: str, w: World) -> dict:
    if name == "update":
        return {"date": "23/03/2022", "action_taken": "Reported to DMT.", "status": w.status.pk}
    if name == "decisions":
        from recommendations import selectors

        items = selectors.monitoring_report(
            meeting=_report_meeting(w), user=w.users["manager"]
        ).decidable_items()
        data = {"form-TOTAL_FORMS": len(items), "form-INITIAL_FORMS": len(items)}
        for i, item in enumerate(items):
            data[f"form-{i}-recommendation"] = item.recommendation.pk
            data[f"form-{i}-decision"] = ""
        return data
    if name == "approve":
        return {"action": "approve"}
    if name == "publish":
        # A token no check showed: the screen refuses it, so the matrix publishes nothing.
        return {"token": "0" * 16}
    if name == "answer":
        return {"answer": "Two large sibling groups came into care in the month."}
    if name == "value_b":
        return {
            "indicator": w.indicator_b.pk,
            "month": f"{w.month:%Y-%m-%d}",
            "number": "1",
            "status": "",
            "numerator": "",
            "denominator": "",
        }
    return {}


def _report_meeting(w: World):
    from recommendations import selectors

    return selectors.meetings_on(report_date=w.report_date).first()


# --- Admin changelists of every registered model, by the declared role permissions -------------

ROLE_OF = {
    "officer_a": roles.OFFICER,
    "officer_b": roles.OFFICER,
    "performance": roles.PERFORMANCE_MANAGER,
    "manager": roles.SCRUTINY_MANAGER,
}
#: Admin screens whose permission is a rule of their own rather than a model permission.
CHANGELIST_OVERRIDES = {
    "indicators.entry": "L L 200 200 200 403 200",
    "indicators.valuerevision": "L L 200 200 200 403 200",
}


def _changelist_expected(opts) -> str:
    key = f"{opts.app_label}.{opts.model_name}"
    if key in CHANGELIST_OVERRIDES:
        return CHANGELIST_OVERRIDES[key]
    codes = ["L", "L"]
    for role in ROLES[2:-1]:
        actions = (
            roles.ROLE_PERMISSIONS[ROLE_OF[role]].get(opts.app_label, {}).get(opts.model_name, ())
        )
        codes.append("200" if {"view", "change"} & set(actions) else "403")
    return " ".join([*codes, "200"])


CHANGELISTS = [
    Route(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist",
        "get",
        f"/admin/{model._meta.app_label}/{model._meta.model_name}/",
        _changelist_expected(model._meta),
    )
    for model in admin.site._registry
]

CASES = [
    pytest.param(route, role, code, id=f"{route.method} {route.url} {role}")
    for route in ROUTES + CHANGELISTS
    for role, code in zip(ROLES, route.expected.split(), strict=True)
]


def _assert_outcome(response, code: str, where: str) -> None:
    status, location = response.status_code, response.get("Location", "")
    if code == "L":
        assert status == 302, where
        assert location.startswith(("/accounts/login/", "/admin/login/")), where
    elif code == "ok":
        assert status in (200, 302), where
        assert "login" not in location, where
    else:
        assert status == int(code), where


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "role", "code"), CASES)
def test_matrix(client, world, route, role, code):
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    url = route.url.format(w=world)
    data = _body(route.body, world)
    response = (
        getattr(client, route.method)(url, data) if data else getattr(client, route.method)(url)
    )
    _assert_outcome(
        response, code, f"{route.method.upper()} {url} as {role}: {response.status_code}"
    )


# --- Every route is in the table ------------------------------------------------------------------


def _names(patterns, prefix: str = "") -> set[str]:
    found = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            space = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            found |= _names(pattern.url_patterns, space)
        elif isinstance(pattern, URLPattern) and pattern.name:
            found.add(prefix + pattern.name)
    return found


def test_every_route_is_in_the_matrix():
    routed = _names(get_resolver().url_patterns)
    assert routed - {route.name for route in ROUTES} == set()
    custom_admin = {
        "admin:indicators_entry_import",
        "admin:indicators_entry_month_status",
        "admin:indicators_entry_publish",
        "admin:indicators_entry_targets",
        "admin:indicators_entry_month",
        "admin:indicators_value_revise",
        "admin:recommendations_recommendation_import",
    }
    assert custom_admin <= {route.name for route in ROUTES}


# --- Objects that make the difference ----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_provisional_values_reach_neither_the_public_nor_members(client, world, role):
    if role != "anonymous":
        client.force_login(world.user(role))
    html = client.get(f"/indicators/{world.indicator_a.pk}/").content.decode()
    assert "4,321" not in html and "4321" not in html
    api = json.loads(client.get(f"/api/indicators/{world.indicator_a.pk}/").content)
    months = [row["month"] for row in api["values"]]
    assert f"{world.month:%Y-%m}" not in months
    assert f"{world.published_a.month:%Y-%m}" in months  # published values are there


@pytest.mark.django_db
def test_officer_of_area_a_sees_the_provisional_value_in_the_admin(client, world):
    client.force_login(world.users["officer_a"])
    html = client.get(f"/admin/indicators/value/{world.value_a.pk}/change/").content.decode()
    assert "4321" in html


@pytest.mark.django_db
def test_officer_of_area_a_cannot_change_a_value_of_area_b(client, world):
    client.force_login(world.users["officer_a"])
    response = client.post(
        f"/admin/indicators/value/{world.value_b.pk}/change/", _body("value_b", world)
    )
    assert response.status_code == 404
    world.value_b.refresh_from_db()
    assert world.value_b.number == PROVISIONAL_B
    month = f"{world.month:%Y-%m}"
    response = client.post(f"/admin/indicators/entry/{world.area_b.pk}/{month}/", {})
    assert response.status_code == 403


@pytest.mark.django_db
def test_officer_of_area_b_changes_a_value_of_area_b(client, world):
    client.force_login(world.users["officer_b"])
    response = client.post(
        f"/admin/indicators/value/{world.value_b.pk}/change/", _body("value_b", world)
    )
    assert response.status_code == 302
    world.value_b.refresh_from_db()
    assert world.value_b.number == 1


@pytest.mark.django_db
def test_exempt_paper_is_served_to_a_member_and_refused_to_the_public(client, world):
    url = f"/meetings/papers/{world.exempt_paper.pk}/"
    assert client.get(url).status_code == 404
    client.force_login(world.users["member"])
    response = client.get(url)
    assert b"".join(response.streaming_content) == EXEMPT_PAPER_TEXT


@pytest.mark.django_db
def test_decisions_are_recorded_by_the_manager_only(client, world):
    url = f"/recommendations/report/{world.report_date}/decisions/"
    body = _body("decisions", world)
    items = [v for k, v in body.items() if k.endswith("-recommendation")]
    assert items, "the report has decidable items"
    decision = _decision_for(world)
    body["form-0-decision"] = decision
    for role in ("member", "officer_a"):
        client.force_login(world.users[role])
        assert client.post(url, body).status_code == 403
    assert not PanelDecision.objects.filter(recommendation_id=items[0]).exists()
    client.force_login(world.users["manager"])
    assert client.post(url, body).status_code == 302
    assert PanelDecision.objects.get(recommendation_id=items[0]).decision == decision


def _decision_for(w: World) -> str:
    from recommendations import selectors

    item = selectors.monitoring_report(
        meeting=_report_meeting(w), user=w.users["manager"]
    ).decidable_items()[0]
    return item.allowed_decisions[0].value


@pytest.mark.django_db
def test_value_states_in_the_world(world):
    assert world.value_a.state == Value.State.PROVISIONAL
    assert world.area_a != world.area_b
