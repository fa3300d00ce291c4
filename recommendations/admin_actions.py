"""An admin action for meetings.admin.ResolutionAdmin: put RESOLVED items on the tracker.

recommendations.admin adds it to ResolutionAdmin's actions; meetings, the layer below, does not
import the tracker.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from . import services

ADD = "recommendations.add_recommendation"
MESSAGE_ADDED = "{count} resolution(s) put on the recommendations tracker."
MESSAGE_SKIPPED = "Not added: {reason}"


@admin.action(description="Put the selected resolutions on the recommendations tracker")
def put_on_tracker(modeladmin, request, queryset):
    """Each selected resolution becomes a recommendation (one already tracked is reported, not
    duplicated)."""
    if not request.user.has_perm(ADD):
        raise PermissionDenied
    added = 0
    for resolution in queryset.select_related("minute__meeting", "minute__agenda_item"):
        try:
            services.create_from_resolution(resolution=resolution, user=request.user)
        except ValidationError as exc:
            modeladmin.message_user(
                request, MESSAGE_SKIPPED.format(reason=" ".join(exc.messages)), messages.WARNING
            )
        else:
            added += 1
    modeladmin.message_user(request, MESSAGE_ADDED.format(count=added), messages.SUCCESS)
