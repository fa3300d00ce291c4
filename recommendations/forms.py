"""Forms of the tracker: an action-taken update, the panel's decisions, a tracker upload."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.utils import timezone

from meetings.models import Panel

from . import rules
from .importers import EXTENSIONS, MAX_UPLOAD_BYTES
from .models import Status
from .selectors import TrackerItem

NO_DECISION = ""
NO_DECISION_LABEL = "No decision recorded"
ERROR_UPLOAD_TYPE = "Upload an .xlsx or .csv file."
ERROR_UPLOAD_SIZE = "The file must be smaller than {limit} MB."


class UpdateForm(forms.Form):
    """Action taken on a recommendation, with the status it now has."""

    date = forms.DateField(
        label="Date of the update",
        help_text="For example, 23/03/2022.",
        input_formats=["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"],
        widget=forms.DateInput(
            attrs={"class": "govuk-input govuk-input--width-10", "inputmode": "numeric"},
            format="%d/%m/%Y",
        ),
    )
    action_taken = forms.CharField(
        label="Action taken",
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 6}),
    )
    status = forms.ModelChoiceField(
        label="Progress status",
        queryset=Status.objects.all(),
        empty_label=None,
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)


class DecisionForm(forms.Form):
    """The panel's decision on one item of the monitoring report."""

    recommendation = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        required=False, widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"})
    )

    def __init__(self, *args, item: TrackerItem, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["decision"].choices = [(NO_DECISION, NO_DECISION_LABEL)] + [
            (decision.value, rules.DECISION_LABELS[decision]) for decision in item.allowed_decisions
        ]
        self.fields["decision"].label = (
            f"{item.recommendation.item_title} {item.number}): decision"
        )

    def clean_recommendation(self) -> int:
        value = self.cleaned_data["recommendation"]
        if value != self.item.recommendation.pk:
            raise forms.ValidationError("The list changed while you were editing: reload the page.")
        return value

    @property
    def decision_value(self) -> rules.Decision | None:
        value = self.cleaned_data.get("decision")
        return rules.Decision(value) if value else None


class BaseDecisionFormSet(forms.BaseFormSet):
    def __init__(self, *args, items: list[TrackerItem], **kwargs):
        self.items = items
        kwargs.setdefault(
            "initial",
            [
                {
                    "recommendation": item.recommendation.pk,
                    "decision": item.decision.decision if item.decision else NO_DECISION,
                }
                for item in items
            ],
        )
        super().__init__(*args, **kwargs)

    def total_form_count(self) -> int:
        return len(self.items)

    def get_form_kwargs(self, index):
        return {"item": self.items[index]}

    def decisions(self) -> dict[int, rules.Decision | None]:
        return {form.cleaned_data["recommendation"]: form.decision_value for form in self.forms}


DecisionFormSet = forms.formset_factory(
    DecisionForm, formset=BaseDecisionFormSet, extra=0, max_num=1000, validate_max=True
)


class TrackerUploadForm(forms.Form):
    panel = forms.ModelChoiceField(queryset=Panel.objects.all(), empty_label=None)
    file = forms.FileField(
        label="Tracker file",
        help_text="An .xlsx or .csv file in the council's layout "
        "(Date | Title | Action proposed | Action taken | Progress status).",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in EXTENSIONS:
            raise forms.ValidationError(ERROR_UPLOAD_TYPE)
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                ERROR_UPLOAD_SIZE.format(limit=MAX_UPLOAD_BYTES // (1024 * 1024))
            )
        return upload
