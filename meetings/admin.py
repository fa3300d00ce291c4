from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AgendaDocument,
    AgendaItem,
    Attendance,
    Declaration,
    Meeting,
    Membership,
    Minute,
    Panel,
    PanelContact,
    Person,
    Resolution,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person"]


class PanelContactInline(admin.TabularInline):
    model = PanelContact
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Panel)
class PanelAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "quorum", "default_amber_tolerance"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline, PanelContactInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["display_name", "kind", "job_title", "organisation", "email", "user"]
    list_filter = ["kind"]
    search_fields = ["name", "job_title", "organisation", "email"]
    autocomplete_fields = ["user"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["__str__", "panel", "role", "designation", "start", "end"]
    list_filter = ["panel", "role"]
    search_fields = ["person__name", "designation"]
    autocomplete_fields = ["person"]


class AgendaItemInline(admin.StackedInline):
    model = AgendaItem
    extra = 0
    fields = [
        ("number", "kind"),
        "title",
        "summary",
        "report_of",
        ("page_from", "page_to"),
        ("exempt", "exempt_paragraph", "exempt_reason"),
        ("dataset_panel", "dataset_month"),
    ]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    fk_name = "meeting"
    extra = 0
    autocomplete_fields = ["person", "substitute_for"]


class DeclarationInline(admin.TabularInline):
    model = Declaration
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "start", "venue", "hybrid", "status", "agenda_published"]
    list_filter = ["panel", "status", "hybrid"]
    search_fields = ["venue", "items__title"]
    date_hierarchy = "start"
    inlines = [AgendaItemInline, AttendanceInline, DeclarationInline]


class AgendaDocumentInline(admin.TabularInline):
    model = AgendaDocument
    extra = 0


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "meeting", "kind", "report_of", "pages", "exempt"]
    list_filter = ["kind", "exempt", "meeting__panel"]
    search_fields = ["title", "summary", "report_of"]
    list_select_related = ["meeting__panel"]
    inlines = [AgendaDocumentInline]


class ResolutionInline(admin.TabularInline):
    model = Resolution
    extra = 0


@admin.register(Minute)
class MinuteAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "meeting", "municipal_year"]
    list_filter = ["panel", "municipal_year"]
    search_fields = ["title", "text", "noted", "addressed_by"]
    list_select_related = ["meeting__panel"]
    inlines = [ResolutionInline]


@admin.register(Resolution)
class ResolutionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "minute"]
    search_fields = ["text", "minute__title"]
    list_select_related = ["minute__meeting__panel"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["person", "meeting", "status", "note"]
    list_filter = ["status", "meeting__panel"]
    search_fields = ["person__name", "note"]
    list_select_related = ["person", "meeting__panel"]


@admin.register(Declaration)
class DeclarationAdmin(admin.ModelAdmin):
    list_display = ["person", "meeting", "item", "kind"]
    list_filter = ["kind"]
    search_fields = ["person__name", "detail"]
    list_select_related = ["person", "meeting__panel", "item"]
