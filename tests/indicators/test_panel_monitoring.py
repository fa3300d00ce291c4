"""A panel's monitoring settings (amber band, SPC run length): indicators' own, one row a panel."""

from decimal import Decimal

import pytest

from core import roles
from indicators import caching
from indicators.models import PanelMonitoring, monitoring_of
from tests.factories import PanelFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_new_panel_gets_the_default_settings():
    panel = PanelFactory()
    settings = PanelMonitoring.objects.get(panel=panel)
    assert settings.default_amber_tolerance == Decimal("5")
    assert settings.spc_run_length == 7
    assert monitoring_of(panel) == settings


def test_a_panel_without_a_row_reads_the_defaults_and_saves_nothing():
    panel = PanelFactory()
    PanelMonitoring.objects.filter(panel=panel).delete()
    panel.refresh_from_db()
    assert monitoring_of(panel).spc_run_length == 7
    assert not PanelMonitoring.objects.filter(panel=panel).exists()


def test_the_performance_manager_changes_them_and_the_cached_pages_drop(client):
    panel = PanelFactory()
    manager = UserFactory(username="pm", is_staff=True, role=roles.PERFORMANCE_MANAGER)
    client.force_login(manager)
    before = caching.dataset_version()
    response = client.post(
        f"/admin/indicators/panelmonitoring/{panel.pk}/change/",
        {"default_amber_tolerance": "2.5", "spc_run_length": "6"},
    )
    assert response.status_code == 302
    settings = PanelMonitoring.objects.get(panel=panel)
    assert (settings.default_amber_tolerance, settings.spc_run_length) == (Decimal("2.5"), 6)
    assert caching.dataset_version() != before


@pytest.mark.parametrize("role", [roles.SCRUTINY_MANAGER, roles.OFFICER, roles.PANEL_MEMBER])
def test_other_roles_may_not_change_them(client, role):
    panel = PanelFactory()
    client.force_login(UserFactory(username="someone", is_staff=True, role=role))
    response = client.post(
        f"/admin/indicators/panelmonitoring/{panel.pk}/change/",
        {"default_amber_tolerance": "0", "spc_run_length": "6"},
    )
    assert response.status_code == 403
    assert PanelMonitoring.objects.get(panel=panel).spc_run_length == 7
