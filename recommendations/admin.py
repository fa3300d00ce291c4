
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from core import upload_stash
from core.admin_scope import ScopedHistoryAdmin, ScopedModelAdmin
from core.stale_saves import RefusesStaleSaves
from meetings.admin import ResolutionAdmin
from meetings.models import Panel

from . import rules, services
from .admin_actions import put_on_tracker
from .forms import TrackerUploadForm
from .importers import TrackerImportError, plan_import, read_rows
from .models import PanelDecision, Question, Recommendation, RecommendationUpdate, Status

SESSION_KEY = "tracker_import"
MESSAGE_IMPORTED = "Imported: {created} created, {updated} updated, {unchanged} unchanged."
MESSAGE_EXPIRED = "The upload has expired: upload the file again."

# Meetings sit below the tracker and cannot name it, so the tracker offers its action on
# meetings' list of RESOLVED items itself.
if put_on_tracker not in ResolutionAdmin.actions:
    ResolutionAdmin.actions = [*ResolutionAdmin.actions, put_on_tracker]


@admin.register(Status)
class StatusAdmin(ScopedModelAdmin):
    list_display = ["name", "order", "colour", "is_complete", "is_rejected"]
    list_editable = ["order", "colour"]
    search_fields = ["name", "aliases"]


class UpdateInline(RefusesStaleSaves, admin.StackedInline):
    model = RecommendationUpdate
    extra = 0
    fields = [("date", "status"), "action_taken", ("author", "author_name"), "reported_to"]
    autocomplete_fields = ["reported_to"]


class DecisionInline(admin.TabularInline):
    model = PanelDecision
    extra = 0
    fields = ["meeting", "decision", "recorded_by", "recorded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Recommendation)
class RecommendationAdmin(RefusesStaleSaves, ScopedHistoryAdmin):
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
    inlines = [UpdateInline, DecisionInline]
    change_list_template = "admin/recommendations/recommendation/change_list.html"

    def save_model(self, request, obj, form, change):
        """A recommendation entered by hand gets the default response date."""
        if obj.response_due is None and obj.meeting_date:
            obj.response_due = rules.default_response_due(meeting_date=obj.meeting_date)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        """Updates added here set the recommendation's status, as everywhere else."""
        super().save_related(request, form, formsets, change)
        services.sync_status(recommendation=form.instance)

    def get_urls(self):
        own = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="recommendations_recommendation_import",
            ),
        ]
        return own + super().get_urls()

    def import_view(self, request):
        """Upload a tracker, see what it would change (or every error by row and column), then
        confirm. The upload waits in storage between the two steps."""
        if not services.may_import_tracker(request.user):
            raise PermissionDenied(services.ERROR_MAY_NOT_IMPORT)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta,
                   "title": "Import a tracker"}
        if request.method == "POST" and "confirm" in request.POST:
            return self._confirm_import(request)
        form = TrackerUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            panel = form.cleaned_data["panel"]
            try:
                plan = plan_import(
                    panel=panel, rows=read_rows(content=content, name=upload.name),
                    today=_today(),
                )
            except TrackerImportError as exc:
                # The file cannot be read: a 400, with every problem by row and column.
                context.update(form=form, errors=exc.errors)
                return TemplateResponse(
                    request, "admin/recommendations/import.html", context, status=400
                )
            token = upload_stash.stash(data=content)
            request.session[SESSION_KEY] = {
                "token": token, "name": upload.name, "panel": panel.pk,
            }
            context.update(form=form, plan=plan, token=token, errors=plan.errors)
            return TemplateResponse(request, "admin/recommendations/import.html", context)
        context.update(form=form)
        # A refused upload (wrong type, too large) answers 400, as an unreadable file does.
        status = 400 if request.method == "POST" else 200
        return TemplateResponse(
            request, "admin/recommendations/import.html", context, status=status
        )

    def _confirm_import(self, request):
        pending = request.session.get(SESSION_KEY)
        if not pending or pending.get("token") != request.POST.get("token"):
            self.message_user(request, MESSAGE_EXPIRED, messages.ERROR)
            return redirect("admin:recommendations_recommendation_import")
        content = upload_stash.take(token=pending["token"])
        if content is None:
            request.session.pop(SESSION_KEY, None)
            self.message_user(request, MESSAGE_EXPIRED, messages.ERROR)
            return redirect("admin:recommendations_recommendation_import")
        panel = Panel.objects.get(pk=pending["panel"])
        try:
            plan = services.import_tracker(
                panel=panel, content=content, name=pending["name"], user=request.user
            )
        except TrackerImportError as exc:
            self.message_user(request, "; ".join(str(e) for e in exc.errors), messages.ERROR)
            return redirect("admin:recommendations_recommendation_import")
        finally:
            upload_stash.forget(token=pending["token"])
            request.session.pop(SESSION_KEY, None)
        self.message_user(
            request,
            MESSAGE_IMPORTED.format(
                created=len(plan.created), updated=len(plan.updated),
                unchanged=len(plan.unchanged),
            ),
            messages.SUCCESS,
        )
        return redirect(reverse("admin:recommendations_recommendation_changelist"))


def _today():
    return timezone.localdate()


@admin.register(RecommendationUpdate)
class RecommendationUpdateAdmin(RefusesStaleSaves, ScopedHistoryAdmin):
    list_display = ["recommendation", "date", "status", "author_name", "reported_to"]
    list_filter = ["status"]
    search_fields = ["action_taken", "recommendation__item_title"]
    list_select_related = ["recommendation", "status", "reported_to"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.sync_status(recommendation=obj.recommendation)


@admin.register(PanelDecision)
class PanelDecisionAdmin(ScopedHistoryAdmin):
    list_display = ["recommendation", "meeting", "decision", "recorded_by", "recorded_at"]
    list_filter = ["decision"]
    list_select_related = ["recommendation", "meeting__panel", "recorded_by"]
    readonly_fields = ["recorded_by", "recorded_at"]


class QuestionStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", "Open"), ("answered", "Answered")]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.open()
        if self.value() == "answered":
            return queryset.answered()
        return queryset


@admin.register(Question)
class QuestionAdmin(ScopedHistoryAdmin):
    list_display = ["indicator", "month", "short_text", "asked_by", "asked_at", "answered_at"]
    list_filter = [QuestionStateFilter, "indicator__panel", "month"]
    search_fields = ["text", "answer", "indicator__name", "indicator__ref"]
    list_select_related = ["indicator", "asked_by"]
    autocomplete_fields = ["indicator"]
    raw_id_fields = ["asked_by", "answered_by"]
    readonly_fields = ["asked_at"]
    date_hierarchy = "asked_at"

    @admin.display(description="Question")
    def short_text(self, obj: Question) -> str:
        return obj.text if len(obj.text) <= 80 else f"{obj.text[:79]}…"
