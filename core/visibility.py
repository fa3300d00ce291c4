"""Who may see confidential and unpublished content: the council's rule, written once.

Every surface (pages, exports, the API, calendars, search, PDFs, the person page, the tracker
and its monitoring report) asks these functions, directly or through the QuerySet methods that
call them (`AgendaItem.objects.visible_to`, `Minute.objects.visible_to`,
`AgendaDocument.objects.visible_to`, `Recommendation.objects.visible_to`, and
`indicators.permissions.visible_values` for the staff screens).

The kinds of record, and who sees them:

- **Exempt items** (Schedule 12A to the Local Government Act 1972): the public sees the title and
  the exemption only; never the summary, report of, papers, minute text, resolutions, the
  recommendations arising from it and the action taken on them, nor the details of interests
  declared on it. Only a reader with one of the product's roles, or an admin account (staff or
  superuser), sees them. A signed-in account with no role is the public.
- **Agendas not yet published**: the public sees the meeting's date, time and venue only; not
  one of its items (not even a title), its papers, or which item an interest was declared on.
  Same readers as exempt items.
- **Draft minutes** (written, not yet approved as a correct record at a later meeting): the
  council publishes them as soon as they are written, marked "Draft: not yet approved"; the
  minute of an exempt item stays confidential by the exempt rule, draft or approved.
- **Unpublished values** (provisional or approved figures and commentary): no public surface
  shows them to anyone, whatever their role; the public pages, exports and API are the
  published dataset. The staff screens show them: every value to a performance manager or a
  superuser, an officer's own areas' values to that officer, none to anyone else.

This module is framework-free: it reads the user object's attributes and nothing else, so every
app may import it and it imports no app.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import Enum

from core import roles as product_roles

#: The roles whose members may read exempt items and unpublished agendas once signed in.
CONFIDENTIAL_ROLES: frozenset[str] = frozenset(
    {
        product_roles.PANEL_MEMBER,
        product_roles.OFFICER,
        product_roles.PERFORMANCE_MANAGER,
        product_roles.SCRUTINY_MANAGER,
    }
)


class ValueScope(Enum):
    """Which monthly values a reader sees on the staff screens."""

    PUBLISHED = "published"  # published values only, as on the public pages
    OWN_AREAS = "own areas"  # the officer's editable indicators' values, in any state
    ALL = "all"  # every value, in any state


def sees_exempt(
    *, roles: Collection[str], is_staff: bool = False, is_superuser: bool = False
) -> bool:
    """Whether a reader may read exempt items and everything arising from them.

    Rule: only panel members and staff: a superuser, a staff account (the admin's users), or a
    holder of one of the product's roles. The public, and a signed-in account with no role, see
    the title and the exemption only.
    """
    return is_superuser or is_staff or bool(CONFIDENTIAL_ROLES.intersection(roles))


def sees_unpublished_agenda(
    *, roles: Collection[str], is_staff: bool = False, is_superuser: bool = False
) -> bool:
    """Whether a reader may read the items of an agenda not yet published.

    Rule: the same readers as exempt items (panel members and staff prepare the agenda); the
    public sees the meeting's date, time and venue until the agenda is published.
    """
    return sees_exempt(roles=roles, is_staff=is_staff, is_superuser=is_superuser)


def sees_draft_minutes(
    *, roles: Collection[str], is_staff: bool = False, is_superuser: bool = False
) -> bool:
    """Whether a reader may read minutes not yet approved as a correct record.

    Rule: everyone. The council publishes draft minutes as soon as they are written, marked
    "Draft: not yet approved"; what stays confidential in them is the minute of an exempt item,
    and `sees_exempt` decides that, draft or approved.
    """
    return True


def sees_unpublished_values(*, roles: Collection[str], is_superuser: bool = False) -> ValueScope:
    """Which values a reader sees on the staff screens (the public pages show published only).

    Rule: a performance manager or a superuser sees every value; an officer sees the values of
    the indicators they may enter (their own areas', see indicators.permissions); everyone else,
    the scrutiny manager and panel members included, sees published values only. A staff flag
    alone gives nothing here: unpublished figures follow the performance roles.
    """
    if is_superuser or product_roles.PERFORMANCE_MANAGER in roles:
        return ValueScope.ALL
    if product_roles.OFFICER in roles:
        return ValueScope.OWN_AREAS
    return ValueScope.PUBLISHED


def item_withheld(*, exempt: bool, agenda_published: bool, reader: Reader) -> bool:
    """Whether an agenda item's content (summary, papers, minute, declarations' details) is
    withheld from `reader`: exempt and not `sees_exempt`, or on an unpublished agenda and not
    `sees_unpublished_agenda`."""
    return (exempt and not reader.sees_exempt) or (
        not agenda_published and not reader.sees_unpublished_agenda
    )


@dataclass(frozen=True)
class Reader:
    """Who is reading, as far as the rule cares: their roles and the account's admin flags."""

    roles: Collection[str] = frozenset()
    is_staff: bool = False
    is_superuser: bool = False

    @property
    def sees_exempt(self) -> bool:
        return sees_exempt(roles=self.roles, is_staff=self.is_staff, is_superuser=self.is_superuser)

    @property
    def sees_unpublished_agenda(self) -> bool:
        return sees_unpublished_agenda(
            roles=self.roles, is_staff=self.is_staff, is_superuser=self.is_superuser
        )

    @property
    def sees_draft_minutes(self) -> bool:
        return sees_draft_minutes(
            roles=self.roles, is_staff=self.is_staff, is_superuser=self.is_superuser
        )

    @property
    def value_scope(self) -> ValueScope:
        return sees_unpublished_values(roles=self.roles, is_superuser=self.is_superuser)


PUBLIC = Reader()

#: The attribute a user object caches its role names in (shared with indicators.permissions).
ROLE_CACHE = "_scrutiny_groups"


def role_names(user) -> set[str]:
    """The names of the groups `user` belongs to (none when signed out or inactive), asked of
    the database at most once per user object."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    if not getattr(user, "is_active", True):
        return set()
    cached = getattr(user, ROLE_CACHE, None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        setattr(user, ROLE_CACHE, cached)
    return cached


class _RolesOf(Collection[str]):
    """A user's role names, read only when a rule needs them: a superuser or staff account is
    answered from its flags without a query."""

    def __init__(self, user) -> None:
        self._user = user

    def __contains__(self, name: object) -> bool:
        return name in role_names(self._user)

    def __iter__(self):
        return iter(role_names(self._user))

    def __len__(self) -> int:
        return len(role_names(self._user))


def reader_of(user) -> Reader:
    """The `Reader` a request's user is: the public when signed out or inactive."""
    if user is None or not getattr(user, "is_authenticated", False):
        return PUBLIC
    if not getattr(user, "is_active", True):
        return PUBLIC
    return Reader(
        roles=_RolesOf(user),
        is_staff=bool(getattr(user, "is_staff", False)),
        is_superuser=bool(getattr(user, "is_superuser", False)),
    )
