"""A dashboard tile as HTML: the one renderer of a tile, used by the dashboard and, through the
`indicator_tile` tag, by includes/indicator_tile.html.

Drawn in Python rather than by the template engine: a dashboard draws dozens of tiles, each of
some forty values with four nested includes, and the engine spent about a quarter of a
millisecond on each, a quarter of the time of a dashboard built without the cache. What a tile
shows comes from the presenter (presenters.IndicatorView.tile); the markup and classes are those
of includes/rag_tag.html, direction.html, spc.html and sparkline.html, and a test holds them
together. Every value goes through `markup.text`, which escapes it as the template engine would.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from .markup import text as _text

_ARROW = '<path d="M1 7h10.2L7.6 3.4 9 2l6 6-6 6-1.4-1.4L11.2 9H1z"/>'
_RAGS = {"red": "Red", "amber": "Amber", "green": "Green"}
_DIRECTIONS = {"improving": "Improving", "worsening": "Worsening", "no-change": "No change"}
_MOVEMENTS = ("up", "down", "flat")


def _field(item: Any, name: str) -> Any:
    """A template's `item.name`: a key of a mapping or an attribute ("" when absent)."""
    if isinstance(item, Mapping):
        return item.get(name, "")
    return getattr(item, name, "")


def _rag(tile: Mapping[str, Any]) -> str:
    rag = str(tile.get("rag") or "").lower()
    rag = rag if rag in _RAGS else "none"
    label = tile.get("rag_label") or _RAGS.get(rag, "No rating")
    return (
        f'<strong class="app-rag app-rag--{rag}"><span class="govuk-visually-hidden">'
        f"RAG rating: </span>{_text(label)}</strong>"
    )


def _direction(tile: Mapping[str, Any]) -> str:
    direction = str(tile.get("direction") or "").lower()
    movement = str(tile.get("movement") or "").lower()
    if movement not in _MOVEMENTS:
        movement = {"improving": "up", "worsening": "down"}.get(direction, "flat")
    direction = direction if direction in _DIRECTIONS else "none"
    label = tile.get("direction_label") or _DIRECTIONS.get(direction, "No direction")
    since = tile.get("direction_since")
    since = f'<span class="govuk-visually-hidden"> {_text(since)}</span>' if since else ""
    return (
        f'<span class="app-dot app-dot--{direction}"><svg class="app-dot__arrow '
        f'app-dot__arrow--{movement}" viewBox="0 0 16 16" aria-hidden="true" '
        f'focusable="false">{_ARROW}</svg><span>{_text(label)}{since}</span></span>'
    )


def _spc(badges: Any) -> str:
    items = "".join(
        f'\n    <li class="app-spc app-spc--{_text(_field(b, "kind"))}">'
        f'<span class="app-spc__icon" aria-hidden="true">{_text(_field(b, "icon"))}</span>'
        f'<span>{_text(_field(b, "text"))}</span></li>'
        for b in badges or ()
    )
    return f'<ul class="app-spc-group">{items}\n  </ul>'


def _sparkline(spark: Any) -> str:
    if not spark:
        return ""
    summary = _text(_field(spark, "summary"))
    target_y = _field(spark, "target_y")
    target = (
        f'<line class="app-sparkline__target" x1="0" x2="{_text(_field(spark, "width"))}" '
        f'y1="{_text(target_y)}" y2="{_text(target_y)}"/>'
        if target_y
        else ""
    )
    segments = "".join(
        f'<circle class="app-sparkline__last" cx="{_text(_field(s, "x"))}" '
        f'cy="{_text(_field(s, "y"))}" r="1.5"/>'
        if _field(s, "is_dot")
        else f'<polyline class="app-sparkline__line" points="{_text(_field(s, "points"))}"/>'
        for s in _field(spark, "segments") or ()
    )
    last_x = _field(spark, "last_x")
    last = (
        f'<circle class="app-sparkline__last" cx="{_text(last_x)}" '
        f'cy="{_text(_field(spark, "last_y"))}" r="2.5"/>'
        if last_x
        else ""
    )
    return (
        f'<svg class="app-sparkline" viewBox="-3 -3 {_text(_field(spark, "view_width"))} '
        f'{_text(_field(spark, "view_height"))}" role="img" aria-label="{summary}" '
        f'focusable="false"><title>{summary}</title>{target}{segments}{last}</svg>'
    )


def tile_html(tile: Mapping[str, Any]) -> SafeString:
    """One tile, a list item of <ul class="app-tiles">, from its context (the keys are those
    includes/indicator_tile.html documents)."""
    rag = str(tile.get("rag") or "").lower()
    rag = rag if rag in _RAGS else "none"
    ref = tile.get("ref")
    ref = f' <span class="app-tile__period">({_text(ref)})</span>' if ref else ""
    missing = " app-missing" if tile.get("value_missing") else ""
    forecast = tile.get("forecast")
    forecast = (
        f'<p class="app-tile__target">Forecast year end {_text(forecast)}</p>' if forecast else ""
    )
    basis = tile.get("basis")
    basis = f'<p class="app-tile__basis">{_text(basis)}</p>\n  ' if basis else ""
    spark = _sparkline(tile.get("spark"))
    return mark_safe(  # noqa: S308 - every value is escaped by markup.text
        f'\n<li class="app-tile app-tile--{rag}">\n'
        f'  <h3 class="app-tile__title"><a class="app-tile__link" '
        f'href="{_text(tile.get("url", ""))}">{_text(tile.get("title", ""))}</a>{ref}</h3>\n'
        f'  <p class="app-tile__period">{_text(tile.get("period", ""))}</p>\n'
        '  <div class="app-tile__figures">\n'
        f'    <p class="app-tile__value{missing}"><span class="govuk-visually-hidden">'
        f'Latest value: </span>{_text(tile.get("value", ""))}</p>\n'
        f'    <p class="app-tile__target">Target {_text(tile.get("target", ""))}</p>\n'
        "  </div>\n"
        f"  {forecast}\n"
        '  <div class="app-tile__status">\n'
        f"    {_rag(tile)}\n"
        f"    {_direction(tile)}\n"
        "  </div>\n"
        f"  {basis}{_spc(tile.get('spc'))}\n"
        f"  {spark}\n"
        f'  <p class="app-tile__footer">{_text(tile.get("note", ""))}</p>\n'
        "</li>\n"
    )
