"""SPC on the pages (issue 12): trial limits, the seed's Care Director rebase drawn as
segments, a baseline set by a performance manager, and the panel's run length."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from core import roles
from indicators import permissions, selectors, services
from indicators.models import Indicator, PanelMonitoring, SpcBreak
from meetings.models import Panel
from tests.factories import SpcBreakFactory
from tests.indicators.factories import seed_demo  # noqa: F401
from tests.indicators.test_pages import dom

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_demo")]

REREFERRALS = "Percentage of re-referrals within 12 months"
IFA = "Percentage of CLA placed with IFAs at end of period"
MIGRATION = "the case-system migration to Care Director on 31 January 2022"


def _page(name: str):
    indicator = Indicator.objects.get(name=name)
    return dom(_client().get(reverse("indicators:detail", args=[indicator.pk])))


def _client():
    from django.test import Client

    return Client()


def _figure(page) -> dict:
    island = next(s for s in page.all("script") if s.attrs.get("type") == "application/json")
    return json.loads(island.text())


def _user(role: str, name: str) -> User:
    user = User.objects.create_user(name, password="x-pass-123", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def test_the_demo_rebases_the_areas_the_migration_affected():
    rebased = set(
        SpcBreak.objects.filter(kind=SpcBreak.Kind.REBASE, month=date(2022, 2, 1)).values_list(
            "indicator__name", flat=True
        )
    )
    # The seed's tables of those areas: 4 assessment, 3 visit and 4 supervision indicators.
    assert len(rebased) == 11
    assert REREFERRALS in rebased
    assert IFA not in rebased  # Robust corporate parenting: its commentary does not say so
    assert "Rates of referrals per 10,000 of Under 18 Population" not in rebased


def test_indicator_page_draws_the_rebase_as_segments():
    page = _page(REREFERRALS)
    verdict = page.one("p", "app-verdict").text()
    assert f"Limits recalculated from February 2022 after {MIGRATION}." in verdict
    assert "Since the limits were last recalculated there is 1 point" in verdict

    # Re-referrals Apr-21 .. Jan-22: 21 27 26 33 26 31 24 24 27 25, sum 264, mean 26.4.
    segments = page.one("ul", "app-spc-segments").all("li")
    assert [li.text() for li in segments] == [
        "April 2021 to January 2022: mean 26%, process limits 15% to 38% (trial limits).",
        f"February 2022 to February 2022, recalculated after {MIGRATION}: no limits yet"
        " (1 point; SPC needs at least 6).",
    ]

    figure = _figure(page)
    means = [t for t in figure["data"] if t["name"] == "SPC mean (trial)"]
    assert [t["x"] for t in means] == [["2021-04-01", "2022-01-01"]]
    assert means[0]["y"] == [pytest.approx(26.4), pytest.approx(26.4)]
    assert [s["x0"] for s in figure["layout"]["shapes"]] == ["2022-02-01"]
    assert figure["layout"]["annotations"][0]["text"] == "Limits recalculated"

    rows = {
        row.one("th").text(): [c.text() for c in row.all("td")]
        for row in page.one("table", "app-monitoring-table").one("tbody").all("tr")
    }
    assert rows["January 2022"][-1] == "Mean 26%, limits 15% to 38% (trial)"
    assert rows["February 2022"][-1] == f"Limits recalculated from here after {MIGRATION}"
    badge = page.one("ul", "app-spc-group").text()
    assert (
        "Not enough data for SPC since the limits were recalculated from February 2022: "
        "1 of the 6 points needed"
    ) in badge


def test_indicator_page_says_its_limits_are_trial_limits():
    page = _page(IFA)
    summary = next(p for p in page.all("p") if p.attrs.get("id") == "chart-summary")
    assert summary.text().endswith("(trial limits).")
    names = {t["name"] for t in _figure(page)["data"]}
    assert {"SPC mean (trial)", "Upper process limit (trial)"} <= names
    assert "SPC mean" not in names
    assert "No assurance until 13 points" in page.one("ul", "app-spc-group").text()
    assert not page.all("ul", "app-spc-segments")  # one segment: no list of periods


def test_a_baseline_set_by_the_performance_manager_reaches_the_page():
    ifa = Indicator.objects.get(name=IFA)
    manager = _user(roles.PERFORMANCE_MANAGER, "pm-baseline")
    services.save_spc_break(
        user=manager,
        indicator=ifa,
        month=date(2021, 9, 15),  # taken as September 2021
        kind=SpcBreak.Kind.BASELINE,
        reason="the six months before the new placement panel",
    )
    page = _page(IFA)
    # Apr-21 .. Sep-21: 24 25 26 27 28 29, mean 26.5, ranges 1: limits 26.5 ± 2.66.
    assert (
        "Limits fixed on the baseline April 2021 to September 2021 (the six months before the"
        " new placement panel)." in page.one("p", "app-verdict").text()
    )
    (segment,) = page.one("ul", "app-spc-segments").all("li")
    assert "fixed on the baseline to September 2021" in segment.text()
    assert "mean 27%, process limits 24% to 29% (trial limits)" in segment.text()


def test_only_a_performance_manager_sets_a_break_and_a_reason_is_required():
    ifa = Indicator.objects.get(name=IFA)
    officer = _user(roles.OFFICER, "officer-baseline")
    with pytest.raises(PermissionDenied, match=permissions.MSG_NOT_SPC_EDITOR):
        services.save_spc_break(
            user=officer, indicator=ifa, month=date(2021, 9, 1), kind="rebase", reason="x"
        )
    manager = _user(roles.PERFORMANCE_MANAGER, "pm-noreason")
    with pytest.raises(ValidationError) as refused:
        services.save_spc_break(
            user=manager, indicator=ifa, month=date(2021, 9, 1), kind="rebase", reason="  "
        )
    assert refused.value.message_dict == {
        "reason": [services.MSG_SPC_REASON_REQUIRED.format(kind="rebase")]
    }
    assert not SpcBreak.objects.filter(indicator=ifa).exists()


def test_the_database_refuses_a_run_length_other_than_6_or_7_and_a_blank_reason():
    panel = Panel.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        PanelMonitoring.objects.filter(panel=panel).update(spc_run_length=5)
    ifa = Indicator.objects.get(name=IFA)
    with pytest.raises(IntegrityError), transaction.atomic():
        SpcBreakFactory(indicator=ifa, month=date(2021, 9, 1), kind="rebase", reason="")


def test_the_panels_run_length_reaches_the_rules():
    panel = Panel.objects.get()
    ifa = Indicator.objects.get(name=IFA)
    assert selectors.indicator_dataset(pk=ifa.pk).analysis_input().run_length == 7
    PanelMonitoring.objects.filter(panel=panel).update(spc_run_length=6)
    assert selectors.indicator_dataset(pk=ifa.pk).analysis_input().run_length == 6


def test_a_rebase_drops_the_cached_pages():
    from indicators.caching import dataset_version

    ifa = Indicator.objects.get(name=IFA)
    before = dataset_version()
    with transaction.atomic():
        SpcBreakFactory(
            indicator=ifa, month=date(2021, 10, 1), kind="rebase", reason="a new system"
        )
    assert dataset_version() > before


def test_the_api_gives_the_segments_of_a_rebased_indicator():
    indicator = Indicator.objects.get(name=REREFERRALS)
    spc = _client().get(reverse("api:indicator", args=[indicator.pk])).json()["statistics"]["spc"]
    assert [(s["from"], s["to"], s["rebased"], s["trial"]) for s in spc["segments"]] == [
        ("2021-04", "2022-01", False, True),
        ("2022-02", "2022-02", True, False),
    ]
    assert spc["segments"][0]["mean"] == 26.4
    assert spc["segments"][1]["mean"] is None
    assert spc["variation"] is None  # one month since the rebase
