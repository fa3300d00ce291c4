"""A dashboard tile as HTML: a list item of <ul class="app-tiles"> with the indicator's name,
its figure for the month, the target, the RAG word, the direction of travel, the SPC icons
and the sparkline.

Drawn here rather than by a template include: a dashboard draws dozens of tiles, each of some
forty values, and the template engine spent about a quarter of a millisecond on each tile, a
quarter of the time of a dashboard built without the cache. The markup and classes are those of
includes/indicator_tile.html, rag_tag.html and direction.html; the SPC words are those of the
rules module. Every value goes through `markup.text`, which escapes it as the template engine
would.
"""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe

from .markup import text as _text
from .selectors import IndicatorData
from .sparklines import Sparkline

_ARROW = '<path d="M1 7h10.2L7.6 3.4 9 2l6 6-6 6-1.4-1.4L11.2 9H1z"/>'


def _spc_item(badge: dict[str, str]) -> str:
    return (
        f'<li class="app-spc app-spc--{_text(badge["kind"])}"><span class="app-spc__icon" '
        f'aria-hidden="true">{_text(badge["icon"])}</span><span>{_text(badge["text"])}</span>'
        "</li>"
    )


def _sparkline(spark: Sparkline | None) -> str:
    if spark is None:
        return ""
    summary = _text(spark.summary)
    target = (
        f'<line class="app-sparkline__target" x1="0" x2="{_text(spark.width)}" '
        f'y1="{_text(spark.target_y)}" y2="{_text(spark.target_y)}"/>'
        if spark.target_y
        else ""
    )
    last = (
        f'<circle class="app-sparkline__last" cx="{_text(spark.last_x)}" '
        f'cy="{_text(spark.last_y)}" r="2.5"/>'
        if spark.last_x
        else ""
    )
    return (
        f'<svg class="app-sparkline" viewBox="-3 -3 {_text(spark.view_width)} '
        f'{_text(spark.view_height)}" role="img" aria-label="{summary}" focusable="false">'
        f"<title>{summary}</title>{target}{_text(spark.segments_svg)}{last}</svg>"
    )


def tile_html(*, data: IndicatorData, spark: Sparkline | None) -> SafeString:
    """One tile; `spark` is the indicator's sparkline (None when there is nothing to draw)."""
    indicator, stats = data.indicator, data.stats
    rag = _text(stats.rag.value if stats else "none")
    ref = (
        f' <span class="app-tile__period">({_text(indicator.ref)})</span>'
        if indicator.ref
        else ""
    )
    forecast = (
        f'<p class="app-tile__target">Forecast year end {_text(data.forecast_text)}</p>'
        if data.is_cumulative and stats and stats.forecast is not None
        else ""
    )
    # A cumulative measure's direction compares monthly increases: the tile says so, lest
    # 567 then 612 year to date read as a fall.
    basis = (
        f'<p class="app-tile__basis">{_text(stats.change_basis)}</p>\n'
        if data.is_cumulative and stats and stats.change_basis
        else ""
    )
    spc = _spc_item(data.spc_badge)
    assurance = data.assurance_badge
    if assurance:
        spc += "\n    " + _spc_item(assurance)
    return mark_safe(  # noqa: S308 - every value is escaped by markup.text
        f'\n<li class="app-tile app-tile--{rag}">\n'
        f'  <h3 class="app-tile__title"><a class="app-tile__link" href="{_text(data.url)}">'
        f"{_text(indicator.name)}</a>{ref}</h3>\n"
        f'  <p class="app-tile__period">{_text(data.month_label)}'
        f"{', year to date' if data.is_cumulative else ''}</p>\n"
        '  <div class="app-tile__figures">\n'
        f'    <p class="app-tile__value{" app-missing" if data.latest.is_missing else ""}">'
        '<span class="govuk-visually-hidden">Latest value: </span>'
        f"{_text(data.latest_text or 'No data')}</p>\n"
        f'    <p class="app-tile__target">Target {_text(data.year_target_text)}</p>\n'
        "  </div>\n"
        f"  {forecast}\n"
        '  <div class="app-tile__status">\n'
        f'    <strong class="app-rag app-rag--{rag}"><span class="govuk-visually-hidden">'
        f"RAG rating: </span>{_text(stats.rag.label if stats else 'Not rated')}</strong>\n"
        f'    <span class="app-dot app-dot--{_text(data.direction)}"><svg class="app-dot__arrow '
        f'app-dot__arrow--{_text(data.movement)}" viewBox="0 0 16 16" aria-hidden="true" '
        f'focusable="false">{_ARROW}</svg><span>{_text(data.direction_label)}<span '
        f'class="govuk-visually-hidden"> {_text(data.direction_since)}</span></span></span>\n'
        "  </div>\n"
        f"  {basis}"
        '  <ul class="app-spc-group">\n'
        f"    {spc}\n"
        "  </ul>\n"
        f"  {_sparkline(spark)}\n"
        f'  <p class="app-tile__footer">{_text(indicator.get_polarity_display())} · '
        f"{_text(indicator.get_outturn_type_display())}</p>\n"
        "</li>\n"
    )
