"""The JSON API on the seed demo: the indicator list and one indicator, published data only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import NoReverseMatch, include, path, reverse
from django.utils import timezone

from indicators import asof
from indicators.models import Indicator
from meetings.models import Panel
from scrutiny import urls as root_urls
from tests.factories import PublicationFactory, ValueFactory
from tests.indicators.factories import MAR_22, grow_dataset, seed_demo  # noqa: F401


def _api_routed() -> bool:
    try:
        reverse("api:indicators")
    except NoReverseMatch:
        return False
    return True


# The API is meant to be routed by scrutiny/urls.py (path("api/", include(...))); until it is,
# these tests route it themselves, at the same address.
urlpatterns = list(root_urls.urlpatterns)
if not any(getattr(p, "namespace", None) == "api" for p in urlpatterns):
    urlpatterns.append(path("api/", include("indicators.api_urls")))

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("seed_demo"),
    pytest.mark.urls(__name__),
]

IFA = "Percentage of CLA placed with IFAs at end of period"
SLUG = "children-and-families"
LIST = "/api/indicators/"


def _ifa() -> Indicator:
    return Indicator.objects.get(name=IFA)


def test_list_items(client):
    assert _api_routed()
    body = client.get(LIST).json()

    assert body["count"] == 29 == len(body["results"])
    first = body["results"][0]
    assert set(first) == {"id", "ref", "name", "panel", "priority_area", "outturn_type", "url"}
    ifa = next(item for item in body["results"] if item["name"] == IFA)
    assert ifa == {
        "id": _ifa().pk,
        "ref": "",
        "name": IFA,
        "panel": SLUG,
        "priority_area": "Robust corporate parenting",
        "outturn_type": "percentage",
        "url": f"/indicators/{_ifa().pk}/",
    }


def test_list_filters(client):
    assert client.get(LIST, {"panel": SLUG}).json()["count"] == 29
    assert [i["name"] for i in client.get(LIST, {"q": "ifas"}).json()["results"]] == [IFA]
    Indicator.objects.filter(pk=_ifa().pk).update(ref="CP9")
    assert [i["name"] for i in client.get(LIST, {"ref": "cp9"}).json()["results"]] == [IFA]
    assert client.get(LIST, {"ref": "CP"}).json()["count"] == 0  # exact, not contains
    response = client.get(LIST, {"panel": "nope"})
    assert response.status_code == 400
    assert response.json() == {"error": "No panel has the slug “nope”."}


def test_detail_of_the_ifa_placements(client):
    body = client.get(reverse("api:indicator", args=[_ifa().pk])).json()

    assert body["month"] == "2022-02"
    assert body["polarity"] == "lower"
    assert [v["month"] for v in body["values"]] == [
        f"{date(2021 + (m < 4), m, 1):%Y-%m}" for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2)
    ]
    assert body["values"][-1] == {"month": "2022-02", "value": 51.0, "status": "", "revised": False}
    assert body["targets"] == [
        {
            "year": 2021,
            "financial_year": "2021/22",
            "value": 36.0,
            "bound": "<",
            "status": "",
            "text": "<36%",
        }
    ]
    benchmarks = {
        (b["comparator"], b["year"]): (b["value"], b["status"]) for b in body["benchmarks"]
    }
    assert benchmarks == {
        ("Southampton", 2019): (37.0, ""),
        ("Southampton", 2020): (None, "na"),
        ("Statistical Neighbours", 2020): (36.0, ""),
        ("South East", 2020): (38.0, ""),
        ("England", 2020): (36.0, ""),
    }
    stats = body["statistics"]
    assert stats["month"] == "2022-02"
    assert stats["latest"] == 51.0  # percent units
    assert stats["rag"] == "red"
    assert stats["dot"] == "worsening"
    assert stats["pct_change_prev_month"] == 18.6
    assert stats["max_12m"] == 51.0
    # The seed's 11 months give trial limits (issue 12), and 51% is above them.
    assert stats["spc"]["variation"] == "concern_high"
    assert stats["spc"]["trial"] is True
    assert stats["spc"]["assurance"] is None
    assert stats["verdict"].startswith("Red: 51% against a target below 36%.")


def test_missing_values_keep_their_status(client):
    permanence = Indicator.objects.get(name__startswith="Percentage of Looked after Children (LAC)")
    body = client.get(reverse("api:indicator", args=[permanence.pk])).json()
    assert {(v["value"], v["status"]) for v in body["values"]} == {(None, "tbc")}
    assert body["statistics"]["latest"] is None


def test_detail_not_found(client):
    assert client.get(reverse("api:indicator", args=[999999])).status_code == 404
    Indicator.objects.filter(pk=_ifa().pk).update(is_active=False)
    assert client.get(reverse("api:indicator", args=[_ifa().pk])).status_code == 404
    assert IFA not in [i["name"] for i in client.get(LIST).json()["results"]]


def test_read_only(client):
    assert client.post(LIST).status_code == 405
    assert client.delete(reverse("api:indicator", args=[_ifa().pk])).status_code == 405


@pytest.mark.parametrize("publish_month", [False, True])
def test_unpublished_values_are_never_served(client, publish_month):
    ifa = _ifa()
    ValueFactory(indicator=ifa, month=MAR_22, number=Decimal(12))
    if publish_month:
        PublicationFactory(panel=ifa.panel, month=MAR_22, published_at=timezone.now())
    body = client.get(reverse("api:indicator", args=[ifa.pk])).json()

    assert "2022-03" not in [v["month"] for v in body["values"]]
    assert 12.0 not in [v["value"] for v in body["values"]]
    # Whether or not March is published, its only figure is not: the statistics stay those
    # of February, the latest published figure.
    assert body["statistics"]["month"] == "2022-02"
    assert body["statistics"]["latest"] == 51.0


def test_statistics_as_of_a_chosen_month(client):
    """?month=YYYY-MM: every statistic as of that month, the figures of later months left
    out of it; January 2022's 43% against a target below 36% is red, and it rose from
    December's figure."""
    url = reverse("api:indicator", args=[_ifa().pk])
    latest = client.get(url).json()
    body = client.get(url, {"month": "2022-01"}).json()

    assert body["month"] == "2022-01"
    assert body["values"] == latest["values"]  # the published figures are all still listed
    stats = body["statistics"]
    assert stats["month"] == "2022-01"
    assert stats["latest"] == 43.0
    assert stats["rag"] == "red"
    assert stats["max_12m"] == 43.0  # February's 51% comes after it
    assert stats["pct_change_prev_month"] != latest["statistics"]["pct_change_prev_month"]
    assert stats["pp_change_prev_month"] is not None
    assert stats["verdict"].startswith("Red: 43% against a target below 36%.")
    assert set(stats) == set(latest["statistics"])


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("Feb-22", asof.MSG_MONTH_MALFORMED.format(value="Feb-22")),
        ("2022-13", asof.MSG_MONTH_MALFORMED.format(value="2022-13")),
        (
            "2022-03",
            asof.MSG_MONTH_OUTSIDE.format(
                month="March 2022", first="April 2021", last="February 2022"
            ),
        ),
        (
            "2019-02",
            asof.MSG_MONTH_OUTSIDE.format(
                month="February 2019", first="April 2021", last="February 2022"
            ),
        ),
    ],
)
def test_a_month_malformed_or_outside_the_figures_is_refused(client, month, message):
    response = client.get(reverse("api:indicator", args=[_ifa().pk]), {"month": month})

    assert response.status_code == 400
    assert response.json() == {"error": message, "field": "month"}


def test_query_counts_do_not_grow(client, django_assert_num_queries):
    detail = reverse("api:indicator", args=[_ifa().pk])
    with django_assert_num_queries(1):
        client.get(LIST)
    with django_assert_num_queries(2):  # the panel, then the list
        client.get(LIST, {"panel": SLUG})
    with django_assert_num_queries(6):  # 5, and the SPC baselines and rebases
        client.get(detail)
    with django_assert_num_queries(6):  # the same as of an earlier month
        client.get(detail, {"month": "2021-12"})
    _, extra = grow_dataset(Panel.objects.get(slug=SLUG))
    with django_assert_num_queries(1):
        assert client.get(LIST).json()["count"] == 49
    with django_assert_num_queries(6):
        body = client.get(reverse("api:indicator", args=[extra[0].pk])).json()
    assert len(body["values"]) == 24
    assert body["statistics"]["spc"]["mean"] is not None
