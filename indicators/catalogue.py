"""The catalogue: every active indicator with the month it is read as of and that month's
published figure, in one query (the public list, its filters and the API's index)."""

from __future__ import annotations

from django.db.models import OuterRef, Q, QuerySet, Subquery

from meetings.models import Panel

from .models import HAS_NUMBER, Indicator, Missing, PriorityArea, Publication, Value
from .selectors import Figure


def catalogue(
    *,
    panel: Panel | None = None,
    area: PriorityArea | None = None,
    ref: str = "",
    search: str = "",
) -> QuerySet[Indicator]:
    """Active indicators in dataset order, each annotated with the month it is read as of
    (`latest_month`: `asof.as_of_month` in SQL, its latest published figure up to its panel's
    latest published month) and that figure (`latest_number`, `latest_status`; all None
    when there is none). One query whatever the size.

    `area` matches the indicator's home area or any area whose table shows it; `ref` is an
    exact, case-insensitive reference; `search` looks in the name and the reference.
    """
    panel_month = (
        Publication.objects.filter(panel=OuterRef("panel")).order_by("-month").values("month")[:1]
    )
    latest_value = (
        Value.objects.published()
        .filter(indicator=OuterRef("pk"), month__lte=OuterRef("panel_month"))
        .exclude(status=Missing.NOT_REPORTED)
        .order_by("-month")
    )
    indicators = (
        Indicator.objects.filter(is_active=True)
        .select_related("panel", "priority_area")
        .annotate(panel_month=Subquery(panel_month))
        .annotate(
            latest_month=Subquery(latest_value.values("month")[:1]),
            latest_number=Subquery(latest_value.values("number")[:1]),
            latest_status=Subquery(latest_value.values("status")[:1]),
        )
        .order_by("panel__name", "order", "name")
    )
    if panel is not None:
        indicators = indicators.filter(panel=panel)
    if area is not None:
        indicators = in_area(indicators, area=area)
    if ref.strip():
        indicators = indicators.filter(ref__iexact=ref.strip())
    return matching(indicators, text=search)


def in_area(indicators: QuerySet[Indicator], *, area: PriorityArea) -> QuerySet[Indicator]:
    """Indicators owned by the area or shown in its table."""
    return indicators.filter(Q(priority_area=area) | Q(pk__in=area.indicators.values("pk")))


def matching(indicators: QuerySet[Indicator], *, text: str) -> QuerySet[Indicator]:
    """Indicators whose name or reference contains `text` (case-insensitive); all when blank."""
    text = text.strip()
    if not text:
        return indicators
    return indicators.filter(Q(name__icontains=text) | Q(ref__icontains=text))


def latest_figure(indicator: Indicator) -> Figure | None:
    """The figure `catalogue` annotated, or None when the indicator has none published."""
    number = getattr(indicator, "latest_number", None)
    status = getattr(indicator, "latest_status", None)
    if number is None and status is None:
        return None
    return Figure(None if number is None else float(number), status or HAS_NUMBER)
