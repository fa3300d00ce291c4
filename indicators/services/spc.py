"""SPC baselines and rebases, saved and deleted with a reason."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.command_line import recorded_user

from .. import permissions
from ..caching import changes_dataset
from ..models import (
    Indicator,
    SpcBreak,
)
from .common import first_of_month

# --- SPC baselines and rebases ---------------------------------------------------------------

MSG_SPC_REASON_REQUIRED = (
    "Give the reason for the {kind}: the verdict names it and the history keeps it."
)


@changes_dataset
@transaction.atomic
def save_spc_break(
    *,
    user,
    indicator: Indicator,
    month: date,
    kind: str,
    reason: str,
    spc_break: SpcBreak | None = None,
) -> SpcBreak:
    """A performance manager fixes an indicator's SPC limits on a baseline ending at `month`,
    or recalculates them from `month` after a change of system (a rebase), with the reason;
    `spc_break` is the one being changed, if any. The month is taken as its first day; the
    reason is required; history records who did it."""
    if not permissions.is_performance_manager(user):
        raise PermissionDenied(permissions.MSG_NOT_SPC_EDITOR)
    reason = (reason or "").strip()
    if not reason:
        label = "baseline" if kind == SpcBreak.Kind.BASELINE else "rebase"
        raise ValidationError({"reason": MSG_SPC_REASON_REQUIRED.format(kind=label)})
    real_user = recorded_user(user)
    held = spc_break or SpcBreak()
    if held.pk is None:
        held.created_by = real_user
    held.indicator = indicator
    held.month = first_of_month(month)
    held.kind = kind
    held.reason = reason
    held.full_clean()
    held._history_user = real_user
    held.save()
    return held


@changes_dataset
@transaction.atomic
def delete_spc_break(*, user, spc_break: SpcBreak) -> None:
    """A performance manager removes a baseline or rebase; its history stays."""
    if not permissions.is_performance_manager(user):
        raise PermissionDenied(permissions.MSG_NOT_SPC_EDITOR)
    spc_break._history_user = recorded_user(user)
    spc_break.delete()
