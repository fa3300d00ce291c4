"""Publishing a month for a panel, and revising a published value with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.command_line import recorded_user
from meetings.models import Panel

from .. import permissions
from ..caching import changes_dataset
from ..models import (
    Commentary,
    Publication,
    Value,
    ValueRevision,
)
from ..rules import validation
from ..rules.concurrency import (
    publication_token,
)
from ..rules.validation import ERROR, Issue
from .common import (
    MSG_CLEARED,
    MSG_NOT_PUBLISHED,
    MSG_NOTHING_TO_PUBLISH,
    MSG_PUBLISH_CHECK_STALE,
    MSG_REASON_REQUIRED,
    MSG_REVISION_UNCHANGED,
    Rejected,
    first_of_month,
    same_number,
    status_label,
)


@dataclass
class PublishResult:
    publication: Publication
    published: int
    left_provisional: list[Value]


@changes_dataset
@transaction.atomic
def publish_month(*, user, panel: Panel, month: date, seen: str | None = None) -> PublishResult:
    """A performance manager publishes a panel's month: every approved value of the month
    becomes published (with the time), the month's commentary of the panel's areas and
    indicators is published with it, and a `Publication` records the release (once per month;
    publishing again later releases values approved since). Provisional values stay
    unpublished and are returned so the screen can name them. With no approved value, nothing
    happens and a ValidationError says so.

    `seen` is the `publication_token` of the check the manager confirmed (the admin always
    sends it): when the approved values are no longer the ones it showed, nothing is
    published and a ValidationError says so."""
    if not permissions.is_performance_manager(user):
        raise PermissionDenied(permissions.MSG_NOT_PUBLISHER)
    month = first_of_month(month)
    approved = list(
        Value.objects.select_for_update()
        .awaiting_publication(panel=panel, month=month)
        .select_related("indicator")
    )
    label = validation.month_label(month)
    if not approved:
        raise ValidationError(MSG_NOTHING_TO_PUBLISH.format(panel=panel, month=label))
    if seen is not None and seen != publication_token(approved):
        raise ValidationError(MSG_PUBLISH_CHECK_STALE.format(panel=panel, month=label))
    real_user = recorded_user(user)
    now = timezone.now()
    for value in approved:
        value.state = Value.State.PUBLISHED
        value.published_at = now
        value.full_clean()
        value._history_user = real_user
        value.save(update_fields=["state", "published_at"])
    commentary = Commentary.objects.filter(month=month).exclude(state=Value.State.PUBLISHED)
    for item in commentary.filter(priority_area__panel=panel) | commentary.filter(
        indicator__panel=panel
    ):
        item.state = Value.State.PUBLISHED
        item._history_user = real_user
        item.save(update_fields=["state"])
    publication, created = Publication.objects.get_or_create(
        panel=panel,
        month=month,
        defaults={"published_at": now, "published_by": real_user},
    )
    if created:
        publication.full_clean()
    return PublishResult(
        publication=publication,
        published=len(approved),
        left_provisional=list(
            Value.objects.filter(
                indicator__panel=panel, month=month, state=Value.State.PROVISIONAL
            ).select_related("indicator")
        ),
    )


@changes_dataset
@transaction.atomic
def revise_value(
    *, user, value: Value, number: Decimal | None, status: str, reason: str, today=None
) -> ValueRevision:
    """A performance manager changes a published value: the reason is required, the new
    figure passes the same rules as on entry, and a `ValueRevision` keeps who, when, the old
    and the new figure, and why. The value stays published and is marked `revised`."""
    if not permissions.is_performance_manager(user):
        raise PermissionDenied(permissions.MSG_NOT_REVISER)
    value = Value.objects.select_for_update().select_related("indicator").get(pk=value.pk)
    indicator = value.indicator
    ctx = {"indicator": str(indicator), "month": validation.month_label(value.month)}
    if value.state != Value.State.PUBLISHED:
        raise Rejected([Issue(ERROR, MSG_NOT_PUBLISHED.format(**ctx), indicator.pk, "number")])
    reason = (reason or "").strip()
    issues = []
    if not reason:
        issues.append(Issue(ERROR, MSG_REASON_REQUIRED, indicator.pk, "reason"))
    if number is None and not status:
        issues.append(Issue(ERROR, MSG_CLEARED.format(**ctx), indicator.pk, "number"))
    else:
        _, found = validation.check_value(
            indicator=str(indicator),
            outturn_type=indicator.outturn_type,
            month=value.month,
            today=today or timezone.localdate(),
            number=number,
            status_label=status_label(status),
            decimals=indicator.decimals,
            key=indicator.pk,
        )
        issues += [i for i in found if i.is_error]
    if not issues and same_number(value.number, number) and value.status == status:
        issues.append(Issue(ERROR, MSG_REVISION_UNCHANGED.format(**ctx), indicator.pk, "number"))
    if issues:
        raise Rejected(issues)
    real_user = recorded_user(user)
    revision = ValueRevision(
        value=value,
        revised_by=real_user,
        old_number=value.number,
        old_status=value.status,
        new_number=number,
        new_status=status,
        reason=reason,
    )
    revision.full_clean()
    revision.save()
    value.number = number
    value.status = status
    value.numerator = value.denominator = None
    value.revised = True
    value.full_clean()
    value._history_user = real_user
    value._change_reason = reason[:100]
    value.save()
    return revision
