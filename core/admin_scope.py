"""The admin's one rule of reach, applied by every ModelAdmin of the product's apps.

The rule: a user reaches, in the admin, only the records their ModelAdmin's
`get_queryset(request)` lists. A record outside it is "not found" (404) on every screen that
names it by id: its change form, delete page, history, and each version of its history (the
revert form). Bulk actions and exports act on the list's queryset, so they never reach it
either. Django's own screens answered a redirect to the admin index, and django-simple-history's
showed and saved an out-of-reach record's versions; both are closed here, once.

Reverting a record to an earlier version is a performance manager's act (and an admin's): for
anyone else the revert form is read-only and posting it is refused (403). A model whose changes
must go through a service (a published value, with a reason) sends the revert there; see
`ScopedAdmin.revert`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from .permissions import can_revert_history

MSG_NOT_REVERTER = "Only a performance manager may revert a record to an earlier version."
MSG_NOT_FOUND = "There is no {name} with this id that you may see."


class ScopedAdmin:
    """Mixin (before the ModelAdmin in the bases) holding the rule of the module docstring."""

    def object_in_scope(self, request, object_id):
        """The record `object_id` names, from `get_queryset(request)`; Http404 when it is not
        there. An unknown `_to_field` is left to Django's own view, which refuses it (400)."""
        to_field = request.POST.get(TO_FIELD_VAR, request.GET.get(TO_FIELD_VAR))
        if to_field and not self.to_field_allowed(request, to_field):
            return None
        obj = self.get_object(request, unquote(str(object_id)), to_field)
        if obj is None:
            raise Http404(MSG_NOT_FOUND.format(name=self.model._meta.verbose_name))
        return obj

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self.object_in_scope(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self.object_in_scope(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        # simple-history falls back to the latest version of a record it cannot find, which
        # showed a record outside the user's list; a deleted record's history is not found.
        self.object_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def has_revert_permission(self, request, obj) -> bool:
        """Whether the user may revert `obj` (the current record) to an earlier version."""
        return can_revert_history(request.user) and self.has_change_permission(request, obj)

    def revert_disabled(self, request, obj=None):
        # simple-history passes the historical version's instance: judge the current record.
        current = (
            self.get_queryset(request).filter(pk=obj.pk).first()
            if obj is not None and obj.pk is not None
            else None
        )
        if getattr(settings, "SIMPLE_HISTORY_REVERT_DISABLED", False):
            return True
        return current is None or not self.has_revert_permission(request, current)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        current = self.object_in_scope(request, object_id)
        if request.method == "POST":
            if not self.has_revert_permission(request, current):
                raise PermissionDenied(MSG_NOT_REVERTER)
            return self.revert(request, current, object_id, version_id, extra_context)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert(self, request, current, object_id, version_id, extra_context=None):
        """Save the posted version form (simple-history's revert, through `save_model`); a
        ModelAdmin whose records change only through a service overrides this."""
        return super().history_form_view(request, object_id, version_id, extra_context)


class ScopedModelAdmin(ScopedAdmin, admin.ModelAdmin):
    """The base of every ModelAdmin of the product without history (the history and revert
    hooks above are then never routed to)."""


class ScopedHistoryAdmin(ScopedAdmin, SimpleHistoryAdmin):
    """The base of every ModelAdmin of the product whose model keeps history."""
