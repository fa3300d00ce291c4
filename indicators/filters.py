"""Filters of the dashboard tiles (priority area, rating, SPC signal) and of the catalogue
(priority area, name or reference). GET forms: they work without JavaScript."""

from __future__ import annotations

from dataclasses import dataclass

import django_filters
from django import forms

from . import catalogue
from .models import Indicator, PriorityArea
from .presenters import Tile
from .rules.rag import Rag
from .selectors import AreaData, IndicatorData, PanelDataset
from .sparklines import Sparkline, sparkline

SELECT = {"class": "govuk-select"}

RATING_CHOICES = [("", "Any rating")] + [(rag.value, rag.label) for rag in Rag]
SIGNAL_CHOICES = [
    ("", "Any signal"),
    ("concern", "Special cause of concern"),
    ("improvement", "Special cause of improvement"),
    ("neutral", "Special cause, neither improvement nor concern"),
    ("common", "Common cause variation"),
    ("none", "Not enough data for SPC"),
]


class DashboardFilterForm(forms.Form):
    area = forms.TypedChoiceField(
        label="Priority area",
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs=SELECT),
    )
    rating = forms.ChoiceField(
        label="Rating", required=False, choices=RATING_CHOICES, widget=forms.Select(attrs=SELECT)
    )
    signal = forms.ChoiceField(
        label="SPC signal",
        required=False,
        choices=SIGNAL_CHOICES,
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, areas: list[AreaData], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "All priority areas")] + [
            (section.area.pk, section.area.name) for section in areas
        ]


@dataclass(frozen=True, slots=True)
class Section:
    """A priority area on the dashboard: its rating and counts (of all its rows) and the
    tiles that pass the filters."""

    area: AreaData
    tiles: list[Tile]


def _matches(data: IndicatorData, *, rating: str, signal: str) -> bool:
    if rating and (data.stats.rag.value if data.stats else "none") != rating:
        return False
    return not signal or data.signal == signal


def dashboard_sections(*, dataset: PanelDataset, form: DashboardFilterForm) -> list[Section]:
    """The areas and tiles the filters let through (every area and tile when the form is not
    filled in or invalid). An area with no tile left is dropped."""
    wanted = form.cleaned_data if form.is_bound and form.is_valid() else {}
    area_id = wanted.get("area")
    rating = wanted.get("rating") or ""
    signal = wanted.get("signal") or ""
    sparks: dict[int, Sparkline | None] = {}
    sections = []
    for area in dataset.areas:
        if area_id is not None and area.area.pk != area_id:
            continue
        tiles = []
        for data in area.rows:
            if not _matches(data, rating=rating, signal=signal):
                continue
            if data.pk not in sparks:
                sparks[data.pk] = sparkline(data=data)
            tiles.append(Tile(data, sparks[data.pk]))
        if tiles:
            sections.append(Section(area, tiles))
    return sections


class CatalogueFilter(django_filters.FilterSet):
    """The catalogue's filters, on `catalogue.catalogue()`."""

    area = django_filters.ModelChoiceFilter(
        label="Priority area",
        queryset=PriorityArea.objects.order_by("panel__name", "order", "name"),
        method="filter_area",
        empty_label="All priority areas",
        widget=forms.Select(attrs=SELECT),
    )
    q = django_filters.CharFilter(
        label="Name or reference",
        method="filter_search",
        widget=forms.TextInput(attrs={"class": "govuk-input", "type": "search"}),
    )

    class Meta:
        model = Indicator
        fields = ["area", "q"]

    def filter_area(self, queryset, name, value):
        """Indicators owned by the area or shown in its table."""
        return catalogue.in_area(queryset, area=value)

    def filter_search(self, queryset, name, value):
        """Name or reference contains the text (case-insensitive)."""
        return catalogue.matching(queryset, text=value)
