"""What the tracker adds to the pages of the apps beneath it (core.page_parts): the
recommendations about an indicator or arising from a meeting, and the panel's questions."""

from __future__ import annotations

from django.db.models import Q

from indicators.pages import INDICATOR_PAGE
from meetings.pages import MEETING_PAGE

from ..models import Question, Recommendation
from . import services
from .forms import AskQuestionForm


@INDICATOR_PAGE.fill("recommendations")
def indicator_recommendations(*, indicator, user, **page):
    """The recommendations about the indicator that `user` may read, in the tracker's order."""
    return (
        Recommendation.objects.visible_to(user)
        .filter(indicators=indicator)
        .select_related("status")
        .order_by("meeting_date", "item_order", "number")
    )


@INDICATOR_PAGE.fill("questions")
def indicator_questions(*, indicator, **page):
    """The panel's questions on the indicator, newest first."""
    return Question.objects.filter(indicator=indicator).for_display().order_by("-asked_at", "-pk")


@INDICATOR_PAGE.fill("ask_form")
def indicator_ask_form(*, data, user, **page):
    """The form to ask a question on one of the months shown, for those who may ask."""
    return AskQuestionForm(months=data.figures) if services.may_ask(user) else None


@INDICATOR_PAGE.fill("may_answer")
def indicator_may_answer(*, indicator, user, **page) -> bool:
    return services.may_answer(user, indicator=indicator)


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


@MEETING_PAGE.fill("questions")
def meeting_questions(*, meeting, **page) -> list:
    """The questions a meeting's performance item lists (Question.objects.for_meeting)."""
    return list(Question.objects.for_meeting(meeting).for_display())
