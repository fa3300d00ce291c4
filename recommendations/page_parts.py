"""What the tracker adds to the indicator and meeting pages (core.page_parts): the
recommendations about an indicator, and those arising from a meeting."""

from __future__ import annotations

from django.db.models import Q

from indicators.pages import INDICATOR_PAGE
from meetings.pages import MEETING_PAGE

from .models import Recommendation


@INDICATOR_PAGE.fill("recommendations")
def indicator_recommendations(*, indicator, user, **page):
    """The recommendations about the indicator that `user` may read, in the tracker's order."""
    return (
        Recommendation.objects.visible_to(user)
        .filter(indicators=indicator)
        .select_related("status")
        .order_by("meeting_date", "item_order", "number")
    )


@MEETING_PAGE.fill("recommendations")
def meeting_recommendations(*, meeting, user, **page) -> list:
    """The recommendations the meeting made or that arose from its minutes, as `user` may
    read them."""
    return list(
        Recommendation.objects.visible_to(user)
        .filter(Q(meeting=meeting) | Q(resolution__minute__meeting=meeting))
        .select_related("status")
        .order_by("item_order", "item_title", "number")
        .distinct()
    )
