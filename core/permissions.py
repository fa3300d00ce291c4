"""Checks on a user that more than one app needs: whether they hold the performance manager's
role, and whether they may revert a record to an earlier version of its history."""

from __future__ import annotations

from .roles import PERFORMANCE_MANAGER
from .visibility import role_names


def is_performance_manager(user) -> bool:
    """A superuser, or an active member of the Performance manager group."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or PERFORMANCE_MANAGER in role_names(user)


def can_revert_history(user) -> bool:
    """Reverting a record to an earlier version of its history is a performance manager's act
    (or an admin's): it rewrites what others entered, so officers and viewers may only look."""
    return is_performance_manager(user)
