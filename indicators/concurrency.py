"""Two people saving the same figures from screens drawn at different times: the rule that
nothing is overwritten unseen. Framework-free: tokens are computed from any objects with the
named attributes (models, form rows, dataclasses).

A screen sends back, with each row, the token of what it showed (`seen`). At save time the
stored row's token (`stored`) and the token of what the row sends (`sent`) decide what
happens to it (`outcome`).
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from enum import Enum
from typing import Any

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


def entry_token(value: Any | None) -> str:
    """A monthly value's token: its figure, status and fraction (a stored value or a row as
    sent: anything with `number`, `status`, `numerator` and `denominator`)."""
    if value is None:
        return NEW_ENTRY
    return _digest((value.number, value.status, value.numerator, value.denominator))


def row_token(row: Any) -> str:
    """`entry_token` of what an entry-screen row sends; a blank row is `NEW_ENTRY`."""
    return NEW_ENTRY if row.is_blank else entry_token(row)


def commentary_token(commentary: Any | None) -> str:
    """An area's commentary's token: of its text (`analysis`, `actions`), stored or as sent
    back; blank text is `NEW_ENTRY`, as no commentary is."""
    if commentary is None or not (commentary.analysis.strip() or commentary.actions.strip()):
        return NEW_ENTRY
    return _digest((_lines(commentary.analysis), _lines(commentary.actions)))


def targets_token(*, target: Any | None, benchmarks: dict[int, Any]) -> str:
    """A targets-screen row's token: its target (`number`, `status`, `bound`) and each
    comparator's benchmark (`number`, `status`), stored or as sent back."""
    parts: list[object] = []
    if target is not None:
        parts += ["target", target.number, target.status, getattr(target, "bound", "") or ""]
    for comparator_id, figure in sorted(benchmarks.items()):
        if figure is not None:
            parts += [comparator_id, figure.number, figure.status]
    return _digest(tuple(parts)) if parts else NEW_ENTRY


def publication_token(values: Any) -> str:
    """The token of what a publishing check showed: the values it would release (anything
    with `pk` and a figure), each with its figure. Publishing from an older check, after a
    value was approved, changed or withdrawn meanwhile, is refused: the manager confirms what
    becomes public, not what happens to be approved when the button is pressed."""
    parts = sorted((value.pk, entry_token(value)) for value in values)
    return _digest(tuple(f"{pk}:{token}" for pk, token in parts)) if parts else NEW_ENTRY


def _lines(text: str) -> str:
    # Browsers send a textarea's line breaks as CRLF whatever the page held.
    return text.strip().replace("\r\n", "\n")


def _digest(parts: tuple) -> str:
    text = "\x1f".join("" if part is None else str(_normal(part)) for part in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _normal(part: object) -> object:
    # 21 and 21.0000 are the same figure: the database may hand back either.
    return part.normalize() if isinstance(part, Decimal) else part
