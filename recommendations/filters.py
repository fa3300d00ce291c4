"""Filters of the open tracker: status, meeting, lead officer, overdue."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone

from meetings.models import Panel, Person

from .models import Recommendation, Status

SELECT = {"class": "govuk-select"}


def _meeting_choices(queryset) -> list[tuple[str, str]]:
    dates = queryset.order_by("-meeting_date").values_list("meeting_date", flat=True).distinct()
    return [(f"{day:%Y-%m-%d}", f"{day.day} {day:%B %Y}") for day in dates]


class RecommendationFilter(django_filters.FilterSet):
    panel = django_filters.ModelChoiceFilter(
        label="Panel",
        queryset=Panel.objects.all(),
        to_field_name="slug",
        empty_label="All panels",
        widget=forms.Select(attrs=SELECT),
    )
    status = django_filters.ModelChoiceFilter(
        label="Progress status",
        queryset=Status.objects.all(),
        to_field_name="slug",
        empty_label="Any status",
        widget=forms.Select(attrs=SELECT),
    )
    meeting = django_filters.ChoiceFilter(
        field_name="meeting_date",
        label="Meeting that made it",
        empty_label="Any meeting",
        widget=forms.Select(attrs=SELECT),
    )
    officer = django_filters.ModelChoiceFilter(
        field_name="lead_officer",
        label="Lead officer",
        queryset=Person.objects.filter(recommendations_led__isnull=False).distinct(),
        empty_label="Any officer",
        widget=forms.Select(attrs=SELECT),
    )
    overdue = django_filters.BooleanFilter(
        label="Overdue only",
        method="filter_overdue",
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
    )

    class Meta:
        model = Recommendation
        fields = ["panel", "status", "meeting", "officer", "overdue"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["meeting"].extra["choices"] = _meeting_choices(self.queryset)

    def filter_overdue(self, queryset, name, value):
        """Ticked: only recommendations past their due date (rules.is_overdue)."""
        if not value:
            return queryset
        return queryset.overdue(today=timezone.localdate())
