"""Pages of the panel's questions: ask one on an indicator, answer one, list them all."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from indicators.models import Indicator, Value

from ..models import Question
from . import services
from .forms import AnswerQuestionForm, AskQuestionForm, QuestionFilterForm

QUESTIONS_PER_PAGE = 50
MESSAGE_ASKED = "Your question is raised. The indicator's owner has been asked to answer it."
MESSAGE_ANSWERED = "Your answer is recorded and shown with the question."


@login_required
def ask_question(request, indicator_id: int):
    """A panel member raises a question on a published month of an indicator."""
    indicator = get_object_or_404(
        Indicator.objects.select_related("owner", "panel"), pk=indicator_id, is_active=True
    )
    if not services.may_ask(request.user):
        raise PermissionDenied(services.ERROR_MAY_NOT_ASK)
    months = Value.objects.published().filter(indicator=indicator).values_list("month", flat=True)
    form = AskQuestionForm(request.POST or None, months=months)
    if request.method == "POST" and form.is_valid():
        try:
            services.ask_question(user=request.user, indicator=indicator, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, MESSAGE_ASKED)
            return redirect(f"{indicator.get_absolute_url()}#questions")
    return render(
        request,
        "recommendations/questions/ask.html",
        {"indicator": indicator, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def answer_question(request, pk: int):
    """The indicator's owner (or a performance manager) answers a question."""
    question = get_object_or_404(
        Question.objects.for_display().select_related("indicator__panel"), pk=pk
    )
    if not services.may_answer(request.user, indicator=question.indicator):
        raise PermissionDenied(services.ERROR_MAY_NOT_ANSWER)
    form = AnswerQuestionForm(request.POST or None, initial={"answer": question.answer})
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_question(
                user=request.user, question=question, answer=form.cleaned_data["answer"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, MESSAGE_ANSWERED)
            return redirect(question)
    return render(
        request,
        "recommendations/questions/answer.html",
        {"question": question, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def questions(request):
    """Every question from the panel, newest first; filtered to open or answered ones."""
    form = QuestionFilterForm(request.GET or None)
    state = form.cleaned_data["state"] if form.is_valid() else ""
    listed = Question.objects.for_display().select_related("indicator__panel")
    listed = {"open": listed.open(), "answered": listed.answered()}.get(state, listed)
    page = Paginator(listed, QUESTIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "recommendations/questions/list.html",
        {"form": form, "state": state, "page_obj": page},
    )
