"""Writes to the tracker: each one atomic, each object checked with full_clean() before saving."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.command_line import recorded_user
from meetings.models import Meeting, Panel, Resolution

from . import importers, rules
from .importers import ImportPlan, TrackerImportError
from .models import PanelDecision, Recommendation, RecommendationUpdate, Status

ERROR_ALREADY_TRACKED = "Resolution {number}) of minute {minute} is already on the tracker."
ERROR_NO_STATUS = "No progress status is set up: add one that is neither complete nor rejected."
ERROR_NOT_ON_LIST = "{recommendation} is not on the list put to this meeting."
ERROR_DECISION_NOT_ALLOWED = "“{decision}” cannot be recorded for {recommendation} ({status})."
ERROR_DECIDED_ELSEWHERE = "{recommendation} was already decided at {meeting}."
ERROR_UPDATE_BEFORE_MEETING = "The update is dated before the meeting that made the recommendation."
ERROR_MAY_NOT_IMPORT = "Only a scrutiny manager can import a tracker."

#: What importing a tracker does to recommendations: it adds some and changes others.
IMPORT_PERMISSIONS = ("recommendations.add_recommendation", "recommendations.change_recommendation")
#: The author named on the action taken that an import records.
IMPORTED_BY = "Imported tracker"


def may_import_tracker(user) -> bool:
    """Importing a tracker adds recommendations and changes others: a user who may do both (the
    scrutiny manager, or a superuser, such as the command line's user) may import one."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.has_perms(IMPORT_PERMISSIONS)


def initial_status() -> Status:
    """The status a new recommendation starts with: the first open one (In train)."""
    status = Status.objects.filter(is_complete=False, is_rejected=False).order_by("order").first()
    if status is None:
        raise ValidationError(ERROR_NO_STATUS)
    return status


def meeting_date(meeting: Meeting) -> date:
    return timezone.localtime(meeting.start).date()


@transaction.atomic
def create_from_resolution(*, resolution: Resolution, user) -> Recommendation:
    """Put a RESOLVED item of the minutes on the tracker: it keeps the link; its date is the
    meeting's, its title the agenda item's (or the minute's), its number the resolution's."""
    minute = resolution.minute
    if Recommendation.objects.filter(resolution=resolution).exists():
        raise ValidationError(
            ERROR_ALREADY_TRACKED.format(number=resolution.number, minute=minute.number)
        )
    meeting = minute.meeting
    made_on = meeting_date(meeting)
    item = minute.agenda_item
    recommendation = Recommendation(
        panel=minute.panel,
        resolution=resolution,
        meeting=meeting,
        meeting_date=made_on,
        item_title=item.title if item else minute.title,
        item_order=item.number if item else 0,
        number=resolution.number,
        action_proposed=resolution.text,
        status=initial_status(),
        response_due=rules.default_response_due(meeting_date=made_on),
    )
    recommendation.full_clean()
    recommendation._history_user = recorded_user(user)
    recommendation.save()
    return recommendation


def _latest_status(recommendation: Recommendation) -> Status | None:
    latest = (
        recommendation.updates.select_related("status").order_by("-date", "-pk").first()
    )
    return latest.status if latest else None


@transaction.atomic
def sync_status(*, recommendation: Recommendation) -> Recommendation:
    """Set the recommendation's status to the one its latest update (by date) recorded."""
    status = _latest_status(recommendation)
    if status is not None and status.pk != recommendation.status_id:
        recommendation.status = status
        recommendation.full_clean()
        recommendation.save(update_fields=["status"])
    return recommendation


@transaction.atomic
def add_update(
    *,
    recommendation: Recommendation,
    user,
    on: date,
    action_taken: str,
    status: Status,
    reported_to: Meeting | None = None,
    author_name: str = "",
) -> RecommendationUpdate:
    """Record action taken, dated and attributed, and the status it set; the recommendation then
    carries the status of its latest update."""
    if on < recommendation.meeting_date:
        raise ValidationError({"date": ERROR_UPDATE_BEFORE_MEETING})
    author = recorded_user(user)
    if not author_name and author is not None:
        author_name = author.get_full_name() or author.get_username()
    update = RecommendationUpdate(
        recommendation=recommendation,
        date=on,
        action_taken=action_taken,
        status=status,
        author=author,
        author_name=author_name,
        reported_to=reported_to,
    )
    update.full_clean()
    update.save()
    sync_status(recommendation=recommendation)
    return update


def _apply_decision(
    *, recommendation: Recommendation, meeting: Meeting, decision: rules.Decision | None, user
) -> bool:
    """Set or clear one decision; True when something changed."""
    elsewhere = next(
        (
            at
            for at in (recommendation.accepted_at, recommendation.rejection_reported_at)
            if at is not None and at.pk != meeting.pk
        ),
        None,
    )
    existing = PanelDecision.objects.filter(recommendation=recommendation, meeting=meeting).first()
    if elsewhere is not None:
        if decision is None and existing is None:
            return False
        raise ValidationError(
            ERROR_DECIDED_ELSEWHERE.format(recommendation=recommendation, meeting=elsewhere)
        )
    allowed = rules.allowed_decisions(
        is_complete=recommendation.status.is_complete,
        is_rejected=recommendation.status.is_rejected,
        on_list=True,
    )
    if decision is not None and decision not in allowed:
        raise ValidationError(
            ERROR_DECISION_NOT_ALLOWED.format(
                decision=rules.DECISION_LABELS[decision],
                recommendation=recommendation,
                status=recommendation.status,
            )
        )
    accepted = meeting if decision == rules.Decision.ACCEPTED else None
    rejection = meeting if decision == rules.Decision.REJECTION_NOTED else None
    changed = False
    if (recommendation.accepted_at_id, recommendation.rejection_reported_at_id) != (
        accepted.pk if accepted else None,
        rejection.pk if rejection else None,
    ):
        recommendation.accepted_at = accepted
        recommendation.rejection_reported_at = rejection
        recommendation.full_clean()
        recommendation._history_user = user
        recommendation.save(update_fields=["accepted_at", "rejection_reported_at"])
        changed = True
    if decision is None:
        if existing is not None:
            existing.delete()
            changed = True
    elif existing is None or existing.decision != decision.value:
        record = existing or PanelDecision(recommendation=recommendation, meeting=meeting)
        record.decision = decision.value
        record.recorded_by = user
        record.full_clean()
        record.save()
        changed = True
    return changed


@transaction.atomic
def record_decisions(
    *, meeting: Meeting, decisions: Mapping[int, rules.Decision | None], user
) -> int:
    """Record the panel's decisions on the monitoring report of a meeting, all or none.

    Accepted sets accepted_at to the meeting (the item leaves the list after it); not accepted
    keeps it on the list to be reported back; rejection noted sets rejection_reported_at. A blank
    decision clears what was recorded at this meeting. Returns how many items changed.
    """
    on_list = {
        rec.pk: rec
        for rec in Recommendation.objects.select_for_update(of=("self",))
        .on_list_for(panel=meeting.panel, report_date=meeting_date(meeting))
        .select_related("status", "accepted_at", "rejection_reported_at")
        .filter(pk__in=list(decisions))
    }
    changed = 0
    for pk, decision in decisions.items():
        recommendation = on_list.get(pk)
        if recommendation is None:
            raise ValidationError(ERROR_NOT_ON_LIST.format(recommendation=f"Recommendation {pk}"))
        if _apply_decision(
            recommendation=recommendation, meeting=meeting, decision=decision, user=user
        ):
            changed += 1
    return changed


# --- Importing a tracker -------------------------------------------------------------------


@transaction.atomic
def apply_import(*, plan: ImportPlan, user) -> ImportPlan:
    """Write a checked plan: create the new recommendations, update the changed ones. An update
    of action taken is dated with the tracker's own date and reported to that meeting. Only a
    user who may import a tracker (may_import_tracker) writes one."""
    if not may_import_tracker(user):
        raise PermissionDenied(ERROR_MAY_NOT_IMPORT)
    if plan.errors:
        raise TrackerImportError(plan.errors)
    author = recorded_user(user)
    meetings = {
        timezone.localtime(meeting.start).date(): meeting
        for meeting in Meeting.objects.filter(panel=plan.panel)
    }
    reported_to = meetings.get(plan.report_date)
    todo = [(change, True) for change in plan.created] + [(c, False) for c in plan.updated]
    for change, is_new in todo:
        rec = change.recommendation
        if is_new:
            meeting_date, title, number = change.key
            rec = Recommendation(
                panel=plan.panel,
                meeting=meetings.get(meeting_date),
                meeting_date=meeting_date,
                item_title=title,
                number=number,
                response_due=rules.default_response_due(meeting_date=meeting_date),
            )
        rec.action_proposed = change.action_proposed
        rec.status = change.status
        rec.full_clean()
        rec._history_user = author
        rec.save()
        change.recommendation = rec
        if change.action_taken.strip() and (is_new or "action taken" in change.changes):
            update = RecommendationUpdate(
                recommendation=rec,
                date=max(plan.report_date, rec.meeting_date),
                action_taken=change.action_taken,
                status=change.status,
                author=author,
                author_name=IMPORTED_BY,
                reported_to=reported_to,
            )
            update.full_clean()
            update.save()
    return plan


def import_tracker(
    *,
    panel: Panel,
    content: bytes,
    name: str,
    user,
    dry_run: bool = False,
    today: date | None = None,
) -> ImportPlan:
    """Read, check and (unless a dry run) write a tracker file: the one call behind the admin's
    confirm step and `manage.py import_tracker`. Raise TrackerImportError, having written
    nothing, when any row is wrong, and PermissionDenied when `user` may not write it."""
    rows = importers.read_rows(content=content, name=name)
    plan = importers.plan_import(panel=panel, rows=rows, today=today or timezone.localdate())
    if plan.errors:
        raise TrackerImportError(plan.errors)
    if not dry_run:
        apply_import(plan=plan, user=user)
    return plan
