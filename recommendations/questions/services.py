"""Questions from the panel on an indicator's published figure: who may ask and answer, and the
writes, each atomic and checked with full_clean()."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core import roles
from core.permissions import is_performance_manager
from core.visibility import role_names
from indicators.models import Indicator
from indicators.models import Value as IndicatorValue

from ..models import Question

ERROR_MAY_NOT_ASK = "Only panel members can raise a question on an indicator."
ERROR_MAY_NOT_ANSWER = (
    "Only the indicator's owner or a performance manager can answer a question on it."
)
ERROR_MONTH_NOT_PUBLISHED = "Choose a month for which a figure of this indicator is published."
ERROR_QUESTION_BLANK = "Enter your question."
ERROR_ANSWER_BLANK = "Enter the answer."

def may_ask(user) -> bool:
    """A signed-in panel member (or a superuser) may raise a question on an indicator."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or roles.PANEL_MEMBER in role_names(user)


def may_answer(user, *, indicator: Indicator) -> bool:
    """The indicator's owner, a performance manager or a superuser may answer a question on it."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    owner = indicator.owner
    if user.is_superuser or (owner is not None and owner.user_id == user.pk):
        return True
    return is_performance_manager(user)


@transaction.atomic
def ask_question(*, user, indicator: Indicator, month: date, text: str) -> Question:
    """A panel member asks about an indicator's figure for a month: a month for which a figure is
    published (the public and the panel see nothing else)."""
    if not may_ask(user):
        raise PermissionDenied(ERROR_MAY_NOT_ASK)
    text = text.strip()
    if not text:
        raise ValidationError({"text": ERROR_QUESTION_BLANK})
    published = IndicatorValue.objects.published().filter(indicator=indicator, month=month)
    if not published.exists():
        raise ValidationError({"month": ERROR_MONTH_NOT_PUBLISHED})
    question = Question(indicator=indicator, month=month, text=text, asked_by=user)
    question.full_clean()
    question._history_user = user
    question.save()
    return question


@transaction.atomic
def answer_question(*, user, question: Question, answer: str) -> Question:
    """The indicator's owner (or a performance manager) answers a question; answering again
    replaces the answer, and the history keeps the earlier one."""
    if not may_answer(user, indicator=question.indicator):
        raise PermissionDenied(ERROR_MAY_NOT_ANSWER)
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": ERROR_ANSWER_BLANK})
    question.answer = answer
    question.answered_by = user
    question.answered_at = timezone.now()
    question.full_clean()
    question._history_user = user
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    return question
