from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AreaIndicator,
    BenchmarkValue,
    Commentary,
    Comparator,
    Indicator,
    PriorityArea,
    Publication,
    Target,
    Value,
)


class AreaIndicatorInline(admin.TabularInline):
    model = AreaIndicator
    extra = 0
    autocomplete_fields = ["indicator"]


@admin.register(PriorityArea)
class PriorityAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "panel", "order", "rating"]
    list_filter = ["panel", "rating"]
    search_fields = ["name"]
    inlines = [AreaIndicatorInline]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


class BenchmarkInline(admin.TabularInline):
    model = BenchmarkValue
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "ref",
        "priority_area",
        "outturn_type",
        "measure_type",
        "polarity",
        "owner",
        "is_active",
    ]
    list_filter = ["panel", "priority_area", "outturn_type", "measure_type", "polarity", "is_active"]
    search_fields = ["name", "ref", "definition"]
    list_select_related = ["priority_area", "owner"]
    autocomplete_fields = ["owner", "reporter"]
    inlines = [TargetInline, BenchmarkInline]


@admin.register(Value)
class ValueAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "month", "number", "status", "state", "revised", "entered_by"]
    list_filter = ["state", "status", "revised", "indicator__panel", "indicator__priority_area"]
    search_fields = ["indicator__name", "indicator__ref"]
    date_hierarchy = "month"
    list_select_related = ["indicator", "entered_by"]
    autocomplete_fields = ["indicator"]
    readonly_fields = ["entered_by", "entered_at", "approved_by", "approved_at", "published_at"]


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "year", "bound", "number", "status", "amber_tolerance"]
    list_filter = ["year", "indicator__panel"]
    search_fields = ["indicator__name"]
    list_select_related = ["indicator"]
    autocomplete_fields = ["indicator"]


@admin.register(Comparator)
class ComparatorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "order"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(BenchmarkValue)
class BenchmarkValueAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "comparator", "year", "number", "status"]
    list_filter = ["comparator", "year"]
    search_fields = ["indicator__name"]
    list_select_related = ["indicator", "comparator"]
    autocomplete_fields = ["indicator"]


@admin.register(Commentary)
class CommentaryAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "month", "state"]
    list_filter = ["state", "priority_area"]
    search_fields = ["analysis", "actions", "indicator__name", "priority_area__name"]
    date_hierarchy = "month"
    list_select_related = ["priority_area", "indicator"]


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["panel", "month", "published_at", "published_by"]
    list_filter = ["panel"]
    date_hierarchy = "month"
