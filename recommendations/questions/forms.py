"""Forms of the panel's questions: asking one, answering one, filtering the list."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django import forms


class AskQuestionForm(forms.Form):
    """A panel member's question on an indicator's figure for one of its published months."""

    month = forms.TypedChoiceField(
        label="Month",
        help_text="The month of the figure you are asking about.",
        coerce=date.fromisoformat,
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"required": "Choose the month your question is about."},
    )
    text = forms.CharField(
        label="Your question",
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 4}),
        error_messages={"required": "Enter your question."},
    )

    def __init__(self, *args, months: Iterable[date], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [
            (month.isoformat(), f"{month:%B %Y}") for month in sorted(months, reverse=True)
        ]


class AnswerQuestionForm(forms.Form):
    """The owning officer's answer to a question."""

    answer = forms.CharField(
        label="Answer",
        max_length=5000,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 6}),
        error_messages={"required": "Enter the answer."},
    )


class QuestionFilterForm(forms.Form):
    """The questions list's filter: all, open or answered."""

    STATES = [("", "All questions"), ("open", "Open"), ("answered", "Answered")]

    state = forms.ChoiceField(
        label="Show",
        choices=STATES,
        required=False,
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
