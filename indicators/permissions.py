"""Who may enter, approve, publish, revise and import the monthly dataset.

The rule for officers (decided for issue 4): an officer may edit the indicators they own
(Indicator.owner → Person.user) **and every indicator of a priority area in which they own at
least one indicator** (the area is the indicator's home area, Indicator.priority_area). Teams
enter a priority area's table together, and the month's commentary belongs to the area, so
the area is the unit of entry. An officer sees only those indicators, their values, targets,
benchmarks and commentary, on the entry screens and in the plain admin lists alike.

Performance managers (the "Performance manager" group) and superusers may edit everything,
approve, publish, revise published values and import spreadsheets. Everyone else (panel
members, the scrutiny manager) sees only published values.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from core.permissions import is_performance_manager
from core.roles import OFFICER
from core.visibility import ValueScope, reader_of, role_names

from .models import Commentary, Indicator, PriorityArea, Value

MSG_NOT_YOUR_AREA = "You may not enter data for {area}: you own none of its indicators."
MSG_NOT_YOUR_INDICATOR = "You may not change {indicator}: it is not yours or your area's."
MSG_NOT_APPROVER = "Only a performance manager may approve values."
MSG_NOT_PUBLISHER = "Only a performance manager may publish a month."
MSG_NOT_REVISER = "Only a performance manager may revise a published value."
MSG_NOT_IMPORTER = "Only a performance manager may import a spreadsheet."
MSG_NOT_SPC_EDITOR = "Only a performance manager may set an SPC baseline or rebase."
MSG_PUBLISHED_COMMENTARY = (
    "The commentary for {month} is published; only a performance manager may change it."
)


def _in_group(user, name: str) -> bool:
    return name in role_names(user)


def is_officer(user) -> bool:
    return bool(getattr(user, "is_active", False)) and _in_group(user, OFFICER)


def can_enter_data(user) -> bool:
    """Whether the monthly entry screens are for this user at all."""
    return is_performance_manager(user) or is_officer(user)


def editable_indicators(user) -> QuerySet[Indicator]:
    """The indicators the user may enter values, targets and benchmarks for (see the module
    docstring): all of them for a performance manager; an officer's own indicators and those of
    the areas where they own one; none for anyone else."""
    if is_performance_manager(user):
        return Indicator.objects.all()
    if not is_officer(user):
        return Indicator.objects.none()
    own_areas = Indicator.objects.filter(owner__user=user, priority_area__isnull=False).values(
        "priority_area"
    )
    return Indicator.objects.filter(Q(owner__user=user) | Q(priority_area__in=own_areas))


def editable_areas(user) -> QuerySet[PriorityArea]:
    """The priority areas with at least one indicator the user may edit."""
    if is_performance_manager(user):
        return PriorityArea.objects.all()
    return PriorityArea.objects.filter(home_indicators__in=editable_indicators(user)).distinct()


def can_edit_indicator(user, indicator_id: int) -> bool:
    """Whether the user may change the indicator's values, targets and benchmarks."""
    return editable_indicators(user).filter(pk=indicator_id).exists()


def can_edit_area(user, area: PriorityArea) -> bool:
    return editable_areas(user).filter(pk=area.pk).exists()


def visible_values(user) -> QuerySet[Value]:
    """Values the user may see on the staff screens, by core.visibility's rule for
    unpublished values: all for a performance manager, their editable indicators' values for
    an officer, published values only for anyone else."""
    scope = reader_of(user).value_scope
    if scope is ValueScope.ALL:
        return Value.objects.all()
    if scope is ValueScope.OWN_AREAS:
        return Value.objects.filter(indicator__in=editable_indicators(user))
    return Value.objects.published()


def visible_commentary(user) -> QuerySet[Commentary]:
    """Commentary the user may see on the staff screens, by the same rule as `visible_values`."""
    scope = reader_of(user).value_scope
    if scope is ValueScope.ALL:
        return Commentary.objects.all()
    if scope is ValueScope.OWN_AREAS:
        return Commentary.objects.filter(
            Q(indicator__in=editable_indicators(user)) | Q(priority_area__in=editable_areas(user))
        )
    return Commentary.objects.filter(state=Value.State.PUBLISHED)
