"""What the panel's questions add to the indicator and meeting pages (core.page_parts): the
questions, the form to ask one and whether the reader may answer."""

from __future__ import annotations

from indicators.pages import INDICATOR_PAGE
from meetings.pages import MEETING_PAGE

from ..models import Question
from . import services
from .forms import AskQuestionForm


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


@MEETING_PAGE.fill("questions")
def meeting_questions(*, meeting, **page) -> list:
    """The questions a meeting's performance item lists (Question.objects.for_meeting)."""
    return list(Question.objects.for_meeting(meeting).for_display())
