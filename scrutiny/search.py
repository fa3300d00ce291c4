"""Search across agenda items, minutes, RESOLVED items and recommendations.

On PostgreSQL: full-text search (SearchVector / SearchQuery in websearch syntax / SearchRank /
SearchHeadline, English configuration), titles weighted above text. Elsewhere (SQLite in
development and tests): every word must appear (icontains), ranked by how often the words occur,
titles counting three times. Either way the matching words come back wrapped in <mark>, the
rest escaped, and the public never gets exempt or unpublished content: each source is first cut
down by its model's `visible_to` (core.visibility, the one place that rule lives). Four
queries per search.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import F, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from meetings.models import AgendaItem, Minute, Resolution
from recommendations.models import Recommendation

#: Results of each kind fetched from the database, and shown in all.
PER_KIND = 20
MAX_RESULTS = 50
MAX_QUERY_LENGTH = 200
SEARCH_CONFIG = "english"
SNIPPET_WORDS = 30
# Sentinels that cannot occur in council papers; swapped for <mark> after escaping.
_START, _STOP = "\u0002", "\u0003"

KIND_ITEM = "Agenda item"
KIND_MINUTE = "Minute"
KIND_RESOLUTION = "Resolution"
KIND_RECOMMENDATION = "Recommendation"


@dataclass(frozen=True)
class SearchResult:
    kind: str
    title: str
    url: str
    context: str
    headline: SafeString
    rank: float
    date: date | None


def words_of(query: str) -> list[str]:
    """The words of a query (letters, digits, apostrophes and hyphens), lower-cased, each once."""
    seen: list[str] = []
    for word in re.findall(r"[\w'’-]+", query.lower()):
        word = word.strip("'’-")
        if word and word not in seen:
            seen.append(word)
    return seen


def highlight(text: str, words: Iterable[str], *, snippet_words: int = SNIPPET_WORDS) -> str:
    """The part of `text` around the first matching word, HTML-escaped, with each occurrence of
    a word (case-insensitive) wrapped in <mark>. The whole text is shortened to about
    `snippet_words` words with an ellipsis where cut."""
    words = [w for w in words if w]
    tokens = text.split()
    if not tokens:
        return ""
    pattern = (
        re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.I)
        if words
        else None
    )
    first = 0
    if pattern is not None:
        first = next((i for i, t in enumerate(tokens) if pattern.search(t)), 0)
    begin = max(0, first - snippet_words // 3)
    end = min(len(tokens), begin + snippet_words)
    snippet = " ".join(tokens[begin:end])
    if pattern is not None:
        snippet = pattern.sub(lambda m: f"{_START}{m.group(0)}{_STOP}", snippet)
    out = _marked(snippet)
    if begin > 0:
        out = "… " + out
    if end < len(tokens):
        out += " …"
    return out


def _marked(text: str) -> str:
    """Escape text, then turn the sentinels into <mark> elements."""
    return html.escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>")


def _when(meeting) -> date:
    return timezone.localtime(meeting.start).date()


def _meeting_context(meeting) -> str:
    on = _when(meeting)
    return f"{meeting.panel.name}, {on.day} {on:%B %Y}"


# --- Sources ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    kind: str
    queryset: QuerySet
    title_fields: tuple[str, ...]
    text_fields: tuple[str, ...]
    to_result: Callable  # (obj, headline, rank) -> SearchResult


def _item_result(item: AgendaItem, headline: str, rank: float) -> SearchResult:
    meeting = item.meeting
    return SearchResult(
        kind=KIND_ITEM,
        title=f"{item.number}. {item.title}",
        url=f"{meeting.get_absolute_url()}#item-{item.number}",
        context=_meeting_context(meeting),
        headline=mark_safe(headline),  # escaped by _marked/highlight
        rank=rank,
        date=_when(meeting),
    )


def _minute_result(minute: Minute, headline: str, rank: float) -> SearchResult:
    meeting = minute.meeting
    return SearchResult(
        kind=KIND_MINUTE,
        title=f"{minute.number}. {minute.title}",
        url=f"{meeting.get_absolute_url()}#minute-{minute.number}",
        context=_meeting_context(meeting),
        headline=mark_safe(headline),
        rank=rank,
        date=_when(meeting),
    )


def _resolution_result(resolution: Resolution, headline: str, rank: float) -> SearchResult:
    minute = resolution.minute
    meeting = minute.meeting
    return SearchResult(
        kind=KIND_RESOLUTION,
        title=f"{minute.number}. {minute.title}: RESOLVED {resolution.number})",
        url=f"{meeting.get_absolute_url()}#minute-{minute.number}",
        context=_meeting_context(meeting),
        headline=mark_safe(headline),
        rank=rank,
        date=_when(meeting),
    )


def _recommendation_url(recommendation) -> str:
    try:
        return recommendation.get_absolute_url()
    except NoReverseMatch:
        return reverse("recommendations:list")


def _recommendation_result(recommendation, headline: str, rank: float) -> SearchResult:
    on = recommendation.meeting_date
    return SearchResult(
        kind=KIND_RECOMMENDATION,
        title=f"{recommendation.item_title} {recommendation.number})",
        url=_recommendation_url(recommendation),
        context=f"{recommendation.panel.name}, {on.day} {on:%B %Y} – "
        f"{recommendation.status.name}",
        headline=mark_safe(headline),
        rank=rank,
        date=on,
    )


def sources(user) -> list[Source]:
    """What may be searched, as `user` may read it."""
    items = AgendaItem.objects.visible_to(user).select_related("meeting__panel")
    minutes = Minute.objects.visible_to(user).select_related("meeting__panel")
    resolutions = Resolution.objects.filter(
        minute__in=Minute.objects.visible_to(user).values("pk")
    ).select_related("minute__meeting__panel")
    recommendations = Recommendation.objects.visible_to(user).select_related("panel", "status")
    return [
        Source(KIND_ITEM, items, ("title",), ("summary", "report_of"), _item_result),
        Source(
            KIND_MINUTE, minutes, ("title",), ("addressed_by", "text", "noted"), _minute_result
        ),
        Source(KIND_RESOLUTION, resolutions, (), ("text",), _resolution_result),
        Source(
            KIND_RECOMMENDATION,
            recommendations,
            ("item_title",),
            ("action_proposed",),
            _recommendation_result,
        ),
    ]


# --- Backends -----------------------------------------------------------------------------------


def _concat(fields: Iterable[str]):
    parts = []
    for name in fields:
        if parts:
            parts.append(Value(" — "))
        parts.append(F(name))
    if len(parts) == 1:
        return Concat(parts[0], Value(""), output_field=TextField())
    return Concat(*parts, output_field=TextField())


def _search_postgres(source: Source, query: str) -> list[SearchResult]:
    from django.contrib.postgres.search import (
        SearchHeadline,
        SearchQuery,
        SearchRank,
        SearchVector,
    )

    vector = None
    for name in source.title_fields:
        part = SearchVector(name, weight="A", config=SEARCH_CONFIG)
        vector = part if vector is None else vector + part
    for name in source.text_fields:
        part = SearchVector(name, weight="B", config=SEARCH_CONFIG)
        vector = part if vector is None else vector + part
    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    rows = (
        source.queryset.annotate(
            search=vector,
            rank=SearchRank(vector, search_query),
            headline=SearchHeadline(
                _concat(source.title_fields + source.text_fields),
                search_query,
                config=SEARCH_CONFIG,
                start_sel=_START,
                stop_sel=_STOP,
                max_words=SNIPPET_WORDS,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .filter(search=search_query)
        .order_by("-rank", "-pk")[:PER_KIND]
    )
    return [source.to_result(row, _marked(row.headline), float(row.rank)) for row in rows]


def _search_simple(source: Source, query: str) -> list[SearchResult]:
    words = words_of(query)
    if not words:
        return []
    fields = source.title_fields + source.text_fields
    condition = Q()
    for word in words:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    rows = list(source.queryset.filter(condition).order_by("-pk")[: PER_KIND * 5])
    results = []
    for row in rows:
        titles = " ".join(str(getattr(row, n)) for n in source.title_fields).lower()
        body = " ".join(str(getattr(row, n)) for n in source.text_fields).lower()
        rank = sum(3 * titles.count(w) + body.count(w) for w in words)
        text = " — ".join(str(getattr(row, n)) for n in fields)
        results.append(source.to_result(row, highlight(text, words), float(rank)))
    results.sort(key=lambda r: -r.rank)
    return results[:PER_KIND]


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def search(*, query: str, user) -> list[SearchResult]:
    """Everything matching `query` that `user` may read, best first (at most MAX_RESULTS)."""
    query = query.strip()[:MAX_QUERY_LENGTH]
    if not words_of(query):
        return []
    backend = _search_postgres if uses_full_text() else _search_simple
    results: list[SearchResult] = []
    for source in sources(user):
        results.extend(backend(source, query))
    results.sort(key=lambda r: (-r.rank, -(r.date.toordinal() if r.date else 0)))
    return results[:MAX_RESULTS]
