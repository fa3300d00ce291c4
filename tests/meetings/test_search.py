"""Search across agenda items, minutes, resolutions and recommendations: ranked, with the
matching words marked, on PostgreSQL full text or the simple SQLite fallback."""

import pytest
from django.db import connection

from scrutiny import search
from tests.factories import (
    PASSWORD,
    AgendaItemFactory,
    MinuteFactory,
    RecommendationFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.meetings.urls")]


def test_finds_minutes_resolutions_and_recommendations_with_marks(client, scene):
    html = client.get("/search/", {"q": "foster carer"}).content.decode()
    assert "result" in html
    assert "Resolution" in html and "Recommendation" in html
    assert "<mark>" in html
    assert "RESOLVED 1)" in html
    assert scene.november.get_absolute_url() + "#minute-29" in html


def test_finds_agenda_items_by_title_and_summary(client, scene):
    results = search.search(query="elective home education", user=None)
    assert results[0].kind == search.KIND_ITEM
    assert results[0].title == "7. ELECTIVE HOME EDUCATION"
    assert results[0].url.endswith("#item-7")
    assert "<mark>" in results[0].headline


def test_title_matches_rank_above_passing_mentions(scene):
    AgendaItemFactory(
        meeting=scene.march, number=9, title="A REPORT", summary="Mentions fostering once."
    )
    AgendaItemFactory(
        meeting=scene.march, number=10, title="FOSTERING", summary="All about fostering."
    )
    results = [r.title for r in search.search(query="fostering", user=None)]
    assert results.index("10. FOSTERING") < results.index("9. A REPORT")


def test_marked_text_is_escaped(scene):
    MinuteFactory(
        meeting=scene.november,
        number=31,
        title="SCRIPTS",
        text="<script>alert(1)</script> rates of 3 & 5 zebra",
    )
    result = search.search(query="zebra", user=None)[0]
    assert "<script>" not in result.headline  # escaped (SQLite) or dropped (ts_headline)
    assert "3 &amp; 5" in result.headline
    assert "<mark>zebra</mark>" in result.headline


def test_unpublished_agenda_items_are_not_found_by_the_public(client, scene):
    from tests.factories import MeetingFactory

    meeting = MeetingFactory(panel=scene.panel)
    AgendaItemFactory(meeting=meeting, number=1, title="WALRUS PLANS")
    assert search.search(query="walrus", user=None) == []
    member = UserFactory(groups=["Panel member"])
    assert [r.title for r in search.search(query="walrus", user=member)] == ["1. WALRUS PLANS"]


def test_empty_and_odd_queries(client, scene):
    assert search.search(query="   ", user=None) == []
    assert search.search(query="!!!", user=None) == []
    response = client.get("/search/", {"q": "x" * 500})
    assert response.status_code == 200
    html = client.get("/search/").content.decode()
    assert "Search agendas, minutes and recommendations" in html
    assert "result" not in html.split("</form>")[1]


def test_highlight_helper():
    text = " ".join(["word"] * 50 + ["Foster", "carers"] + ["word"] * 50)
    out = search.highlight(text, ["foster"], snippet_words=10)
    assert out.startswith("… ") and out.endswith(" …")
    assert "<mark>Foster</mark>" in out


def test_backend_follows_the_database():
    assert search.uses_full_text() is (connection.vendor == "postgresql")


def test_query_count_is_bounded(client, scene, django_assert_num_queries):
    with django_assert_num_queries(4):
        client.get("/search/", {"q": "performance"})
    for n in range(30):
        AgendaItemFactory(meeting=scene.march, number=20 + n, title=f"PERFORMANCE {n}")
        RecommendationFactory(meeting=scene.november, item_title=f"Performance {n}")
    with django_assert_num_queries(4):
        html = client.get("/search/", {"q": "performance"}).content.decode()
    # at most PER_KIND of each kind: 20 items, 20 recommendations and minute 29
    assert html.count('class="app-search-result ') == 2 * search.PER_KIND + 1


def test_signed_in_search_query_count(client, scene, django_assert_max_num_queries):
    user = UserFactory(groups=["Panel member"])
    client.login(username=user.username, password=PASSWORD)
    with django_assert_max_num_queries(7):
        client.get("/search/", {"q": "performance"})
