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
resolver and fails when a route is added without a row here. Every admin page of every
registered model (list, add, change, delete, history, history version and revert) is generated
from admin.site._registry and the declared role permissions (core.roles): see below.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver
from simple_history.admin import SimpleHistoryAdmin

from core import roles
from fuzz.world import EXEMPT_PAPER_TEXT, PROVISIONAL_B, ROLES, World
from indicators.models import Value
from recommendations.models import PanelDecision


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
        "admin:auth_user_password_change",
        "get",
        "/admin/auth/user/{w.users[member].pk}/password/",
        "L L 403 403 403 403 200",
    ),
    Route(
        "admin:recommendations_recommendation_import",
        "get",
        "/admin/recommendations/recommendation/import/",
        "L L 403 403 403 200 200",
    ),
    # SPC baselines and rebases: performance managers only (issue 12).
    Route(
        "admin:indicators_spcbreak_add", "get", "/admin/indicators/spcbreak/add/", PERFORMANCE_ONLY
    ),
    Route(
        "admin:indicators_spcbreak_add",
        "post",
        "/admin/indicators/spcbreak/add/",
        "L L 403 403 302 403 302",
        "spc_break",
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
    if name == "spc_break":
        return {
            "indicator": w.indicator_a.pk,
            "kind": "rebase",
            "month": "2021-10-01",
            "reason": "the new recording system",
        }
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
            # 1 is far outside the indicator's history: the form saves it once confirmed.
            "confirm_warnings": "on",
            "warning_reason": "checked with the service",
        }
    return {}


def _report_meeting(w: World):
    from recommendations import selectors

    return selectors.meetings_on(report_date=w.report_date).first()


# --- Every admin URL of every registered model, by the declared role permissions ---------------
#
# Generated from admin.site._registry, so a model registered tomorrow is covered without a row
# here: its list, add, change, delete and history pages (and, with simple-history, a version of
# its history, shown and posted), for each role, for records inside and outside each role's
# reach. What each role may do comes from core.roles; the rules below are the ones that are
# not model permissions.

ROLE_OF = {
    "officer_a": roles.OFFICER,
    "officer_b": roles.OFFICER,
    "performance": roles.PERFORMANCE_MANAGER,
    "manager": roles.SCRUTINY_MANAGER,
}
STAFF_ROLES = ("officer_a", "officer_b", "performance", "manager", "admin")
DATA_ENTRY_ROLES = ("officer_a", "officer_b", "performance", "admin")
REVISERS = ("performance", "admin")
ALL_ACTIONS = frozenset({"view", "add", "change", "delete"})

#: Pages those who enter data may open but no one edits (their rows are written by services).
VIEW_ONLY_FOR_DATA_ENTRY = {"indicators.entry", "indicators.valuerevision"}
#: The entry door has no record pages: /admin/indicators/entry/<area>/<month>/ is the monthly
#: entry screen, so <id>/change/ and the like name no month and are not found.
NO_RECORD_PAGES = {"indicators.entry"}
#: Models whose admin adds no rows by hand, not even for an admin.
NO_ADD = {"axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}
#: Records written only by their service (a month is published through its check), read here.
READ_ONLY = {"indicators.publication"}
#: One row a panel, made with the panel: changed, never added or deleted by hand.
ONE_PER_PANEL = {"indicators.panelmonitoring"}


@dataclass(frozen=True)
class Reach:
    """An officer reaches the records of their own area; performance managers and admins
    every record; anyone else only published records (or all, for a model with no state)."""

    area: str  # lookup from the record to its priority area
    state: str | None = None  # lookup to its Value.State, if it has one


#: The admins whose lists are narrowed per user (test_every_narrowed_admin_is_declared).
REACH = {
    "indicators.value": Reach("indicator__priority_area", "state"),
    "indicators.commentary": Reach("priority_area", "state"),
    "indicators.target": Reach("indicator__priority_area"),
    "indicators.benchmarkvalue": Reach("indicator__priority_area"),
    "indicators.valuerevision": Reach("value__indicator__priority_area"),
}
PROVISIONAL, PUBLISHED = Value.State.PROVISIONAL, Value.State.PUBLISHED


def _label(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _actions(role: str, label: str) -> frozenset[str]:
    if label in VIEW_ONLY_FOR_DATA_ENTRY:
        return frozenset({"view"} if role in DATA_ENTRY_ROLES else ())
    if role == "admin":
        return ALL_ACTIONS
    app, model = label.split(".")
    return frozenset(roles.ROLE_PERMISSIONS[ROLE_OF[role]].get(app, {}).get(model, ()))


def _specimens(label: str) -> list[tuple[str, str | None]]:
    """(area, state) of the records each page is tried with: one record for a model every
    staff role reaches alike; one per area (and per state) for a narrowed one."""
    reach = REACH.get(label)
    if reach is None:
        return [("", None)]
    states = (PROVISIONAL, PUBLISHED) if reach.state else (None,)
    return [(area, state) for area in ("A", "B") for state in states]


def _reaches(role: str, label: str, area: str, state: str | None) -> bool:
    if label not in REACH or role in REVISERS:
        return True
    if role in ("officer_a", "officer_b"):
        return role[-1].upper() == area
    return state in (None, PUBLISHED)


def _admin_expected(role: str, label: str, kind: str, area: str = "", state=None) -> str:
    if role not in STAFF_ROLES:
        return "L"
    actions = _actions(role, label)
    if kind == "changelist":
        return "200" if {"view", "change"} & actions else "403"
    if kind == "add":
        no_add = NO_ADD | READ_ONLY | ONE_PER_PANEL
        return "200" if "add" in actions and label not in no_add else "403"
    if label in NO_RECORD_PAGES or not _reaches(role, label, area, state):
        return "404"
    published_value = label == "indicators.value" and state == PUBLISHED
    if kind == "delete":
        # A published value is never deleted; it changes only through a revision.
        deletable = not published_value and label not in READ_ONLY | ONE_PER_PANEL
        return "200" if "delete" in actions and deletable else "403"
    if kind == "revert":
        # Reverting is a performance manager's act; a published value's revert goes to the
        # revision screen (with a reason).
        may = role in REVISERS and ("change" in actions or published_value)
        return "ok" if may else "403"
    return "200" if {"view", "change"} & actions else "403"  # change, history, version


def _kinds(model_admin) -> list[str]:
    kinds = ["changelist", "add", "change", "delete", "history"]
    if isinstance(model_admin, SimpleHistoryAdmin):
        kinds += ["version", "revert"]
    return kinds


@dataclass(frozen=True)
class AdminCase:
    label: str
    kind: str
    area: str
    state: str | None

    def specimen_key(self) -> tuple[str, str, str | None]:
        return (self.label, self.area, self.state)


def _admin_cases():
    for model, model_admin in admin.site._registry.items():
        label = _label(model)
        for kind in _kinds(model_admin):
            specimens = [("", None)] if kind in ("changelist", "add") else _specimens(label)
            for area, state in specimens:
                case = AdminCase(label, kind, area, state)
                where = f"{area} {state}" if area else ""
                for role in ROLES:
                    code = _admin_expected(role, label, kind, area, state)
                    yield pytest.param(case, role, code, id=f"{label} {kind} {where} {role}")


ADMIN_CASES = list(_admin_cases())


@pytest.fixture(scope="module")
def specimens(world, django_db_blocker) -> dict:
    """A record of every registered model (one per area and state for a narrowed one), each
    with a history version when the model keeps history. Added inside the world's transaction,
    so rolled back with it."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from indicators.models import Commentary, ValueRevision
    from meetings.models import Declaration, WorkProgrammeItem

    with django_db_blocker.unblock():
        areas = {"A": world.area_a, "B": world.area_b}
        for area in areas.values():
            for state, month in ((PROVISIONAL, world.month), (PUBLISHED, world.published_a.month)):
                Commentary.objects.get_or_create(
                    priority_area=area, month=month, defaults={"state": state}
                )
        for area in areas.values():
            value = Value.objects.filter(indicator__priority_area=area, state=PUBLISHED).first()
            ValueRevision.objects.create(
                value=value, revised_by=world.users["performance"], old_number=value.number,
                old_status=value.status, new_number=value.number, new_status=value.status,
                reason="Matrix specimen.",
            )
        seen = {"user_agent": "matrix", "ip_address": "192.0.2.1", "username": "nobody",
                "http_accept": "*/*", "path_info": "/accounts/login/"}
        AccessAttempt.objects.create(**seen, get_data="", post_data="", failures_since_start=1)
        AccessLog.objects.create(**seen)
        AccessFailureLog.objects.create(**seen)
        if not Declaration.objects.exists():
            Declaration.objects.create(
                meeting=world.meeting, person=world.person, kind=Declaration.Kind.choices[0][0],
                detail="Matrix specimen.",
            )
        if not PanelDecision.objects.exists():
            PanelDecision.objects.create(
                recommendation=world.recommendation, meeting=world.meeting,
                decision=PanelDecision.Kind.choices[0][0],
            )
        if not WorkProgrammeItem.objects.exists():
            WorkProgrammeItem.objects.create(panel=world.panel, title="Matrix specimen")

        found, missing = {}, []
        for model, model_admin in admin.site._registry.items():
            label = _label(model)
            for area, state in _specimens(label):
                records = model._default_manager.order_by("pk")
                if area:
                    reach = REACH[label]
                    records = records.filter(**{reach.area: areas[area]})
                    if state:
                        records = records.filter(**{reach.state: state})
                obj = records.first()
                if obj is None:
                    missing.append(f"{label} {area} {state}")
                    continue
                version = None
                if isinstance(model_admin, SimpleHistoryAdmin):
                    version = obj.history.order_by("-history_id").first()
                    if version is None:
                        obj.save()
                        version = obj.history.order_by("-history_id").first()
                found[(label, area, state)] = (obj, version)
        assert missing == [], "the world has no record of these: add one"
        return found


def _admin_url(case: AdminCase, obj, version) -> str:
    app, model = case.label.split(".")
    base = f"/admin/{app}/{model}/"
    if case.kind == "changelist":
        return base
    if case.kind == "add":
        return base + "add/"
    page = {"change": "change/", "delete": "delete/", "history": "history/"}
    tail = page.get(case.kind) or f"history/{version.history_id}/"
    return f"{base}{obj.pk}/{tail}"


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "role", "code"), ADMIN_CASES)
def test_admin_matrix(client, world, specimens, case, role, code):
    obj, version = specimens.get(case.specimen_key(), (None, None))
    url = _admin_url(case, obj, version)
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    # The revert is posted empty: a refused post writes nothing, an allowed one redraws the form
    # with its errors (or, for a published value, goes to the revision screen).
    response = client.post(url, {}) if case.kind == "revert" else client.get(url)
    _assert_outcome(response, code, f"{case.kind.upper()} {url} as {role}: {response.status_code}")


def test_every_narrowed_admin_is_declared():
    """An admin whose list depends on the user must say how, in REACH, to be tried both ways."""
    narrowed = {
        _label(model)
        for model, model_admin in admin.site._registry.items()
        if type(model_admin).get_queryset is not admin.ModelAdmin.get_queryset
    }
    assert narrowed == set(REACH)


def test_every_admin_url_of_a_model_is_tried():
    """Each registered model's own URLs are the pages above, or a custom screen in ROUTES."""
    kinds = {"changelist", "add", "change", "delete", "history", "simple_history"}
    custom = {route.name for route in ROUTES}
    for model, model_admin in admin.site._registry.items():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        for pattern in model_admin.urls:
            name = getattr(pattern, "name", None)
            if not name:
                continue
            assert name.removeprefix(prefix) in kinds or f"admin:{name}" in custom, name


CASES = [
    pytest.param(route, role, code, id=f"{route.method} {route.url} {role}")
    for route in ROUTES
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


def test_a_rebase_is_saved_by_a_performance_manager_only_with_its_history(client, world):
    from indicators.models import SpcBreak

    body = _body("spc_break", world)
    client.force_login(world.users["officer_a"])
    assert client.post("/admin/indicators/spcbreak/add/", body).status_code == 403
    assert not SpcBreak.objects.filter(indicator=world.indicator_a, month="2021-10-01").exists()
    client.force_login(world.users["performance"])
    assert client.post("/admin/indicators/spcbreak/add/", body).status_code == 302
    saved = SpcBreak.objects.get(indicator=world.indicator_a, month="2021-10-01")
    assert (saved.kind, saved.reason) == ("rebase", "the new recording system")
    assert saved.created_by == world.users["performance"]
    assert saved.history.get().history_user == world.users["performance"]
