"""Two people editing the same record in the admin: the second save never silently discards the
first's change. A field both changed is refused, naming who saved it, when, and what it holds;
a field only the first changed keeps theirs; saving the redrawn page again is deliberate."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from core.stale_saves import MSG_SUMMARY
from indicators.models import Target
from meetings.models import AgendaItem, Meeting, Minute, Resolution
from recommendations.models import Recommendation, RecommendationUpdate
from tests.factories import (
    AgendaItemFactory,
    IndicatorFactory,
    MeetingFactory,
    MinuteFactory,
    RecommendationFactory,
    RecommendationUpdateFactory,
    ResolutionFactory,
    TargetFactory,
    UserFactory,
)
from tests.indicators.test_concurrent_entry import _FormReader

pytestmark = pytest.mark.django_db


class _AdminFormReader(_FormReader):
    """What a browser sends from an admin change form: a multiple select sends its chosen
    options, or nothing at all."""

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        if tag == "select" and "multiple" in named:
            self._select = None
            self._multiple = named["name"]
            return
        if tag == "option" and getattr(self, "_multiple", None):
            if "selected" in named:
                self.data.setdefault(self._multiple, []).append(named.get("value", ""))
            return
        super().handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "select":
            self._multiple = None
        super().handle_endtag(tag)


def _read(body: str) -> dict:
    reader = _AdminFormReader()
    reader.feed(body)
    return reader.data


def _page(client: Client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    return _read(response.content.decode())


def _field(form: dict, name: str, case: str) -> str:
    """The form key of `name`: itself, or on an inline's page its first row's (`prefix-0-name`)."""
    if "inline" not in case:
        return name
    matches = [key for key in form if key.endswith(f"-0-{name}") and "__prefix__" not in key]
    assert len(matches) == 1, (name, matches)
    return matches[0]


def _recommendation():
    rec = RecommendationFactory(action_proposed="Brief the Panel.")
    return reverse("admin:recommendations_recommendation_change", args=[rec.pk]), (
        Recommendation, rec.pk, "action_proposed", "item_title"
    )


def _update_inline():
    update = RecommendationUpdateFactory(action_taken="Arranged.", author_name="A N Other")
    url = reverse("admin:recommendations_recommendation_change", args=[update.recommendation_id])
    return url, (RecommendationUpdate, update.pk, "action_taken", "author_name")


def _update():
    update = RecommendationUpdateFactory(action_taken="Arranged.", author_name="A N Other")
    url = reverse("admin:recommendations_recommendationupdate_change", args=[update.pk])
    return url, (RecommendationUpdate, update.pk, "action_taken", "author_name")


def _meeting():
    meeting = MeetingFactory(venue="Room 1", notice="")
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    return url, (Meeting, meeting.pk, "venue", "notice")


def _agenda_item_inline():
    item = AgendaItemFactory(number=1, summary="", report_of="")
    url = reverse("admin:meetings_meeting_change", args=[item.meeting_id])
    return url, (AgendaItem, item.pk, "title", "report_of")


def _agenda_item():
    item = AgendaItemFactory(number=1, summary="", report_of="")
    url = reverse("admin:meetings_agendaitem_change", args=[item.pk])
    return url, (AgendaItem, item.pk, "title", "report_of")


def _minute():
    minute = MinuteFactory(text="The Panel heard the report.", noted="")
    url = reverse("admin:meetings_minute_change", args=[minute.pk])
    return url, (Minute, minute.pk, "text", "noted")


def _resolution_inline():
    resolution = ResolutionFactory(number=1)
    url = reverse("admin:meetings_minute_change", args=[resolution.minute_id])
    return url, (Resolution, resolution.pk, "text", "number")


def _resolution():
    resolution = ResolutionFactory(number=1)
    url = reverse("admin:meetings_resolution_change", args=[resolution.pk])
    return url, (Resolution, resolution.pk, "text", "number")


def _indicator():
    indicator = IndicatorFactory(definition="")
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    return url, (type(indicator), indicator.pk, "name", "definition")


def _target_inline():
    target = TargetFactory(number=Decimal("20"), amber_tolerance=None)
    url = reverse("admin:indicators_indicator_change", args=[target.indicator_id])
    return url, (Target, target.pk, "number", "amber_tolerance")


def _target():
    target = TargetFactory(number=Decimal("20"), amber_tolerance=None)
    url = reverse("admin:indicators_target_change", args=[target.pk])
    return url, (Target, target.pk, "number", "amber_tolerance")


#: Each change page: () -> (its address, (the model and row it edits, two of its fields)).
CASES = {
    "recommendation": _recommendation,
    "recommendation update (inline)": _update_inline,
    "recommendation update": _update,
    "meeting": _meeting,
    "agenda item (inline)": _agenda_item_inline,
    "agenda item": _agenda_item,
    "minute": _minute,
    "resolution (inline)": _resolution_inline,
    "resolution": _resolution,
    "indicator": _indicator,
    "target (inline)": _target_inline,
    "target": _target,
}
#: What each person types into a field: text, or a figure for the numeric ones.
NEW = {"number": ("31", "32"), "amber_tolerance": ("2", "3")}


def _typed(field: str, who: int) -> str:
    return NEW.get(field, (f"Ann's {field}", f"Ben's {field}"))[who]


def _stored(model, pk, field) -> str:
    value = getattr(model.objects.get(pk=pk), field)
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


@pytest.fixture
def two_staff():
    ann = UserFactory(first_name="Ann", last_name="Able", is_staff=True, is_superuser=True)
    ben = UserFactory(first_name="Ben", last_name="Baker", is_staff=True, is_superuser=True)
    clients = Client(), Client()
    clients[0].force_login(ann)
    clients[1].force_login(ben)
    return clients


@pytest.mark.parametrize("case", CASES)
def test_a_field_both_changed_is_refused_naming_who_saved_it(two_staff, case):
    url, (model, pk, field, _) = CASES[case]()
    ann, ben = two_staff
    ann_form, ben_form = _page(ann, url), _page(ben, url)
    key = _field(ann_form, field, case)

    ann_form[key] = _typed(field, 0)
    assert ann.post(url, ann_form).status_code == 302
    ben_form[key] = _typed(field, 1)
    refused = ben.post(url, ben_form)

    body = refused.content.decode()
    assert refused.status_code == 200
    assert "Ann Able saved this at" in body
    assert f"it is now “{_typed(field, 0)}”" in body.replace("&#x27;", "'")
    assert "Nothing on this page has been saved" in body
    if "inline" in case:
        assert MSG_SUMMARY in body
    assert _stored(model, pk, field) == _typed(field, 0)

    # Having seen theirs, Ben saves the redrawn page again on purpose: his replaces theirs.
    redrawn = _read(body)
    assert redrawn[key].strip() == _typed(field, 1)
    assert ben.post(url, redrawn).status_code == 302
    assert _stored(model, pk, field) == _typed(field, 1)


@pytest.mark.parametrize("case", CASES)
def test_a_field_only_the_other_changed_keeps_theirs(two_staff, case):
    url, (model, pk, first, second) = CASES[case]()
    ann, ben = two_staff
    ann_form, ben_form = _page(ann, url), _page(ben, url)

    ann_form[_field(ann_form, first, case)] = _typed(first, 0)
    assert ann.post(url, ann_form).status_code == 302
    ben_form[_field(ben_form, second, case)] = _typed(second, 1)
    assert ben.post(url, ben_form).status_code == 302

    assert _stored(model, pk, first) == _typed(first, 0), "Ann's change was kept"
    assert _stored(model, pk, second) == _typed(second, 1), "and so was Ben's"


def test_a_page_saved_by_no_one_else_meanwhile_saves_as_before(two_staff):
    url, (model, pk, field, _) = _recommendation()
    ann, _ = two_staff
    form = _page(ann, url)
    form[field] = "Changed once."
    assert ann.post(url, form).status_code == 302
    assert _stored(model, pk, field) == "Changed once."


def test_a_page_that_shows_a_record_only_carries_no_token(client):
    viewer = UserFactory(is_staff=True)
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_recommendation"))
    client.force_login(viewer)
    url, _ = _recommendation()
    body = client.get(url).content.decode()
    assert 'name="seen"' not in body and "Seen" not in body


@pytest.mark.parametrize("case", CASES)
def test_a_posted_change_reads_the_record_it_compares_under_a_row_lock(two_staff, case):
    """What the form compares is what is stored when it is saved: the admin reads the record
    (and an inline's rows) with SELECT ... FOR UPDATE inside the save's transaction."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url, (model, pk, field, _) = CASES[case]()
    ann, _ = two_staff
    form = _page(ann, url)
    form[_field(form, field, case)] = _typed(field, 0)
    with CaptureQueriesContext(connection) as queries:
        assert ann.post(url, form).status_code == 302
    table = model._meta.db_table
    locked = [
        q["sql"] for q in queries.captured_queries
        if "FOR UPDATE" in q["sql"] and f'"{table}"' in q["sql"].split("FOR UPDATE")[0]
    ]
    if connection.features.has_select_for_update:
        assert locked, f"{table} was not read under a lock"
    else:  # SQLite locks the whole database for a write; the read is the same read
        assert not locked
    assert _stored(model, pk, field) == _typed(field, 0)
