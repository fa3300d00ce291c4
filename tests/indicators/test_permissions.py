"""Who may enter which indicators: tested both ways, allowed and refused."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied

from indicators import permissions, services
from indicators.models import Value
from indicators.services import CommentaryInput, EntryRow

from .entry_fixtures import make_dataset, make_user

pytestmark = pytest.mark.django_db
MARCH = date(2022, 3, 1)
TODAY = date(2022, 3, 20)


@pytest.fixture
def ds():
    return make_dataset()


def save(ds, user, area, rows):
    return services.save_month(
        user=user, area=area, month=MARCH, rows=rows, commentary=CommentaryInput(), today=TODAY
    )


def test_an_officer_edits_their_own_indicators_and_their_areas(ds):
    editable = set(permissions.editable_indicators(ds.officer))
    # Owns re-referrals; contacts and the referral rate share its area; CLA is another area's.
    assert editable == {ds.rereferrals, ds.contacts, ds.referral_rate}
    assert list(permissions.editable_areas(ds.officer)) == [ds.area]
    assert permissions.can_edit_area(ds.officer, ds.area)
    assert not permissions.can_edit_area(ds.officer, ds.other_area)


def test_an_officer_saves_a_row_of_their_area_they_do_not_own(ds):
    result = save(ds, ds.officer, ds.area, [EntryRow(ds.contacts, number=D(1606))])
    assert result.created == 1


def test_an_officer_may_not_enter_another_area(ds):
    with pytest.raises(PermissionDenied) as caught:
        save(ds, ds.officer, ds.other_area, [EntryRow(ds.cla, number=D(560))])
    assert str(caught.value) == permissions.MSG_NOT_YOUR_AREA.format(area=ds.other_area)
    assert not Value.objects.exists()


def test_an_officer_may_not_slip_another_areas_indicator_into_their_area(ds):
    with pytest.raises(PermissionDenied) as caught:
        save(ds, ds.officer, ds.area, [EntryRow(ds.cla, number=D(560))])
    assert str(caught.value) == permissions.MSG_NOT_YOUR_INDICATOR.format(indicator=ds.cla)


def test_a_performance_manager_may_enter_any_area(ds):
    assert save(ds, ds.performance, ds.other_area, [EntryRow(ds.cla, number=D(560))]).created == 1
    assert set(permissions.editable_indicators(ds.performance)) == {
        ds.rereferrals,
        ds.contacts,
        ds.referral_rate,
        ds.cla,
    }


def test_members_and_officers_without_indicators_may_not_enter(ds):
    lonely = make_user("lonely", group="Officer")
    for user in (ds.member, lonely):
        assert not permissions.editable_indicators(user).exists()
        with pytest.raises(PermissionDenied):
            save(ds, user, ds.area, [EntryRow(ds.contacts, number=D(1))])
    assert not permissions.can_enter_data(ds.member)


def test_a_superuser_is_a_performance_manager(ds):
    admin = make_user("root", superuser=True)
    assert permissions.is_performance_manager(admin)
    assert not permissions.is_performance_manager(ds.officer)
