"""Two people saving the same record from pages drawn at different times: the rule that nothing
is overwritten unseen. Framework-free; used by the monthly entry and targets screens
(`indicators.rules.concurrency` holds their tokens) and by every admin change form
(`core.stale_saves`).

A page sends back, with each row or field, the token of what it showed (`seen`). At save time
the stored token (`stored`) and the token of what the page sends (`sent`) decide what happens
to it (`outcome`).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import Enum

#: The token of a row with nothing stored (no value, no target, blank commentary).
NEW_ENTRY = "new"


class Outcome(Enum):
    SAVE = "save"  # no one else saved the row since the screen was drawn (or removed it)
    KEEP_THEIRS = "keep theirs"  # someone else saved it; this user left it as it was
    CONFLICT = "conflict"  # both changed it: refuse the whole save, naming who saved


def outcome(*, seen: str | None, stored: str, sent: str) -> Outcome:
    """The rule: a row whose stored token is still the one the screen showed (or that sends no
    token) is saved. Otherwise someone saved it meanwhile: a row this user left as it was keeps
    their save; a row removed meanwhile is saved again (that loses nothing); a row both changed
    is a conflict."""
    if seen is None or seen == stored:
        return Outcome.SAVE
    if sent == seen:
        return Outcome.KEEP_THEIRS
    if stored == NEW_ENTRY:
        return Outcome.SAVE
    return Outcome.CONFLICT


def digest(parts: tuple) -> str:
    """A short token of some values: equal values (21 and 21.0000, a text with CRLF or LF line
    breaks, one moment in two time zones) give equal tokens."""
    text = "\x1f".join(_normal(part) for part in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def lines(text: str) -> str:
    """A text as compared: browsers send a textarea's line breaks as CRLF whatever the page
    held, and its leading and trailing blank space is not part of it."""
    return text.strip().replace("\r\n", "\n")


def _normal(part: object) -> str:
    if part is None:
        return ""
    if isinstance(part, Decimal):
        # 21 and 21.0000 are the same figure: the database may hand back either.
        return str(part.normalize())
    if isinstance(part, str):
        return lines(part)
    if isinstance(part, datetime) and part.tzinfo is not None:
        return part.astimezone(UTC).isoformat()
    if isinstance(part, (date, time)):
        return part.isoformat()
    if isinstance(part, (list, tuple, set, frozenset)):
        return "[" + ",".join(sorted(_normal(item) for item in part)) + "]"
    return str(part)

