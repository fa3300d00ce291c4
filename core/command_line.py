"""The user of `manage.py` commands (imports run by hand or by a scheduler): trusted as a
superuser by every permission check, recorded in history as nobody."""

from __future__ import annotations


class _CommandLine:
    """The user of `manage.py` commands: trusted as a superuser, recorded as nobody."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    is_staff = True
    pk = None
    username = "command line"

    def __str__(self) -> str:
        return self.username


COMMAND_LINE = _CommandLine()


def recorded_user(user):
    """The person a history row (or an update's author) names: a signed-in user; nobody for
    the command line or for someone signed out."""
    if isinstance(user, _CommandLine) or not getattr(user, "is_authenticated", False):
        return None
    return user
