"""Two people saving the same month at once: the second is told, and nothing is lost silently."""

import json
from datetime import date
from decimal import Decimal as D
from html.parser import HTMLParser
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from indicators import services
from indicators.models import Commentary, Target, Value
from indicators.services import entry

from .entry_fixtures import add_values, make_dataset

pytestmark = pytest.mark.django_db
MARCH = date(2022, 3, 1)


class _FormReader(HTMLParser):
    """The fields a browser would submit from the entry screen's form, as drawn."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            if attrs.get("type") == "checkbox":
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            elif attrs.get("type") != "submit":
                self.data[name] = attrs.get("value", "")
        elif tag == "select" and name and "disabled" not in attrs:
            self.data[name] = ""
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def screen(client, url) -> dict[str, str]:
    """Open the entry screen and keep what its form would send back."""
    response = client.get(url)
    assert response.status_code == 200
    reader = _FormReader()
    reader.feed(response.content.decode())
    return reader.data


@pytest.fixture
def ds():
    dataset = make_dataset()
    dataset.performance.first_name, dataset.performance.last_name = "Petra", "Manager"
    dataset.performance.save()
    return dataset


@pytest.fixture
def url(ds):
    return reverse("admin:indicators_entry_month", args=[ds.area.pk, "2022-03"])


def two_people(ds):
    officer, manager = Client(), Client()
    officer.force_login(ds.officer)
    manager.force_login(ds.performance)
    return officer, manager


def both_change_contacts(ds, url):
    """Both open the month; the manager saves contacts as 120, then the officer sends 130."""
    officer, manager = two_people(ds)
    officer_form, manager_form = screen(officer, url), screen(manager, url)
    manager_form[f"i{ds.contacts.pk}-value"] = "120"
    assert manager.post(url, manager_form).status_code == 302
    officer_form[f"i{ds.contacts.pk}-value"] = "130"
    return officer, officer.post(url, officer_form)


def test_the_second_save_of_a_changed_value_is_refused_and_names_who_changed_it(ds, url):
    add_values(ds.contacts, [100], start=MARCH, state="provisional")
    officer, manager = two_people(ds)
    officer_form, manager_form = screen(officer, url), screen(manager, url)

    manager_form[f"i{ds.contacts.pk}-value"] = "120"
    assert manager.post(url, manager_form).status_code == 302
    officer_form[f"i{ds.contacts.pk}-value"] = "130"
    officer_form[f"i{ds.rereferrals.pk}-value"] = "21%"
    response = officer.post(url, officer_form)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Petra Manager saved this value at" in body
    assert "it is now 120" in body
    assert "Nothing on the screen has been saved" in body
    assert Value.objects.get(indicator=ds.contacts, month=MARCH).number == D("120")
    # Atomic: the officer's other row was not saved either.
    assert not Value.objects.filter(indicator=ds.rereferrals, month=MARCH).exists()
    # The officer's own figure stays on the screen to compare.
    assert 'value="130"' in body


def test_after_seeing_the_conflict_the_officer_can_save_over_it_deliberately(ds, url):
    add_values(ds.contacts, [100], start=MARCH, state="provisional")
    officer, redrawn = both_change_contacts(ds, url)

    reader = _FormReader()
    reader.feed(redrawn.content.decode())
    assert reader.data[f"i{ds.contacts.pk}-value"] == "130"
    assert officer.post(url, reader.data).status_code == 302

    value = Value.objects.get(indicator=ds.contacts, month=MARCH)
    assert value.number == D("130")
    # Both saves are in the value's history: nothing was lost silently.
    assert [h.number for h in value.history.order_by("history_date")][-2:] == [D("120"), D("130")]


def test_two_people_entering_a_new_value_the_second_is_told(ds, url):
    _, response = both_change_contacts(ds, url)

    assert "Petra Manager saved this value at" in response.content.decode()
    assert Value.objects.get(indicator=ds.contacts, month=MARCH).number == D("120")


def test_saves_of_different_rows_of_the_same_month_both_land(ds, url):
    officer, manager = two_people(ds)
    officer_form, manager_form = screen(officer, url), screen(manager, url)
    manager_form[f"i{ds.contacts.pk}-value"] = "120"
    manager.post(url, manager_form)
    officer_form[f"i{ds.rereferrals.pk}-value"] = "21%"

    assert officer.post(url, officer_form).status_code == 302
    saved = dict(Value.objects.filter(month=MARCH).values_list("indicator_id", "number"))
    assert saved == {ds.contacts.pk: D("120"), ds.rereferrals.pk: D("21")}


def test_a_changed_commentary_is_not_overwritten_unseen(ds, url):
    officer, manager = two_people(ds)
    officer_form, manager_form = screen(officer, url), screen(manager, url)
    manager_form["commentary-analysis"] = "Contacts rose after the schools' campaign."
    manager.post(url, manager_form)
    officer_form["commentary-analysis"] = "Re-referrals are steady."

    response = officer.post(url, officer_form)

    body = response.content.decode()
    assert "Commentary, March 2022: Petra Manager saved the commentary at" in body
    assert "Their analysis now reads: “Contacts rose after the schools&#x27; campaign.”" in body
    assert Commentary.objects.get(priority_area=ds.area, month=MARCH).analysis.startswith(
        "Contacts rose"
    )


def test_commentary_left_as_it_was_keeps_the_other_persons_and_the_values_save(ds, url):
    officer, manager = two_people(ds)
    officer_form, manager_form = screen(officer, url), screen(manager, url)
    manager_form["commentary-analysis"] = "Contacts rose after the schools' campaign."
    manager.post(url, manager_form)
    officer_form[f"i{ds.rereferrals.pk}-value"] = "21%"

    assert officer.post(url, officer_form).status_code == 302
    assert Value.objects.get(indicator=ds.rereferrals, month=MARCH).number == D("21")
    assert Commentary.objects.get(priority_area=ds.area, month=MARCH).analysis.startswith(
        "Contacts rose"
    )


def test_a_browsers_crlf_line_breaks_leave_commentary_untouched():
    stored = Commentary(analysis="Line one\nLine two", actions="")
    sent = services.CommentaryInput(analysis="Line one\r\nLine two\r\n", actions="")
    assert services.commentary_token(sent) == services.commentary_token(stored)
    assert services.commentary_token(services.CommentaryInput()) == services.NEW_ENTRY


def test_an_insert_that_collides_with_a_save_committed_meanwhile_refuses_the_month(ds):
    """Both read no value; the other save commits between our read and our insert, so the
    unique constraint, not the token, catches it."""
    real_series = entry.series_by_indicator

    def other_save_lands(ids):
        Value.objects.create(indicator=ds.contacts, month=MARCH, number=D("120"))
        return real_series(ids)

    rows = [
        services.EntryRow(indicator=ds.rereferrals, number=D("21"), seen=services.NEW_ENTRY),
        services.EntryRow(indicator=ds.contacts, number=D("130"), seen=services.NEW_ENTRY),
    ]
    with (
        mock.patch.object(entry, "series_by_indicator", side_effect=other_save_lands),
        pytest.raises(services.Rejected) as caught,
    ):
        services.save_month(
            user=ds.officer, area=ds.area, month=MARCH, rows=rows, commentary=None
        )
    assert [i.message for i in caught.value.issues] == [
        services.MSG_SAVED_AT_THE_SAME_MOMENT.format(
            indicator=ds.contacts, month="March 2022"
        )
    ]
    # The other save was rolled back with ours here (it ran in our transaction), and the row
    # saved before the collision is gone too: the month is all or nothing.
    assert not Value.objects.filter(month=MARCH).exists()


def test_a_token_changes_with_the_figure_not_with_the_decimal_places():
    value = Value(number=D("21"), status="", state=Value.State.PROVISIONAL)
    same = Value(number=D("21.0000"), status="", state=Value.State.APPROVED)
    changed = Value(number=D("22"), status="", state=Value.State.PROVISIONAL)
    fraction = Value(number=D("21"), status="", numerator=D("21"), denominator=D("100"))
    assert services.entry_token(value) == services.entry_token(same)
    assert services.entry_token(value) != services.entry_token(changed)
    assert services.entry_token(value) != services.entry_token(fraction)
    assert services.entry_token(None) == services.NEW_ENTRY


def test_an_untouched_row_sends_back_the_token_it_was_drawn_with(ds, url):
    add_values(ds.contacts, [100], start=MARCH, state="provisional")
    officer = Client()
    officer.force_login(ds.officer)
    form = screen(officer, url)
    row = ds.contacts.pk
    drawn = services.entry_token(Value.objects.get(indicator=ds.contacts, month=MARCH))
    assert form[f"i{row}-seen"] == drawn
    sent = services.EntryRow(indicator=ds.contacts, number=D(form[f"i{row}-value"]))
    assert services.row_token(sent) == drawn


def test_the_plain_change_form_refuses_to_overwrite_a_value_changed_meanwhile(ds):
    add_values(ds.contacts, [100], start=MARCH, state="provisional")
    value = Value.objects.get(indicator=ds.contacts, month=MARCH)
    url = reverse("admin:indicators_value_change", args=[value.pk])
    officer, manager = two_people(ds)
    officer_form, manager_form = screen(officer, url), screen(manager, url)
    # The figure is one part of the page's token, compared as the entry screen compares it.
    assert json.loads(officer_form["seen"])["value"] == services.entry_token(value)

    manager_form["number"] = "120"
    assert manager.post(url, manager_form).status_code == 302
    officer_form["number"] = "130"
    refused = officer.post(url, officer_form)

    body = refused.content.decode()
    assert refused.status_code == 200
    assert "Petra Manager saved this value at" in body and "it is now 120" in body
    assert Value.objects.get(pk=value.pk).number == D("120")
    # The redrawn form carries the stored value's token: saving again is deliberate.
    reader = _FormReader()
    reader.feed(body)
    assert officer.post(url, reader.data).status_code == 302
    assert Value.objects.get(pk=value.pk).number == D("130")


def targets_url(ds):
    return reverse("admin:indicators_entry_targets", args=[ds.area.pk, 2021])


def test_a_target_changed_meanwhile_is_not_overwritten_unseen(ds):
    url = targets_url(ds)
    officer, manager = two_people(ds)
    officer_form, manager_form = screen(officer, url), screen(manager, url)
    manager_form[f"i{ds.contacts.pk}-target"] = "100"
    assert manager.post(url, manager_form).status_code == 302
    officer_form[f"i{ds.contacts.pk}-target"] = "110"
    officer_form[f"i{ds.rereferrals.pk}-target"] = "<20%"

    refused = officer.post(url, officer_form)

    body = refused.content.decode()
    assert "Number of contacts, 2021/22: Petra Manager saved this target or its benchmarks" in body
    assert Target.objects.get(indicator=ds.contacts, year=2021).number == D("100")
    assert not Target.objects.filter(indicator=ds.rereferrals).exists()
    # Saving again from the redrawn screen is deliberate, and lands.
    reader = _FormReader()
    reader.feed(body)
    assert officer.post(url, reader.data).status_code == 302
    assert Target.objects.get(indicator=ds.contacts, year=2021).number == D("110")


def test_targets_of_different_rows_saved_meanwhile_both_land(ds):
    url = targets_url(ds)
    officer, manager = two_people(ds)
    officer_form, manager_form = screen(officer, url), screen(manager, url)
    manager_form[f"i{ds.contacts.pk}-target"] = "100"
    manager.post(url, manager_form)
    officer_form[f"i{ds.rereferrals.pk}-target"] = "<20%"

    assert officer.post(url, officer_form).status_code == 302
    saved = dict(Target.objects.filter(year=2021).values_list("indicator_id", "number"))
    assert saved == {ds.contacts.pk: D("100"), ds.rereferrals.pk: D("20")}
