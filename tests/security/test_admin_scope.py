"""The admin's side doors: history, the history (revert) form, delete and actions answer 403/404
for an object outside the user's `get_queryset`, and reverting is a performance manager's act
that changes a published value only through `services.revise_value` (with a reason)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib import admin

from core.admin_scope import MSG_NOT_REVERTER, ScopedAdmin
from fuzz.world import PROVISIONAL_A, PROVISIONAL_B
from indicators import services
from indicators.models import Indicator, Value, ValueRevision
from tests.factories import CommentaryFactory

pytestmark = pytest.mark.django_db

PROVISIONAL_B_SHOWN = "8765"
COMMENTARY_B_TEXT = "Zebracommentary: placements in area B fell in the month."


def _login(client, world, role):
    client.force_login(world.users[role])


def _history_url(obj) -> str:
    opts = obj._meta
    return f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/history/"


def _version_url(obj, record) -> str:
    return f"{_history_url(obj)}{record.history_id}/"


def _value_form(value, *, indicator, number) -> dict:
    return {
        "indicator": indicator.pk,
        "month": f"{value.month:%Y-%m-%d}",
        "number": str(number),
        "status": "",
        "numerator": "",
        "denominator": "",
        # A figure outside the indicator's history is saved once its warning is confirmed.
        "confirm_warnings": "on",
        "warning_reason": "checked with the service",
    }


@pytest.fixture
def commentary_b(world):
    return CommentaryFactory(
        priority_area=world.area_b, indicator=None, month=world.month, analysis=COMMENTARY_B_TEXT
    )


# --- Another area's value and commentary -------------------------------------------------------


def test_an_officer_cannot_open_another_areas_value_history(client, world):
    _login(client, world, "officer_a")
    response = client.get(_history_url(world.value_b))
    assert response.status_code == 404
    assert PROVISIONAL_B_SHOWN not in response.content.decode()


def test_an_officer_cannot_open_a_version_of_another_areas_value(client, world):
    _login(client, world, "officer_a")
    record = world.value_b.history.latest("history_date")
    response = client.get(_version_url(world.value_b, record))
    assert response.status_code == 404
    assert PROVISIONAL_B_SHOWN not in response.content.decode()


def test_the_officer_of_the_area_opens_the_values_history_and_version(client, world):
    _login(client, world, "officer_b")
    record = world.value_b.history.latest("history_date")
    assert client.get(_history_url(world.value_b)).status_code == 200
    response = client.get(_version_url(world.value_b, record))
    assert response.status_code == 200
    assert PROVISIONAL_B_SHOWN in response.content.decode()


def test_an_officer_cannot_open_another_areas_commentary_history(client, world, commentary_b):
    _login(client, world, "officer_a")
    record = commentary_b.history.latest("history_date")
    for url in (_history_url(commentary_b), _version_url(commentary_b, record)):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Zebracommentary" not in response.content.decode(), url
    _login(client, world, "officer_b")
    response = client.get(_version_url(commentary_b, record))
    assert response.status_code == 200
    assert "Zebracommentary" in response.content.decode()


def _free_indicator_of_area_a(world):
    """An indicator of area A with no value in the world's month: somewhere to move a value."""
    return (
        Indicator.objects.filter(priority_area=world.area_a)
        .exclude(values__month=world.month)
        .order_by("order")
        .first()
    )


def test_the_revert_form_does_not_move_another_areas_value(client, world):
    _login(client, world, "officer_a")
    record = world.value_b.history.latest("history_date")
    response = client.post(
        _version_url(world.value_b, record),
        _value_form(world.value_b, indicator=_free_indicator_of_area_a(world), number=1),
    )
    assert response.status_code == 404
    world.value_b.refresh_from_db()
    assert (world.value_b.indicator_id, world.value_b.number) == (
        world.indicator_b.pk,
        PROVISIONAL_B,
    )


def test_the_revert_form_does_not_overwrite_another_areas_commentary(client, world, commentary_b):
    _login(client, world, "officer_a")
    record = commentary_b.history.latest("history_date")
    response = client.post(
        _version_url(commentary_b, record),
        {"priority_area": world.area_a.pk, "month": f"{world.month:%Y-%m-%d}", "analysis": "x"},
    )
    assert response.status_code == 404
    commentary_b.refresh_from_db()
    assert (commentary_b.priority_area_id, commentary_b.analysis) == (
        world.area_b.pk,
        COMMENTARY_B_TEXT,
    )


def test_an_officer_cannot_delete_another_areas_value(client, world):
    _login(client, world, "officer_a")
    url = f"/admin/indicators/value/{world.value_b.pk}/delete/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"post": "yes"}).status_code == 404
    assert Value.objects.filter(pk=world.value_b.pk).exists()


def test_an_officer_cannot_open_another_areas_value_change_form(client, world):
    _login(client, world, "officer_a")
    response = client.get(f"/admin/indicators/value/{world.value_b.pk}/change/")
    assert response.status_code == 404


# --- Reverting ---------------------------------------------------------------------------------


def test_an_officer_may_not_revert_even_their_own_value(client, world):
    _login(client, world, "officer_a")
    value = world.value_a
    value.number = Decimal("1")
    value.save()
    first = value.history.earliest("history_date")
    url = _version_url(value, first)
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # no Revert button
    response = client.post(
        url, _value_form(value, indicator=world.indicator_a, number=PROVISIONAL_A)
    )
    assert response.status_code == 403
    assert response.context["exception"] == MSG_NOT_REVERTER
    value.refresh_from_db()
    assert value.number == Decimal("1")


def test_a_viewer_cannot_overwrite_a_published_value_through_its_history(client, world):
    """The scrutiny manager may view values; the revert form saved for anyone who could view."""
    value = world.published_a
    before = (value.number, value.state)
    record = value.history.latest("history_date")
    _login(client, world, "manager")
    response = client.post(
        _version_url(value, record), _value_form(value, indicator=world.indicator_a, number=7)
    )
    assert response.status_code == 403
    value.refresh_from_db()
    assert (value.number, value.state) == before


def _revised_published_value(world) -> tuple[Value, Decimal]:
    value = world.published_a
    old = value.number
    services.revise_value(
        user=world.users["performance"],
        value=value,
        number=old + 1,
        status=value.status,
        reason="Late returns from one home.",
    )
    value.refresh_from_db()
    return value, old


def test_reverting_a_published_value_goes_through_a_revision_with_a_reason(client, world):
    value, old = _revised_published_value(world)
    older = value.history.filter(number=old).latest("history_date")
    revisions = ValueRevision.objects.filter(value=value).count()
    _login(client, world, "performance")
    url = _version_url(value, older)
    assert 'name="_save"' in client.get(url).content.decode()  # the Revert button

    response = client.post(url, _value_form(value, indicator=world.indicator_b, number=old))

    revise = f"/admin/indicators/value/{value.pk}/revise/?version={older.history_id}"
    assert (response.status_code, response["Location"]) == (302, revise)
    value.refresh_from_db()
    assert (value.number, value.indicator_id, value.state) == (
        old + 1,
        world.indicator_a.pk,
        Value.State.PUBLISHED,
    )
    form = client.get(revise).context["form"]
    assert Decimal(form.initial["value"]) == old
    done = client.post(
        f"/admin/indicators/value/{value.pk}/revise/",
        {"value": str(old), "status": "", "reason": "Reverted: the late returns were wrong."},
    )
    assert done.status_code == 302
    value.refresh_from_db()
    assert (value.number, value.state, value.revised) == (old, Value.State.PUBLISHED, True)
    revision = ValueRevision.objects.filter(value=value).latest("revised_at")
    assert ValueRevision.objects.filter(value=value).count() == revisions + 1
    assert revision.reason == "Reverted: the late returns were wrong."


def test_a_revert_of_a_version_of_another_value_is_not_found(client, world):
    """A version id belongs to one object: another object's id in the URL is not found."""
    _login(client, world, "performance")
    record = world.value_b.history.latest("history_date")
    url = f"/admin/indicators/value/{world.value_a.pk}/history/{record.history_id}/"
    assert client.get(url).status_code == 404


def test_a_performance_manager_reverts_a_provisional_value(client, world):
    value = world.value_b  # a percentage
    for number in ("40", "50"):
        value.number = Decimal(number)
        value.save()
    earlier = value.history.filter(number=Decimal("40")).get()
    _login(client, world, "performance")
    response = client.post(
        _version_url(value, earlier),
        _value_form(value, indicator=world.indicator_b, number=earlier.number),
    )
    assert response.status_code == 302
    value.refresh_from_db()
    assert (value.number, value.state) == (Decimal("40"), Value.State.PROVISIONAL)
    assert value.history.latest("history_date").history_user == world.users["performance"]


# --- Actions ------------------------------------------------------------------------------------


def test_an_action_never_reaches_objects_outside_the_users_scope(client, world):
    """Whatever an officer may run on the value list, another area's ids are dropped."""
    _login(client, world, "officer_a")
    before = Value.objects.filter(pk=world.value_b.pk).values_list("number", "state").get()
    for action in ("delete_selected", "approve_selected"):
        client.post(
            "/admin/indicators/value/",
            {"action": action, "_selected_action": [world.value_b.pk], "post": "yes"},
        )
    assert Value.objects.filter(pk=world.value_b.pk).values_list("number", "state").get() == before


# --- Every admin uses the rule ------------------------------------------------------------------

OUR_APPS = {"indicators", "meetings", "recommendations", "scrutiny"}


def test_every_admin_of_our_apps_applies_the_scope_rule():
    ours = {
        model._meta.label: model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in OUR_APPS
    }
    assert len(ours) > 20
    assert [label for label, a in ours.items() if not isinstance(a, ScopedAdmin)] == []


# --- Autocomplete -----------------------------------------------------------------------------


def _autocomplete(client, *, model_name, field_name, term=""):
    return client.get(
        "/admin/autocomplete/",
        {"app_label": "indicators", "model_name": model_name, "field_name": field_name,
         "term": term},
    )


@pytest.mark.parametrize("role", ["officer_a", "officer_b", "performance", "manager"])
def test_an_autocomplete_offers_only_what_the_users_admin_list_holds(client, rf, world, role):
    """Django's autocomplete answers from the remote model's admin list for the user: it offers
    no record that user's admin would not list (here indicators, from the SPC break form)."""
    _login(client, world, role)
    response = _autocomplete(client, model_name="spcbreak", field_name="indicator")
    request = rf.get("/admin/indicators/indicator/")
    request.user = world.users[role]
    indicator_admin = admin.site._registry[Indicator]
    if not indicator_admin.has_view_permission(request):
        assert response.status_code == 403
        return
    assert response.status_code == 200
    offered = {int(row["id"]) for row in response.json()["results"]}
    listed = set(indicator_admin.get_queryset(request).values_list("pk", flat=True))
    assert offered and offered <= listed


def test_the_spc_break_indicator_autocomplete_finds_an_indicator_for_a_performance_manager(
    client, world
):
    _login(client, world, "performance")
    response = _autocomplete(
        client, model_name="spcbreak", field_name="indicator", term=world.indicator_b.name[:12]
    )
    assert response.status_code == 200
    names = [row["text"] for row in response.json()["results"]]
    assert str(world.indicator_b) in names
