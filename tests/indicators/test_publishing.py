"""Provisional → approved → published, revisions of published values, and the history kept."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from indicators import permissions, services
from indicators.models import Commentary, Publication, Value, ValueRevision
from indicators.services import CommentaryInput, EntryRow

from .entry_fixtures import add_values, make_dataset

pytestmark = pytest.mark.django_db
MARCH = date(2022, 3, 1)
TODAY = date(2022, 3, 20)


@pytest.fixture
def ds():
    return make_dataset()


def enter(ds, user=None, number=D(29), **kwargs):
    return services.save_month(
        user=user or ds.officer,
        area=ds.area,
        month=MARCH,
        rows=[EntryRow(ds.rereferrals, number=number), EntryRow(ds.contacts, number=D(1606))],
        commentary=CommentaryInput(analysis="Contacts are higher.", actions="- Analyse conversion"),
        today=TODAY,
        **kwargs,
    )


def test_entered_values_start_provisional_and_record_who(ds):
    result = enter(ds)
    assert (result.created, result.changed) == (2, 0)
    value = Value.objects.get(indicator=ds.rereferrals, month=MARCH)
    assert value.state == Value.State.PROVISIONAL
    assert value.entered_by == ds.officer
    assert value.history.first().history_user == ds.officer
    commentary = Commentary.objects.get(priority_area=ds.area, month=MARCH)
    assert commentary.action_points == ["Analyse conversion"]
    assert not Value.objects.published().exists()


def test_a_performance_manager_approves_and_an_officer_may_not(ds):
    enter(ds)
    values = Value.objects.filter(month=MARCH)
    with pytest.raises(PermissionDenied, match=permissions.MSG_NOT_APPROVER):
        services.approve_values(user=ds.officer, values=values)
    assert services.approve_values(user=ds.performance, values=values) == 2
    value = Value.objects.get(indicator=ds.rereferrals, month=MARCH)
    assert (value.state, value.approved_by) == (Value.State.APPROVED, ds.performance)
    assert value.approved_at is not None
    # Approving again approves nothing more.
    assert services.approve_values(user=ds.performance, values=values) == 0


def test_changing_an_approved_value_makes_it_provisional_again(ds):
    enter(ds)
    services.approve_values(user=ds.performance, values=Value.objects.filter(month=MARCH))
    result = enter(ds, number=D(30))
    assert (result.changed, result.unchanged) == (1, 1)
    assert Value.objects.get(indicator=ds.rereferrals, month=MARCH).state == "provisional"
    assert Value.objects.get(indicator=ds.contacts, month=MARCH).state == "approved"


def test_publishing_a_month_publishes_approved_values_and_commentary(ds):
    enter(ds)
    contacts = Value.objects.filter(indicator=ds.contacts, month=MARCH)
    services.approve_values(user=ds.performance, values=contacts)
    with pytest.raises(PermissionDenied, match=permissions.MSG_NOT_PUBLISHER):
        services.publish_month(user=ds.officer, panel=ds.panel, month=MARCH)
    result = services.publish_month(user=ds.performance, panel=ds.panel, month=MARCH)
    assert result.published == 1
    assert [v.indicator for v in result.left_provisional] == [ds.rereferrals]
    publication = Publication.objects.get(panel=ds.panel, month=MARCH)
    assert publication.published_by == ds.performance
    published = Value.objects.published().get()
    assert (published.indicator, published.published_at is not None) == (ds.contacts, True)
    assert Commentary.objects.get(priority_area=ds.area, month=MARCH).state == "published"


def test_publishing_with_nothing_approved_is_refused(ds):
    enter(ds)
    message = services.MSG_NOTHING_TO_PUBLISH.format(panel=ds.panel, month="March 2022")
    with pytest.raises(ValidationError) as caught:
        services.publish_month(user=ds.performance, panel=ds.panel, month=MARCH)
    assert caught.value.messages == [message]
    assert not Publication.objects.exists()


def publish_all(ds):
    enter(ds)
    services.approve_values(user=ds.performance, values=Value.objects.filter(month=MARCH))
    services.publish_month(user=ds.performance, panel=ds.panel, month=MARCH)
    return Value.objects.get(indicator=ds.rereferrals, month=MARCH)


def test_a_published_value_is_not_changed_on_the_entry_screen(ds):
    publish_all(ds)
    with pytest.raises(services.Rejected) as caught:
        enter(ds, number=D(31))
    assert caught.value.messages == [
        services.MSG_PUBLISHED_NEEDS_REVISION.format(indicator=ds.rereferrals, month="March 2022")
    ]
    assert Value.objects.get(indicator=ds.rereferrals, month=MARCH).number == D(29)


def test_published_commentary_is_changed_only_by_a_performance_manager(ds):
    publish_all(ds)
    with pytest.raises(PermissionDenied, match="March 2022"):
        services.save_month(
            user=ds.officer,
            area=ds.area,
            month=MARCH,
            rows=[],
            commentary=CommentaryInput(analysis="New words"),
            today=TODAY,
        )
    services.save_month(
        user=ds.performance,
        area=ds.area,
        month=MARCH,
        rows=[],
        commentary=CommentaryInput(analysis="New words"),
        today=TODAY,
    )
    commentary = Commentary.objects.get(priority_area=ds.area, month=MARCH)
    assert commentary.analysis == "New words"
    assert [h.analysis for h in commentary.history.order_by("history_date")][-1] == "New words"


def test_a_revision_records_who_when_old_new_and_why(ds):
    value = publish_all(ds)
    revision = services.revise_value(
        user=ds.performance,
        value=value,
        number=D(31),
        status="",
        reason="400 visits were in draft",
        today=TODAY,
    )
    value.refresh_from_db()
    assert (value.number, value.state, value.revised) == (D(31), "published", True)
    assert (revision.old_display, revision.new_display) == ("29", "31")
    assert (revision.revised_by, revision.reason) == (ds.performance, "400 visits were in draft")
    assert revision.revised_at is not None
    latest = value.history.order_by("-history_date").first()
    assert (latest.history_change_reason, latest.history_user) == (
        "400 visits were in draft",
        ds.performance,
    )
    assert list(Value.objects.filter(revised=True)) == [value]


def test_a_revision_needs_a_reason_a_change_and_a_performance_manager(ds):
    value = publish_all(ds)
    with pytest.raises(PermissionDenied, match=permissions.MSG_NOT_REVISER):
        services.revise_value(user=ds.officer, value=value, number=D(31), status="", reason="x")
    with pytest.raises(services.Rejected) as caught:
        services.revise_value(user=ds.performance, value=value, number=D(31), status="", reason=" ")
    assert caught.value.messages == [services.MSG_REASON_REQUIRED]
    with pytest.raises(services.Rejected) as caught:
        services.revise_value(user=ds.performance, value=value, number=D(29), status="", reason="x")
    assert caught.value.messages == [
        services.MSG_REVISION_UNCHANGED.format(indicator=ds.rereferrals, month="March 2022")
    ]
    with pytest.raises(services.Rejected) as caught:
        services.revise_value(
            user=ds.performance, value=value, number=D(131), status="", reason="typo", today=TODAY
        )
    assert "between 0 and 100" in caught.value.messages[0]
    assert not ValueRevision.objects.exists()


def test_only_published_values_are_revised(ds):
    enter(ds)
    value = Value.objects.get(indicator=ds.rereferrals, month=MARCH)
    with pytest.raises(services.Rejected) as caught:
        services.revise_value(user=ds.performance, value=value, number=D(1), status="", reason="x")
    assert caught.value.messages == [
        services.MSG_NOT_PUBLISHED.format(indicator=ds.rereferrals, month="March 2022")
    ]


def test_a_revision_to_a_status(ds):
    value = publish_all(ds)
    services.revise_value(
        user=ds.performance, value=value, number=None, status="tbc", reason="Under review"
    )
    value.refresh_from_db()
    assert (value.number, value.display) == (None, "TBC")
    assert value.revisions.get().new_display == "TBC"


def test_every_change_is_kept_in_the_history(ds):
    enter(ds)
    enter(ds, number=D(30))
    value = Value.objects.get(indicator=ds.rereferrals, month=MARCH)
    services.approve_values(user=ds.performance, values=[value])
    assert [h.number for h in value.history.order_by("history_date")] == [D(29), D(30), D(30)]
    assert [h.state for h in value.history.order_by("history_date")] == [
        "provisional",
        "provisional",
        "approved",
    ]


def test_members_and_the_public_see_only_published_values(ds):
    add_values(ds.rereferrals, [21, 27, 26], state="published")
    add_values(ds.rereferrals, [33], start=date(2021, 7, 1), state="approved")
    add_values(ds.rereferrals, [26], start=date(2021, 8, 1), state="provisional")
    assert permissions.visible_values(ds.member).count() == 3
    assert permissions.visible_values(None).count() == 3
    assert permissions.visible_values(ds.performance).count() == 5
