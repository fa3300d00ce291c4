from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from core.admin_scope import ScopedHistoryAdmin, ScopedModelAdmin
from core.stale_saves import RefusesStaleSaves

from . import services
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
    WorkProgrammeItem,
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
class PanelAdmin(ScopedModelAdmin):
    list_display = ["name", "slug", "quorum"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline, PanelContactInline]


@admin.register(Person)
class PersonAdmin(ScopedModelAdmin):
    list_display = ["display_name", "kind", "job_title", "organisation", "email", "user"]
    list_filter = ["kind"]
    search_fields = ["name", "job_title", "organisation", "email"]
    autocomplete_fields = ["user"]


@admin.register(Membership)
class MembershipAdmin(ScopedModelAdmin):
    list_display = ["__str__", "panel", "role", "designation", "start", "end"]
    list_filter = ["panel", "role"]
    search_fields = ["person__name", "designation"]
    autocomplete_fields = ["person"]


def _parent_meeting(request) -> Meeting | None:
    """The meeting whose change page is being shown (for inlines), if any."""
    match = request.resolver_match
    object_id = match.kwargs.get("object_id") if match else None
    if not object_id or match.url_name != "meetings_meeting_change":
        return None
    return Meeting.objects.filter(pk=object_id).first()


class AgendaItemInlineForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "number",
            "kind",
            "title",
            "summary",
            "report_of",
            "page_from",
            "page_to",
            "exempt",
            "exempt_paragraph",
            "exempt_reason",
            "dataset_panel",
            "dataset_month",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].required = False
        self.fields["number"].help_text = "Left blank, the item goes after the last one."


class AgendaItemInline(RefusesStaleSaves, admin.StackedInline):
    model = AgendaItem
    form = AgendaItemInlineForm
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


class AttendanceInline(RefusesStaleSaves, admin.TabularInline):
    model = Attendance
    fk_name = "meeting"
    extra = 0
    autocomplete_fields = ["person", "substitute_for"]


class DeclarationInline(RefusesStaleSaves, admin.TabularInline):
    model = Declaration
    extra = 0
    autocomplete_fields = ["person"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "item":
            meeting = _parent_meeting(request)
            kwargs["queryset"] = (
                AgendaItem.objects.filter(meeting=meeting)
                if meeting
                else AgendaItem.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _entry(row: Attendance) -> services.AttendanceEntry:
    """A row of the attendance form, as the entry services.record_attendance records."""
    return services.AttendanceEntry(
        person=row.person,
        status=row.status,
        note=row.note,
        substitute_for=row.substitute_for,
        row=row if row.pk else None,
    )


def _record(declaration: Declaration) -> Declaration:
    """Record a declaration typed on a form (new, or corrected) through the service."""
    return services.record_declaration(
        meeting=declaration.meeting,
        person=declaration.person,
        kind=declaration.kind,
        detail=declaration.detail,
        item=declaration.item,
        declaration=declaration,
    )


@admin.register(Meeting)
class MeetingAdmin(RefusesStaleSaves, ScopedHistoryAdmin):
    list_display = [
        "__str__", "start", "venue", "hybrid", "status", "agenda_published", "sequence"
    ]
    list_filter = ["panel", "status", "hybrid"]
    search_fields = ["venue", "items__title"]
    date_hierarchy = "start"
    list_select_related = ["panel"]
    readonly_fields = ["sequence", "minutes_of_this_meeting"]
    fieldsets = [
        (None, {"fields": ["panel", "start", "venue", "hybrid", "status", "notice"]}),
        ("Publication", {"fields": ["agenda_published", "minutes_approved_at", "sequence"]}),
        ("Minutes", {"fields": ["minutes_of_this_meeting"]}),
    ]
    inlines = [AgendaItemInline, AttendanceInline, DeclarationInline]
    actions = ["publish_agendas", "cancel_meetings"]

    @admin.display(description="Minutes")
    def minutes_of_this_meeting(self, obj):
        if obj is None or obj.pk is None:
            return "Save the meeting first; then write its minutes item by item."
        add_url = reverse("admin:meetings_minute_add") + f"?meeting={obj.pk}"
        rows = format_html_join(
            "",
            '<li><a href="{}">{}. {}</a></li>',
            (
                (reverse("admin:meetings_minute_change", args=[m.pk]), m.number, m.title)
                for m in obj.minutes.order_by("number")
            ),
        )
        return format_html(
            '<ul>{}</ul><p><a class="addlink" href="{}">Write a minute for this meeting</a></p>',
            rows,
            add_url,
        )

    def save_model(self, request, obj, form, change):
        services.save_meeting(
            meeting=obj, changed=form.changed_data if change else (), user=request.user
        )

    def save_formset(self, request, form, formset, change):
        meeting = form.instance
        if formset.model is AgendaItem:
            items = formset.save(commit=False)
            services.save_agenda_items(
                meeting=meeting, items=items, deleted=formset.deleted_objects, user=request.user
            )
        elif formset.model is Attendance:
            rows = formset.save(commit=False)
            services.remove_attendance(rows=formset.deleted_objects)
            services.record_attendance(meeting=meeting, entries=[_entry(row) for row in rows])
        elif formset.model is Declaration:
            declarations = formset.save(commit=False)
            services.remove_declarations(declarations=formset.deleted_objects)
            for declaration in declarations:
                _record(declaration)
        else:
            super().save_formset(request, form, formset, change)
            return
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        meeting = form.instance
        if not change and services.add_standard_items(meeting=meeting):
            self.message_user(
                request,
                "The six standard items were added to the agenda as items 1 to 6.",
                messages.INFO,
            )
        warning = services.quorum_warning(meeting=meeting)
        if warning:
            self.message_user(request, warning, messages.WARNING)

    @admin.action(description="Publish the agendas of the selected meetings today")
    def publish_agendas(self, request, queryset):
        for meeting in queryset:
            services.publish_agenda(meeting=meeting, on=timezone.localdate(), user=request.user)
        self.message_user(request, f"{queryset.count()} agenda(s) published.", messages.SUCCESS)

    @admin.action(description="Cancel the selected meetings")
    def cancel_meetings(self, request, queryset):
        for meeting in queryset:
            try:
                services.cancel_meeting(meeting=meeting, user=request.user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(request, f"{meeting} was cancelled.", messages.SUCCESS)


class AgendaDocumentInline(admin.TabularInline):
    model = AgendaDocument
    extra = 0


@admin.register(AgendaItem)
class AgendaItemAdmin(RefusesStaleSaves, ScopedModelAdmin):
    list_display = ["__str__", "meeting", "kind", "report_of", "pages", "exempt"]
    list_filter = ["kind", "exempt", "meeting__panel"]
    search_fields = ["title", "summary", "report_of"]
    list_select_related = ["meeting__panel"]
    inlines = [AgendaDocumentInline]


class ResolutionInlineForm(forms.ModelForm):
    class Meta:
        model = Resolution
        fields = ["number", "text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].required = False
        self.fields["number"].help_text = "Left blank: numbered 1), 2) … in order."


class ResolutionInline(RefusesStaleSaves, admin.TabularInline):
    model = Resolution
    form = ResolutionInlineForm
    extra = 1
    verbose_name = "RESOLVED item"
    verbose_name_plural = "RESOLVED items"


class MinuteAdminForm(forms.ModelForm):
    class Meta:
        model = Minute
        fields = [
            "meeting",
            "number",
            "agenda_item",
            "title",
            "addressed_by",
            "text",
            "noted",
            "approves_minutes_of",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].required = False
        self.fields["number"].help_text = (
            "Minutes are numbered on through the municipal year. Left blank, the minute takes the "
            "next number."
        )
        self.fields["title"].required = False
        self.fields["title"].help_text = "Left blank, the agenda item's title."

    def clean(self):
        cleaned = super().clean()
        meeting = cleaned.get("meeting")
        item = cleaned.get("agenda_item")
        if not cleaned.get("title"):
            if item is None:
                self.add_error("title", "Enter the minute's title, or choose its agenda item.")
            else:
                cleaned["title"] = item.title
        if meeting is not None:
            minute = self.instance
            minute.meeting = meeting
            minute.agenda_item = item
            minute.approves_minutes_of = cleaned.get("approves_minutes_of")
            minute.number = cleaned.get("number")
            try:
                services.validate_minute(minute)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
        return cleaned

    def _post_clean(self):
        # panel and municipal year come from the meeting (services.save_minute); the number may
        # be blank until then.
        meeting = self.cleaned_data.get("meeting")
        if meeting is not None:
            self.instance.panel_id = meeting.panel_id
            self.instance.municipal_year = meeting.municipal_year
        super()._post_clean()

    def validate_unique(self):
        # services.validate_minute has checked the number within the municipal year.
        return


@admin.register(Minute)
class MinuteAdmin(RefusesStaleSaves, ScopedHistoryAdmin):
    form = MinuteAdminForm
    list_display = ["number", "title", "meeting", "municipal_year"]
    list_filter = ["panel", "municipal_year"]
    search_fields = ["title", "text", "noted", "addressed_by"]
    list_select_related = ["meeting__panel"]
    autocomplete_fields = ["meeting"]
    readonly_fields = ["panel", "municipal_year"]
    inlines = [ResolutionInline]

    def get_fields(self, request, obj=None):
        fields = list(MinuteAdminForm.Meta.fields)
        return fields + (["panel", "municipal_year"] if obj else [])

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        meeting = Meeting.objects.filter(pk=request.GET.get("meeting") or None).first()
        if meeting is not None:
            initial["meeting"] = meeting.pk
            initial["number"] = services.next_minute_number_for(meeting=meeting)
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        meeting_id = request.GET.get("meeting") or None
        match = request.resolver_match
        if match and match.kwargs.get("object_id"):
            meeting_id = (
                Minute.objects.filter(pk=match.kwargs["object_id"])
                .values_list("meeting_id", flat=True)
                .first()
            )
        if db_field.name == "agenda_item" and meeting_id:
            kwargs["queryset"] = AgendaItem.objects.filter(meeting_id=meeting_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.save_minute(minute=obj, user=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is Resolution:
            resolutions = formset.save(commit=False)
            services.save_resolutions(
                minute=form.instance,
                resolutions=resolutions,
                deleted=formset.deleted_objects,
                user=request.user,
            )
            formset.save_m2m()
            return
        super().save_formset(request, form, formset, change)


@admin.register(Resolution)
class ResolutionAdmin(RefusesStaleSaves, ScopedModelAdmin):
    list_display = ["__str__", "minute"]
    search_fields = ["text", "minute__title"]
    list_select_related = ["minute__meeting__panel"]
    # recommendations.admin adds its action (put on the tracker): meetings cannot name the
    # tracker, which sits above them.
    actions: list = []


@admin.register(Attendance)
class AttendanceAdmin(ScopedModelAdmin):
    list_display = ["person", "meeting", "status", "note"]
    list_filter = ["status", "meeting__panel"]
    search_fields = ["person__name", "note"]
    list_select_related = ["person", "meeting__panel"]

    def save_model(self, request, obj, form, change):
        services.record_attendance(meeting=obj.meeting, entries=[_entry(obj)])


@admin.register(Declaration)
class DeclarationAdmin(ScopedModelAdmin):
    list_display = ["person", "meeting", "item", "kind"]
    list_filter = ["kind"]
    search_fields = ["person__name", "detail"]
    list_select_related = ["person", "meeting__panel", "item"]

    def save_model(self, request, obj, form, change):
        _record(obj)


@admin.register(WorkProgrammeItem)
class WorkProgrammeItemAdmin(ScopedModelAdmin):
    list_display = ["title", "panel", "target_meeting", "status", "lead_officer", "agenda_item"]
    list_filter = ["panel", "status"]
    search_fields = ["title", "purpose"]
    list_select_related = ["panel", "target_meeting__panel", "lead_officer", "agenda_item"]
    autocomplete_fields = ["lead_officer", "target_meeting"]
    readonly_fields = ["agenda_item"]
    actions = ["place_on_target_meeting"]

    @admin.action(description="Place the selected items on their target meetings' agendas")
    def place_on_target_meeting(self, request, queryset):
        for work_item in queryset.select_related("target_meeting", "agenda_item__meeting"):
            try:
                item = services.place_on_meeting(work_item=work_item, user=request.user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"“{work_item.title}” is item {item.number} of {item.meeting}.",
                    messages.SUCCESS,
                )
