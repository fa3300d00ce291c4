from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Recommendation, RecommendationUpdate, Status


@admin.register(Status)
class StatusAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "colour", "is_complete", "is_rejected"]
    list_editable = ["order", "colour"]
    search_fields = ["name", "aliases"]


class UpdateInline(admin.StackedInline):
    model = RecommendationUpdate
    extra = 0
    fields = [("date", "status"), "action_taken", ("author", "author_name"), "reported_to"]
    autocomplete_fields = ["reported_to"]


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = [
        "meeting_date",
        "item_title",
        "number",
        "status",
        "lead_officer",
        "due_date",
        "accepted_at",
        "rejection_reported_at",
    ]
    list_filter = ["panel", "status", "meeting_date"]
    search_fields = ["item_title", "action_proposed", "updates__action_taken"]
    list_select_related = ["status", "lead_officer", "accepted_at", "rejection_reported_at"]
    autocomplete_fields = [
        "lead_officer",
        "resolution",
        "meeting",
        "accepted_at",
        "rejection_reported_at",
        "indicators",
    ]
    date_hierarchy = "meeting_date"
    inlines = [UpdateInline]


@admin.register(RecommendationUpdate)
class RecommendationUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["recommendation", "date", "status", "author_name", "reported_to"]
    list_filter = ["status"]
    search_fields = ["action_taken", "recommendation__item_title"]
    list_select_related = ["recommendation", "status", "reported_to"]
