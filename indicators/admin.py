"""The admin of the monthly dataset.

Officers see and change only their indicators' values, targets, benchmarks and commentary (the
rule is in `indicators.permissions`); panel members and the scrutiny manager see only published
values. Published values are read-only here: they change through "Revise" (a performance
manager, with a reason). The monthly entry, targets, approval, publication and import screens
are in `indicators.admin_views`, mounted under /admin/indicators/entry/.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode

from core.admin_scope import ScopedHistoryAdmin, ScopedModelAdmin
from core.permissions import can_revert_history
from core.stale_saves import RefusesStaleSaves, StaleSaveForm

from . import admin_views, permissions, services
from .models import (
    AreaIndicator,
    BenchmarkValue,
    Commentary,
    Comparator,
    Entry,
    Indicator,
    PanelMonitoring,
    PriorityArea,
    Publication,
    SpcBreak,
    Target,
    Value,
    ValueRevision,
)
from .rules import validation

MSG_APPROVED_ACTION = "{count} value(s) approved."


class AreaIndicatorInline(admin.TabularInline):
    model = AreaIndicator
    extra = 0


@admin.register(PriorityArea)
class PriorityAreaAdmin(ScopedModelAdmin):
    list_display = ["name", "panel", "order", "rating", "entry_link"]
    list_filter = ["panel", "rating"]
    search_fields = ["name"]
    inlines = [AreaIndicatorInline]

    @admin.display(description="Monthly entry")
    def entry_link(self, obj):
        month = admin_views.month_slug(timezone.localdate().replace(day=1))
        url = reverse("admin:indicators_entry_month", args=[obj.pk, month])
        return format_html('<a href="{}">Enter {}</a>', url, obj.name)


class WrittenByServices:
    """Admin pages whose rows the services write (entry screens, revisions, publishing): the
    admin's forms never add, change or delete one."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ViewOnlyForDataEntry(WrittenByServices):
    """Admin pages that those who enter data may open but never edit."""

    def has_module_permission(self, request):
        return permissions.can_enter_data(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_enter_data(request.user)


@admin.register(Entry)
class EntryAdmin(ViewOnlyForDataEntry, ScopedModelAdmin):
    """No table of its own: the admin index's door to the monthly entry screens."""

    def changelist_view(self, request, extra_context=None):
        return admin_views.entry_index(request)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(admin_views.import_workbook), name="indicators_entry_import"),
            path(
                "month/<slug:panel_slug>/<str:month>/",
                wrap(admin_views.month_status),
                name="indicators_entry_month_status",
            ),
            path(
                "month/<slug:panel_slug>/<str:month>/publish/",
                wrap(admin_views.publish_month),
                name="indicators_entry_publish",
            ),
            path(
                "<int:area_id>/targets/<int:year>/",
                wrap(admin_views.entry_targets),
                name="indicators_entry_targets",
            ),
            path(
                "<int:area_id>/<str:month>/",
                wrap(admin_views.entry_month),
                name="indicators_entry_month",
            ),
            *super().get_urls(),
        ]


class TargetInline(RefusesStaleSaves, admin.TabularInline):
    model = Target
    extra = 0


class BenchmarkInline(RefusesStaleSaves, admin.TabularInline):
    model = BenchmarkValue
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(RefusesStaleSaves, ScopedHistoryAdmin):
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
    list_filter = [
        "panel",
        "priority_area",
        "outturn_type",
        "measure_type",
        "polarity",
        "is_active",
    ]
    search_fields = ["name", "ref", "definition"]
    list_select_related = ["priority_area", "owner"]
    autocomplete_fields = ["owner", "reporter"]
    inlines = [TargetInline, BenchmarkInline]
    actions = ["export_xlsx", "export_csv"]

    @admin.action(description="Export the selected indicators (.xlsx, 2022 layout)")
    def export_xlsx(self, request, queryset):
        from .exports_admin import export_response

        return export_response(queryset=queryset, user=request.user, file_format="xlsx")

    @admin.action(description="Export the selected indicators (.csv, 2022 layout)")
    def export_csv(self, request, queryset):
        from .exports_admin import export_response

        return export_response(queryset=queryset, user=request.user, file_format="csv")


class OfficerScopedAdmin(RefusesStaleSaves, ScopedHistoryAdmin):
    """Officers see and change only rows of the indicators they may edit."""

    indicator_field = "indicator"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        user = request.user
        if permissions.is_performance_manager(user):
            return queryset
        if permissions.is_officer(user):
            editable = permissions.editable_indicators(user).values("pk")
            return queryset.filter(**{f"{self.indicator_field}__in": editable})
        return self.public_queryset(queryset)

    def public_queryset(self, queryset):
        return queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not permissions.is_performance_manager(request.user):
            if db_field.name == "indicator":
                kwargs["queryset"] = permissions.editable_indicators(request.user)
            elif db_field.name == "priority_area":
                kwargs["queryset"] = permissions.editable_areas(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ValueAdminForm(StaleSaveForm):
    """The plain change form checks a value by the entry screen's rules, and, as the entry
    screen does, refuses to overwrite a change someone else saved after it was opened."""

    class Meta:
        model = Value
        fields = ["indicator", "month", "number", "status", "numerator", "denominator"]

    def parts(self):
        # A figure, its status and its fraction are one value, compared as the entry screen
        # compares it.
        return {
            "indicator": ("indicator",),
            "month": ("month",),
            "value": ("number", "status", "numerator", "denominator"),
        }

    def stale_save_message(self, part, stored):
        who, when = services.last_change(stored)
        return services.MSG_CHANGED_MEANWHILE.format(
            indicator=stored.indicator,
            month=validation.month_label(stored.month),
            who=who,
            when=when,
            now=stored.display,
        )

    confirm_warnings = forms.BooleanField(
        required=False, label="I have checked the warnings and the figure is right"
    )
    warning_reason = forms.CharField(
        required=False, label="Reason", help_text="Kept in the value's history."
    )

    def clean(self):
        data = super().clean()
        indicator, month = data.get("indicator"), data.get("month")
        if indicator is None or month is None:
            return data
        month = month.replace(day=1)
        data["month"] = month
        number, issues = services.check_figure(
            indicator=str(indicator),
            outturn_type=indicator.outturn_type,
            measure_type=indicator.measure_type,
            month=month,
            today=timezone.localdate(),
            number=data.get("number"),
            status=data.get("status") or "",
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
            decimals=indicator.decimals,
            series=services.series_by_indicator([indicator.pk]).get(indicator.pk, {}),
        )
        errors = [issue.message for issue in issues if issue.is_error]
        if errors:
            raise ValidationError(errors)
        # As on the entry screen, a warning (a figure far outside the history) is saved only
        # once the user ticks the box and gives a reason.
        warnings = [issue.message for issue in issues if not issue.is_error]
        confirmed = data.get("confirm_warnings")
        if warnings and not (confirmed and (data.get("warning_reason") or "").strip()):
            prompt = services.MSG_REASON_REQUIRED if confirmed else services.MSG_CONFIRM_WARNINGS
            raise ValidationError([prompt, *warnings])
        data["number"] = number
        return data


@admin.register(Value)
class ValueAdmin(OfficerScopedAdmin):
    form = ValueAdminForm
    list_display = ["indicator", "month", "number", "status", "state", "revised", "entered_by"]
    list_filter = ["state", "status", "revised", "indicator__panel", "indicator__priority_area"]
    search_fields = ["indicator__name", "indicator__ref"]
    date_hierarchy = "month"
    list_select_related = ["indicator", "entered_by"]
    readonly_fields = [
        "state",
        "revised",
        "entered_by",
        "entered_at",
        "approved_by",
        "approved_at",
        "published_at",
    ]
    actions = ["approve_selected"]

    def public_queryset(self, queryset):
        return queryset.filter(state=Value.State.PUBLISHED)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.state == Value.State.PUBLISHED:
            return False  # only through a revision
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.state == Value.State.PUBLISHED:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        services.save_value(
            user=request.user, value=obj, reason=form.cleaned_data.get("warning_reason") or ""
        )

    @admin.action(description="Approve the selected provisional values")
    def approve_selected(self, request, queryset):
        try:
            count = services.approve_values(user=request.user, values=queryset)
        except PermissionDenied as denied:
            self.message_user(request, str(denied), messages.ERROR)
            return
        self.message_user(request, MSG_APPROVED_ACTION.format(count=count), messages.SUCCESS)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not permissions.is_performance_manager(request.user):
            actions.pop("approve_selected", None)
        return actions

    def changelist_view(self, request, extra_context=None):
        extra = {"can_import": permissions.is_performance_manager(request.user)}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra = {
            "can_revise": obj is not None
            and obj.state == Value.State.PUBLISHED
            and permissions.is_performance_manager(request.user)
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def has_revert_permission(self, request, obj) -> bool:
        # A published value cannot be changed in the form, but a performance manager may
        # revert it: `revert` sends that through the revision screen.
        if obj.state == Value.State.PUBLISHED:
            return can_revert_history(request.user)
        return super().has_revert_permission(request, obj)

    def revert(self, request, current, object_id, version_id, extra_context=None):
        """A published value is reverted as it is revised: the revision screen, filled with
        the chosen version's figure, asks for the reason and calls `services.revise_value`.
        A provisional value is reverted through the change form's own save."""
        if current.state != Value.State.PUBLISHED:
            return super().revert(request, current, object_id, version_id, extra_context)
        version = get_object_or_404(current.history, history_id=version_id)
        url = reverse("admin:indicators_value_revise", args=[current.pk])
        return HttpResponseRedirect(f"{url}?{urlencode({'version': version.history_id})}")

    def get_urls(self):
        return [
            path(
                "<int:value_id>/revise/",
                self.admin_site.admin_view(admin_views.revise_value),
                name="indicators_value_revise",
            ),
            *super().get_urls(),
        ]


@admin.register(ValueRevision)
class ValueRevisionAdmin(ViewOnlyForDataEntry, ScopedModelAdmin):
    """Read-only: revisions are written by `services.revise_value`."""

    list_display = ["value", "revised_at", "revised_by", "old_display", "new_display", "reason"]
    list_filter = ["revised_at"]
    search_fields = ["value__indicator__name", "reason"]
    list_select_related = ["value__indicator", "revised_by"]

    def get_queryset(self, request):
        visible = permissions.visible_values(request.user).values("pk")
        return super().get_queryset(request).filter(value__in=visible)


@admin.register(Target)
class TargetAdmin(OfficerScopedAdmin):
    list_display = ["indicator", "year", "bound", "number", "status", "amber_tolerance"]
    list_filter = ["year", "indicator__panel"]
    search_fields = ["indicator__name"]
    list_select_related = ["indicator"]


@admin.register(PanelMonitoring)
class PanelMonitoringAdmin(ScopedModelAdmin):
    """A panel's amber band and SPC run length. Each panel has exactly one row, made with the
    panel, so there is nothing to add or delete here."""

    list_display = ["panel", "default_amber_tolerance", "spc_run_length"]
    readonly_fields = ["panel"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Comparator)
class ComparatorAdmin(ScopedModelAdmin):
    list_display = ["name", "kind", "order"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(BenchmarkValue)
class BenchmarkValueAdmin(OfficerScopedAdmin):
    list_display = ["indicator", "comparator", "year", "number", "status"]
    list_filter = ["comparator", "year"]
    search_fields = ["indicator__name"]
    list_select_related = ["indicator", "comparator"]


@admin.register(Commentary)
class CommentaryAdmin(OfficerScopedAdmin):
    list_display = ["__str__", "month", "state"]
    list_filter = ["state", "priority_area"]
    search_fields = ["analysis", "actions", "indicator__name", "priority_area__name"]
    date_hierarchy = "month"
    list_select_related = ["priority_area", "indicator"]

    def get_queryset(self, request):
        base = super(OfficerScopedAdmin, self).get_queryset(request)
        visible = permissions.visible_commentary(request.user).values("pk")
        return base.filter(pk__in=visible)

    def has_change_permission(self, request, obj=None):
        if (
            obj is not None
            and obj.state == Value.State.PUBLISHED
            and not permissions.is_performance_manager(request.user)
        ):
            return False
        return super().has_change_permission(request, obj)


@admin.register(Publication)
class PublicationAdmin(WrittenByServices, ScopedModelAdmin):
    """The record of releases, read-only: a month is published only through its check
    (`admin_views.publish_month` → `services.publish_month`), never by adding, changing or
    deleting a row here (a bare Publication would move the public month with no values)."""

    list_display = ["panel", "month", "published_at", "published_by"]
    list_filter = ["panel"]
    date_hierarchy = "month"


class SpcBreakForm(forms.ModelForm):
    class Meta:
        model = SpcBreak
        fields = ["indicator", "kind", "month", "reason"]

    def clean_month(self):
        # Months are stored as their first day; a date picked mid-month means its month.
        month = self.cleaned_data["month"]
        return services.first_of_month(month) if month else month


@admin.register(SpcBreak)
class SpcBreakAdmin(ScopedHistoryAdmin):
    """Performance managers only (the role's model permissions): officers get a 403."""

    form = SpcBreakForm
    list_display = ["indicator", "kind", "month", "reason", "created_by", "created_at"]
    list_filter = ["kind", "indicator__panel"]
    search_fields = ["indicator__name", "indicator__ref", "reason"]
    autocomplete_fields = ["indicator"]
    list_select_related = ["indicator", "created_by"]

    def save_model(self, request, obj, form, change):
        services.save_spc_break(
            user=request.user,
            indicator=obj.indicator,
            month=obj.month,
            kind=obj.kind,
            reason=obj.reason,
            spc_break=obj,
        )

    def delete_model(self, request, obj):
        services.delete_spc_break(user=request.user, spc_break=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.delete_spc_break(user=request.user, spc_break=obj)
